"""Higher derivatives of a function near x, from a Chebyshev fit on the widest interval where
it is smooth.

The error model needs |f''|, |f'''| or |f^(5)| at x to a few digits, and ``derivative`` needs a
step over which f is smooth. Both come from here: the function is sampled at the Chebyshev
points of intervals around x whose radius halves from well beyond x's scale down to a few
hundred ULPs of x, and the widest interval on which the degree-16 Chebyshev interpolant is
*resolved* (its last three coefficients are below 1e-10 of its largest non-constant one, or
at the rounding level of its values; Trefethen, *Approximation Theory and Approximation
Practice*, ch. 8) is kept. Near a pole at distance d that is a radius of
about d / 3, so the derivatives are taken on the scale where f actually varies, whatever x and
whatever fixed step one might have guessed. An interval may be centred on x or lie on one side of
it (x at an end), so a domain edge or a kink on one side is never crossed: the sides allowed are
the caller's. No interval with a non-finite value is used.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable

import numpy as np
from numpy.polynomial import chebyshev as cheb

DEGREE = 16
"""Degree of the local Chebyshev interpolant: 17 samples per interval."""
RESOLVED = 1e-10
"""An interpolant is resolved when its last three coefficients are below this fraction of its
largest non-constant one: its derivatives up to the fourth are then right to a few digits."""
QUANTUM = 1e-4
"""A function exactly constant only on intervals narrower than this times max(|x|, 1), and not
on wider ones, is taken to be quantised rather than flat."""
LEVELS = 64
"""Most radii tried, each half the one before."""


@cache
def _nodes_and_fit() -> tuple[np.ndarray, np.ndarray]:
    """Chebyshev points of the first kind on [-1, 1] and the matrix taking values there to
    Chebyshev coefficients.
    """
    k = np.arange(DEGREE + 1)
    nodes = np.cos(np.pi * (2 * k + 1) / (2 * (DEGREE + 1)))
    return nodes, np.linalg.inv(cheb.chebvander(nodes, DEGREE))


@cache
def _derivative_weights(u: float, k: int) -> np.ndarray:
    """T_j^(k)(u) for j = 0..DEGREE; x sits at u = 0 or at an end, so a few are ever made."""
    unit = np.eye(DEGREE + 1)
    weights = cheb.chebval(u, cheb.chebder(unit, k) if k else unit)
    weights.flags.writeable = False
    return weights


@dataclass(frozen=True)
class LocalFit:
    """A resolved Chebyshev interpolant of g on [center - radius, center + radius]."""

    x: float
    center: float
    radius: float
    coefficients: np.ndarray
    side: int
    """0 when the interval is centred on x, +1 when it lies right of x, -1 left of it."""
    opposite: LocalFit | None = None
    """The fit on the other side when both one-sided fits resolved but the centred one did
    not: a kink at x, or a singularity equally near on both sides."""

    scale: float = 0.0
    """The largest |g| sampled on the interval, which sets the rounding in the coefficients."""

    @property
    def tail(self) -> float:
        """The largest of the last three coefficients: what the fit leaves unresolved, at least
        the noise in the samples.
        """
        return float(np.max(np.abs(self.coefficients[-3:])))

    def _weights(self, k: int) -> np.ndarray:
        """T_j^(k) at x for every j, so that g^(k)(x) = sum_j c_j T_j^(k)(x) / radius^k."""
        return _derivative_weights(float(np.clip((self.x - self.center) / self.radius, -1, 1)), k)

    def derivative(self, k: int) -> float:
        """The k-th derivative of the interpolant at x."""
        return float(self._weights(k) @ self.coefficients) / self.radius**k

    def rounding(self, k: int) -> float:
        """How far the k-th derivative can move when every sample is off by a few ULPs: below
        this a derivative is indistinguishable from zero.
        """
        eps = np.finfo(np.float64).eps
        return float(8 * eps * self.scale * np.sum(np.abs(self._weights(k)))) / self.radius**k


def local_fit(g: Callable[[Any], Any], x: float, sides: tuple[int, ...] = (-1, 1),
              radius_max: float | None = None, tolerance: float = RESOLVED) -> LocalFit | None:
    """The widest resolved fit of g near x, or None when g is not smooth on any interval there.

    ``sides`` lists the sides of x that may be sampled: (1,) only right of x, (-1,) only left,
    (-1, 1) either or both. The radii run from ``radius_max`` (by default 64 max(|x|, 1)) down
    by halves to about 300 ULPs of max(|x|, 1e-300).
    """
    nodes, fit = _nodes_and_fit()
    scale = max(abs(x), 1.0)
    top = max(64 * scale, radius_max or 0.0)
    bottom = 300 * np.spacing(max(abs(x), 1e-300))
    levels = min(LEVELS, max(1, int(np.log2(top) - np.log2(bottom))))
    radii = top * 0.5 ** np.arange(levels)
    orientations = [s for s in (0, 1, -1) if s == 0 and len(sides) == 2 or s in sides]
    centers = np.array([[x + s * r for r in radii] for s in orientations])  # (orientations, levels)
    points = centers[..., None] + radii[None, :, None] * nodes  # (orientations, levels, nodes)
    try:
        with np.errstate(all="ignore"):
            values = np.asarray(g(points.ravel()), dtype=np.float64)
        values = np.broadcast_to(values, points.size).reshape(points.shape)
    except Exception:  # g refuses arrays, or returns complex or text: no model from samples
        return None
    usable = np.all(np.isfinite(values), axis=-1)
    coefficients = np.einsum("ij,olj->oli", fit, np.where(usable[..., None], values, 0.0))
    # Measured against the variation (every coefficient but the mean), or a nearly constant
    # function would pass on any interval; a tail at the rounding level of the values passes.
    variation = np.max(np.abs(coefficients[..., 1:]), axis=-1)
    tail = np.max(np.abs(coefficients[..., -3:]), axis=-1)
    rounding = 64 * np.finfo(np.float64).eps * np.max(np.abs(values), axis=-1)
    resolved = usable & ((tail <= tolerance * variation) | (tail <= rounding))
    # Constant samples (to rounding) on a tiny interval but not on a wider one are a function
    # computed in coarse steps (float32, say): quantisation, not a zero derivative. (On a
    # wide one, as floor(x) at 0.5, the constant is real.)
    flat = variation <= rounding
    wider_varied = np.maximum.accumulate((usable & ~flat).any(axis=0))
    quantised = wider_varied & (radii < QUANTUM * scale)
    resolved &= ~flat | ~quantised[None, :]
    def fit(o: int, level: int) -> LocalFit:
        return LocalFit(x, float(centers[o, level]), float(radii[level]), coefficients[o, level].copy(),
                        orientations[o], scale=float(np.max(np.abs(values[o, level]))))

    found = np.flatnonzero(resolved.any(axis=0))
    if not found.size:
        return None
    first = int(found[0])
    if orientations[0] == 0:
        # x inside its interval gives far better derivatives than x at an end: a centred fit
        # up to four times narrower is preferred to a one-sided one
        for level in range(first, min(first + 3, levels)):
            if resolved[0, level]:
                return fit(0, level)
    sides_found = {orientations[o]: o for o in range(len(orientations)) if resolved[o, first]}
    if 1 in sides_found and -1 in sides_found:
        return dataclasses.replace(fit(sides_found[1], first), opposite=fit(sides_found[-1], first))
    return fit(next(iter(sides_found.values())), first)
