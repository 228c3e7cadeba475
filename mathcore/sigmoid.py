"""The logistic sigmoid, its derivative and the zones where that derivative vanishes."""

from __future__ import annotations

from typing import Any

import numpy as np

from .elementary import _np_sigmoid, _np_sigmoid_prime

SIGMOID_PEAK_SLOPE = 0.25
"""The largest value of sigma'(x), reached at x = 0."""


def _shown(arr: np.ndarray) -> str:
    """An array as an error message shows it: its shape and at most three values."""
    flat = arr.ravel()
    values = ", ".join(repr(v.item()) for v in flat[:3]) + (", ..." if flat.size > 3 else "")
    return f"an array of shape {arr.shape} ({values})" if arr.ndim else repr(arr.item())


def _number_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a real or complex floating array with no NaN; float32 and complex64 kept."""
    try:
        arr = np.asarray(value)
    except Exception:  # ragged lists and other shapes numpy refuses
        raise ValueError(f"{name} must be a number or an array of numbers; got {type(value).__name__}.") from None
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"{name} must hold numbers (real or complex); got dtype {arr.dtype} "
                         f"in {_shown(arr)}.")
    if not np.issubdtype(arr.dtype, np.inexact):
        arr = arr.astype(np.float64)
    bad = np.isnan(arr)
    if np.any(bad):
        first = np.argwhere(bad)[0] if arr.ndim else ()
        raise ValueError(f"{name} must not contain NaN; the sigmoid is defined for every other number. "
                         f"{name} is {_shown(arr)} with {int(np.count_nonzero(bad))} NaN, the first at "
                         f"index {tuple(int(i) for i in first)}.")
    return arr


def sigmoid(x: Any) -> np.ndarray:
    r"""Numerically stable logistic function :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    Only :math:`e^{-|x|}` is ever computed, which lies in (0, 1], so no input overflows:
    for x < 0 the equivalent form :math:`e^{x} / (1 + e^{x})` is used. Complex x (as the
    complex step passes) takes the same branches on Re x, so ``complex_step(sigmoid, x, h)``
    gives sigma'(x).

    Examples
    --------
    >>> sigmoid(np.array([0.0, 1e308, -1e308]))
    array([0.5, 1. , 0. ])
    >>> round(complex(sigmoid(2.0 + 1e-20j)).imag / 1e-20, 12)  # sigma'(2) = sigma(2) sigma(-2)
    0.104993585404
    """
    x = _number_array(x, "x")
    with np.errstate(over="ignore"):  # e^{-w} with Re w >= 0 cannot overflow; huge Im w may
        return _np_sigmoid(x)


def sigmoid_prime(x: Any) -> np.ndarray:
    r"""Derivative :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x)) = \sigma(x)\sigma(-x)`.

    Written as :math:`e^{-|x|} / (1 + e^{-|x|})^2`, which stays positive wherever the true value
    is representable; the naive :math:`\sigma(1-\sigma)` rounds to exactly 0 beyond x ≈ 37.
    sigma' is even, so complex x uses :math:`\pm x` with non-negative real part.

    Examples
    --------
    >>> float(sigmoid_prime(0.0))
    0.25
    >>> bool(sigmoid_prime(40.0) > 0)
    True
    """
    x = _number_array(x, "x")
    # Within ~1e-8 of 0 the true value, 0.25 - x^2/16 + ..., rounds to 0.25, but the quotient
    # can round up one ULP past it; the peak is a bound, so a real result is held to it.
    with np.errstate(over="ignore"):
        return _np_sigmoid_prime(x)


def vanishing_zone(threshold: Any = 0.01) -> np.ndarray:
    r"""The edge x* > 0 of the vanishing-gradient zone: :math:`\sigma'(x) < t \iff |x| > x^*`.

    Solving :math:`s(1-s) = t` for :math:`s = \sigma(x^*) > 1/2` gives
    :math:`s = (1 + r)/2` with :math:`r = \sqrt{1 - 4t}`, and through the logit
    :math:`x^* = \log\frac{s}{1-s} = 2\log(1 + r) - \log(4t)`, a form with no cancellation
    for small t.

    Parameters
    ----------
    threshold : float or array_like
        A gradient level strictly between 0 and 0.25 (the peak of sigma').

    Examples
    --------
    >>> round(float(vanishing_zone(0.01)), 4)
    4.5849
    """
    t = _real_array(threshold)
    if t is None or not np.all((t > 0) & (t < SIGMOID_PEAK_SLOPE)):
        shown = _shown(t) if t is not None else f"{type(threshold).__name__} {_short(threshold)}"
        raise ValueError(
            "threshold must lie strictly between 0 and 0.25, the largest value of sigma'(x); "
            f"got {shown}."
        )
    r = np.sqrt(1 - 4 * t)
    return 2 * np.log1p(r) - np.log(4 * t)



def _real_array(value: Any) -> np.ndarray | None:
    """``value`` as a real floating array, or None when it is not real numbers."""
    try:
        arr = np.asarray(value)
    except Exception:
        return None
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        return None
    return arr if np.issubdtype(arr.dtype, np.floating) else arr.astype(np.float64)


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
