"""Error-versus-step sweeps: measured error, the truncation + round-off model, the best step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ._checks import _check_callable, _finite, _steps
from .differences import (
    KERNELS,
    backward_difference,
    central_difference,
    complex_step,
    forward_difference,
    richardson,
)

ERROR_FLOOR = 1e-18
"""Where an error of exactly zero is drawn on a log axis.

Finite differences of a smooth function in float64 rarely hit zero, but complex-step (and a
lucky rounding) often does. 1e-18 lies below half an ULP of any derivative of magnitude 0.01 or
more, so no measured non-zero error is confused with it. ``ErrorSweep.plotted_error`` applies
it, ``ErrorSweep.floor`` reports it and ``ErrorSweep.at_floor`` marks the steps it replaced.
"""

DEFAULT_STEPS = 801
"""Points in the default h grid, log-spaced from 1e-16 to 1: 50 per decade, a smooth curve."""

SCHEMES: dict[str, Callable[..., np.ndarray]] = {
    "forward": forward_difference,
    "backward": backward_difference,
    "central": central_difference,
    "complex-step": complex_step,
    "richardson": richardson,
}
"""The schemes error_sweep knows, by name."""

ORDERS = {"forward": 1, "backward": 1, "central": 2, "complex-step": 2, "richardson": 4}
"""The power of h in each scheme's truncation error."""


@dataclass(frozen=True)
class ErrorSweep:
    """One scheme's error against step size, with the model that explains it."""

    scheme: str
    dtype: np.dtype
    x: float
    exact: float
    h: np.ndarray
    estimate: np.ndarray
    error: np.ndarray
    relative_error: np.ndarray
    best_h: float
    best_error: float
    model_error: np.ndarray
    model_best_h: float
    floor: float

    @property
    def at_floor(self) -> np.ndarray:
        """True where the error is exactly zero, and so drawn at ``floor``."""
        return self.error == 0

    @property
    def plotted_error(self) -> np.ndarray:
        """The error with exact zeros raised to ``floor``, safe for a log axis."""
        return np.maximum(self.error, self.floor)


def default_steps(h_min: float = 1e-16, h_max: float = 1.0, n: int = DEFAULT_STEPS) -> np.ndarray:
    """Log-spaced steps from h_min to h_max, both ends included.

    Examples
    --------
    >>> default_steps(1e-4, 1.0, 5)
    array([1.e-04, 1.e-03, 1.e-02, 1.e-01, 1.e+00])
    """
    lo, hi = _steps([h_min, h_max], "the h range")
    if not lo < hi:
        raise ValueError(f"h_min must be smaller than h_max; got h_min={h_min!r}, h_max={h_max!r}.")
    if n < 2:
        raise ValueError(f"n must be at least 2 to span a range; got {n!r}.")
    return np.logspace(np.log10(lo), np.log10(hi), n)


def _higher_derivatives(df: Callable[[Any], Any], x: float) -> tuple[float, float, float]:
    """|f''|, |f'''| and |f^(5)| at x, from differences of the exact f' at moderate steps.

    They only set the slope of the model's truncation line, so a few correct digits suffice;
    the steps are chosen near the optimum of each formula in float64.
    """
    g = lambda t: np.asarray(df(np.asarray(t, dtype=np.float64)), dtype=np.float64)  # noqa: E731
    with np.errstate(all="ignore"):
        d2 = float(richardson(g, x, 1e-2))
        h3 = 1e-3
        d3 = float((g(x + h3) - 2 * g(x) + g(x - h3)) / h3**2)
        h5 = 5e-2
        d5 = float(
            (g(x + 2 * h5) - 4 * g(x + h5) + 6 * g(x) - 4 * g(x - h5) + g(x - 2 * h5)) / h5**4
        )
    return abs(d2), abs(d3), abs(d5)


def _truncation_plus_roundoff(h: np.ndarray, a: float, order: int, b: float) -> np.ndarray:
    """a h^order + b / h, written as (a h^(order+1) + b) / h to fill a single new array."""
    model = np.multiply(h, h)
    for _ in range(order - 1):
        model *= h
    model *= a
    model += b
    model /= h
    return model


@dataclass(frozen=True)
class ErrorModel:
    """A scheme's error model split into its two straight lines on log-log axes."""

    scheme: str
    h: np.ndarray
    truncation: np.ndarray
    roundoff: np.ndarray
    total: np.ndarray
    best_h: float
    truncation_order: int


def error_model(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    x: float,
    h: Any = None,
    scheme: str = "forward",
    dtype: Any = np.float64,
) -> ErrorModel:
    r"""The truncation term, the round-off term and their sum, as drawn beside a sweep.

    On log-log axes the truncation term is a line of slope ``truncation_order`` and the
    round-off term one of slope -1 (flat for complex-step, which does not cancel).

    Examples
    --------
    >>> m = error_model(np.exp, np.exp, 1.0, h=[1e-8, 1e-4], scheme="forward")
    >>> m.truncation_order, bool(np.isclose(m.truncation[1], np.e * 1e-4 / 2))
    (1, True)
    """
    point = _SweepInputs.check(f, df, x, h, scheme, dtype)
    steps = point.steps.astype(np.float64, copy=False)
    a, order, b, c = _model_terms(scheme, point, df)
    truncation = a * steps**order
    roundoff = b / steps + c
    return ErrorModel(scheme, steps, truncation, roundoff, truncation + roundoff,
                      _best_step(a, order, b, c, steps), order)


