"""Every scene renders in both themes, and the numbers it shows are mathcore's numbers."""

from __future__ import annotations

import itertools
import json
import math

import mpmath
import numpy as np
import pytest

import mathcore
from pipeline.params import SceneParams
from pipeline.render import render_scene
from pipeline.specs import SCENES
from scenes.style import THEMES
from tests.helpers import FAST, TIMED, TINY, probe

pytestmark = pytest.mark.render


def _hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)])


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("scene", list(SCENES))
def test_scene_renders_in_theme(rendered, scene, theme):
    result, shown = rendered(scene, **TIMED) if theme == "light" else rendered(scene, theme)
    info = probe(result.path)
    assert info.codec == "h264" and (info.width, info.height) == TINY and len(info.frames) > 5
    corner = info.frames[-1][2, 2, :3].astype(int)
    assert np.abs(corner - _hex_rgb(THEMES[theme].background)).max() <= 12
    assert result.captions is not None and "-->" in result.captions.read_text()
    assert shown  # the scene recorded what it showed


def test_tangent_final_slope_is_mathcores(rendered):
    _, shown = rendered("tangent", "dark")
    assert shown["final_h"] == pytest.approx(1e-3, rel=1e-12)
    # The closed form for x^2: 2 x0 + h = 2.001; and mathcore's own value, to the last bit.
    assert shown["final_slope"] == pytest.approx(2.001, rel=1e-9)
    assert shown["final_slope"] == float(mathcore.secant_slope(lambda x: x**2, 1.0, shown["final_h"]))
    assert shown["initial_slope"] == pytest.approx(3.0, rel=1e-12)
    assert shown["tangent_slope"] == 2.0


@pytest.mark.parametrize("scene", ["tangent", "error", "sigmoid", "scale", "backprop", "depth"])
def test_a_still_render_records_what_the_video_records(rendered, scene):
    """Tests that read only what a scene recorded use still renders (tests/conftest.py): the
    record is the same, number for number and box for box, as the video render's, so those tests
    see what the video shows. Every scene that such a test renders still is checked here. Boxes
    may differ in the last bits: a video takes an animated value through its in-between values."""
    _, video = rendered(scene, "dark")
    still, record = rendered(scene, "dark", still=True)
    assert still.path.suffix == ".png"
    assert _same_record(record, video)


