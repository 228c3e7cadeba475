"""Error-versus-step sweeps: measured error, the truncation + round-off model, the best step."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from ._checks import _check_callable, _finite, _steps, _steps_and_range
from ._local_fit import local_fit
from .precision import PRECISIONS
from .schemes import SCHEMES, Scheme

ERROR_FLOOR = 1e-18
"""Where an error of exactly zero is drawn on a log axis.

Finite differences of a smooth function in float64 rarely hit zero, but complex-step (and a
lucky rounding) often does. 1e-18 lies below half an ULP of any derivative of magnitude 0.01 or
more, so no measured non-zero error is confused with it. ``ErrorSweep.plotted_error`` applies
it, ``ErrorSweep.floor`` reports it and ``ErrorSweep.at_floor`` marks the steps it replaced.
"""

DEFAULT_STEPS = 801
"""Points in the default h grid, log-spaced from 1e-16 to 1: 50 per decade, a smooth curve."""

Derivatives = Mapping[int, Callable[[Any], Any]]
"""Exact higher derivatives by order, e.g. ``{2: f2, 3: f3, 5: f5}``."""


@dataclass(frozen=True)
class ErrorSweep:
    """One scheme's error against step size, with the model that explains it.

    ``has_model`` is False when no model could be had (f' is not smooth on any interval around
    x, or f, f' and the model's derivative all vanish there): ``model_error`` is then NaN
    everywhere and ``model_best_h`` NaN, and ``model_note`` says why. ``model_note`` also says
    where the derivative came from and when the optimum was clipped to the swept range.
    """

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
    has_model: bool = True
    model_note: str = ""

    @property
    def at_floor(self) -> np.ndarray:
        """True where the error is exactly zero, and so drawn at ``floor``."""
        return self.error == 0

    @property
    def plotted_error(self) -> np.ndarray:
        """The error with exact zeros raised to ``floor``, safe for a log axis."""
        return np.maximum(self.error, self.floor)

    @property
    def typical_best_h(self) -> float:
        """Where the error curve, not a lucky step, is lowest: the argmin of the log error after a
        running median over half a decade of h.

        ``best_h`` is the single step with the smallest error, and on a fine grid that is often
        a step where both roundings happened to cancel, a few times below the curve's minimum.
        The model's ``model_best_h`` predicts this one.
        """
        decades = abs(math.log10(self.h[-1] / self.h[0])) if len(self.h) > 1 else 0.0
        per_decade = (len(self.h) - 1) / decades if decades else 1.0
        half = max(0, int(round(per_decade / 4)))
        logs = np.log(self.plotted_error.astype(np.float64))
        padded = np.pad(logs, half, mode="edge")
        window = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
        return float(self.h[int(np.argmin(np.median(window, axis=1)))])


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


@dataclass(frozen=True)
class _SweepInputs:
    """Checked arguments of a sweep, and f and f' at x in float64."""

    scheme: Scheme
    x: float
    dtype: np.dtype
    steps: np.ndarray
    fx: float
    exact: float
    h_min: float
    h_max: float

    @classmethod
    def check(cls, f: Callable[[Any], Any], df: Callable[[Any], Any], x: Any, h: Any, scheme: str,
              dtype: Any) -> _SweepInputs:
        _check_callable(f)
        _check_callable(df, "df")
        if not isinstance(scheme, str) or scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}; got {scheme!r}.")
        try:
            dtype = np.dtype(dtype)
        except TypeError as exc:
            raise ValueError(f"dtype must be {' or '.join(PRECISIONS)}; got {dtype!r}.") from exc
        if dtype.name not in PRECISIONS:
            raise ValueError(f"dtype must be float32 or float64; got {dtype}.")
        x_arr = _finite(x, "x")
        if x_arr.ndim != 0:
            raise ValueError(f"x must be a single point; got an array of shape {x_arr.shape}.")
        steps, lo, hi = _steps_and_range(default_steps() if h is None else h)
        if steps.dtype != dtype:
            steps = steps.astype(dtype)
            lo, hi = float(dtype.type(lo)), float(dtype.type(hi))
            if not lo > 0:
                raise ValueError(f"every step must stay above zero in {dtype}; the smallest underflows.")
        with np.errstate(all="ignore"):  # outside the domain is reported just below
            try:
                exact = float(np.asarray(df(np.float64(x_arr)), dtype=np.float64))
                fx = float(np.asarray(f(np.float64(x_arr)), dtype=np.float64))
            except (TypeError, ValueError):
                raise ValueError(f"f and df must return one real number at x={float(x_arr)!r}.") from None
        if not (np.isfinite(exact) and np.isfinite(fx)):
            raise ValueError(f"f or df is not finite at x={float(x_arr)!r}; x lies outside the domain.")
        return cls(SCHEMES[scheme], float(x_arr), dtype, steps, fx, exact, lo, hi)


