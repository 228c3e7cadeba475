"""The numbers of a torch scene, computed once before Manim starts and cached as JSON.

A render of several scenes (``render all``, ``lecture``) and later renders with the same
parameters and the same mathcore share one file, so torch is imported at most once per command
and never inside Manim.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
from pathlib import Path

from scenes.contract import DATA_VAR

from .files import CACHE, atomic_target
from .params import SceneParams
from .process import ROOT

DATA = CACHE / "data"
_LOCK = threading.Lock()


def _mathcore_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "mathcore").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def data_file(provider: str, params: SceneParams) -> Path:
    """The cached JSON of ``provider``'s numbers for ``params``, computed if missing."""
    own = {k: v for k, v in dataclasses.asdict(params).items() if k not in ("theme", "pace") and v is not None}
    key = hashlib.sha256(json.dumps([provider, own, _mathcore_digest()], sort_keys=True).encode()).hexdigest()
    path = DATA / f"{provider}-{key[:24]}.json"
    with _LOCK:  # renders in threads: compute each file once
        if not path.exists():
            from mathcore.scene_data import scene_data

            DATA.mkdir(parents=True, exist_ok=True)
            text = scene_data(provider, own)
            with atomic_target(path) as tmp:
                tmp.write_text(text, encoding="utf-8")
    return path


def data_env(provider: str, params: SceneParams) -> dict[str, str]:
    """The environment that hands the scene its numbers."""
    return {DATA_VAR: os.fspath(data_file(provider, params))}
