"""Check the power, product and chain rules against central differences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from .catalog import CATALOG, CatalogFunction
from .differences import central_difference

RULES = ("power", "product", "chain")
"""The differentiation rules verify_rules covers by default."""

RULE_RTOL = 1e-7
"""Relative tolerance of a rule check, against max(1, |f'(x)|).

A central difference at h* ~ (3 eps)^(1/3) max(1, |x|) is accurate to about eps^(2/3) ~ 4e-11
relative for the smooth catalog functions; a wrong rule is off by O(1). 1e-7 sits far from both.
"""


@dataclass(frozen=True)
class RuleCheck:
    """One comparison of an analytic derivative with a numerical estimate."""

    rule: str
    function: str
    latex: str
    derivative_latex: str
    x: float
    analytic: float
    numerical: float
    abs_error: float
    rel_error: float
    tolerance: float
    passed: bool


def principled_step(x: Any, typical: float | None = None,
                    eps: float = float(np.finfo(np.float64).eps)) -> Any:
    r"""The central-difference step that balances truncation and round-off, scaled to x.

    .. math:: h = (3\varepsilon)^{1/3}\, x_c, \qquad x_c = \max(|x|, \text{typical})

    then rounded to the step x + h can represent, ``(x + h) - x`` (Numerical Recipes, 3rd ed.,
    section 5.7), so the step divided by is the step taken. Balancing the truncation
    :math:`h^2|f^{(3)}|/6` against the round-off :math:`\varepsilon|f|/h` gives
    :math:`h^* = (3\varepsilon|f/f^{(3)}|)^{1/3}`; with f unknown, :math:`|f/f^{(3)}|^{1/3}` is
    replaced by x_c, the distance over which f changes appreciably. Numerical Recipes take
    x_c = |x| "unless x is near zero": next to a singularity at 0 (sqrt, log, 1/x) that is the
    only safe scale, since a step larger than x leaves the domain. So by default x_c = |x|,
    and 1 at x = 0, where |x| says nothing (and never less than one ulp of x, which only a
    subnormal x needs); pass ``typical`` when f is known to vary on a
    larger scale than |x| (a smooth f at tiny x). numdifftools instead scales by
    max(log(1 + |x|), 1), which never falls below 1 and so steps out of the domain of sqrt(x)
    at x = 1e-6.

    Parameters
    ----------
    x : float or array_like
        Where the derivative is wanted; finite.
    typical : float, optional
        A lower bound on x_c, positive. By default none (x_c = |x|, or 1 at x = 0).

    Examples
    --------
    >>> round(principled_step(1.0) * 1e6, 2)
    8.73
    >>> bool(principled_step(1e-6) < 1e-6 < principled_step(1e-6, typical=1.0))
    True
    """
    arr = np.asarray(x, dtype=np.float64) if _is_real(x) else None
    if arr is None or not np.all(np.isfinite(arr)):
        raise ValueError(f"x must be finite real numbers; got {_described(x)}.")
    if typical is not None and not (_is_real(typical) and np.ndim(typical) == 0 and 0 < typical < np.inf):
        raise ValueError(f"typical must be a positive finite number; got {_described(typical)}.")
    scale = np.abs(arr) if typical is None else np.maximum(np.abs(arr), typical)
    scale = np.where(scale == 0, 1.0, scale)
    h = (arr + np.cbrt(3 * eps) * scale) - arr  # the step actually taken: x + h is exact
    # For a subnormal x (|x| < ~1e-318) the scaled step underflows to 0; one ulp of x is then the
    # smallest step that moves x at all.
    h = np.where(h == 0, np.spacing(np.abs(arr)), h)
    return float(h) if h.ndim == 0 else h


def _is_real(value: Any) -> bool:
    try:
        arr = np.asarray(value)
    except Exception:
        return False
    return arr.dtype != bool and np.issubdtype(arr.dtype, np.number) and not np.iscomplexobj(arr)


def _described(value: Any) -> str:
    """A value as an error message shows it: shape and three values of an array, else its repr."""
    try:
        arr = np.asarray(value)
    except Exception:
        arr = None
    if arr is not None and arr.ndim > 0 and arr.dtype != object:
        head = ", ".join(repr(v.item()) for v in arr.ravel()[:3])
        return f"an array of shape {arr.shape} ({head}{', ...' if arr.size > 3 else ''})"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _checked(functions: Iterable[CatalogFunction]) -> list[CatalogFunction]:
    """The functions to check, each a CatalogFunction with at least one finite point."""
    try:
        chosen = list(functions)
    except TypeError:
        raise ValueError("functions must be an iterable of CatalogFunction.") from None
    for fn in chosen:
        if not isinstance(fn, CatalogFunction):
            raise ValueError(f"each function must be a CatalogFunction; got {type(fn).__name__}.")
        if not fn.points or not all(np.isfinite(p) for p in fn.points):
            raise ValueError(f"{fn.name} needs at least one finite point to be checked at.")
    return chosen


def verify_rules(functions: Iterable[CatalogFunction] | None = None) -> list[RuleCheck]:
    r"""Compare each function's analytic derivative with a central difference at its points.

    A row passes when :math:`|f'_{analytic} - f'_{numerical}| \le` ``RULE_RTOL`` ·
    max(1, |f'(x)|).

    Parameters
    ----------
    functions : iterable of CatalogFunction, optional
        By default every catalog function whose rule is power, product or chain.

    Examples
    --------
    >>> rows = verify_rules()
    >>> sorted({r.rule for r in rows}), all(r.passed for r in rows)
    (['chain', 'power', 'product'], True)
    """
    chosen = [c for c in CATALOG.values() if c.rule in RULES] if functions is None else _checked(functions)
    rows = []
    for fn in chosen:
        for x in fn.points:
            analytic = float(fn.df(x))
            numerical = float(central_difference(fn.f, x, principled_step(x)))
            abs_error = abs(analytic - numerical)
            scale = max(1.0, abs(analytic))
            tolerance = RULE_RTOL * scale
            rows.append(RuleCheck(
                rule=fn.rule, function=fn.name, latex=fn.latex,
                derivative_latex=fn.derivative_latex, x=float(x), analytic=analytic,
                numerical=numerical, abs_error=abs_error,
                rel_error=abs_error / abs(analytic) if analytic != 0 else abs_error,
                tolerance=tolerance, passed=bool(abs_error <= tolerance),
            ))
    return rows
