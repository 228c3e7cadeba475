"""Evaluation of parsed sympy expressions: in floating point (numpy, torch), and correctly rounded.

Both walk the sympy tree node by node with the implementations in ``mathcore.elementary``; no
code is generated and nothing is passed to ``eval``. The correctly rounded evaluator serves the
derivatives, which are the reference every finite difference is measured against.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any, Callable

import numpy as np

from .elementary import ELEMENTARY, _sympy_functions, backend

MAG_LIMIT = 16384
"""Largest binary exponent the exact evaluator carries (|value| < 2^16384); beyond it the value
is far outside float64 anyway and the float evaluation is used."""
PRECISIONS = (80, 160, 320, 640, 1280, 2560)
"""Working precisions, in bits, of the exact evaluator's attempts (Ziv's strategy)."""


@cache
def _function_names() -> dict[type, str]:
    return {cls: name for name, cls in _sympy_functions().items() if isinstance(cls, type)}


def _number(e: Any) -> float:
    """A sympy number atom as a float; too large for a float is infinity, not an error."""
    try:
        return float(e)
    except OverflowError:
        return math.copysign(math.inf, 1 if e > 0 else -1)


def float_walk(e: Any, x: Any, x_symbol: Any, t: Any, mod: Any) -> Any:
    """Evaluate a sympy tree node by node in floating point with backend ``t`` (module ``mod``).

    Constants are computed the same way, never by sympy's arbitrary-precision evalf, which can
    run without end on towers such as exp(exp(exp(exp(9)))).
    """
    if x_symbol is not None and e == x_symbol:
        return x
    if e.is_Number:
        return _number(e)
    if e.is_NumberSymbol:
        return float(e)  # pi and e
    if e.is_Add or e.is_Mul:
        out = float_walk(e.args[0], x, x_symbol, t, mod)
        for a in e.args[1:]:
            value = float_walk(a, x, x_symbol, t, mod)
            out = out + value if e.is_Add else out * value
        return out
    if e.is_Pow:
        base, exponent = e.args
        if exponent.is_Rational and exponent.p == 1 and exponent.q == 2:
            return mod.sqrt(float_walk(base, x, x_symbol, t, mod))
        base_value = float_walk(base, x, x_symbol, t, mod)
        if isinstance(base_value, float):  # numpy, not Python, for overflow and negative bases
            base_value = np.float64(base_value)
        return base_value ** float_walk(exponent, x, x_symbol, t, mod)
    name = _function_names().get(type(e))
    if name is None:
        raise ValueError(f"cannot evaluate {type(e).__name__}; this is a bug in mathcore.parse.")
    arg = float_walk(e.args[0], x, x_symbol, t, mod)
    if isinstance(arg, float) and mod is np:
        arg = np.float64(arg)
    return getattr(t, name)(arg)


def float_constant(e: Any) -> float:
    """The float64 value of a constant expression (inf or nan where it has none)."""
    with np.errstate(all="ignore"):
        return float(np.real(float_walk(e, None, None, backend("numpy"), np)))


def float_evaluator(expr: Any, x_symbol: Any, kind: str) -> Callable[[Any], Any]:
    """A callable evaluating ``expr`` in floating point with numpy or torch (imported on first call)."""
    table: list[Any] = []

    def call(x: Any) -> Any:
        if not table:
            table.append(backend(kind))
            table.append(np if kind == "numpy" else __import__("torch"))
        t, mod = table
        if kind == "numpy":
            x = np.asarray(x)
            if not np.issubdtype(x.dtype, np.inexact):
                x = x.astype(np.float64)
            with np.errstate(all="ignore"):
                out = float_walk(expr, x, x_symbol, t, mod)
            return np.broadcast_to(out, np.shape(x)) + np.zeros_like(x)  # constant f gives an array
        out = float_walk(expr, x, x_symbol, t, mod)
        return out if isinstance(out, mod.Tensor) else mod.full_like(x, float(out))

    return call


class _Undefined(Exception):
    """The expression has no real value at this point (log of a negative number, 1/0, ...)."""


class _OutOfRange(Exception):
    """An intermediate value exceeds 2^MAG_LIMIT: leave this point to the float evaluation."""


def _exact_walk(e: Any, x: Any, x_symbol: Any, memo: dict[Any, Any]) -> Any:
    """The value of ``e`` in mpmath at its current working precision; raises _Undefined."""
    import mpmath

    if e in memo:
        return memo[e]
    if e == x_symbol:
        value = x
    elif e.is_Integer:
        value = mpmath.mpf(int(e))
    elif e.is_Rational:
        value = mpmath.mpf(int(e.p)) / int(e.q)
    elif e.is_Float:
        value = mpmath.mpf(float(e))  # the same double the float evaluation uses
    elif e.is_NumberSymbol:
        constant = {"Pi": mpmath.pi, "Exp1": mpmath.e}.get(type(e).__name__)
        if constant is None:
            raise ValueError(f"cannot evaluate the constant {e}; this is a bug in mathcore.parse.")
        value = +constant  # at the working precision
    elif e.is_Add:
        value = mpmath.fsum(_exact_walk(a, x, x_symbol, memo) for a in e.args)
    elif e.is_Mul:
        value = mpmath.fprod(_exact_walk(a, x, x_symbol, memo) for a in e.args)
    elif e.is_Pow:
        value = _exact_power(e, x, x_symbol, memo)
    else:
        name = _function_names().get(type(e))
        if name is None:
            raise ValueError(f"cannot evaluate {type(e).__name__}; this is a bug in mathcore.parse.")
        value = ELEMENTARY[name].mpmath(_exact_walk(e.args[0], x, x_symbol, memo))
        if value is None:
            raise _Undefined
    if not mpmath.isfinite(value):
        raise _Undefined
    if value and mpmath.mag(value) > MAG_LIMIT:
        raise _OutOfRange
    memo[e] = value
    return value


def _exact_power(e: Any, x: Any, x_symbol: Any, memo: dict[Any, Any]) -> Any:
    import mpmath

    base = _exact_walk(e.args[0], x, x_symbol, memo)
    exponent_expr = e.args[1]
    if exponent_expr.is_Integer:
        n = int(exponent_expr)
        if base == 0 and n < 0:
            raise _Undefined
        return base**n
    exponent = _exact_walk(exponent_expr, x, x_symbol, memo)
    if base > 0:
        return mpmath.power(base, exponent)
    if base == 0 and exponent > 0:
        return mpmath.mpf(0)
    if base < 0 and exponent_expr.is_Rational is not True and mpmath.isint(exponent):
        return mpmath.power(-base, exponent) * (-1 if int(exponent) % 2 else 1)
    raise _Undefined  # 0 to a power <= 0, or a negative base to a fractional power


def correctly_rounded(expr: Any, x_symbol: Any, x: float) -> float | None:
    """``expr`` at x rounded once to float64, or None where it has no real value.

    Evaluated in mpmath at increasing precision until two successive precisions round to the
    same double (Ziv's strategy), so cancellation in the formula costs time, not accuracy. If
    no two agree up to 2560 bits the value is within 2^-1280 of 0 or beyond 2^1280 (an exact
    zero or a pole that x hits); the last value is returned, which rounds to 0.0 or infinity.
    Raises _OutOfRange when an intermediate value exceeds 2^MAG_LIMIT.
    """
    import mpmath

    previous = None
    for bits in PRECISIONS:
        with mpmath.workprec(bits):
            try:
                value = float(_exact_walk(expr, mpmath.mpf(x), x_symbol, {}))
            except _Undefined:
                return None
        if value == previous:
            return value
        previous = value
    return previous


def _exact_or_float(expr: Any, x_symbol: Any, x: float, float_value: float) -> float:
    """The correctly rounded value; where there is none, the float evaluation's NaN or infinity."""
    if not math.isfinite(x):
        return float_value
    try:
        value = correctly_rounded(expr, x_symbol, x)
    except _OutOfRange:
        return float_value
    if value is None:  # no real value: keep the float NaN or infinity, never a finite number
        return float_value if not math.isfinite(float_value) else math.nan
    return value


def exact_evaluator(expr: Any, x_symbol: Any) -> Callable[[Any], Any]:
    """A numpy callable: ``expr`` correctly rounded to float64 at each real x.

    Where the expression has no real value the float evaluation's NaN or infinity is returned
    (NaN if that evaluation happened to be finite). Complex x, as the complex step passes, is
    evaluated in complex floating point with the table's cancellation-free forms.
    """
    fallback = float_evaluator(expr, x_symbol, "numpy")

    def call(x: Any) -> Any:
        x = np.asarray(x)
        if np.iscomplexobj(x) or not np.issubdtype(x.dtype, np.number):
            return fallback(x)
        as_float = x.astype(np.float64)
        floats = fallback(as_float)
        out = np.empty(as_float.shape, dtype=np.float64)
        for index, xi in np.ndenumerate(as_float):
            out[index] = _exact_or_float(expr, x_symbol, float(xi), float(floats[index]))
        return out.astype(x.dtype) if np.issubdtype(x.dtype, np.floating) else out

    return call
