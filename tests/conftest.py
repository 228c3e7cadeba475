"""Fixtures shared by the tests; helpers live in tests/helpers.py."""

from __future__ import annotations

import fcntl
import hashlib
import json
from pathlib import Path

import pytest

from tests.helpers import FAST, TINY, TINY_FPS


@pytest.fixture(scope="session")
def shared_folder(tmp_path_factory, worker_id) -> Path:
    """A folder every pytest-xdist worker of this run sees (the run's own temporary folder)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base if worker_id == "master" else base.parent) / "shared-renders"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def rendered(shared_folder):
    """Render a scene once per test run and share it between tests, files and xdist workers:
    ``rendered(scene, theme, **params)`` returns (RenderResult, the numbers the scene recorded).

    ``pace`` defaults to FAST; pass ``pace=1.0`` where a test reads timing (captions), with
    ``fps=2`` so that the real-time render has few frames. ``still=True`` renders the last frame
    only (a PNG: Manim takes each animation straight to its end and draws no frame before it):
    the scene records the same numbers and boxes (``test_a_still_render_records_what_the_video_
    records``) at about half the cost, for tests that read nothing but the record. The first
    worker to ask renders under a lock; the others wait for it and read the same files.
    """
    from pipeline.params import SceneParams
    from pipeline.render import RenderOptions, RenderResult, render_scene
    from pipeline.specs import SCENES

    cache = {}

    def get(scene: str, theme: str = "dark", resolution: tuple[int, int] = TINY, fps: int = TINY_FPS,
            pace: float = FAST, still: bool = False, **params):
        key = json.dumps([scene, theme, list(resolution), fps, pace, still, sorted(params.items())])
        if key not in cache:
            folder = shared_folder / f"{scene}-{theme}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
            folder.mkdir(exist_ok=True)
            done, record = folder / "result.json", folder / "shown.json"
            with open(folder / "lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
                if not done.exists():
                    kind = "png" if still else "mp4"
                    options = RenderOptions(resolution=resolution, fps=fps, force=True, format=kind)
                    result = render_scene(SCENES[scene], SceneParams(theme=theme, pace=pace, **params), options,
                                          folder / f"{scene}.{kind}", record=record)
                    files = {k: getattr(result, k) for k in ("path", "captions", "sections")}
                    done.write_text(json.dumps({k: v and str(v) for k, v in files.items()}))
            files = {k: v and Path(v) for k, v in json.loads(done.read_text()).items()}
            result = RenderResult(skipped=False, **files)
            cache[key] = (result, json.loads(record.read_text()))
        return cache[key]

    return get
