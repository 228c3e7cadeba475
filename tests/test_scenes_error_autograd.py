"""The error and autograd scenes: every equation shown beside a number is true of that number,
every label lies inside the frame and clear of the others, text is legible, captions stay up
for their reading time. Expected values come from closed forms and mpmath, not from the scenes.
"""

from __future__ import annotations

import math
import re

import mpmath
import numpy as np
import pytest

from tests.helpers import TIMED, TINY

pytestmark = pytest.mark.render

EPS64, EPS32 = 2.0**-52, 2.0**-23

# Each equation the error scene may show, evaluated here from its inputs as a reader would
# evaluate it on paper: f and f^(k) at x0, f' (df), and machine epsilon.
EQUATIONS = {
    r"h^* = \sqrt{\varepsilon\,|f/f''|}": lambda r: math.sqrt(r["eps"] * abs(r["f"] / r["dk"])),
    r"h^* = \sqrt[3]{\tfrac{3}{4}\varepsilon\,|f/f'''|}":
        lambda r: (0.75 * r["eps"] * abs(r["f"] / r["dk"])) ** (1 / 3),
    r"h^* = \sqrt{6\varepsilon\,|f'/f'''|}": lambda r: math.sqrt(6 * r["eps"] * abs(r["df"] / r["dk"])),
    r"h^* = 2\varepsilon\,|f'/f''|": lambda r: 2 * r["eps"] * abs(r["df"] / r["dk"]),
}
SCALING = {r"\propto \sqrt{\varepsilon}": 1 / 2, r"\propto \varepsilon^{1/3}": 1 / 3, r"\propto \varepsilon": 1.0}


@pytest.fixture(scope="session")
def shown(rendered):
    """The numbers and boxes a scene recorded at ``size``, dark theme: the scene's shared video
    render for its defaults, a still render (tests/conftest.py) for any other size or parameters,
    since these tests read only the record."""
    def get(scene: str, size: tuple[int, int] = TINY, **params):
        return rendered(scene, "dark", resolution=size, still=bool(params) or size != TINY, **params)[1]

    return get


def shown_number(tex: str) -> float:
    r"""The value a reader reads off ``3.0\times10^{-8}`` or ``0.25``."""
    match = re.fullmatch(r"(-?[\d.]+)(?:\\times10\^\{(-?\d+)\})?", tex)
    assert match, f"not a number as the scene typesets them: {tex!r}"
    return float(match[1]) * 10.0 ** int(match[2] or 0)


def check_statement(s: dict) -> None:
    """The equation, evaluated from its inputs, is the value; the number shown is the value to
    the digits shown; the scaling claimed is the power of eps in the equation."""
    assert s["equation"] in EQUATIONS, f"an equation the test cannot evaluate: {s['equation']}"
    assert EQUATIONS[s["equation"]](s) == pytest.approx(s["value"], rel=1e-12)
    assert shown_number(s["number"]) == pytest.approx(s["value"], rel=0.051)
    doubled = dict(s, eps=4 * s["eps"])  # the equation scales as claimed
    ratio = EQUATIONS[s["equation"]](doubled) / EQUATIONS[s["equation"]](s)
    assert ratio == pytest.approx(4 ** SCALING[s["scaling"]], rel=1e-12)


def test_error_equations_are_true_of_their_numbers(shown):
    """exp at 1: f = f' = f^(k) = e, so each h* also has a closed form in eps alone."""
    statements = shown("error")["statements"]
    e = float(mpmath.e)
    for key, s in statements.items():
        if key == "complex-step":
            continue
        check_statement(s)
        assert s["f"] == pytest.approx(e, rel=1e-15) and s["dk"] == pytest.approx(e, rel=1e-15)
    assert statements["forward"]["eps"] == EPS64 and statements["other"]["eps"] == EPS32
    assert statements["forward"]["value"] == pytest.approx(math.sqrt(EPS64), rel=1e-12)
    assert statements["central"]["value"] == pytest.approx((0.75 * EPS64) ** (1 / 3), rel=1e-12)
    assert statements["other"]["value"] == pytest.approx(math.sqrt(EPS32), rel=1e-12)
    assert statements["forward"]["number"] == r"1.5\times10^{-8}"
    assert statements["central"]["number"] == r"5.5\times10^{-6}"
    assert all(statements[k]["inside"] for k in ("forward", "central", "other"))


