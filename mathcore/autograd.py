"""Analytic derivatives against PyTorch autograd in float64. The only module that imports torch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np

from .catalog import CATALOG, CatalogFunction
from .differences import central_difference
from .rules import _checked, principled_step


@dataclass(frozen=True)
class AutogradCheck:
    """One point: analytic f'(x) against torch's .backward() and against a central difference."""

    function: str
    latex: str
    x: float
    analytic: float
    autograd: float
    ulps: int
    finite_difference: float
    fd_error: float
    gradcheck: bool


def ulp_distance(a: float, b: float) -> int:
    """How many float64 values lie between a and b (0 when equal, 1 for neighbours).

    Examples
    --------
    >>> ulp_distance(1.0, float(np.nextafter(1.0, 2.0)))
    1
    >>> ulp_distance(-0.0, 0.0)
    0
    """
    def ordered(v: float) -> int:
        i = int(np.array(v, dtype=np.float64).view(np.int64))
        return i if i >= 0 else -(i & 0x7FFFFFFFFFFFFFFF)

    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError(f"ulp_distance needs finite values; got {a!r} and {b!r}.")
    return abs(ordered(a) - ordered(b))


def check_autograd(functions: Iterable[CatalogFunction] | None = None) -> list[AutogradCheck]:
    """For each catalog function and point, analytic f' against autograd and a central difference.

    autograd applies each operation's exact derivative rule in float64, so it agrees with the
    hand-written derivative to a few ULPs; the central difference carries an error near 1e-10.
    ``torch.autograd.gradcheck`` is run once per function over its points.

    Examples
    --------
    >>> rows = check_autograd([CATALOG["x^3"]])
    >>> max(r.ulps for r in rows) <= 4, all(r.gradcheck for r in rows)
    (True, True)
    """
    import torch

    chosen = list(CATALOG.values()) if functions is None else _checked(functions)
    rows = []
    for fn in chosen:
        points = torch.tensor(fn.points, dtype=torch.float64, requires_grad=True)
        passed = bool(torch.autograd.gradcheck(fn.f_torch, (points,), raise_exception=False))
        for x in fn.points:
            t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            fn.f_torch(t).backward()
            autograd = float(t.grad)
            analytic = float(fn.df(x))
            fd = float(central_difference(fn.f, x, principled_step(x)))
            rows.append(AutogradCheck(
                function=fn.name, latex=fn.latex, x=float(x), analytic=analytic,
                autograd=autograd, ulps=ulp_distance(analytic, autograd),
                finite_difference=fd, fd_error=abs(fd - analytic), gradcheck=passed,
            ))
    return rows
