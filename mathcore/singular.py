"""Where a parsed function or its derivative is undefined, infinite or not smooth.

Candidates come from the expression itself: f or f' can only misbehave where the argument u of
an abs, sign, log or of a power with a negative or fractional exponent vanishes, or where the
argument of tan reaches pi/2 + k pi. Those equations are solved in closed form when u is linear
in x, otherwise by sampling u on a grid of ``GRID_POINTS`` points, bisecting every sign change
(and every near-touching minimum of |u|), and refining the root in mpmath. Each candidate s is
then classified from one-sided limits: f and f' are evaluated in mpmath at 200 bits at
s +- scale 2^-k for k = 30, 50, 70, 90, and a side's limit is taken where successive values
agree (to 1e-6 relative), or called infinite where they grow monotonically. A candidate at
which f is continuous with equal one-sided derivatives (|x^3| at 0) is not a singularity.
Features narrower than the grid spacing, (b - a)/2048, can be missed where u is not linear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._evaluate import _exact_walk, _function_names, _OutOfRange, _Undefined, float_evaluator

KINDS = ("smooth", "kink", "pole", "jump", "removable", "endpoint", "outside-domain")
"""What a point can be: see ``PointClass``."""
MAX_SINGULARITIES = 200
"""Most candidate points examined in one interval; more is refused as unreadable anyway."""
GRID_POINTS = 2049
"""Samples of each candidate equation's left side in the interval searched."""
_BITS = 200
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


def _const(e: Any) -> Any:
    return _exact_walk(e, None, None, {})


def _value(expr: Any, x: Any, point: Any) -> Any:
    """expr at an mpmath point: None where undefined, +inf beyond the exact evaluator's range."""
    import mpmath

    try:
        return _exact_walk(expr, point, x, {})
    except _Undefined:
        return None
    except _OutOfRange:
        return mpmath.inf


def _generators(exprs: tuple[Any, ...], x: Any) -> list[tuple[Any, Any, Any]]:
    """(u, level, period): f or f' may be singular where u = level + k period (k = 0 if no period)."""
    import sympy

    names = _function_names()
    found: dict[tuple[Any, Any, Any], None] = {}
    for expr in exprs:
        for node in sympy.preorder_traversal(expr):
            name = names.get(type(node))
            if name in ("abs", "sign", "spike", "log"):
                key = (node.args[0], sympy.Integer(0), None)
            elif name == "tan":
                key = (node.args[0], sympy.pi / 2, sympy.pi)
            elif node.is_Pow and not (node.args[1].is_Integer and node.args[1] >= 0):
                key = (node.args[0], sympy.Integer(0), None)
            else:
                continue
            if key[0].has(x):
                found[key] = None
    return list(found)


def _illinois(g: Any, lo: Any, hi: Any, glo: Any, ghi: Any) -> Any:
    """A root of g in [lo, hi] (g(lo), g(hi) of opposite signs) by the Illinois false position."""
    import mpmath

    side = 0
    for _ in range(200):
        mid = (lo * ghi - hi * glo) / (ghi - glo)
        if not lo < mid < hi:
            mid = (lo + hi) / 2
        gm = g(mid)
        if gm is None or gm == 0 or hi - lo <= abs(mid) * mpmath.mpf(2) ** (40 - _BITS) + mpmath.mpf(2) ** -1100:
            return mid
        if (gm > 0) == (ghi > 0):
            hi, ghi = mid, gm
            glo = glo / 2 if side == -1 else glo
            side = -1
        else:
            lo, glo = mid, gm
            ghi = ghi / 2 if side == 1 else ghi
            side = 1
    return (lo + hi) / 2


