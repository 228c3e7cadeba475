"""The numbers behind the error scene, all from mathcore, gathered before anything is drawn.

No manim here: the sweeps, the exact higher derivatives, whether f'(x0) exists, and what the
scene will say about each best step (``scenes.error_labels``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

import mathcore
from scenes.error_labels import OptimumStatement, optimum_statement


@dataclass(frozen=True)
class Series:
    """One measured curve: a scheme in a precision, its legend label, whether its h* is stated."""

    key: str
    scheme: str
    precision: str
    label: str
    marked: bool


def series_for(precision: str) -> dict[str, Series]:
    """Forward, central and complex step in ``precision``, then forward in the other precision.

    Examples
    --------
    >>> [s.label for s in series_for("float64").values()]
    ['forward, float64', 'central, float64', 'complex step', 'forward, float32']
    """
    other = "float32" if precision == "float64" else "float64"
    return {s.key: s for s in (
        Series("forward", "forward", precision, f"forward, {precision}", True),
        Series("central", "central", precision, f"central, {precision}", True),
        Series("complex-step", "complex-step", precision, "complex step", False),
        Series("other", "forward", other, f"forward, {other}", True),
    )}


def exact_derivatives(fn: mathcore.ParsedFunction, x0: float) -> dict[int, Callable[[Any], Any]]:
    """f'', f''' and f^(5) from sympy, each kept only where it evaluates to a finite number at x0;
    a missing one leaves mathcore to fit the model from f' (or to say there is none).

    Examples
    --------
    >>> sorted(exact_derivatives(mathcore.parse_function("exp(x)"), 1.0))
    [2, 3, 5]
    """
    try:
        candidates = mathcore.higher_derivatives(fn)
    except ValueError:
        return {}
    kept = {}
    for k, dk in candidates.items():
        try:
            with np.errstate(all="ignore"):
                value = float(np.asarray(dk(np.float64(x0))))
        except (ValueError, TypeError, ZeroDivisionError):
            continue
        if math.isfinite(value):
            kept[k] = dk
    return kept


@dataclass(frozen=True)
class ErrorData:
    """Everything the error scene shows about f at x0, computed once."""

    fn: mathcore.ParsedFunction
    x0: float
    steps: np.ndarray
    series: dict[str, Series]
    derivatives: dict[int, Callable[[Any], Any]]
    sweeps: dict[str, mathcore.ErrorSweep]
    statements: dict[str, OptimumStatement]
    point_kind: str

    @classmethod
    def measure(cls, function: str, x0: float, h_min: float, h_max: float, precision: str) -> ErrorData:
        """Sweep every series and state each best step; the complex step is left out where f is
        not analytic (abs). Where f'(x0) does not exist (a kink, a pole) there is no error to
        measure: a ValueError says why, in mathcore's words.

        Examples
        --------
        >>> d = ErrorData.measure("exp(x)", 1.0, 1e-16, 1.0, "float64")
        >>> d.point_kind, d.statements["forward"].kind, sorted(d.sweeps)
        ('smooth', 'optimum', ['central', 'complex-step', 'forward', 'other'])
        """
        fn = mathcore.parse_function(function)
        x0 = float(x0)
        steps = mathcore.default_steps(h_min, h_max)
        point = fn.classify_point(x0, window=float(steps[-1]))
        if not point.differentiable:  # no f'(x0) to measure the error against (the CLI refuses it too)
            raise ValueError(point.reason)
        series = series_for(precision)
        derivatives = exact_derivatives(fn, x0)
        sweeps = {}
        for key, s in series.items():
            try:
                sweeps[key] = mathcore.error_sweep(fn.f, fn.df, x0, h=steps, scheme=s.scheme, dtype=s.precision,
                                                   derivatives=derivatives)
            except ValueError:
                if key != "complex-step":  # abs(x) and friends are not analytic: no complex step
                    raise
        fx, dfx = float(fn.f(x0)), float(fn.df(x0))
        h_range = (float(steps[0]), float(steps[-1]))
        statements = {}
        for key, sweep in sweeps.items():
            s = series[key]
            k = mathcore.SCHEMES[s.scheme].derivative
            dk = float(derivatives[k](x0)) if k in derivatives else None
            statements[key] = optimum_statement(s.scheme, s.precision, x0, fx, dfx, dk, h_range,
                                                sweep.model_best_h if sweep.has_model else math.nan)
        return cls(fn, x0, steps, series, derivatives, sweeps, statements, point.kind)

    @property
    def top_error(self) -> float:
        """The largest error drawn, which sets the top of the plot."""
        return max(float(np.max(s.plotted_error)) for s in self.sweeps.values())
