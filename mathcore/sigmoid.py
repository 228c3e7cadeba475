"""The logistic sigmoid, its derivative and the zones where that derivative vanishes."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import _float_array

SIGMOID_PEAK_SLOPE = 0.25
"""The largest value of sigma'(x), reached at x = 0."""


def _no_nan(x: Any) -> np.ndarray:
    arr = _float_array(x, "x")
    if np.any(np.isnan(arr)):
        raise ValueError("x must not contain NaN; the sigmoid is defined for every other float.")
    return arr


def sigmoid(x: Any) -> np.ndarray:
    r"""Numerically stable logistic function :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    Only :math:`e^{-|x|}` is ever computed, which lies in (0, 1], so no input overflows:
    for x < 0 the equivalent form :math:`e^{x} / (1 + e^{x})` is used.

    Examples
    --------
    >>> sigmoid(np.array([0.0, 1e308, -1e308]))
    array([0.5, 1. , 0. ])
    """
    x = _no_nan(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_prime(x: Any) -> np.ndarray:
    r"""Derivative :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x)) = \sigma(x)\sigma(-x)`.

    Written as :math:`e^{-|x|} / (1 + e^{-|x|})^2`, which stays positive wherever the true value
    is representable; the naive :math:`\sigma(1-\sigma)` rounds to exactly 0 beyond x ≈ 37.

    Examples
    --------
    >>> float(sigmoid_prime(0.0))
    0.25
    >>> bool(sigmoid_prime(40.0) > 0)
    True
    """
    x = _no_nan(x)
    e = np.exp(-np.abs(x))
    # Within ~1e-8 of 0 the true value, 0.25 - x^2/16 + ..., rounds to 0.25, but the quotient
    # can round up one ULP past it; the peak is a bound, so the result is held to it.
    return np.minimum(e / (1 + e) ** 2, np.asarray(SIGMOID_PEAK_SLOPE, dtype=e.dtype))


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
    t = _float_array(threshold, "threshold")
    if np.any(np.isnan(t)) or np.any(t <= 0) or np.any(t >= SIGMOID_PEAK_SLOPE):
        raise ValueError(
            "threshold must lie strictly between 0 and 0.25, the largest value of sigma'(x); "
            f"got {threshold!r}."
        )
    r = np.sqrt(1 - 4 * t)
    return 2 * np.log1p(r) - np.log(4 * t)