@pytest.mark.parametrize("function, x0, h_max", [("sqrt(x)", 0.001, 1e-4), ("log(x)", 0.005, 1e-3)])
def test_error_near_a_domain_edge_states_the_closed_form(shown, function, x0, h_max):
    """Issue 9: sqrt and log near 0 are accepted with small steps, and the model's h* is the
    closed form sqrt(eps |f/f''|) with f and f'' from mpmath."""
    statements = shown("error", function=function, x0=x0, h_max=h_max)["statements"]
    with mpmath.workdps(50):
        g = mpmath.sqrt if function.startswith("sqrt") else mpmath.log
        f, f2 = g(x0), mpmath.diff(g, x0, 2)
        truth = float(mpmath.sqrt(EPS64 * abs(f / f2)))
    forward = statements["forward"]
    check_statement(forward)
    assert forward["value"] == pytest.approx(truth, rel=1e-9)
    for key in ("central", "other"):
        check_statement(statements[key])


def test_error_without_a_model_says_so(shown):
    """|x|^1.5 at 0: f'(0) = 0 exists, f''(0) does not, so no scheme has an error model: the
    scene says so instead of marking a step."""
    rec = shown("error", function="abs(x)**1.5", x0=0.0)
    assert rec["point_kind"] == "smooth"
    for key in ("forward", "central", "other"):
        s = rec["statements"][key]
        assert s["kind"] == "no-model" and math.isnan(s["value"]) and s["reason"]
    assert not any(k.startswith("tag_") for k in rec["layout_boxes"])


def test_error_linear_function_has_no_best_step(shown):
    rec = shown("error", function="3*x+1", x0=2.0)
    for key in ("forward", "central", "other"):
        assert rec["statements"][key]["kind"] == "no-truncation"
    assert not any(k.startswith("tag_") for k in rec["layout_boxes"])


def overlaps(a: list[float], b: list[float], slack: float = 0.0) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


@pytest.mark.parametrize("size, params", [
    ((160, 90), {}),
    ((160, 120), {}),  # 4:3
    ((160, 90), {"function": "sin(x)", "x0": 1e6, "h_min": 1e-12}),
    ((160, 120), {"function": "exp(x)", "x0": 10.0}),
    ((160, 90), {"function": "x**2*sin(x) + exp(-x**2)/(1 + x**4) + tanh(x)", "x0": 0.5}),
])
def test_error_labels_lie_in_the_frame_and_apart(shown, size, params):
    rec = shown("error", size, **params)
    left, bottom, right, top = rec["frame_box"]
    assert (right - left) / (top - bottom) == pytest.approx(size[0] / size[1], rel=1e-4)
    assert top - bottom == pytest.approx(8.0)
    boxes = rec["layout_boxes"]
    for name, b in boxes.items():
        assert left <= b[0] and b[2] <= right and bottom <= b[1] and b[3] <= top, f"{name} leaves the frame: {b}"
    for a in rec["trace_readouts"]:
        assert left <= a[0] and a[2] <= right and bottom <= a[1] and a[3] <= top, f"a readout leaves the frame: {a}"
    x0, y0, x1, y1 = rec["plot_area"]
    for name, b in rec["drawn_lines"].items():  # a dot on the floor row may poke out by its radius
        assert x0 - 0.05 <= b[0] and b[2] <= x1 + 0.05 and y0 - 0.05 <= b[1] and b[3] <= y1 + 0.05, name
    labels = {k: v for k, v in boxes.items() if k != "plot"}  # the plot holds its own tick labels
    names = sorted(labels)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not overlaps(labels[a], labels[b], slack=0.01), f"{a} and {b} overlap"


