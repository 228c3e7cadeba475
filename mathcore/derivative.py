r"""derivative(f, x): the best estimate of f'(x) mathcore can make, with its own error estimate.

Used wherever a number must simply be right. Two methods, in this order:

1. The complex step :math:`\operatorname{Im} f(x + ih) / h` at :math:`h = 10^{-20}\max(|x|,
   10^{-30})`, where f accepts complex input and the result is sensible: its real part is f(x)
   and it agrees with the slope of a local polynomial fit of f on the real axis. It subtracts
   nothing, so it is exact to a few ULPs.
2. Otherwise a central difference extrapolated to zero step (Ridders' method: a Neville table
   of Richardson extrapolations over steps shrinking by 1.4, stopped when the error estimate
   starts to grow). It starts from the radius over which f is smooth, from the same local
   Chebyshev fit that gives the error model its derivatives (``mathcore._local_fit``), so a
   pole or domain edge at distance d gives a first step of about d / 3. Where one side of x is
   outside the domain (sqrt near 0, log near 0) the differences are one-sided
   :math:`(f(x \pm h) - f(x)) / \pm h`, extrapolated in powers of h.

The error estimate is, for the complex step, :math:`\varepsilon(|f'| + |x f''| + |f| / r)` with
r that radius (:math:`|x f''|` for the rounding of x inside f); for the extrapolation, the
larger of its own (the change between neighbouring entries of the table) and
:math:`2\varepsilon(|f'| + |x f''| + |f| / h)`, the rounding of f divided by the step, plus
8 times the noise the local fit shows over the step when f is computed more coarsely (in
float32, say).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ._checks import _check_callable, _finite
from ._local_fit import LocalFit, local_fit

EPS = float(np.finfo(np.float64).eps)
STEP_RATIO = 1.4
"""Each step of the extrapolation is the one before divided by this."""
TABLE_SIZE = 12
"""Most steps in the extrapolation table."""
TOLERANCES = (1e-10, 1e-6, 1e-3)
"""Resolution of the local fit tried in turn: a function computed in float32 or with noise
is not resolved to 1e-10, but is smooth enough to 1e-6 to set the first step."""


@dataclass(frozen=True)
class DerivativeEstimate:
    """f'(x) with an estimate of its absolute error, the method that gave it and the step.

    ``method`` is "complex-step", "central", "forward" or "backward" (the last three
    extrapolated); ``step`` is the step of the complex step, or the largest step of the
    extrapolation's best entry. Arrays when x is an array.
    """

    value: Any
    error: Any
    method: Any
    step: Any


def _values(f: Callable[[Any], Any], points: Any) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(f(points))


def _complex_step(f: Callable[[Any], Any], x: float, fx: float, fit: LocalFit | None) -> float | None:
    """The complex-step derivative, or None when f does not give a sensible one at x."""
    h = 1e-20 * max(abs(x), 1e-30)
    try:
        z = _values(f, np.array([x + 1j * h]))
    except Exception:  # f refuses complex input
        return None
    if z.dtype.kind != "c" or z.size != 1:
        return None
    z = complex(z.ravel()[0])
    value = z.imag / h
    if not (math.isfinite(value) and abs(z.real - fx) <= 1e-12 * abs(fx) + 1e-300):
        return None
    if fit is not None:  # an f that is not analytic (conj, real parts) gives a wrong slope
        slope = fit.derivative(1)
        if abs(value - slope) > 1e-6 * abs(slope) + 1e-6 * abs(fx) / fit.radius:
            return None
    return value


def _difference(f: Callable[[Any], Any], x: float, fx: float, step: np.ndarray, side: int) -> np.ndarray:
    """Central (side 0) or one-sided differences at the steps actually taken."""
    if side == 0:
        up = x + step
        taken = up - x
        values = _values(f, np.concatenate([x + taken, x - taken]))
        values = np.broadcast_to(values, (2 * len(step),)).astype(np.float64)
        return (values[: len(step)] - values[len(step):]) / (2 * taken)
    moved = x + side * step
    taken = side * (moved - x)
    values = np.broadcast_to(_values(f, moved), step.shape).astype(np.float64)
    return side * (values - fx) / taken


def _extrapolated(f: Callable[[Any], Any], x: float, fx: float, first: float, side: int
                  ) -> tuple[float, float, float]:
    """Ridders' extrapolation: (value, error estimate, step of the best entry)."""
    steps = first / STEP_RATIO ** np.arange(TABLE_SIZE)
    base = _difference(f, x, fx, steps, side)
    power = 2 if side == 0 else 1  # central differences expand in h^2, one-sided in h
    best, error, best_step = float(base[0]), math.inf, float(steps[0])
    previous = [float(base[0])]
    for i in range(1, TABLE_SIZE):
        row = [float(base[i])]
        for j in range(1, i + 1):
            factor = STEP_RATIO ** (power * j)
            row.append((row[j - 1] * factor - previous[j - 1]) / (factor - 1))
            change = max(abs(row[j] - row[j - 1]), abs(row[j] - previous[j - 1]))
            if change <= error:
                best, error, best_step = row[j], change, float(steps[i])
        if abs(row[i] - previous[i - 1]) >= 2 * error:  # higher orders only add noise now
            break
        previous = row
    return best, error, best_step