@dataclass(frozen=True)
class _Model:
    """The fitted terms of a ∙ h^p + b / h + c, or the reason there are none."""

    a: float
    b: float
    c: float
    best_h: float
    note: str

    @property
    def exists(self) -> bool:
        return not math.isnan(self.best_h)


def _model(point: _SweepInputs, df: Callable[[Any], Any], derivatives: Derivatives | None) -> _Model:
    """The scheme's model at x, with |f^(k)(x)| exact when given, else from a local fit of f'.

    The local fit samples f' only on the sides of x the scheme's stencil reaches, on the widest
    interval where f' is smooth (see ``mathcore._local_fit``), so a domain edge or a pole next
    to x sets the scale of the fit, not a fixed step.
    """
    s = point.scheme
    k = s.derivative
    nan = math.nan
    if derivatives is not None and not isinstance(derivatives, Mapping):
        raise ValueError("derivatives must map an order to a function, like {2: f2, 3: f3, 5: f5}; "
                         f"got {type(derivatives).__name__}.")
    if derivatives is not None and k in derivatives:
        _check_callable(derivatives[k], f"derivatives[{k}]")
        with np.errstate(all="ignore"):
            dk = float(np.asarray(derivatives[k](np.float64(point.x)), dtype=np.float64).real)
        source = f"f^({k}) from the exact derivative given"
    else:
        fit = local_fit(df, point.x, s.sides, radius_max=point.h_max)
        if fit is None:
            return _Model(nan, nan, nan, nan, f"no model: f' is not smooth on any interval next to x = "
                          f"{point.x:g}, so |f^({k})(x)| cannot be estimated.")
        dk = fit.derivative(k - 1)
        source = f"f^({k}) from a local fit of f' on a radius of {fit.radius:.2g}"
        if abs(dk) <= fit.rounding(k - 1):
            dk = 0.0
            source += f", where f^({k}) is zero to within rounding"
    if not math.isfinite(dk):
        return _Model(nan, nan, nan, nan, f"no model: f^({k}) is not finite at x = {point.x:g}.")
    eps = float(np.finfo(point.dtype).eps)
    a, b, c = s.model_terms(eps, point.x, point.fx, point.exact, dk)
    best = s.optimum(eps, point.x, point.fx, point.exact, dk)
    lo, hi = point.h_min, point.h_max
    if math.isnan(best):
        return _Model(a, b, c, nan, f"no model: f, f' and f^({k}) all vanish at x = {point.x:g}, so "
                      "neither truncation nor round-off has a leading term.")
    note = source
    if best > hi or best < lo:
        note += f"; the optimum {best:.2g} lies outside the swept steps and is clipped to them"
    return _Model(a, b, c, min(max(best, lo), hi), note)


def _truncation_plus_roundoff(h: np.ndarray, a: float, order: int, b: float) -> np.ndarray:
    """The model a h^order + b / h, written as (a h^(order+1) + b) / h to fill one new array."""
    model = np.multiply(h, h)
    for _ in range(order - 1):
        model *= h
    model *= a
    model += b
    model /= h
    return model


@dataclass(frozen=True)
class ErrorModel:
    """A scheme's error model split into its two straight lines on log-log axes.

    Without a model (``has_model`` False) every array is NaN and ``best_h`` is NaN; ``note``
    says why.
    """

    scheme: str
    h: np.ndarray
    truncation: np.ndarray
    roundoff: np.ndarray
    total: np.ndarray
    best_h: float
    truncation_order: int
    has_model: bool = True
    note: str = ""


