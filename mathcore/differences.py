r"""Finite-difference and complex-step estimates of f'(x), vectorised over x and h.

Every scheme broadcasts ``x`` against ``h`` and keeps their precision: float32 inputs give a
float32 estimate, so round-off can be studied at either precision.

The step actually taken
-----------------------
``x + h`` is rounded to a float, so at large |x| the step between the two points f is evaluated
at is not h but :math:`\tilde h = \operatorname{fl}(x + h) - x`, which can differ from h by up
to half an ULP of x (Numerical Recipes, section 5.7). The schemes here divide by the step
actually taken, so that error is gone: ``forward_difference(np.sin, 1e4, 1e-6)`` is the slope of
a real secant. ``naive_forward_difference`` divides by h as written, and keeps the error
:math:`|f'(x)|\,|\tilde h - h| / h \le \varepsilon |x f'(x)| / 2h` for the lesson of showing it.
Where ``x + h`` rounds back to x the step taken is zero, f is evaluated twice at one point, the
difference is exactly zero and so is the estimate, as in the formula written with h.

None of them writes into the array f returns: f may return a cached or shared array, a Python
number, a 0-d array or integers.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._checks import _broadcast_shape, _check_callable, _finite, _function_values, _steps

ArrayFunction = Callable[[np.ndarray], Any]


def _shaped(out: Any, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """The estimate in the precision of x and h, in the broadcast shape of x and h, even when f
    returned a single number for an array of points.
    """
    out = np.asarray(out)
    if out.shape != shape:
        return np.broadcast_to(out, shape).astype(dtype)
    return out.astype(dtype, copy=False)


def _all_finite(values: np.ndarray) -> bool:
    """One pass instead of a mask: a NaN or infinity anywhere makes the sum non-finite (so may
    a huge sum, which only sends the caller to its slower exact check).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(np.sum(values)))


