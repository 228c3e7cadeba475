"""The three lesson scenes (scale, backprop, depth): they render in both themes, their captions
stay up for their reading time, what they show is mathcore's numbers, and mathcore's numbers
agree with closed forms, textbook bounds and 50-digit arithmetic."""

from __future__ import annotations

import math
import re
import subprocess
import sys

import mpmath
import numpy as np
import pytest

import mathcore
from pipeline.params import ParameterError, SceneParams, validate
from pipeline.render import ROOT
from pipeline.specs import SCENES
from scenes.style import SMALL_SIZE, THEMES
from tests.helpers import TIMED, TINY, probe

pytestmark = pytest.mark.render

LESSONS = ("scale", "backprop", "depth")
EPS = np.finfo(np.float64).eps


def _hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)])


def _theme_render(rendered, scene: str, theme: str):
    """Dark at the fast test pace, light at pace 1.0 (the one whose captions are timed)."""
    return rendered(scene, **TIMED) if theme == "light" else rendered(scene, theme)


# -- every lesson scene ------------------------------------------------------------------------


@pytest.mark.parametrize("scene", LESSONS)
def test_listed_with_a_title_card_and_parameters(scene):
    spec = SCENES[scene]
    assert spec.lecture and spec.title and spec.summary and spec.data == scene
    readme = (ROOT / "README.md").read_text()
    assert f"`{scene}`" in readme and f"docs/gifs/{scene}.gif" in readme


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("scene", LESSONS)
def test_renders_in_each_theme_inside_the_frame(rendered, scene, theme):
    result, shown = _theme_render(rendered, scene, theme)
    info = probe(result.path)
    assert info.codec == "h264" and (info.width, info.height) == TINY and len(info.frames) > 5
    corner = info.frames[-1][1, 1, :3].astype(int)
    assert np.abs(corner - _hex_rgb(THEMES[theme].background)).max() <= 12
    assert shown["outside_frame"] == []
    assert shown["smallest_text"]["size"] >= SMALL_SIZE - 1e-6


@pytest.mark.parametrize("scene", LESSONS)
def test_each_caption_stays_up_for_its_reading_time(rendered, scene):
    result, _ = rendered(scene, **TIMED)
    entries = re.findall(r"(\d+):(\d+):(\d+),(\d+) --> (\d+):(\d+):(\d+),(\d+)\n(.+?)\n\n",
                         result.captions.read_text(encoding="utf-8") + "\n\n", flags=re.S)
    assert len(entries) >= 5
    for *stamps, text in entries:
        h0, m0, s0, ms0, h1, m1, s1, ms1 = (int(v) for v in stamps)
        seconds = (h1 - h0) * 3600 + (m1 - m0) * 60 + (s1 - s0) + (ms1 - ms0) / 1000
        assert seconds >= max(2.0, len(text) / 15) - 0.002, (text, seconds)


# -- scale --------------------------------------------------------------------------------------


def test_scale_counts_are_the_textbook_counts(rendered):
    _, shown = rendered("scale", "dark")
    sizes = shown["sizes"]
    # four sizes per decade from 1 to 10^6, rounded: the grid on screen
    assert sizes == sorted({round(10 ** (k / 4)) for k in range(25)})
    assert shown["counts"]["forward"] == [n + 1 for n in sizes]
    assert shown["counts"]["central"] == [2 * n for n in sizes]
    assert shown["counts"]["autograd"] == [2] * len(sizes)  # one forward and one backward pass
    assert shown["shown_n"] == 10**6
    assert shown["shown_calls"] == {"forward": 10**6 + 1, "central": 2 * 10**6}


def test_scale_measured_where_cheap_and_extrapolated_beyond(rendered):
    _, shown = rendered("scale", "dark")
    sizes, measured = shown["sizes"], shown["measured"]
    assert [m for n, m in zip(sizes, measured["central"]) if n <= mathcore.scale.MAX_FD_TIMED] == \
        [True] * sum(n <= mathcore.scale.MAX_FD_TIMED for n in sizes)
    assert not any(m for n, m in zip(sizes, measured["central"]) if n > mathcore.scale.MAX_FD_TIMED)
    assert measured["autograd"][-1] is False and shown["shown_extrapolated"]["central"] is True
    assert shown["shown_seconds"]["central"] == shown["seconds"]["central"][-1]


def test_scale_difference_cost_over_autograd_grows_about_linearly(rendered):
    """Only the shape of the timings: their values depend on the machine."""
    _, shown = rendered("scale", "dark")
    n = np.array(shown["sizes"], dtype=float)
    ratio = np.array(shown["seconds"]["central"]) / np.array(shown["seconds"]["autograd"])
    slope = np.polyfit(np.log10(n), np.log10(ratio), 1)[0]
    assert 0.7 <= slope <= 1.5
    assert ratio[-1] > 1e3 * ratio[0]