def error_model(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    x: float,
    h: Any = None,
    scheme: str = "forward",
    dtype: Any = np.float64,
    derivatives: Derivatives | None = None,
) -> ErrorModel:
    r"""The truncation term, the round-off term and their sum, as drawn beside a sweep.

    On log-log axes the truncation term is a line of slope ``truncation_order`` and the
    round-off term one of slope -1 (flat for complex-step, which does not cancel). The terms
    are those of ``SCHEMES[scheme]`` (see ``mathcore.schemes``); the arguments are those of
    :func:`error_sweep`.

    Examples
    --------
    >>> m = error_model(np.exp, np.exp, 1.0, h=[1e-8, 1e-4], scheme="forward")
    >>> m.truncation_order, bool(np.isclose(m.truncation[1], np.e * 1e-4 / 2))
    (1, True)
    """
    point = _SweepInputs.check(f, df, x, h, scheme, dtype)
    steps = point.steps.astype(np.float64, copy=False)
    model = _model(point, df, derivatives)
    order = point.scheme.order
    truncation = model.a * steps**order
    roundoff = model.b / steps + model.c
    return ErrorModel(scheme, steps, truncation, roundoff, truncation + roundoff, model.best_h, order,
                      model.exists, model.note)


def error_sweep(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    x: float,
    h: Any = None,
    scheme: str = "forward",
    dtype: Any = np.float64,
    derivatives: Derivatives | None = None,
) -> ErrorSweep:
    r"""Absolute and relative error of a difference scheme over many steps h.

    The estimate is computed in ``dtype`` (x, h and every evaluation of f), the exact value
    ``df(x)`` in float64. The model adds the scheme's truncation term to its round-off term,
    with eps the machine epsilon of ``dtype``: forward :math:`|f''|h/2 + 2\varepsilon|f|/h`,
    central :math:`|f'''|h^2/6 + \varepsilon|f|/h`, Richardson
    :math:`|f^{(5)}|h^4/480 + 3\varepsilon|f|/h`, complex step
    :math:`|f'''|h^2/6 + \varepsilon|f'|` (``mathcore.schemes`` has each record).

    Parameters
    ----------
    f, df : callable
        The function and its exact derivative, both numpy-vectorised.
    x : float
        The point, finite.
    h : array_like, optional
        Strictly positive steps; by default ``default_steps()``, 1e-16 to 1.
    scheme : str
        A name in ``SCHEMES``: forward, backward, central, complex-step, richardson,
        forward-naive.
    dtype : {numpy.float64, numpy.float32}
    derivatives : mapping of int to callable, optional
        Exact higher derivatives by order (for a parsed function, ``higher_derivatives(fn)``).
        Without the one the scheme needs, it comes from a local Chebyshev fit of ``df`` on
        the sides of x the stencil reaches.

    Examples
    --------
    >>> s = error_sweep(np.exp, np.exp, 1.0, scheme="central")
    >>> bool(1e-6 < s.best_h < 1e-4), s.has_model
    (True, True)
    """
    point = _SweepInputs.check(f, df, x, h, scheme, dtype)
    steps, exact = point.steps, point.exact
    estimate = point.scheme.kernel(f, np.asarray(point.x, dtype=point.dtype), steps)

    error = np.subtract(estimate, exact, dtype=np.float64)
    np.abs(error, out=error)
    relative = error * (1 / abs(exact)) if exact != 0 else error
    best = int(np.argmin(error))
    model = _model(point, df, derivatives)
    h64 = steps.astype(np.float64, copy=False)
    if model.exists:
        model_error = _truncation_plus_roundoff(h64, model.a, point.scheme.order, model.b)
        if model.c:
            model_error += model.c
    else:
        model_error = np.full(h64.shape, np.nan)
    return ErrorSweep(
        scheme=point.scheme.name,
        dtype=point.dtype,
        x=point.x,
        exact=exact,
        h=steps,
        estimate=estimate,
        error=error,
        relative_error=relative,
        best_h=float(steps[best]),
        best_error=float(error[best]),
        model_error=model_error,
        model_best_h=model.best_h,
        floor=ERROR_FLOOR,
        has_model=model.exists,
        model_note=model.note,
    )
