"""Where f or f' may be singular: the candidate points of an interval, to 200 bits.

f or f' can only misbehave where the argument u of an abs, sign, log or of a power with a
negative or fractional exponent vanishes, or where the argument of tan reaches pi/2 + k pi.
Those equations are solved in closed form when u is linear in x, otherwise by sampling u on a
grid of ``GRID_POINTS`` points, bracketing every sign change (and every minimum of |u| that a
parabola through three samples puts at 0) and refining the root in mpmath by the Illinois
method. Features narrower than the grid spacing, (b - a)/2048, can be missed where u is not
linear.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._evaluate import _exact_walk, _function_names, exact_value, float_evaluator, working_precision

MAX_SINGULARITIES = 200
"""Most candidate points examined in one interval; more is refused as unreadable anyway."""
GRID_POINTS = 2049
"""Samples of each candidate equation's left side in the interval searched."""
BITS = 200
"""Working precision of the roots, in bits."""


class TooMany(Exception):
    """More than MAX_SINGULARITIES candidates in the interval."""


def _const(e: Any) -> Any:
    return _exact_walk(e, None, None, {})


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
        if gm is None or gm == 0 or hi - lo <= abs(mid) * mpmath.mpf(2) ** (40 - BITS) + mpmath.mpf(2) ** -1100:
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
                raise TooMany
            k_near = int(mpmath.nint((alpha * near + beta - lv) / per))
            k0, k1 = max(k0, k_near - MAX_SINGULARITIES // 2), min(k1, k_near + MAX_SINGULARITIES // 2)
        roots = [(lv + k * per - beta) / alpha for k in range(k0, k1 + 1)]
    return [r for r in roots if a <= r <= b]


def _numeric_roots(u: Any, x: Any, level: Any, period: Any, a: float, b: float) -> list[Any]:
    """Roots of u = level + k period in [a, b] from sign changes and touching minima on a grid."""
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
        raise TooMany
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
        v = exact_value(u, x, mpmath.mpf(t))
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
        raise TooMany
    du = sympy.diff(u, x)
    roots = []
    for i in inner[touching]:
        s = _bracketed_root(du, x, mpmath.mpf(0), xs[i - 1], xs[i + 1])
        if s is None:
            continue
        value = exact_value(u, x, s)
        scale = max(abs(g[i - 1]), abs(g[i + 1]))
        if value is not None and abs(value - lv) <= scale * mpmath.mpf(2) ** (40 - BITS):
            roots.append(s)
    return roots


def candidates(f_expr: Any, df_expr: Any, x: Any, a: float, b: float, near: float | None = None) -> list[Any]:
    """Sorted distinct points of [a, b] (mpmath numbers) where f or f' may be singular.

    Raises TooMany when more than MAX_SINGULARITIES turn up and ``near`` is not given; with
    ``near`` the ones closest to it are kept.
    """
    import mpmath

    found: list[Any] = []
    with working_precision(BITS):
        for u, level, period in _generators((f_expr, df_expr), x):
            roots = _linear_roots(u, x, level, period, a, b, near)
            if roots is None:
                roots = _numeric_roots(u, x, level, period, a, b)
            found.extend(roots)
        found.sort()
        distinct = [r for i, r in enumerate(found)
                    if i == 0 or r - found[i - 1] > abs(r) * mpmath.mpf(2) ** (60 - BITS)]
    if len(distinct) > MAX_SINGULARITIES:
        if near is None:
            raise TooMany
        distinct = sorted(sorted(distinct, key=lambda r: abs(r - near))[:MAX_SINGULARITIES])
    return distinct