def _same_record(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_record(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_record(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, (int, float)):
        return a == pytest.approx(b, rel=1e-12, abs=1e-14, nan_ok=True)  # abs: frame units near 0
    return a == b


def test_tangent_takes_a_function_and_point(rendered):
    _, shown = rendered("tangent", "dark", function="sin(x)", x0=0.5, h_min=1e-4, h_max=0.5, still=True)
    assert shown["tangent_slope"] == pytest.approx(np.cos(0.5), rel=1e-14)
    assert shown["final_slope"] == pytest.approx(
        float(mathcore.secant_slope(np.sin, 0.5, shown["final_h"])), rel=1e-12)


def test_error_marks_mathcores_optimal_steps(rendered):
    _, shown = rendered("error", "dark")
    eps64, eps32 = np.finfo(np.float64).eps, np.finfo(np.float32).eps
    statements = shown["statements"]
    forward = mathcore.error_sweep(np.exp, np.exp, 1.0, scheme="forward")
    assert statements["forward"]["value"] == pytest.approx(forward.model_best_h, rel=1e-9)
    # closed forms for exp at 1 (f and its derivatives all e), typical rounding (mathcore.schemes)
    assert statements["forward"]["value"] == pytest.approx(np.sqrt(eps64), rel=1e-3)
    assert statements["central"]["value"] == pytest.approx((3 / 4 * eps64) ** (1 / 3), rel=1e-3)
    assert statements["other"]["value"] == pytest.approx(np.sqrt(eps32), rel=1e-3)  # float32
    assert shown["floor"] == mathcore.ERROR_FLOOR
    assert shown["complex_step_at_floor"] > 0  # exact zeros drawn, not dropped


def test_sigmoid_zone_edge_is_mathcores(rendered):
    _, shown = rendered("sigmoid", "dark")
    assert shown["zone_edge"] == float(mathcore.vanishing_zone(0.01))
    assert round(shown["zone_edge"], 4) == 4.5849
    assert shown["peak"] == 0.25
    assert shown["final_sigma_prime"] == pytest.approx(float(mathcore.sigmoid_prime(9.0)), rel=1e-12)


def test_sigmoid_threshold_parameter(rendered):
    _, shown = rendered("sigmoid", "light", threshold=0.1, still=True)
    assert shown["zone_edge"] == pytest.approx(float(mathcore.vanishing_zone(0.1)), rel=1e-15)


def test_rules_show_the_verifier_rows(rendered):
    _, shown = rendered("rules", "dark")
    rows = {(r.function, r.x): r for r in mathcore.verify_rules()}
    for rule in ("power", "product", "chain"):
        row = rows[(shown[rule]["function"], shown[rule]["x"])]
        assert shown[rule]["analytic"] == row.analytic
        assert shown[rule]["numerical"] == row.numerical
        assert shown[rule]["mark"] == ("check" if row.passed else "cross")


def test_autograd_shows_the_checker_rows(rendered):
    _, shown = rendered("autograd", "dark")
    checks = mathcore.check_autograd()
    worst_autograd, worst_analytic = {}, {}
    for c in checks:
        worst_autograd[c.function] = max(worst_autograd.get(c.function, 0.0), c.autograd_ulps)
        worst_analytic[c.function] = max(worst_analytic.get(c.function, 0.0), c.analytic_ulps)
    assert shown["autograd_ulps"] == pytest.approx(worst_autograd, abs=1e-9)
    assert shown["analytic_ulps"] == pytest.approx(worst_analytic, abs=1e-9)
    assert max(shown["autograd_ulps"].values()) <= 16
    assert all(v > 1 for v in shown["central_ulps"].values())  # a central difference is far off


def test_error_scene_draws_a_linear_function(rendered):
    """f'' = 0: no truncation line to draw and no best step claimed."""
    _, shown = rendered("error", "dark", function="3*x+1", x0=2.0, still=True)
    assert shown["statements"]["forward"]["kind"] == "no-truncation"
    assert shown["statements"]["central"]["kind"] == "no-truncation"


def test_tangent_near_a_pole(rendered):
    _, shown = rendered("tangent", "dark", function="1/x", x0=0.5, h_max=0.4, still=True)
    assert shown["tangent_slope"] == -4.0  # d/dx 1/x = -1/x^2 at 0.5
    assert shown["final_slope"] == pytest.approx(-1 / (0.5 * (0.5 + shown["final_h"])), rel=1e-9)


# -- lecture grade: captions, legibility, frame, notation (issue 11) ------------------------------

FOUR_THREE = (120, 90)
"""A tiny 4:3 frame: Manim widens or narrows the frame with the pixel aspect ratio."""


def _caption_problems(path) -> list[str]:
    import srt

    entries = list(srt.parse(path.read_text(encoding="utf-8")))
    problems = []
    for entry in entries:
        need = max(2.0, len(entry.content) / 15)
        shown = (entry.end - entry.start).total_seconds()
        if shown < need:
            problems.append(f"{entry.content[:40]!r} shown {shown:.3f} s, needs {need:.3f} s")
    for a, b in itertools.pairwise(entries):
        if b.start < a.end:
            problems.append(f"{a.content[:30]!r} overlaps {b.content[:30]!r}")
    return problems if entries else ["no captions at all"]


def _legible_and_inside(shown: dict) -> None:
    from scenes.style import MIN_TEXT_SIZE

    assert shown["outside_frame"] == [], f"cut by the frame's edge: {shown['outside_frame']}"
    assert shown["smallest_text"]["size"] >= MIN_TEXT_SIZE - 1e-6, shown["smallest_text"]
    width, height = shown["frame"]
    for name, (left, right, bottom, top) in shown.get("boxes", {}).items():
        assert -width / 2 <= left < right <= width / 2 and -height / 2 <= bottom < top <= height / 2, name


@pytest.mark.parametrize("scene", list(SCENES))
def test_captions_stay_up_for_their_reading_time(rendered, scene):
    result, shown = rendered(scene, **TIMED)  # real timing; few frames
    assert _caption_problems(result.captions) == []
    _legible_and_inside(shown)


def test_title_card_caption_and_size(tmp_path):
    from pipeline.render import RenderOptions
    from pipeline.specs import TITLE_CARD
    from scenes.contract import CARD_VAR

    subtitle = "Error of finite differences against h on log-log axes: truncation meets round-off."
    card = {CARD_VAR: json.dumps({"title": "Error against step size", "subtitle": subtitle, "number": 2})}
    record = tmp_path / "shown.json"
    result = render_scene(TITLE_CARD, SceneParams(theme="light"), RenderOptions(resolution=TINY, fps=5, force=True),
                          tmp_path / "card.mp4", record=record, extra_env=card)
    shown = json.loads(record.read_text())
    assert _caption_problems(result.captions) == []
    assert shown["caption"].endswith(subtitle)
    _legible_and_inside(shown)


@pytest.mark.parametrize(("function", "x0", "slope"), [
    ("exp(x)", 10.0, float(mpmath.exp(10))),
    ("x**2", 1e6, 2e6),
])
def test_tangent_readouts_fit_at_extreme_values(rendered, function, x0, slope):
    _, shown = rendered("tangent", "light", function=function, x0=x0, h_min=1e-8, still=True)
    assert shown["tangent_slope"] == pytest.approx(slope, rel=1e-15)
    _legible_and_inside(shown)
    column_left = shown["boxes"]["readouts"][0]
    assert shown["boxes"]["tangent_readout"][0] >= column_left - 1e-9


def test_tangent_zooms_as_h_shrinks(rendered):
    """At h = 1e-3 the two points would merge at the plot's own scale; the magnifier keeps them
    a good fraction of its side apart."""
    _, shown = rendered("tangent", "dark")
    frame_units_per_x = shown["plot_units"][0]
    assert shown["final_h"] * frame_units_per_x < 0.02  # closer than a dot's radius in the plot
    assert shown["zoom"] * shown["final_h"] * frame_units_per_x >= 0.25 * shown["inset_side"]


def test_tangent_teaches_from_a_kink(rendered):
    _, shown = rendered("tangent", "dark", function="abs(x)", x0=0.0, still=True)
    assert shown["differentiable"] is False
    assert "tangent_slope" not in shown  # no derivative claimed
    assert shown["final_slope"] == 1.0 and shown["left_slope"] == -1.0  # |h|/h from either side
    assert (shown["left_derivative"], shown["right_derivative"]) == (-1.0, 1.0)
    _legible_and_inside(shown)


def test_tangent_never_joins_a_pole(rendered):
    """tan at x0 = 1: the pole at pi/2 splits the curve, and the step starts before it."""
    _, shown = rendered("tangent", "dark", function="tan(x)", x0=1.0, still=True)
    assert any(abs(c - math.pi / 2) < 1e-12 for c in shown["cuts"])
    assert shown["initial_h"] == pytest.approx((math.pi / 2 - 1) / 2, rel=1e-12)
    assert shown["tangent_slope"] == pytest.approx(1 / math.cos(1.0) ** 2, rel=1e-15)
    _legible_and_inside(shown)


@pytest.fixture(scope="module")
def rendered_four_three(tmp_path_factory):
    from pipeline.render import RenderOptions

    def get(scene: str, **params):
        folder = tmp_path_factory.mktemp(f"{scene}-4x3")
        record = folder / "shown.json"
        result = render_scene(SCENES[scene], SceneParams(theme="light", pace=FAST, **params),
                              RenderOptions(resolution=FOUR_THREE, fps=5, force=True), folder / f"{scene}.mp4",
                              record=record)
        return result, json.loads(record.read_text())

    return get


@pytest.mark.parametrize(("scene", "params"), [
    ("tangent", {"function": "exp(x)", "x0": 10.0}), ("sigmoid", {}), ("rules", {}),
])
def test_four_three_is_laid_out_not_letterboxed(rendered_four_three, scene, params):
    result, shown = rendered_four_three(scene, **params)
    width, height = shown["frame"]
    assert width == pytest.approx(8 * 4 / 3) and height == 8  # the frame itself is 4:3
    _legible_and_inside(shown)
    info = probe(result.path)
    assert (info.width, info.height) == FOUR_THREE


def test_portrait_is_refused_with_one_sentence():
    from pipeline.render import RenderError, RenderOptions

    with pytest.raises(RenderError, match=r"^--resolution 1080x1920 is 0\.56:1, .*landscape.*\.$"):
        RenderOptions(resolution=(1080, 1920)).check()
