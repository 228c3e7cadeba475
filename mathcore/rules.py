"""Check the power, product and chain rules against central differences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

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


def principled_step(x: float, eps: float = float(np.finfo(np.float64).eps)) -> float:
    """The central-difference step that balances truncation and round-off: (3 eps)^(1/3) max(1, |x|).

    Examples
    --------
    >>> round(principled_step(1.0) * 1e6, 2)
    8.73
    """
    if not np.isfinite(x):
        raise ValueError(f"x must be finite; got {x!r}.")
    return float(np.cbrt(3 * eps) * max(1.0, abs(x)))


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
