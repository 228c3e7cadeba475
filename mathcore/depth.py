r"""The vanishing gradient: how the gradient shrinks on its way down a deep sigmoid network.

The network is a torch ``nn.Sequential`` of L blocks ``Linear(w, w)`` then an activation, in
float64, with a loss on its output. With :math:`z_l = W_l a_{l-1} + b_l` and
:math:`a_l = \phi(z_l)`, backpropagation gives the gradient at each layer's pre-activation

.. math:: \delta_L = \phi'(z_L) \odot \frac{\partial \mathcal{L}}{\partial a_L}, \qquad
   \delta_l = \phi'(z_l) \odot W_{l+1}^\top \delta_{l+1},

so with :math:`s = \max \phi'` (1/4 for the sigmoid, 1 for tanh and ReLU)

.. math:: \|\delta_l\| \le \left\|\frac{\partial \mathcal{L}}{\partial a_L}\right\|
   s^{L-l+1} \prod_{k=l+1}^{L} \|W_k\|_2 .

For the sigmoid that is :math:`0.25^{L}` times the weight norms at the first layer: unless the
weights grow, the gradient falls by 4x per layer. :math:`\delta_l` is what is measured and
drawn: it is the quantity the bound speaks of, the same for every layer size, and the weight
gradient :math:`\partial\mathcal{L}/\partial W_l = \delta_l a_{l-1}^\top` inherits its decay
(it is reported too). Norms are Frobenius norms over the batch, for which the bound holds as
it does for each example.

Initialisation is the textbook one for each activation: Xavier (Glorot) normal for sigmoid and
tanh, He (Kaiming) normal for ReLU, biases zero. That is fair to tanh and ReLU, and the sigmoid
still vanishes: Xavier keeps :math:`\|W\|_2` near 2, far from the 4 it would need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from ._torch import one_thread

ACTIVATIONS = ("sigmoid", "tanh", "relu")
"""The activations a network may use."""
MAX_SLOPE = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
"""The largest derivative of each activation, which the bound multiplies per layer."""
INITIALISATION = {"sigmoid": "xavier", "tanh": "xavier", "relu": "he"}
"""The weight initialisation used with each activation."""
LAYERS = 30
"""Default depth."""
MAX_LAYERS = 100
"""The deepest network accepted."""
WIDTH = 16
"""Default width of every layer."""
MAX_WIDTH = 256
"""The widest layer accepted."""
BATCH = 32
"""Inputs per forward pass."""
BOUND_SLACK = 1e-12
"""Relative room given to the bound for rounding: it is computed in float64 too."""


def deep_network(activation: str = "sigmoid", layers: int = LAYERS, width: int = WIDTH, seed: int = 0) -> Any:
    """A float64 ``nn.Sequential`` of ``layers`` blocks Linear(width, width) + activation.

    Weights are drawn from a local ``torch.Generator`` seeded with ``seed`` (Xavier normal for
    sigmoid and tanh, He normal for ReLU), biases are zero; construction runs under
    ``torch.random.fork_rng``, so torch's global generator is left as it was.

    Examples
    --------
    >>> net = deep_network("tanh", layers=2, width=3)
    >>> [type(m).__name__ for m in net]
    ['Linear', 'Tanh', 'Linear', 'Tanh']
    """
    import torch
    from torch import nn

    _check(activation, layers, width, seed)
    make = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}[activation]
    generator = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        blocks = []
        for _ in range(layers):
            linear = nn.Linear(width, width, dtype=torch.float64)
            if INITIALISATION[activation] == "he":
                nn.init.kaiming_normal_(linear.weight, nonlinearity="relu", generator=generator)
            else:
                nn.init.xavier_normal_(linear.weight, generator=generator)
            nn.init.zeros_(linear.bias)
            blocks += [linear, make()]
    return nn.Sequential(*blocks)


@dataclass(frozen=True)
class DepthProfile:
    r"""The gradient reaching each layer of one network, and the bound on it.

    Per-layer tuples run from layer 1 (next to the input) to layer L (next to the loss).
    ``gradient_norms`` are :math:`\|\delta_l\|_F` over the batch, ``weight_gradient_norms``
    :math:`\|\partial\mathcal{L}/\partial W_l\|_F`, ``weight_norms`` :math:`\|W_l\|_2`, and
    ``bounds`` the right-hand side of the bound; ``output_gradient_norm`` is
    :math:`\|\partial\mathcal{L}/\partial a_L\|_F`.
    """

    activation: str
    layers: int
    width: int
    seed: int
    initialisation: str
    max_slope: float
    output_gradient_norm: float
    gradient_norms: tuple[float, ...]
    weight_gradient_norms: tuple[float, ...]
    weight_norms: tuple[float, ...]
    bounds: tuple[float, ...]

    @property
    def bound_holds(self) -> tuple[bool, ...]:
        """Whether each layer's gradient lies within its bound (up to ``BOUND_SLACK``)."""
        return tuple(g <= b * (1 + BOUND_SLACK) for g, b in zip(self.gradient_norms, self.bounds))