def test_error_text_is_legible(shown):
    """Every text size gives a digit at least 3 % of the frame height; measured with Manim's own
    TeX, not computed from the scene's constants."""
    from manim import MathTex

    rec = shown("error")
    sizes = rec["font_sizes"]
    digit = MathTex("0", font_size=min(sizes["text"], sizes["tick"])).height
    assert digit / sizes["frame_height"] >= 0.03
    exponent = MathTex("10^{-8}", font_size=sizes["tick"])[0][3].height * sizes["exponent_scale"]
    assert exponent / sizes["frame_height"] >= 0.03


# -- autograd ---------------------------------------------------------------------------------

def ulps_from_truth(value: float, truth: mpmath.mpf) -> float:
    """|value - truth| in float64 spacings at the truth, computed here in mpmath."""
    return float(abs(mpmath.mpf(value) - truth) / np.spacing(abs(float(truth))))


def test_autograd_measures_both_against_a_50_digit_truth(shown):
    """tanh and the sigmoid: the worst ULPs shown for the float64 formula and for autograd equal
    the ULPs measured here from mpmath's sech^2 and sigma (1 - sigma), and torch's own backward."""
    import torch

    import mathcore

    rec = shown("autograd")
    truths = {"tanh(x)": lambda x: mpmath.sech(x) ** 2,
              "sigmoid(x)": lambda x: (s := 1 / (1 + mpmath.exp(-x))) * (1 - s)}
    torch_f = {"tanh(x)": torch.tanh, "sigmoid(x)": torch.sigmoid}
    for name, truth in truths.items():
        points = rec["points"][name]
        assert len(points) == 5
        analytic, autograd = [], []
        with mpmath.workdps(50):
            for x in points:
                exact = truth(mpmath.mpf(x))
                analytic.append(ulps_from_truth(float(mathcore.CATALOG[name].df(x)), exact))
                t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
                torch_f[name](t).backward()
                autograd.append(ulps_from_truth(float(t.grad), exact))
        assert rec["analytic_ulps"][name] == pytest.approx(max(analytic), abs=1e-9)
        assert rec["autograd_ulps"][name] == pytest.approx(max(autograd), abs=1e-9)
    assert all(v <= 16 for v in rec["autograd_ulps"].values())
    assert all(1e2 < v < 1e10 for v in rec["central_ulps"].values())  # a central difference is far off
    assert rec["step_at_one"] == pytest.approx((3 * EPS64) ** (1 / 3), rel=1e-9)


@pytest.mark.parametrize("size", [(160, 90), (160, 120)])
def test_autograd_layout(shown, size):
    rec = shown("autograd", size)
    left, bottom, right, top = rec["frame_box"]
    assert top - bottom == pytest.approx(8.0)
    boxes = rec["layout_boxes"]
    for name, b in boxes.items():
        assert left <= b[0] and b[2] <= right and bottom <= b[1] and b[3] <= top, f"{name} leaves the frame: {b}"
    text = {k: v for k, v in boxes.items() if k.startswith(("name_", "heading", "legend", "footnote"))}
    names = sorted(text)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not overlaps(text[a], text[b], slack=0.01), f"{a} and {b} overlap"
    assert rec["lowest_mark"] > max(rec["axis_line_y"]) + 0.05  # no mark covers an axis line


# -- captions ---------------------------------------------------------------------------------

def srt_entries(text: str) -> list[tuple[float, str]]:
    """(seconds shown, caption) for each entry of an .srt file."""
    def seconds(stamp: str) -> float:
        h, m, s = stamp.replace(",", ".").split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    entries = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        start, end = lines[1].split(" --> ")
        entries.append((seconds(end) - seconds(start), " ".join(lines[2:])))
    return entries


@pytest.mark.parametrize("scene", ["error", "autograd"])
def test_captions_stay_up_for_their_reading_time(rendered, scene):
    """Every caption is up for at least 2 s and len / 15 characters per second (0.2 s of slack)."""
    result, _ = rendered(scene, **TIMED)
    entries = srt_entries(result.captions.read_text())
    assert len(entries) >= 5
    for duration, caption in entries:
        assert duration >= max(2.0, len(caption) / 15) - 0.2, f"{caption!r} is up for {duration:.2f} s"
