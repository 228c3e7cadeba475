"""The one table of elementary functions, from which the catalog and the parser both derive.

Each entry holds the function's numpy, torch and mpmath implementations, the sympy class that
represents it in a parsed expression, and its LaTeX. Users may call the entries marked ``user``;
the others (sech, sign, spike, sigmoid_prime) appear only in derivatives or hand-written formulas.

Several entries exist to keep derivatives free of cancellation: sympy writes d tanh(u)/du as
``1 - tanh(u)**2``, which rounds to 0 for u > 19 although the true value is about 4 e^{-2u};
here it is ``sech(u)**2`` with sech evaluated as :math:`2e^{-|u|}/(1 + e^{-2|u|})`. Likewise
d|u|/du is sign(u) (sympy's own Abs differentiates into atan2 and unevaluated derivatives when it
cannot prove u real), and d sign(u)/du is ``spike(u)``: 0 wherever u != 0, undefined where u = 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np

Impl = Callable[[Any], Any]


def _np_sigmoid(u: Any) -> Any:
    """sigma(u) = 1/(1+e^{-u}) without overflow: only e^{-|Re u|} is formed. NaN propagates."""
    u = np.asarray(u)
    w = np.where(np.real(u) >= 0, u, -u)
    e = np.exp(-w)
    return np.where(np.real(u) >= 0, 1 / (1 + e), e / (1 + e))


def _np_sigmoid_prime(u: Any) -> Any:
    """sigma'(u) = sigma(u) sigma(-u) = e^{-w}/(1+e^{-w})^2 with w = +-u, Re w >= 0 (sigma' is even)."""
    u = np.asarray(u)
    e = np.exp(-np.where(np.real(u) >= 0, u, -u))
    out = e / (1 + e) ** 2
    if np.iscomplexobj(out):
        return out
    # Near 0 the quotient can round one ULP above the true peak 1/4; the peak is a bound.
    return np.minimum(out, np.asarray(0.25, dtype=out.dtype))


def _np_sech(u: Any) -> Any:
    """sech(u) = 2e^{-w}/(1+e^{-2w}) with w = +-u, Re w >= 0: no overflow for any real u."""
    u = np.asarray(u)
    e = np.exp(-np.where(np.real(u) >= 0, u, -u))
    return 2 * e / (1 + e * e)


def _np_abs(u: Any) -> Any:
    """|u|; for complex u the analytic continuation u sign(Re u), so the complex step works."""
    u = np.asarray(u)
    return np.where(np.real(u) >= 0, u, -u) if np.iscomplexobj(u) else np.abs(u)


def _np_sign(u: Any) -> Any:
    """sign(u), of Re u for complex u (the derivative of the continuation of |u|)."""
    u = np.asarray(u)
    return np.sign(np.real(u)) + 0 * u


def _np_spike(u: Any) -> Any:
    """d sign(u)/du: 0 where u != 0 and NaN (undefined) where u = 0."""
    u = np.asarray(u)
    return np.where(u == 0, np.nan, 0 * u)


def _torch_sech(u: Any) -> Any:
    import torch

    e = torch.exp(-torch.abs(u))
    return 2 * e / (1 + e * e)


def _torch_spike(u: Any) -> Any:
    import torch

    return torch.where(u == 0, torch.full_like(u, float("nan")), torch.zeros_like(u))


def _mp_log(u: Any) -> Any:
    import mpmath

    return mpmath.log(u) if u > 0 else None


def _mp_sqrt(u: Any) -> Any:
    import mpmath

    return mpmath.sqrt(u) if u >= 0 else None


def _mp_sigmoid(u: Any) -> Any:
    import mpmath

    return 1 / (1 + mpmath.exp(-u)) if u >= 0 else mpmath.exp(u) / (1 + mpmath.exp(u))


def _mp_sigmoid_prime(u: Any) -> Any:
    import mpmath

    e = mpmath.exp(-abs(u))
    return e / (1 + e) ** 2


def _mp_tan(u: Any) -> Any:
    import mpmath

    return None if mpmath.cos(u) == 0 else mpmath.tan(u)


def _mp(name: str) -> Impl:
    def call(u: Any) -> Any:
        import mpmath

        return getattr(mpmath, name)(u)

    call.__name__ = name
    return call


def _torch(name: str) -> Impl:
    def call(u: Any) -> Any:
        import torch

        return getattr(torch, name)(u)

    call.__name__ = name
    return call


@dataclass(frozen=True)
class Elementary:
    """One elementary function in every form mathcore uses.

    ``numpy``, ``torch`` and ``mpmath`` take one argument; the mpmath form returns None where the
    function is undefined (log of a negative number, say) instead of a complex value. ``latex``
    is a template with ``{}`` for the argument. ``user`` says whether users may call it by name.
    """

    name: str
    numpy: Impl
    torch: Impl
    mpmath: Impl
    latex: str
    user: bool = True

    def sympy(self) -> Any:
        """The sympy function (a class) that represents this function in parsed expressions."""
        return _sympy_functions()[self.name]


ELEMENTARY: dict[str, Elementary] = {
    e.name: e
    for e in (
        Elementary("sin", np.sin, _torch("sin"), _mp("sin"), r"\sin\left({}\right)"),
        Elementary("cos", np.cos, _torch("cos"), _mp("cos"), r"\cos\left({}\right)"),
        Elementary("tan", np.tan, _torch("tan"), _mp_tan, r"\tan\left({}\right)"),
        Elementary("exp", np.exp, _torch("exp"), _mp("exp"), r"e^{{{}}}"),
        Elementary("log", np.log, _torch("log"), _mp_log, r"\ln\left({}\right)"),
        Elementary("sqrt", np.sqrt, _torch("sqrt"), _mp_sqrt, r"\sqrt{{{}}}"),
        Elementary("tanh", np.tanh, _torch("tanh"), _mp("tanh"), r"\tanh\left({}\right)"),
        Elementary("sigmoid", _np_sigmoid, _torch("sigmoid"), _mp_sigmoid, r"\sigma\left({}\right)"),
        Elementary("abs", _np_abs, _torch("abs"), _mp("fabs"), r"\left|{}\right|"),
        Elementary("sech", _np_sech, _torch_sech, _mp("sech"), r"\operatorname{{sech}}\left({}\right)",
                   user=False),
        Elementary("sign", _np_sign, _torch("sign"), _mp("sign"), r"\operatorname{{sgn}}\left({}\right)",
                   user=False),
        Elementary("spike", _np_spike, _torch_spike, lambda u: None if u == 0 else 0 * u,
                   r"\operatorname{{sgn}}'\left({}\right)", user=False),
        Elementary("sigmoid_prime", _np_sigmoid_prime,
                   lambda u: _torch("sigmoid")(u) * _torch("sigmoid")(-u), _mp_sigmoid_prime,
                   r"\sigma'\left({}\right)", user=False),
    )
}
"""Every elementary function by the name users (and the catalog's formulas) call it by."""

USER_FUNCTIONS = tuple(name for name, e in ELEMENTARY.items() if e.user)
"""The functions a user may call: sin cos tan exp log sqrt tanh sigmoid abs."""


def backend(kind: str) -> SimpleNamespace:
    """The table's implementations for one backend ("numpy", "torch" or "mpmath") as attributes.

    Examples
    --------
    >>> float(backend("numpy").sech(0.0))
    1.0
    """
    if kind not in ("numpy", "torch", "mpmath"):
        raise ValueError(f"unknown backend '{kind}'; choose numpy, torch or mpmath.")
    return SimpleNamespace(**{name: getattr(e, kind) for name, e in ELEMENTARY.items()})


def function_latex(name: str, argument: str) -> str:
    r"""LaTeX of ``name`` applied to the LaTeX ``argument``.

    Examples
    --------
    >>> function_latex("sigmoid", "2x - 1")
    '\\sigma\\left(2x - 1\\right)'
    """
    if name not in ELEMENTARY:
        raise ValueError(f"unknown function '{name}'; choose one of: " + ", ".join(ELEMENTARY) + ".")
    return ELEMENTARY[name].latex.format(argument)


@cache
def _sympy_functions() -> dict[str, Any]:
    """The sympy class of every entry. sympy is imported here, on first use, never at import."""
    import sympy

    class tanh(sympy.tanh):  # noqa: N801 - sympy prints a class by its name
        def fdiff(self, argindex: int = 1) -> Any:
            return sech(self.args[0]) ** 2

    class sech(sympy.sech):  # noqa: N801
        def fdiff(self, argindex: int = 1) -> Any:
            u = self.args[0]
            return -tanh(u) * sech(u)

    class Abs(sympy.Abs):
        def fdiff(self, argindex: int = 1) -> Any:
            return sign(self.args[0])

        def _eval_derivative(self, s: Any) -> Any:
            return sign(self.args[0]) * sympy.diff(self.args[0], s)

    class sign(sympy.sign):  # noqa: N801
        def fdiff(self, argindex: int = 1) -> Any:
            return spike(self.args[0])

        def _eval_derivative(self, s: Any) -> Any:
            return spike(self.args[0])  # 0 away from u = 0 whatever u' is; undefined at u = 0

    class spike(sympy.Function):  # noqa: N801
        def fdiff(self, argindex: int = 1) -> Any:
            return spike(self.args[0])

        def _latex(self, printer: Any, exp: Any = None) -> str:
            return function_latex("spike", printer._print(self.args[0]))

    class sigmoid(sympy.Function):  # noqa: N801
        """The logistic function, one node so that its derivative stays sigma(u) sigma(-u)."""

        def fdiff(self, argindex: int = 1) -> Any:
            u = self.args[0]
            return sigmoid(u) * sigmoid(-u)

        def _latex(self, printer: Any, exp: Any = None) -> str:
            body = function_latex("sigmoid", printer._print(self.args[0]))
            return body if exp is None else rf"{body}^{{{exp}}}"

    classes = {"sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp,
               "log": sympy.log, "sqrt": sympy.sqrt, "tanh": tanh, "sigmoid": sigmoid, "abs": Abs,
               "sech": sech, "sign": sign, "spike": spike}
    classes["sigmoid_prime"] = lambda u: sigmoid(u) * sigmoid(-u)
    return classes


def stable_forms(expr: Any) -> Any:
    """``expr`` with any of sympy's own tanh, sech, Abs and sign swapped for the table's classes.

    sympy's simplifications occasionally build a node of the base class; its derivative would
    then cancel (1 - tanh^2) or fail to evaluate (atan2, unevaluated Derivative).
    """
    import sympy

    ours = _sympy_functions()
    swap = {sympy.tanh: ours["tanh"], sympy.sech: ours["sech"], sympy.Abs: ours["abs"],
            sympy.sign: ours["sign"]}
    return expr.replace(lambda e: type(e) in swap, lambda e: swap[type(e)](*e.args))
