"""What the render pipeline hands a scene, and how a scene reads it. Loads no manim.

The pipeline puts the scene's parameters in one environment variable; when Manim runs a scene
file directly there is none, and the scene takes its defaults from ``scenes.toml``, the same file
the pipeline reads. Both sides use the names defined here.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

SPEC_FILE = Path(__file__).with_name("scenes.toml")
"""What each scene is and takes: the one file of scene facts."""
PARAMS_VAR = "DIP_SCENE_PARAMS"
"""JSON of the scene's parameters (with theme and pace), set by the pipeline."""
RECORD_VAR = "DIP_RECORD_FILE"
"""When set, a scene writes the numbers it showed to this JSON file (the tests read it)."""
CARD_VAR = "DIP_TITLE_CARD"
"""JSON {"title", "subtitle", "number"} for a title card, set by the lecture builder."""
DATA_VAR = "DIP_SCENE_DATA"
"""Path of a JSON file with the numbers the scene draws (mathcore.scene_data), computed by the
pipeline before Manim starts; when unset, the scene computes them itself."""
OUTLINES_FOLDER = "Outlines"
"""Where scenes/typeset.py keeps the outlines parsed from typeset SVGs, in Manim's media folder
beside its ``Tex`` folder (not in it: Manim deletes every file there but SVG and TeX whenever
it typesets a formula)."""
OUTLINES_SUFFIX = ".npz"
TYPESET_FILES = {"Tex": "*.svg", OUTLINES_FOLDER: f"*{OUTLINES_SUFFIX}"}
"""What a render leaves in its media folder that any later render may reuse, by folder: the
typeset formulas (named by a hash of their TeX) and their outlines (by a hash of the SVG)."""
COMMON = {"theme": "dark", "pace": 1.0}
"""What every scene takes besides its own parameters."""


def scene_facts(name: str) -> dict[str, Any]:
    """The entry for scene ``name`` in scenes.toml."""
    return tomllib.loads(SPEC_FILE.read_text(encoding="utf-8"))[name]


def read_params(name: str) -> SimpleNamespace:
    """The parameters of this render: the pipeline's, or else the scene's defaults."""
    values = {**COMMON, **scene_facts(name).get("defaults", {})}
    raw = os.environ.get(PARAMS_VAR)
    if raw:
        values.update({k: v for k, v in json.loads(raw).items() if v is not None})
    return SimpleNamespace(**values)


def read_data(name: str, params: SimpleNamespace) -> Any:
    """The numbers scene ``name`` draws: the pipeline's file, or computed here by mathcore."""
    from mathcore.scene_data import as_namespace, scene_data

    path = os.environ.get(DATA_VAR)
    if path:
        return as_namespace(Path(path).read_text(encoding="utf-8"))
    provider = scene_facts(name).get("data", name)
    return as_namespace(scene_data(provider, vars(params)))