def test_scale_difference_errors_match_their_textbook_orders(rendered):
    """Forward differences lose about half the digits (sqrt(eps)), central a third (eps^(2/3))."""
    _, shown = rendered("scale", "dark")
    forward, central = shown["relative_errors"]["forward"], shown["relative_errors"]["central"]
    assert math.sqrt(EPS) / 100 < forward < math.sqrt(EPS) * 100
    assert EPS ** (2 / 3) / 100 < central < EPS ** (2 / 3) * 100
    assert central < forward / 10
    assert shown["accuracy_n"] == mathcore.scale.MAX_FD_TIMED


def test_scale_at_its_smallest_range_draws_without_extrapolating(rendered):
    _, shown = rendered("scale", "dark", max_params=10, still=True)
    assert shown["sizes"] == [1, 2, 3, 6, 10] and all(shown["measured"]["central"])
    assert shown["outside_frame"] == []


# -- backprop -----------------------------------------------------------------------------------


def test_backprop_shows_torchs_nodes_values_and_local_derivatives(rendered):
    _, shown = rendered("backprop", "dark")
    x0 = 1.5
    assert shown["node_names"] == ["AccumulateGrad", "PowBackward0", "SinBackward0"]
    assert shown["values"] == [x0, x0**2, pytest.approx(math.sin(x0**2), rel=1e-15)]
    local = {(s, t): d for s, t, d in shown["local_derivatives"]}
    assert local[(0, 1)] == pytest.approx(2 * x0, rel=1e-15)  # d(x^2)/dx
    assert local[(1, 2)] == pytest.approx(math.cos(x0**2), rel=1e-15)  # d sin(u)/du
    grads = shown["gradients"]
    assert grads[2] == 1.0 and grads[1] == pytest.approx(math.cos(x0**2), rel=1e-15)


def test_backprop_product_is_the_derivative_to_the_last_bits(rendered):
    _, shown = rendered("backprop", "dark")
    mpmath.mp.dps = 50
    truth = float(2 * mpmath.mpf(1.5) * mpmath.cos(mpmath.mpf(1.5) ** 2))
    assert abs(shown["autograd"] - truth) <= 2 * np.spacing(abs(truth))
    assert shown["gradients"][0] == shown["autograd"]
    assert shown["analytic_ulps"] == mathcore.ulp_distance(shown["autograd"], shown["analytic"])
    # a central difference is off by about 1e-10, and the scene says by how much
    assert 1e-12 < shown["central_error"] < 1e-8
    assert shown["central_error"] == abs(shown["central_difference"] - shown["autograd"])


def test_backprop_sums_over_paths_for_another_function(rendered):
    _, shown = rendered("backprop", "dark", function="x*sin(x)", x0=2.0, still=True)
    assert shown["node_names"] == ["AccumulateGrad", "SinBackward0", "MulBackward0"]
    mpmath.mp.dps = 50
    truth = float(mpmath.sin(2) + 2 * mpmath.cos(2))
    assert abs(shown["autograd"] - truth) <= 4 * np.spacing(abs(truth))
    into_x = [g for s, t, g in shown["edge_gradients"] if s == 0]
    assert len(into_x) == 2 and math.fsum(into_x) == pytest.approx(shown["gradients"][0], rel=4 * EPS)


def test_backprop_extreme_values_and_the_largest_graph_fit_a_4_3_frame(rendered):
    _, big = rendered("backprop", "dark", resolution=(120, 90), function="exp(x)", x0=40.0, still=True)
    assert big["values"][-1] == pytest.approx(math.exp(40), rel=1e-15)
    assert big["outside_frame"] == [] and big["smallest_text"]["size"] >= SMALL_SIZE - 1e-6
    deepest = "sin(cos(" * 3 + "sin(x)" + "))" * 3
    _, tall = rendered("backprop", "light", resolution=(120, 90), function=deepest, x0=0.5, still=True)
    assert len(tall["node_names"]) == mathcore.MAX_GRAPH_NODES
    assert tall["outside_frame"] == []


def test_backprop_refuses_a_graph_too_big_before_rendering():
    too_big = "sin(" * mathcore.MAX_GRAPH_NODES + "x" + ")" * mathcore.MAX_GRAPH_NODES
    params = SCENES["backprop"].resolve(SceneParams(function=too_big, x0=0.5))
    with pytest.raises(ParameterError) as info:
        validate(params, SCENES["backprop"])
    assert f"at most {mathcore.MAX_GRAPH_NODES}" in str(info.value) and "\n" not in str(info.value)
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "render", "backprop", "--function", too_big],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and "--function" in lines[0]
    assert f"at most {mathcore.MAX_GRAPH_NODES}" in lines[0]


# -- depth --------------------------------------------------------------------------------------