@dataclass(frozen=True)
class _SweepInputs:
    """Checked arguments of a sweep, and f and f' at x in float64."""

    x: float
    dtype: np.dtype
    steps: np.ndarray
    fx: float
    exact: float

    @classmethod
    def check(cls, f: Callable[[Any], Any], df: Callable[[Any], Any], x: Any, h: Any, scheme: str,
              dtype: Any) -> _SweepInputs:
        _check_callable(f)
        _check_callable(df, "df")
        if scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}; got {scheme!r}.")
        try:
            dtype = np.dtype(dtype)
        except TypeError as exc:
            raise ValueError(f"dtype must be float32 or float64; got {dtype!r}.") from exc
        if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise ValueError(f"dtype must be float32 or float64; got {dtype}.")
        x_arr = _finite(x, "x")
        if x_arr.ndim != 0:
            raise ValueError(f"x must be a single point; got an array of shape {x_arr.shape}.")
        steps = default_steps() if h is None else _steps(h)
        if steps.dtype != dtype:
            steps = steps.astype(dtype)
            if not steps.min() > 0:
                raise ValueError(f"every step must stay above zero in {dtype}; the smallest underflows.")
        with np.errstate(all="ignore"):  # outside the domain is reported just below
            exact = float(np.asarray(df(np.float64(x_arr)), dtype=np.float64))
            fx = float(np.asarray(f(np.float64(x_arr)), dtype=np.float64))
        if not (np.isfinite(exact) and np.isfinite(fx)):
            raise ValueError(f"f or df is not finite at x={float(x_arr)!r}; x lies outside the domain.")
        return cls(float(x_arr), dtype, steps, fx, exact)


def _model_terms(scheme: str, point: _SweepInputs, df: Callable[[Any], Any]) -> tuple[float, int, float, float]:
    """(a, order, b, c) of the model a h^order + b / h + c for the scheme, with d_k = |f^(k)(x)|.

    forward/backward: d_2 h / 2 + 2 eps |f| / h.
    central: d_3 h^2 / 6 + eps |f| / h.
    richardson: d_5 h^4 / 480 + 3 eps |f| / h.
    complex-step: d_3 h^2 / 6 + eps |f'| (no subtraction, so no eps / h term).
    """
    d2, d3, d5 = _higher_derivatives(df, point.x)
    eps = float(np.finfo(point.dtype).eps)
    fx, dfx = abs(point.fx), abs(point.exact)
    return {
        "forward": (d2 / 2, 1, 2 * eps * fx, 0.0),
        "backward": (d2 / 2, 1, 2 * eps * fx, 0.0),
        "central": (d3 / 6, 2, eps * fx, 0.0),
        "richardson": (d5 / 480, 4, 3 * eps * fx, 0.0),
        "complex-step": (d3 / 6, 2, 0.0, eps * dfx),
    }[scheme]


def _best_step(a: float, order: int, b: float, c: float, h: np.ndarray) -> float:
    """The model's optimal step, within the swept range.

    a h^p + b / h is least at h* = (b / (p a))^(1 / (p + 1)): 2 sqrt(eps |f| / d_2) for forward,
    (3 eps |f| / d_3)^(1/3) for central, (360 eps |f| / d_5)^(1/5) for Richardson. The flat
    complex-step model has no minimum; its h* is where a h^2 meets c: sqrt(6 eps |f'| / d_3).
    A vanishing derivative (a linear f) has no truncation term, so the best step is the largest
    swept; a vanishing f has no round-off term, so it is the smallest.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a = np.float64(a)
        best = float((c / a) ** (1 / order) if c else (b / (order * a)) ** (1 / (order + 1)))
    lo, hi = float(h.min()), float(h.max())
    return lo if np.isnan(best) else min(max(best, lo), hi)


def error_sweep(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    x: float,
    h: Any = None,
    scheme: str = "forward",
    dtype: Any = np.float64,
) -> ErrorSweep:
    r"""Absolute and relative error of a difference scheme over many steps h.

    The estimate is computed in ``dtype`` (x, h and every evaluation of f), the exact value
    ``df(x)`` in float64. The model adds the scheme's truncation term to its round-off term,
    with eps the machine epsilon of ``dtype`` (see ``_model`` for each formula).

    Parameters
    ----------
    f, df : callable
        The function and its exact derivative, both numpy-vectorised.
    x : float
        The point, finite.
    h : array_like, optional
        Strictly positive steps; by default ``default_steps()``, 1e-16 to 1.
    scheme : {"forward", "backward", "central", "complex-step", "richardson"}
    dtype : {numpy.float64, numpy.float32}

    Examples
    --------
    >>> s = error_sweep(np.exp, np.exp, 1.0, scheme="central")
    >>> bool(1e-6 < s.best_h < 1e-4)
    True
    """
    point = _SweepInputs.check(f, df, x, h, scheme, dtype)
    steps, exact = point.steps, point.exact
    estimate = KERNELS[scheme](f, np.asarray(point.x, dtype=point.dtype), steps)

    error = np.subtract(estimate, exact, dtype=np.float64)
    np.abs(error, out=error)
    relative = error * (1 / abs(exact)) if exact != 0 else error
    best = int(np.argmin(error))
    a, order, b, c = _model_terms(scheme, point, df)
    h64 = steps.astype(np.float64, copy=False)
    model = _truncation_plus_roundoff(h64, a, order, b)
    if c:
        model += c
    return ErrorSweep(
        scheme=scheme,
        dtype=point.dtype,
        x=point.x,
        exact=exact,
        h=steps,
        estimate=estimate,
        error=error,
        relative_error=relative,
        best_h=float(steps[best]),
        best_error=float(error[best]),
        model_error=model,
        model_best_h=_best_step(a, order, b, c, h64),
        floor=ERROR_FLOOR,
    )
