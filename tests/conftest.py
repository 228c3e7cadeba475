"""Fixtures shared by the tests; helpers live in tests/helpers.py."""

from __future__ import annotations

import json

import pytest

from tests.helpers import FAST, TINY, TINY_FPS


@pytest.fixture
def tiny_options():
    from pipeline.render import RenderOptions

    return RenderOptions(resolution=TINY, fps=TINY_FPS, force=True)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """Render a scene once per test session and share it: ``rendered(scene, theme, **params)``
    returns (RenderResult, the numbers the scene recorded). ``pace`` defaults to FAST; pass
    pace=1.0 where a test looks at timing."""
    from pipeline.params import SceneParams
    from pipeline.render import RenderOptions, render_scene
    from pipeline.specs import SCENES

    cache = {}

    def get(scene: str, theme: str = "dark", resolution: tuple[int, int] = TINY, fps: int = TINY_FPS,
            pace: float = FAST, **params):
        key = (scene, theme, resolution, fps, pace, tuple(sorted(params.items())))
        if key not in cache:
            folder = tmp_path_factory.mktemp(f"{scene}-{theme}")
            record = folder / "shown.json"
            options = RenderOptions(resolution=resolution, fps=fps, force=True)
            result = render_scene(SCENES[scene], SceneParams(theme=theme, pace=pace, **params), options,
                                  folder / f"{scene}.mp4", record=record)
            cache[key] = (result, json.loads(record.read_text()))
        return cache[key]

    return get