def _linear_roots(u: Any, x: Any, level: Any, period: Any, a: float, b: float, near: float | None) -> list[Any] | None:
    """The roots of u = level + k period in [a, b] when u is linear in x, else None."""
    import mpmath
    import sympy

    if not u.is_polynomial(x):
        return None
    poly = sympy.Poly(u, x)
    if poly.degree() != 1:
        return None
    alpha, beta = (_const(c) for c in poly.all_coeffs())
    lv = _const(level)
    if period is None:
        roots = [(lv - beta) / alpha]
    else:
        per = _const(period)
        ua, ub = sorted((alpha * a + beta, alpha * b + beta))
        k0, k1 = int(mpmath.ceil((ua - lv) / per)), int(mpmath.floor((ub - lv) / per))
        if k1 - k0 + 1 > MAX_SINGULARITIES:
            if near is None:
                raise _TooMany
            k_near = int(mpmath.nint((alpha * near + beta - lv) / per))
            k0, k1 = max(k0, k_near - MAX_SINGULARITIES // 2), min(k1, k_near + MAX_SINGULARITIES // 2)
        roots = [(lv + k * per - beta) / alpha for k in range(k0, k1 + 1)]
    return [r for r in roots if a <= r <= b]


class _TooMany(Exception):
    pass


def _numeric_roots(u: Any, x: Any, level: Any, period: Any, a: float, b: float) -> list[Any]:
    """Roots of u = level + k period in [a, b] from sign changes and touching minima on a grid."""
    import mpmath

    xs = np.linspace(a, b, GRID_POINTS)
    uf = float_evaluator(u, x, "numpy")
    with np.errstate(all="ignore"):
        values = np.asarray(uf(xs), dtype=np.float64)
    lv, per = _const(level), (_const(period) if period is not None else None)
    finite = np.isfinite(values)
    if per is None:
        index = np.where(values - float(lv) >= 0, 1.0, 0.0)
    else:
        index = np.floor((values - float(lv)) / float(per))
    both = finite[:-1] & finite[1:]
    cells = np.nonzero(both & (index[:-1] != index[1:]))[0]
    count = int(np.sum(np.abs(index[1:] - index[:-1])[cells])) if per is not None else len(cells)
    if count > MAX_SINGULARITIES:
        raise _TooMany
    roots = []
    for i in cells:
        ks = [0] if per is None else range(int(min(index[i], index[i + 1])) + 1, int(max(index[i], index[i + 1])) + 1)
        for k in ks:
            target = lv + k * per if per is not None else lv
            roots.append(_bracketed_root(u, x, target, xs[i], xs[i + 1]))
    if per is None:
        roots += _touching_roots(u, x, lv, xs, values - float(lv))
    return [r for r in roots if r is not None and a <= r <= b]


def _bracketed_root(u: Any, x: Any, target: Any, lo: float, hi: float) -> Any:
    import mpmath

    def g(t: Any) -> Any:
        v = _value(u, x, mpmath.mpf(t))
        return None if v is None else v - target

    glo, ghi = g(lo), g(hi)
    if glo is None or ghi is None or not mpmath.isfinite(glo) or not mpmath.isfinite(ghi):
        return None
    if glo == 0:
        return mpmath.mpf(lo)
    if ghi == 0:
        return mpmath.mpf(hi)
    if (glo > 0) == (ghi > 0):
        return None
    return _illinois(g, mpmath.mpf(lo), mpmath.mpf(hi), glo, ghi)


def _touching_roots(u: Any, x: Any, lv: Any, xs: np.ndarray, g: np.ndarray) -> list[Any]:
    """Zeros of u - level where it touches 0 without crossing: minima of |g| a parabola puts at 0."""
    import mpmath
    import sympy

    inner = np.arange(1, len(xs) - 1)
    gm, g0, gp = g[inner - 1], g[inner], g[inner + 1]
    with np.errstate(all="ignore"):
        same = (gm * gp > 0) & (g0 * gm >= 0) & np.isfinite(gm + g0 + gp)
        local_min = same & (np.abs(g0) <= np.abs(gm)) & (np.abs(g0) <= np.abs(gp))
        curvature = (gm + gp - 2 * g0) / 2
        slope = (gp - gm) / 2
        lowest = g0 - slope**2 / (4 * curvature)  # the vertex of the parabola through the three
        touching = local_min & (np.abs(lowest) <= 1e-6 * np.maximum(np.abs(gm), np.abs(gp)))
    if np.count_nonzero(touching) > MAX_SINGULARITIES:
        raise _TooMany
    du = sympy.diff(u, x)
    roots = []
    for i in inner[touching]:
        s = _bracketed_root(du, x, mpmath.mpf(0), xs[i - 1], xs[i + 1])
        if s is None:
            continue
        value = _value(u, x, s)
        scale = max(abs(g[i - 1]), abs(g[i + 1]))
        if value is not None and abs(value - lv) <= scale * mpmath.mpf(2) ** (40 - _BITS):
            roots.append(s)
    return roots


def candidates(f_expr: Any, df_expr: Any, x: Any, a: float, b: float, near: float | None = None) -> list[Any]:
    """Sorted distinct points of [a, b] (mpmath numbers) where f or f' may be singular.

    Raises _TooMany when more than MAX_SINGULARITIES turn up and ``near`` is not given; with
    ``near`` the ones closest to it are kept.
    """
    import mpmath

    found: list[Any] = []
    with mpmath.workprec(_BITS):
        for u, level, period in _generators((f_expr, df_expr), x):
            roots = _linear_roots(u, x, level, period, a, b, near)
            if roots is None:
                roots = _numeric_roots(u, x, level, period, a, b)
            found.extend(roots)
        found.sort()
        distinct = [r for i, r in enumerate(found)
                    if i == 0 or r - found[i - 1] > abs(r) * mpmath.mpf(2) ** (60 - _BITS)]
    if len(distinct) > MAX_SINGULARITIES:
        if near is None:
            raise _TooMany
        distinct = sorted(sorted(distinct, key=lambda r: abs(r - near))[:MAX_SINGULARITIES])
    return distinct


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

    with mpmath.workprec(_BITS):
        offsets = [scale * mpmath.mpf(2) ** -k for k in _OFFSETS]

        def side(expr: Any, sign: int) -> tuple[str, Any]:
            return _limit([_value(expr, x, s + sign * d) for d in offsets])

        fl, fr = side(f_expr, -1), side(f_expr, 1)
        undefined = ("undefined", None)  # no slope where f itself is undefined
        dl = side(df_expr, -1) if fl[0] != "undefined" else undefined
        dr = side(df_expr, 1) if fr[0] != "undefined" else undefined
        center = _value(f_expr, x, s)
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


def local_scale(s: Any, others: list[Any]) -> Any:
    """How far from s the one-sided analysis may look: 1, or a quarter of the gap to the next point."""
    import mpmath

    gaps = [abs(o - s) for o in others if o != s]
    return min([mpmath.mpf(1)] + [g / 4 for g in gaps if g > 0])


def singular_points(f_expr: Any, df_expr: Any, x: Any, a: float, b: float, text: str) -> tuple[Singularity, ...]:
    """Every singular point of f in [a, b], classified, in increasing order."""
    try:
        points = candidates(f_expr, df_expr, x, a, b)
    except _TooMany:
        raise ValueError(f"{text} has more than {MAX_SINGULARITIES} singular points in "
                         f"[{a:g}, {b:g}]; choose a narrower interval.") from None
    found = (analyse(f_expr, df_expr, x, s, local_scale(s, points)) for s in points)
    return tuple(p for p in found if p is not None)


def _fmt(v: float | None) -> str:
    return "none" if v is None else f"{v:.6g}"


def classify(f_expr: Any, df_expr: Any, x: Any, x0: float, window: float, text: str) -> PointClass:
    """Classify x0: smooth, a singular point of f (within a few ULPs), or outside the domain."""
    import mpmath

    points = candidates(f_expr, df_expr, x, x0 - window, x0 + window, near=x0)
    nearest = None
    for s in sorted(points, key=lambda r: abs(r - x0)):
        nearest = analyse(f_expr, df_expr, x, s, local_scale(s, points))
        if nearest is not None:
            break
    with mpmath.workprec(_BITS):
        point = mpmath.mpf(x0)
        at = nearest is not None and abs(nearest.x - x0) <= 4 * np.spacing(max(abs(x0), abs(nearest.x)))
        f0, d0 = _value(f_expr, x, point), _value(df_expr, x, point)
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
                        f"only the one-sided slope exists "
                        f"({_fmt(s.right_derivative if s.left_value is None else s.left_derivative)}).",
        }[s.kind]
        return PointClass(x0, s.kind, value, s.left_derivative, s.right_derivative, near_x, near_kind, reason)
    if f0 is None or not mpmath.isfinite(f0):
        return PointClass(x0, "outside-domain", math.nan, None, None, near_x, near_kind,
                          f"{where} lies outside the domain of {text}: f has no real value there.")
    if d0 is None or not mpmath.isfinite(d0):  # missed by the candidate search: look at x0 itself
        s = analyse(f_expr, df_expr, x, point, local_scale(point, points))
        kind = s.kind if s is not None else "kink"
        left, right = (s.left_derivative, s.right_derivative) if s is not None else (None, None)
        return PointClass(x0, kind, value, left, right, near_x, near_kind,
                          f"f'(x0) of {text} is not finite at {where} (a {kind}).")
    slope = float(d0)
    return PointClass(x0, "smooth", value, slope, slope, near_x, near_kind,
                      f"{text} is smooth at {where}: f'(x0) = {slope:.6g}.")