def _numpy_deltas(activation: str, layers: int, width: int, seed: int) -> list[float]:
    """delta_l = phi'(z_l) * W_{l+1}^T delta_{l+1}, by hand in numpy, on mathcore's network."""
    import torch

    net = mathcore.deep_network(activation, layers, width, seed)
    weights = [m.weight.detach().numpy() for m in net if isinstance(m, torch.nn.Linear)]
    biases = [m.bias.detach().numpy() for m in net if isinstance(m, torch.nn.Linear)]
    generator = torch.Generator().manual_seed(seed + 1)
    a = torch.randn(mathcore.depth.BATCH, width, generator=generator, dtype=torch.float64).numpy()
    target = torch.rand(mathcore.depth.BATCH, width, generator=generator, dtype=torch.float64).numpy()
    phi = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
    slope = {"sigmoid": lambda z: phi["sigmoid"](z) * (1 - phi["sigmoid"](z)),
             "tanh": lambda z: 1 - np.tanh(z) ** 2, "relu": lambda z: (z > 0).astype(float)}
    zs = []
    for w, b in zip(weights, biases):
        zs.append(a @ w.T + b)
        a = phi[activation](zs[-1])
    delta = slope[activation](zs[-1]) * 2 * (a - target) / a.size
    norms = [np.linalg.norm(delta)]
    for layer in range(layers - 2, -1, -1):
        delta = slope[activation](zs[layer]) * (delta @ weights[layer + 1])
        norms.append(np.linalg.norm(delta))
    return norms[::-1]


def test_depth_shows_the_gradient_backprop_gives_by_hand(rendered):
    _, shown = rendered("depth", "dark")
    norms = shown["gradient_norms"]
    assert set(norms) == {"sigmoid", "tanh", "relu"} and shown["lead_activation"] == "sigmoid"
    for activation, values in norms.items():
        assert len(values) == 30
        assert values == pytest.approx(_numpy_deltas(activation, 30, 16, 0), rel=1e-9)
    assert shown["shown_layer"] == 1 and shown["shown_norm"] == norms["sigmoid"][0]


def test_depth_bound_holds_at_every_layer_and_is_the_closed_form(rendered):
    _, shown = rendered("depth", "dark")
    profile = mathcore.depth_profile("sigmoid", 30, 16, 0)
    bounds = shown["bounds"]["sigmoid"]
    for layer in range(1, 31):  # |g| 0.25^(L-l+1) prod_{k>l} ||W_k||_2
        expected = profile.output_gradient_norm * 0.25 ** (30 - layer + 1) * math.prod(profile.weight_norms[layer:])
        assert bounds[layer - 1] == pytest.approx(expected, rel=1e-12)
        assert shown["gradient_norms"]["sigmoid"][layer - 1] <= bounds[layer - 1] * (1 + 1e-12)
    assert shown["bound_holds"] == 30


def test_depth_orders_the_activations_as_the_textbook_does(rendered):
    """The sigmoid's gradient vanishes; tanh's and ReLU's reach the first layer nearly whole."""
    _, shown = rendered("depth", "dark")
    assert shown["survival_sigmoid"] < 1e-12
    assert shown["survival_tanh"] > 1e-3 and shown["survival_relu"] > 1e-3
    sigmoid = shown["gradient_norms"]["sigmoid"]
    assert sigmoid[0] == min(sigmoid) and sigmoid[-1] == max(sigmoid)


def test_depth_takes_its_parameters(rendered):
    _, shown = rendered("depth", "dark", resolution=(120, 90), layers=60, activation="relu, Tanh", seed=3,
                         still=True)
    assert set(shown["gradient_norms"]) == {"relu", "tanh"} and shown["lead_activation"] == "relu"
    assert all(len(v) == 60 for v in shown["gradient_norms"].values())
    assert shown["outside_frame"] == []
    _, one = rendered("depth", "dark", layers=1, activation="sigmoid", still=True)
    assert len(one["gradient_norms"]["sigmoid"]) == 1 and one["bound_holds"] == 1
    assert one["setup"].startswith("1 layer of width") and shown["setup"].startswith("60 layers of width")


# -- parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("params, field", [
    ({"max_params": 9}, "max_params"), ({"max_params": 10**7 + 1}, "max_params"),
    ({"layers": 0}, "layers"), ({"layers": 61}, "layers"), ({"seed": -1}, "seed"),
    ({"activation": "softmax"}, "activation"), ({"activation": " , "}, "activation"),
    ({"activation": "relu,relu"}, "activation"),
])
def test_lesson_parameters_out_of_range_are_one_sentence_naming_the_field(params, field):
    with pytest.raises(ParameterError) as info:
        validate(SceneParams(**params))
    assert info.value.fields == (field,)
    message = info.value.render(lambda f: "--" + f.replace("_", "-"))
    assert message.startswith(("--", "unknown --")) or f"--{field.replace('_', '-')}" in message
    assert "\n" not in message