def gradient_bounds(
    output_gradient_norm: float, weight_norms: Iterable[float], max_slope: float,
) -> np.ndarray:
    r"""The bound :math:`\|g\| s^{L-l+1} \prod_{k=l+1}^{L} \|W_k\|_2` for l = 1..L.

    Examples
    --------
    >>> gradient_bounds(1.0, [2.0, 2.0, 2.0], 0.25)  # 0.25^3 * 2^2, 0.25^2 * 2, 0.25
    array([0.0625, 0.125 , 0.25  ])
    """
    norms = np.asarray(list(weight_norms), dtype=np.float64)
    # Layer l crosses the activations of layers l..L and the weights of layers l+1..L.
    factors = np.append(norms[1:], 1.0) * max_slope
    return output_gradient_norm * np.cumprod(factors[::-1])[::-1]


def depth_profile(
    activation: str = "sigmoid", layers: int = LAYERS, width: int = WIDTH, seed: int = 0,
) -> DepthProfile:
    """Measure the gradient at every layer's pre-activation with autograd, and its bound.

    A batch of ``BATCH`` standard-normal inputs and uniform targets in (0, 1), drawn from the
    same seeded generator, goes through the network; the loss is the mean squared error.

    Examples
    --------
    >>> p = depth_profile("sigmoid", layers=10, width=8)
    >>> all(p.bound_holds), p.gradient_norms[0] < 1e-4 * p.gradient_norms[-1]
    (True, True)
    """
    network = deep_network(activation, layers, width, seed)
    with one_thread():
        return _measured_profile(network, activation, layers, width, seed)


def _measured_profile(network: Any, activation: str, layers: int, width: int, seed: int) -> DepthProfile:
    import torch

    generator = torch.Generator().manual_seed(seed + 1)  # not the weights' stream
    inputs = torch.randn(BATCH, width, generator=generator, dtype=torch.float64)
    targets = torch.rand(BATCH, width, generator=generator, dtype=torch.float64)
    pre_activations = []
    h = inputs
    for module in network:
        h = module(h)
        if isinstance(module, torch.nn.Linear):
            h.retain_grad()
            pre_activations.append(h)
    h.retain_grad()
    torch.nn.functional.mse_loss(h, targets).backward()
    linears = [m for m in network if isinstance(m, torch.nn.Linear)]
    weight_norms = [float(torch.linalg.matrix_norm(m.weight.detach(), ord=2)) for m in linears]
    output_norm = float(torch.linalg.norm(h.grad))
    return DepthProfile(
        activation=activation, layers=layers, width=width, seed=seed,
        initialisation=INITIALISATION[activation], max_slope=MAX_SLOPE[activation],
        output_gradient_norm=output_norm,
        gradient_norms=tuple(float(torch.linalg.norm(z.grad)) for z in pre_activations),
        weight_gradient_norms=tuple(float(torch.linalg.norm(m.weight.grad)) for m in linears),
        weight_norms=tuple(weight_norms),
        bounds=tuple(float(b) for b in gradient_bounds(output_norm, weight_norms, MAX_SLOPE[activation])),
    )


def depth_profiles(activations: Iterable[str] = ACTIVATIONS, layers: int = LAYERS, width: int = WIDTH,
                   seed: int = 0) -> tuple[DepthProfile, ...]:
    """One profile per activation, all with the same depth, width and seed.

    Examples
    --------
    >>> [p.initialisation for p in depth_profiles(layers=2, width=4)]
    ['xavier', 'xavier', 'he']
    """
    chosen = _activations(activations)
    return tuple(depth_profile(a, layers, width, seed) for a in chosen)


@dataclass(frozen=True)
class DepthBoundCheck:
    """The bound checked at every layer of one network."""

    activation: str
    layers: int
    width: int
    seed: int
    max_slope: float
    layers_within_bound: int
    worst_ratio: float
    passed: bool


def check_depth_bound(activations: Iterable[str] = ACTIVATIONS, seeds: Iterable[int] = (0, 1, 2),
                      widths: Iterable[int] = (8, 16), layers: int = LAYERS) -> list[DepthBoundCheck]:
    """Check the bound layer by layer for each activation, seed and width.

    ``worst_ratio`` is the largest gradient / bound over the layers; it passes at most 1.

    Examples
    --------
    >>> [(r.activation, r.layers_within_bound, r.passed) for r in check_depth_bound(["sigmoid"], [0], [8], 5)]
    [('sigmoid', 5, True)]
    """
    rows = []
    for activation in _activations(activations):
        for seed in seeds:
            for width in widths:
                p = depth_profile(activation, layers, width, seed)
                holds = p.bound_holds
                rows.append(DepthBoundCheck(
                    activation, layers, width, seed, p.max_slope, sum(holds),
                    max(g / b for g, b in zip(p.gradient_norms, p.bounds)), all(holds)))
    return rows


def _activations(activations: Iterable[str]) -> list[str]:
    chosen = [activations] if isinstance(activations, str) else list(activations)
    if not chosen:
        raise ValueError("choose at least one activation: " + ", ".join(ACTIVATIONS) + ".")
    for a in chosen:
        if a not in ACTIVATIONS:
            raise ValueError(f"unknown activation {a!r}; choose from: " + ", ".join(ACTIVATIONS) + ".")
    return chosen


def _check(activation: Any, layers: Any, width: Any, seed: Any) -> None:
    _activations([activation])
    for name, value, high in (("layers", layers, MAX_LAYERS), ("width", width, MAX_WIDTH)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 1 <= value <= high:
            raise ValueError(f"{name} must be a whole number from 1 to {high}; got {value!r}.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**62:
        raise ValueError(f"seed must be a whole number from 0 to 2**62 - 1; got {seed!r}.")