def _fit(f: Callable[[Any], Any], x: float) -> tuple[LocalFit | None, float]:
    """The local fit of f and the noise it shows: zero when f is resolved to 1e-10, else the
    fit's unresolved tail (f computed in float32, or with noise of its own).
    """
    for tolerance in TOLERANCES:
        fit = local_fit(f, x, (-1, 1), tolerance=tolerance)
        if fit is not None:
            # white noise of size s leaves Chebyshev coefficients of about s sqrt(2 / 17)
            return fit, (0.0 if tolerance == TOLERANCES[0] else 4 * fit.tail)
    return None, 0.0


def _one_point(f: Callable[[Any], Any], x: float) -> tuple[float, float, str, float]:
    with np.errstate(all="ignore"):
        fx_raw = np.asarray(f(np.float64(x)))
    if fx_raw.dtype.kind not in "iuf" or fx_raw.size != 1 or not np.isfinite(fx_raw).all():
        raise ValueError(f"f is not a finite real number at x = {x:g}; x lies outside its domain.")
    fx = float(fx_raw.ravel()[0])
    fit, noise = _fit(f, x)
    value = _complex_step(f, x, fx, fit)
    # x itself is rounded inside f (x + 1, 1 / x, ...): a relative eps in x moves f' by
    # eps |x f''|, whatever the method
    inside = abs(x * fit.derivative(2)) if fit is not None else 0.0
    if value is not None:
        scale = fit.radius if fit is not None else max(abs(x), 1.0)
        return (value, EPS * (abs(value) + inside + abs(fx) / scale), "complex-step",
                1e-20 * max(abs(x), 1e-30))
    if fit is None:
        raise ValueError(f"f is not smooth on either side of x = {x:g} (no polynomial fits it on any "
                         "interval there), so it has no derivative to estimate.")
    for side in (fit, fit.opposite):
        # a jump is a gap wider than the fit can place its own end (its unresolved tail)
        if side is not None and abs(side.derivative(0) - fx) > 1e-8 * side.scale + side.rounding(0) + 16 * side.tail:
            raise ValueError(f"f jumps at x = {x:g}: f(x) = {fx:.6g}, but it tends to "
                             f"{side.derivative(0):.6g} next to x, so it has no derivative there.")
    if fit.opposite is not None:
        right, left = fit.derivative(1), fit.opposite.derivative(1)
        agree = 1e-6 * max(abs(right), abs(left)) + fit.rounding(1) + fit.opposite.rounding(1)
        if abs(right - left) > agree:
            raise ValueError(f"f is not differentiable at x = {x:g}: its slope is {right:.6g} on the "
                             f"right and {left:.6g} on the left.")
    value, error, step = _extrapolated(f, x, fx, fit.radius, fit.side)
    # f's rounding over the step; a noise seen in the fit is amplified by the extrapolation
    floor = 2 * EPS * (abs(value) + inside + abs(fx) / step) + 8 * noise / step
    method = {0: "central", 1: "forward", -1: "backward"}[fit.side]
    return value, max(error, floor), method, step


def derivative(f: Callable[[Any], Any], x: Any) -> DerivativeEstimate:
    r"""The best estimate of f'(x), with its error estimate (see the module docstring).

    Parameters
    ----------
    f : callable
        A numpy-vectorised real function; complex input is used when it accepts it.
    x : float or array_like
        Points where f is defined and finite; near a domain edge only the side inside the
        domain is sampled.

    Returns
    -------
    DerivativeEstimate
        Floats for a scalar x, arrays of x's shape otherwise.

    Examples
    --------
    >>> d = derivative(np.sqrt, 1e-6)  # 1 / (2 sqrt(x)) = 500
    >>> round(float(d.value), 9), d.method
    (500.0, 'complex-step')
    >>> d = derivative(lambda t: np.abs(t) ** 3, -2.0)  # no complex input: extrapolated, -3 x^2
    >>> round(float(d.value), 9), d.method != "complex-step", bool(d.error < 1e-9)
    (-12.0, True, True)
    """
    _check_callable(f)
    points = _finite(x, "x").astype(np.float64)
    results = [_one_point(f, float(p)) for p in points.ravel()]
    if points.ndim == 0:
        return DerivativeEstimate(*results[0])
    columns = list(zip(*results))
    value, error, method, step = (np.array(c).reshape(points.shape) for c in columns)
    return DerivativeEstimate(value, error, method, step)
