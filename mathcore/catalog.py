"""Named functions with hand-written derivatives, each callable with numpy and with torch."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np

from .elementary import backend

Backend = Any
Formula = Callable[[Any, Backend], Any]

_NUMPY = backend("numpy")


@cache
def _torch_backend() -> SimpleNamespace:
    return backend("torch")  # its entries import torch on first call, never here


@dataclass(frozen=True)
class CatalogFunction:
    """A function of x, its derivative written by hand, and where to check them.

    ``formula`` and ``derivative`` take ``(x, m)`` where ``m`` supplies sin, exp, ... from
    numpy, torch or mpmath (``mathcore.elementary.backend``), so one written formula serves all.
    """

    name: str
    rule: str
    latex: str
    derivative_latex: str
    formula: Formula
    derivative: Formula
    points: tuple[float, ...]

    def f(self, x: Any) -> Any:
        """f(x) with numpy."""
        return self.formula(np.asarray(x), _NUMPY)

    def df(self, x: Any) -> Any:
        """The hand-written f'(x) with numpy."""
        return self.derivative(np.asarray(x), _NUMPY)

    def f_torch(self, x: Any) -> Any:
        """f(x) on a torch tensor, differentiable by autograd."""
        return self.formula(x, _torch_backend())

    def df_torch(self, x: Any) -> Any:
        """The hand-written f'(x) on a torch tensor."""
        return self.derivative(x, _torch_backend())


_W, _B = 2.0, -1.0  # weight and bias of the neuron-like chain sigma(w x + b)
_EVERYWHERE = (-2.0, -0.5, 0.7, 1.5, 3.0)
_POSITIVE = (0.1, 0.5, 1.0, 2.0, 5.0)
# torch differentiates sigmoid as y (1 - y) and tanh as 1 - y^2: near saturation that
# subtraction cancels and costs torch tens of ULPs against the exact value (mathcore's
# sigma(u) sigma(-u) does not cancel). The saturating functions are checked where |u| <= 2,
# so that the ULP column measures autograd's rule, not torch's round-off in 1 - y.
_MODERATE = (-1.5, -0.5, 0.2, 0.7, 1.5)

CATALOG: dict[str, CatalogFunction] = {
    c.name: c
    for c in (
        CatalogFunction("x^2", "power", "x^2", "2x",
                        lambda x, m: x**2, lambda x, m: 2 * x, _EVERYWHERE),
        CatalogFunction("x^3", "power", "x^3", "3x^2",
                        lambda x, m: x**3, lambda x, m: 3 * x**2, _EVERYWHERE),
        CatalogFunction("x^5", "power", "x^5", "5x^4",
                        lambda x, m: x**5, lambda x, m: 5 * x**4, _EVERYWHERE),
        CatalogFunction("sqrt(x)", "power", r"\sqrt{x} = x^{1/2}", r"\tfrac{1}{2}x^{-1/2}",
                        lambda x, m: m.sqrt(x), lambda x, m: 0.5 / m.sqrt(x), _POSITIVE),
        CatalogFunction("sin(x)", "basic", r"\sin x", r"\cos x",
                        lambda x, m: m.sin(x), lambda x, m: m.cos(x), _EVERYWHERE),
        CatalogFunction("exp(x)", "basic", "e^x", "e^x",
                        lambda x, m: m.exp(x), lambda x, m: m.exp(x), _EVERYWHERE),
        CatalogFunction("log(x)", "basic", r"\ln x", r"\frac{1}{x}",
                        lambda x, m: m.log(x), lambda x, m: 1 / x, _POSITIVE),
        CatalogFunction("sigmoid(x)", "basic", r"\sigma(x)", r"\sigma(x)\,(1-\sigma(x))",
                        lambda x, m: m.sigmoid(x), lambda x, m: m.sigmoid_prime(x), _MODERATE),
        CatalogFunction("tanh(x)", "basic", r"\tanh x", r"1-\tanh^2 x",
                        lambda x, m: m.tanh(x), lambda x, m: 1 - m.tanh(x) ** 2, _MODERATE),
        CatalogFunction("x^2*sin(x)", "product", r"x^2 \sin x", r"2x\sin x + x^2\cos x",
                        lambda x, m: x**2 * m.sin(x),
                        lambda x, m: 2 * x * m.sin(x) + x**2 * m.cos(x), _EVERYWHERE),
        CatalogFunction("x*exp(x)", "product", r"x e^x", r"e^x + x e^x",
                        lambda x, m: x * m.exp(x),
                        lambda x, m: m.exp(x) + x * m.exp(x), _EVERYWHERE),
        CatalogFunction("sin(x^2)", "chain", r"\sin(x^2)", r"2x\cos(x^2)",
                        lambda x, m: m.sin(x**2), lambda x, m: 2 * x * m.cos(x**2), _EVERYWHERE),
        CatalogFunction("exp(-x^2)", "chain", r"e^{-x^2}", r"-2x\,e^{-x^2}",
                        lambda x, m: m.exp(-(x**2)), lambda x, m: -2 * x * m.exp(-(x**2)),
                        _EVERYWHERE),
        CatalogFunction("sigmoid(2x-1)", "chain", r"\sigma(2x-1)", r"2\,\sigma'(2x-1)",
                        lambda x, m: m.sigmoid(_W * x + _B),
                        lambda x, m: _W * m.sigmoid_prime(_W * x + _B), (-0.5, 0.0, 0.4, 0.9, 1.5)),
    )
}
"""Every catalog function by name. ``rule`` says which differentiation rule it exercises."""
