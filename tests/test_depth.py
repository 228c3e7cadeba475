"""The vanishing gradient: per-layer gradients by autograd against a hand-written numpy
backward pass, the bound from max sigma' = 1/4, and the textbook ordering of activations."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mathcore import ACTIVATIONS, check_depth_bound, deep_network, depth_profile, depth_profiles, gradient_bounds
from mathcore.depth import BATCH

PHI = {
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "tanh": (np.tanh, lambda z: 1 / np.cosh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
}
PEAK_SLOPE = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}  # max of each derivative, by calculus


def numpy_backward(activation: str, layers: int, width: int, seed: int):
    """Per-layer ||dL/dz_l||_F, ||dL/da_L||_F and ||W_l||_2, by hand in numpy.

    The batch is drawn as depth_profile documents: a torch.Generator seeded with seed + 1,
    standard-normal inputs, then uniform targets; the loss is the mean squared error.
    """
    net = deep_network(activation, layers, width, seed)
    weights = [m.weight.detach().numpy() for m in net if isinstance(m, torch.nn.Linear)]
    biases = [m.bias.detach().numpy() for m in net if isinstance(m, torch.nn.Linear)]
    generator = torch.Generator().manual_seed(seed + 1)
    a = torch.randn(BATCH, width, generator=generator, dtype=torch.float64).numpy()
    targets = torch.rand(BATCH, width, generator=generator, dtype=torch.float64).numpy()
    phi, dphi = PHI[activation]
    zs = []
    for W, b in zip(weights, biases):
        zs.append(a @ W.T + b)
        a = phi(zs[-1])
    upstream = 2 * (a - targets) / a.size
    out_norm = np.linalg.norm(upstream)
    deltas = [None] * layers
    for layer in reversed(range(layers)):
        deltas[layer] = dphi(zs[layer]) * upstream
        upstream = deltas[layer] @ weights[layer]
    return ([np.linalg.norm(d) for d in deltas], out_norm, [np.linalg.norm(W, 2) for W in weights])


def textbook_bound(out_norm: float, spectral: list[float], slope: float) -> list[float]:
    layers = len(spectral)
    return [out_norm * slope ** (layers - k) * np.prod(spectral[k + 1:]) for k in range(layers)]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_autograd_norms_equal_a_hand_written_backward_pass(activation):
    p = depth_profile(activation, layers=12, width=6, seed=4)
    norms, out_norm, spectral = numpy_backward(activation, 12, 6, 4)
    np.testing.assert_allclose(p.gradient_norms, norms, rtol=1e-10)
    assert p.output_gradient_norm == pytest.approx(out_norm, rel=1e-12)
    np.testing.assert_allclose(p.weight_norms, spectral, rtol=1e-12)
    np.testing.assert_allclose(p.bounds, textbook_bound(out_norm, spectral, PEAK_SLOPE[activation]), rtol=1e-12)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10**6), width=st.integers(2, 16), layers=st.integers(1, 30))
def test_sigmoid_bound_holds_at_every_layer(seed, width, layers):
    p = depth_profile("sigmoid", layers, width, seed)
    norms, out_norm, spectral = numpy_backward("sigmoid", layers, width, seed)
    bound = textbook_bound(out_norm, spectral, 0.25)
    assert all(g <= b * (1 + 1e-12) for g, b in zip(p.gradient_norms, bound))
    assert all(p.bound_holds) and len(p.bound_holds) == layers
    # And layer by layer: crossing one sigmoid layer shrinks the gradient by at most ||W||/4.
    g = np.array(p.gradient_norms)
    assert np.all(g[:-1] <= 0.25 * np.array(spectral[1:]) * g[1:] * (1 + 1e-12))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("width", [8, 16])
def test_sigmoid_vanishes_fastest(seed, width):
    profiles = {p.activation: p for p in depth_profiles(layers=30, width=width, seed=seed)}
    reach = {a: p.gradient_norms[0] / p.output_gradient_norm for a, p in profiles.items()}
    assert reach["sigmoid"] < 1e-15  # roughly (0.25 * ||W||_2)^30 with ||W||_2 near 2
    assert reach["sigmoid"] < 1e-6 * reach["tanh"] and reach["sigmoid"] < 1e-6 * reach["relu"]
    for a in ("tanh", "relu"):
        assert reach[a] > 1e-6, a  # Xavier and He keep them within a few decades over 30 layers


def test_initialisation_is_xavier_for_sigmoid_and_tanh_and_he_for_relu():
    for activation, std in (("sigmoid", np.sqrt(2 / 512)), ("tanh", np.sqrt(2 / 512)), ("relu", np.sqrt(2 / 256))):
        W = deep_network(activation, layers=1, width=256, seed=0)[0].weight.detach().numpy()
        assert W.std() == pytest.approx(std, rel=0.02) and abs(W.mean()) < 0.05 * std
        assert not np.any(deep_network(activation, 1, 256, 0)[0].bias.detach().numpy())


def test_same_seed_same_numbers_other_seed_other_numbers_global_rng_untouched():
    state = torch.random.get_rng_state()
    first = depth_profile("tanh", 10, 8, seed=7)
    assert depth_profile("tanh", 10, 8, seed=7) == first
    assert depth_profile("tanh", 10, 8, seed=8).gradient_norms != first.gradient_norms
    assert torch.equal(torch.random.get_rng_state(), state)


def test_the_check_passes_and_a_wrong_slope_would_fail_it():
    rows = check_depth_bound(seeds=[0], widths=[8], layers=10)
    assert [r.activation for r in rows] == list(ACTIVATIONS)
    assert all(r.passed and r.layers_within_bound == 10 and r.worst_ratio <= 1 for r in rows)
    tanh = depth_profile("tanh", 10, 8, 0)
    too_tight = gradient_bounds(tanh.output_gradient_norm, tanh.weight_norms, 0.25)
    assert tanh.gradient_norms[-1] > too_tight[-1]  # tanh' reaches 1, not 1/4


@pytest.mark.parametrize("kwargs, message", [
    ({"activation": "softmax"}, "unknown activation"),
    ({"layers": 0}, "layers must be"),
    ({"layers": 2.5}, "layers must be"),
    ({"width": 10_000}, "width must be"),
    ({"seed": -1}, "seed must be"),
])
def test_bad_input_is_one_clear_sentence(kwargs, message):
    with pytest.raises(ValueError) as info:
        depth_profile(**kwargs)
    assert message in str(info.value) and str(info.value).endswith(".")