def _quotient(f: ArrayFunction, upper: np.ndarray, lower: np.ndarray, step: np.ndarray,
              labels: tuple[str, str], divisor: float = 1.0) -> np.ndarray:
    """(f(upper) - f(lower)) / (divisor * step), checked once, on the result.

    The difference is a new array, so what f returned is never written to. A step that
    rounded to zero (x + h == x) leaves the exactly zero difference at zero instead of 0 / 0;
    NaN or infinity in f is reported with the first point where it occurs.
    """
    hi = _function_values(f, upper, labels[0], check=False)
    lo = _function_values(f, lower, labels[1], check=False)
    out = np.subtract(hi, lo)
    shape = np.broadcast_shapes(np.shape(out), step.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(out, np.ndarray) and out.shape == shape:
            out /= step
            if divisor != 1:
                out /= divisor
        else:
            out = out / (divisor * step)
    if not _all_finite(out):
        _function_values(f, upper, labels[0], values=hi)
        _function_values(f, lower, labels[1], values=lo)
        out = np.where(step == 0, 0.0, out)
    return _shaped(out, shape, step.dtype)


# The kernels assume checked inputs; error_sweep calls them directly so that a sweep over a
# million steps validates them once. Each evaluates f(x) once per x, not once per (x, h). They
# write only into arrays they made themselves, never into what f returned.

def _forward(f: ArrayFunction, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    up = x + h
    return _quotient(f, up, x, up - x, ("x + h", "x"))


def _naive_forward(f: ArrayFunction, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    up = x + h
    return _quotient(f, up, x, np.broadcast_to(h, up.shape).astype(up.dtype), ("x + h", "x"))


def _backward(f: ArrayFunction, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    down = x - h
    return _quotient(f, x, down, x - down, ("x", "x - h"))


def _central(f: ArrayFunction, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    up = x + h
    taken = up - x
    down = x - taken  # the same representable step on both sides, so x stays the midpoint
    return _quotient(f, up, down, up - down, ("x + h", "x - h"))


def _richardson(f: ArrayFunction, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    coarse = _central(f, x, h)
    fine = _central(f, x, h / 2)
    # With the steps taken, the ratio r of the two steps is 2 only up to rounding; the
    # combination (r^2 D(h/r) - D(h)) / (r^2 - 1) cancels the h^2 term for any r. Where both
    # steps round to the same one (or the finer to zero) the two estimates are one and the
    # same, and the textbook ratio 2 returns it unchanged.
    coarse_step, fine_step = (x + h) - x, (x + h / 2) - x
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.square(coarse_step / fine_step)
        out = weight * fine
        out -= coarse
        out /= weight - 1
    if not _all_finite(out):
        same = (fine_step == 0) | (coarse_step == fine_step)
        out = np.where(same, (4 * fine - coarse) / 3, out)
    return _shaped(out, coarse.shape, coarse.dtype)


def _complex_step(f: ArrayFunction, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    complex_dtype = np.result_type(x.dtype, h.dtype, np.complex64)
    z = np.add(x, h.astype(complex_dtype) * 1j, dtype=complex_dtype)
    values = _function_values(f, z, "x + ih", complex_input=True)
    out = values.imag / h
    return _shaped(out, z.shape, np.result_type(x.dtype, h.dtype))


def _prepare(f: ArrayFunction, x: Any, h: Any) -> tuple[np.ndarray, np.ndarray]:
    """Checked x and h. They are not broadcast here, so f(x) is evaluated once per x, not
    once per (x, h) pair: a sweep over a million steps costs one evaluation of f, not two.
    """
    _check_callable(f)
    x, h = _finite(x, "x"), _steps(h)
    _broadcast_shape(x, h)
    return x, h


def forward_difference(f: ArrayFunction, x: Any, h: Any) -> np.ndarray:
    r"""Forward difference :math:`(f(x+\tilde h) - f(x)) / \tilde h`, first order in h.

    :math:`\tilde h = \operatorname{fl}(x + h) - x` is the step actually taken (see the module
    docstring); it equals h wherever x + h is exact.

    Parameters
    ----------
    f : callable
        A numpy-vectorised function of x, returning real numbers (ints are accepted).
    x, h : array_like
        Points and strictly positive steps; they broadcast against each other.

    Returns
    -------
    numpy.ndarray
        The estimates of f'(x), in the precision of ``x`` and ``h``.

    Examples
    --------
    >>> float(forward_difference(lambda x: x**2, 1.0, 0.5))  # 2*x0 + h
    2.5
    """
    return _forward(f, *_prepare(f, x, h))


def naive_forward_difference(f: ArrayFunction, x: Any, h: Any) -> np.ndarray:
    r"""Forward difference divided by the step as written, :math:`(f(x+h) - f(x)) / h`.

    It differs from ``forward_difference`` only where x + h is rounded: at large |x| it adds an
    error of up to :math:`\varepsilon |x f'(x)| / 2h`, the lesson of Numerical Recipes 5.7.

    Examples
    --------
    >>> x, h = 1e4, 1e-9
    >>> bool(abs(naive_forward_difference(np.sin, x, h) - np.cos(x)) > 1e-5)
    True
    >>> bool(abs(forward_difference(np.sin, x, h) - np.cos(x)) < 1e-5)
    True
    """
    return _naive_forward(f, *_prepare(f, x, h))


def backward_difference(f: ArrayFunction, x: Any, h: Any) -> np.ndarray:
    r"""Backward difference :math:`(f(x) - f(x-\tilde h)) / \tilde h`, first order in h.

    Examples
    --------
    >>> float(backward_difference(lambda x: x**2, 1.0, 0.5))  # 2*x0 - h
    1.5
    """
    return _backward(f, *_prepare(f, x, h))


def central_difference(f: ArrayFunction, x: Any, h: Any) -> np.ndarray:
    r"""Central difference :math:`(f(x+\tilde h) - f(x-\tilde h)) / 2\tilde h`, second order in h.

    Examples
    --------
    >>> float(central_difference(lambda x: x**3, 1.0, 0.5))  # 3*x0**2 + h**2
    3.25
    """
    return _central(f, *_prepare(f, x, h))


def complex_step(f: ArrayFunction, x: Any, h: Any) -> np.ndarray:
    r"""Complex-step derivative :math:`\operatorname{Im} f(x + ih) / h`.

    No subtraction takes place, so there is no cancellation: for an analytic f that accepts
    complex input the estimate is exact to a few ULPs for any h below about 1e-8. x + ih is
    exact, so no step correction is needed.

    Examples
    --------
    >>> float(complex_step(np.sin, 0.0, 1e-20))
    1.0
    """
    return _complex_step(f, *_prepare(f, x, h))


def richardson(f: ArrayFunction, x: Any, h: Any) -> np.ndarray:
    r"""Central difference with one Richardson extrapolation level, fourth order in h.

    With :math:`D(h) = (f(x+h) - f(x-h)) / 2h = f' + c h^2 + O(h^4)`, the combination
    :math:`(4 D(h/2) - D(h)) / 3` cancels the :math:`h^2` term. With the steps actually taken
    (ratio r, 2 up to rounding) it is :math:`(r^2 D(h/r) - D(h)) / (r^2 - 1)`.

    Examples
    --------
    >>> round(float(richardson(np.exp, 0.0, 0.1)), 6)  # error h**4 / 480 = 2e-7
    1.0
    """
    return _richardson(f, *_prepare(f, x, h))


def secant_slope(f: ArrayFunction, x0: Any, h: Any) -> np.ndarray:
    r"""Slope of the secant through :math:`(x_0, f(x_0))` and :math:`(x_0+h, f(x_0+h))`.

    x0 + h is rounded to a float; the slope is that of the secant through the points f is
    really evaluated at.

    Examples
    --------
    >>> secant_slope(lambda x: x**2, 1.0, np.array([1.0, 0.5, 0.25]))  # 2*x0 + h
    array([3.  , 2.5 , 2.25])
    """
    return forward_difference(f, x0, h)


def secant_line(f: ArrayFunction, x0: Any, h: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""Slope and intercept of the secant line through x0 and x0 + h.

    Returns
    -------
    (slope, intercept) : tuple of numpy.ndarray
        The line is :math:`y = \text{slope}\cdot x + \text{intercept}`.

    Examples
    --------
    >>> [float(v) for v in secant_line(lambda x: x**2, 1.0, 1.0)]  # through (1, 1) and (2, 4)
    [3.0, -2.0]
    """
    slope = secant_slope(f, x0, h)
    x0 = _finite(x0, "x0")
    return slope, _function_values(f, x0, "x0") - slope * x0


def tangent_line(f: ArrayFunction, df: ArrayFunction, x0: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""Slope and intercept of the tangent :math:`y = f(x_0) + f'(x_0)(x - x_0)`.

    Examples
    --------
    >>> [float(v) for v in tangent_line(lambda x: x**2, lambda x: 2 * x, 1.0)]
    [2.0, -1.0]
    """
    _check_callable(f)
    _check_callable(df, "df")
    x0 = _finite(x0, "x0")
    slope = np.array(_function_values(df, x0, "x0", name="df"), dtype=np.result_type(x0, np.float32))
    return slope, _function_values(f, x0, "x0") - slope * x0


GRADIENT_SCHEMES = ("forward", "central")
"""The schemes finite_difference_gradient takes."""
_EPS64 = float(np.finfo(np.float64).eps)
_GRADIENT_STEP = {"forward": np.sqrt(_EPS64), "central": np.cbrt(3 * _EPS64)}


def finite_difference_gradient(f: Callable[[np.ndarray], Any], w: Any, scheme: str = "forward") -> np.ndarray:
    r"""The gradient of :math:`f:\mathbb{R}^n\to\mathbb{R}` by mathcore's difference kernels.

    Each partial derivative is the one-variable scheme applied to the section
    :math:`\phi_i(t) = f(w + t e_i)` at t = 0, with
    :math:`h_i = \sqrt{\varepsilon}\max(1, |w_i|)` (forward) or
    :math:`(3\varepsilon)^{1/3}\max(1, |w_i|)` (central). The kernels evaluate f once at the
    shared centre, so forward costs n + 1 calls of f and central 2n.

    Parameters
    ----------
    f : callable
        Takes a float64 vector of shape (n,) and returns a number; it must not keep the vector.
    w : array_like
        The point, shape (n,).
    scheme : {"forward", "central"}

    Examples
    --------
    >>> finite_difference_gradient(lambda v: v[0] ** 2 + 3 * v[1], [1.0, 2.0], "central")
    array([2., 3.])
    """
    _check_callable(f)
    if scheme not in GRADIENT_SCHEMES:
        raise ValueError(f"unknown scheme '{scheme}'; choose one of: " + ", ".join(GRADIENT_SCHEMES) + ".")
    w = _finite(w, "w").astype(np.float64)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"w must be a non-empty vector of shape (n,); got shape {w.shape}.")
    steps = _GRADIENT_STEP[scheme] * np.maximum(1.0, np.abs(w))
    from .schemes import SCHEMES  # here, not at the top: schemes.py is built from this module

    return SCHEMES[scheme].kernel(_sections(f, w), np.float64(0.0), steps)


def _sections(f: Callable[[np.ndarray], Any], w: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """phi(t): f(w) for the 0-d displacement 0, and [f(w + t_i e_i)]_i for a vector t.

    The kernels ask for phi at the centre (a scalar) and at the displaced points (a vector, one
    entry per axis), so a scalar kernel becomes a gradient without evaluating f(w) n times.
    """
    point = w.copy()

    def phi(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t)
        if t.ndim == 0:  # the kernels' centre, t = 0
            return _scalar(f(point))
        out = np.empty(t.shape)
        for i, ti in enumerate(t):
            point[i] = w[i] + ti
            out[i] = _scalar(f(point))
            point[i] = w[i]
        return out

    return phi


def _scalar(value: Any) -> float:
    """The value of f at one point, which must be a single real number."""
    if np.ndim(value) != 0:
        raise ValueError(f"f must return one number for a vector w; it returned shape {np.shape(value)}.")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"f must return a real number; it returned {type(value).__name__}.") from None
