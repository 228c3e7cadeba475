"""Where a parsed function or its derivative is undefined, infinite or not smooth.

``mathcore._roots`` finds the candidates: the points of an interval where an abs, sign, log,
fractional or negative power, or tan in the expression can break f or f'. Each candidate s is
classified here from one-sided limits: f and f' are evaluated in mpmath at 200 bits at
s +- scale 2^-k for k = 30, 50, 70, 90, and a side's limit is taken where successive values
settle (the geometric tail of their differences added), or called infinite where they grow
monotonically. A candidate at which f is continuous with equal one-sided derivatives (|x|^3 at
0) is not a singularity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ._evaluate import exact_value, working_precision
from ._roots import BITS, MAX_SINGULARITIES, TooMany, candidates

KINDS = ("smooth", "kink", "pole", "jump", "removable", "endpoint", "outside-domain")
"""What a point can be: see ``PointClass``."""
_BITS = BITS
_OFFSETS = (30, 50, 70, 90)
_AGREE = 1e-6


@dataclass(frozen=True)
class Singularity:
    """A point where f or f' is not continuous: its kind and one-sided limits.

    ``kind`` is "pole" (|f| grows without bound on a side), "jump" (f tends to different
    values, or to none, from the two sides), "removable" (f is undefined but has one limit),
    "endpoint" (f is defined on one side only) or "kink" (f continuous, f' not).
    Limits are None where f (or f') has none on that side; they may be +-inf.
    """

    x: float
    kind: str
    left_value: float | None
    right_value: float | None
    left_derivative: float | None
    right_derivative: float | None


@dataclass(frozen=True)
class PointClass:
    """What f is like at x0, for a scene to refuse the point or teach from it.

    ``kind`` is one of ``KINDS``: "smooth" (f' exists), one of the ``Singularity`` kinds, or
    "outside-domain" (f has no real value at x0). ``left_derivative`` and
    ``right_derivative`` are the one-sided derivatives where they exist (equal to f'(x0) at a
    smooth point, +-inf at a vertical slope, None where there is none). ``nearest_singularity``
    is the closest singular point within the window searched (None if there is none) and
    ``reason`` one sentence saying what was found.
    """

    x: float
    kind: str
    value: float
    left_derivative: float | None
    right_derivative: float | None
    nearest_singularity: float | None
    nearest_kind: str | None
    reason: str

    @property
    def differentiable(self) -> bool:
        """True when f'(x0) exists."""
        return self.kind == "smooth"


def _limit(values: list[Any]) -> tuple[str, Any]:
    """("undefined" | "finite" | "infinite" | "none", value) of a sequence approaching a point.

    The offsets shrink by 2^-20 each, so where f(s + d) = L + c d^p + ... the successive
    differences shrink geometrically; their tail is added to the last value (p need not be
    known: 1 for a smooth side, 1/2 beside a square root). A limit no larger than the
    extrapolation's own error (twice the change from extrapolating one step earlier) is 0.
    """
    import mpmath

    if any(v is None for v in values):
        return ("undefined", None)
    last, before = values[-1], values[-2]
    if mpmath.isinf(last):
        return ("infinite", last)
    step, previous_step = last - before, before - values[-3]
    if abs(step) <= _AGREE * max(1, abs(last)) and abs(previous_step) >= abs(step):
        limit, earlier = _extrapolated(values[1:]), _extrapolated(values[:-1])
        size = max([mpmath.mpf(1)] + [abs(v) for v in values])
        if abs(limit) <= 2 * abs(limit - earlier) + size * mpmath.mpf(2) ** -100:
            limit = mpmath.mpf(0)  # what is left is the extrapolation's own error
        return ("finite", limit)
    sizes = [abs(v) for v in values]
    if all(s1 < s2 for s1, s2 in zip(sizes, sizes[1:])) and len({mpmath.sign(v) for v in values}) == 1:
        return ("infinite", mpmath.inf * mpmath.sign(last))
    return ("none", None)


def _extrapolated(values: list[Any]) -> Any:
    """The last of three values plus the geometric tail of their differences."""
    step, previous_step = values[2] - values[1], values[1] - values[0]
    ratio = step / previous_step if previous_step else 0
    return values[2] + step * ratio / (1 - ratio) if 0 < ratio < 1 else values[2]


def _as_float(limit: tuple[str, Any]) -> float | None:
    return float(limit[1]) if limit[0] in ("finite", "infinite") else None


def analyse(f_expr: Any, df_expr: Any, x: Any, s: Any, scale: Any) -> Singularity | None:
    """Classify the candidate s (an mpmath number); None where f is continuous and f' too."""
    import mpmath

    with working_precision(_BITS + (max(0, int(mpmath.mag(s))) if s else 0)):  # s +- offset exact at any |s|
        offsets = [scale * mpmath.mpf(2) ** -k for k in _OFFSETS]

        def side(expr: Any, sign: int) -> tuple[str, Any]:
            return _limit([exact_value(expr, x, s + sign * d) for d in offsets])

        fl, fr = side(f_expr, -1), side(f_expr, 1)
        undefined = ("undefined", None)  # no slope where f itself is undefined
        dl = side(df_expr, -1) if fl[0] != "undefined" else undefined
        dr = side(df_expr, 1) if fr[0] != "undefined" else undefined
        center = exact_value(f_expr, x, s)
        left_defined, right_defined = fl[0] != "undefined", fr[0] != "undefined"
        if not (left_defined or right_defined):
            return None
        if left_defined != right_defined:
            kind = "endpoint"
        elif "infinite" in (fl[0], fr[0]):
            kind = "pole"
        elif "none" in (fl[0], fr[0]) or abs(fl[1] - fr[1]) > _AGREE * max(1, abs(fl[1]), abs(fr[1])):
            kind = "jump"
        elif center is None or not mpmath.isfinite(center):
            kind = "removable"
        elif dl[0] == dr[0] == "finite" and abs(dl[1] - dr[1]) <= _AGREE * max(1, abs(dl[1]), abs(dr[1])):
            return None
        else:
            kind = "kink"
    return Singularity(x=float(s), kind=kind, left_value=_as_float(fl), right_value=_as_float(fr),
                       left_derivative=_as_float(dl), right_derivative=_as_float(dr))


def one_sided_limits(expr: Any, x: Any, point: float) -> tuple[float | None, float | None]:
    """The limits of expr as x tends to ``point`` from the left and from the right (None if none).

    Examples
    --------
    >>> import sympy
    >>> t = sympy.Symbol("t", real=True)
    >>> one_sided_limits(sympy.sin(t) / t, t, 0.0)
    (1.0, 1.0)
    """
    import mpmath

    with working_precision(_BITS):
        s = mpmath.mpf(point)
        offsets = [max(abs(s), mpmath.mpf(1)) * mpmath.mpf(2) ** -(k + 10) for k in _OFFSETS]
        left = _limit([exact_value(expr, x, s - d) for d in offsets])
        right = _limit([exact_value(expr, x, s + d) for d in offsets])
    return _as_float(left), _as_float(right)


def local_scale(s: Any, others: list[Any]) -> Any:
    """How far from s the one-sided analysis may look.

    max(1, |s|), or a quarter of the gap to the next candidate if that is smaller.
    """
    import mpmath

    gaps = [abs(o - s) for o in others if o != s]
    return min([max(mpmath.mpf(1), abs(s))] + [g / 4 for g in gaps if g > 0])


def singular_points(f_expr: Any, df_expr: Any, x: Any, a: float, b: float, text: str) -> tuple[Singularity, ...]:
    """Every singular point of f in [a, b], classified, in increasing order."""
    try:
        points = candidates(f_expr, df_expr, x, a, b)
    except TooMany:
        raise ValueError(f"{text} has more than {MAX_SINGULARITIES} singular points in "
                         f"[{a:g}, {b:g}]; choose a narrower interval.") from None
    found = (analyse(f_expr, df_expr, x, s, local_scale(s, points)) for s in points)
    return tuple(p for p in found if p is not None)


def _fmt(v: float | None) -> str:
    if v is None:
        return "none"
    return "+inf" if v == math.inf else f"{v:.6g}"


def classify(f_expr: Any, df_expr: Any, x: Any, x0: float, window: float, text: str,
             slope: Callable[[float], Any]) -> PointClass:
    """Classify x0: smooth, a singular point of f (within a few ULPs), or outside the domain.

    ``slope`` evaluates f' where sympy's formula for it may be undefined though f' exists
    (the derivative at 0 of |x|^3, 3x^2 sgn x).
    """
    import mpmath

    for _ in range(6):  # too many candidates (tan(exp(x)) over a wide window): look closer
        try:
            points = candidates(f_expr, df_expr, x, x0 - window, x0 + window, near=x0)
            break
        except TooMany:
            window /= 100
    else:
        raise ValueError(f"{text} has too many singular points near x0 = {x0:g} to classify it.")
    nearest = None
    for s in sorted(points, key=lambda r: abs(r - x0)):
        nearest = analyse(f_expr, df_expr, x, s, local_scale(s, points))
        if nearest is not None:
            break
    with working_precision(_BITS):
        point = mpmath.mpf(x0)
        at = nearest is not None and abs(nearest.x - x0) <= 4 * np.spacing(max(abs(x0), abs(nearest.x)))
        f0 = exact_value(f_expr, x, point)
    value = float(f0) if f0 is not None else math.nan
    near_x, near_kind = (nearest.x, nearest.kind) if nearest is not None else (None, None)
    where = f"x0 = {x0:g}"
    if at and nearest.kind == "endpoint" and f0 is None:
        return PointClass(x0, "outside-domain", math.nan, None, None, near_x, near_kind,
                          f"{where} lies just outside the domain of {text}, at its edge: f has no "
                          f"real value there.")
    if at:
        s = nearest
        reason = {
            "kink": f"{text} has a kink at {where}: the slope from the left is {_fmt(s.left_derivative)} "
                    f"and from the right {_fmt(s.right_derivative)}, so f'(x0) does not exist.",
            "pole": f"{where} is a pole of {text}: |f| grows without bound there "
                    f"(from the left it tends to {_fmt(s.left_value)}, from the right to {_fmt(s.right_value)}).",
            "jump": f"{text} jumps at {where}: from the left it tends to {_fmt(s.left_value)}, "
                    f"from the right to {_fmt(s.right_value)}.",
            "removable": f"{text} is undefined at {where}, though it tends to {_fmt(s.left_value)} "
                         "from both sides (a removable singularity).",
            "endpoint": f"{where} is an endpoint of the domain of {text}: points just "
                        f"{'left' if s.left_value is None else 'right'} of it lie outside the domain, so "
                        f"f'(x0) does not exist; only the slope from the "
                        f"{'right' if s.left_value is None else 'left'} does "
                        f"({_fmt(s.right_derivative if s.left_value is None else s.left_derivative)}).",
        }[s.kind]
        return PointClass(x0, s.kind, value, s.left_derivative, s.right_derivative, near_x, near_kind, reason)
    if f0 is None or not mpmath.isfinite(f0):
        return PointClass(x0, "outside-domain", math.nan, None, None, near_x, near_kind,
                          f"{where} lies outside the domain of {text}: f has no real value there.")
    d0 = float(slope(x0))
    if not math.isfinite(d0):  # missed by the candidate search: look at x0 itself
        s = analyse(f_expr, df_expr, x, point, local_scale(point, points))
        kind = s.kind if s is not None else "kink"
        left, right = (s.left_derivative, s.right_derivative) if s is not None else (None, None)
        return PointClass(x0, kind, value, left, right, near_x, near_kind,
                          f"f'(x0) of {text} is not finite at {where} (a {kind}).")
    return PointClass(x0, "smooth", value, d0, d0, near_x, near_kind,
                      f"{text} is smooth at {where}: f'(x0) = {d0:.6g}.")
