"""Accuracy of mathcore's derivative estimators against numdifftools and findiff.

Each method estimates f'(x) on a battery of functions and points chosen to be hard: domain
edges (sqrt and log near 0), poles (1/(x - 0.99) at 1, tan near pi/2), large |x| (sin at 1e4
and 1e6), tiny derivatives and functions that refuse complex input. The truth is mpmath's
derivative of the same formula at 50 digits. Printed as a Markdown table: median and worst
relative error, and how many points gave NaN or raised.

    python -m bench.accuracy        (or: python -m bench --accuracy; `make bench` prints it last)
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import mpmath
import numpy as np

import mathcore

mpmath.mp.dps = 50
EPS = float(np.finfo(np.float64).eps)


def _real_only(g: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """g, refusing complex input as most real code does: only differences apply."""

    def f(t: Any) -> Any:
        if np.iscomplexobj(t):
            raise TypeError("real input only")
        return g(t)

    return f


@dataclass(frozen=True)
class Case:
    name: str
    x: float
    f: Callable[[Any], Any]
    truth: Callable[[Any], Any]
    """The same function written with mpmath, differentiated at 50 digits."""


CASES = (
    Case("exp(x)", 1.0, np.exp, mpmath.exp),
    Case("sin(x)", 1e4, np.sin, mpmath.sin),
    Case("sin(x)", 1e6, np.sin, mpmath.sin),
    Case("cos(x)", 1e-3, np.cos, mpmath.cos),
    Case("log(x)", 1e-3, np.log, mpmath.log),
    Case("log(x)", 0.005, np.log, mpmath.log),
    Case("sqrt(x)", 1e-6, np.sqrt, mpmath.sqrt),
    Case("sqrt(x)", 1e6, np.sqrt, mpmath.sqrt),
    Case("1/(x-0.99)", 1.0, lambda t: 1 / (t - 0.99), lambda t: 1 / (t - mpmath.mpf(0.99))),
    Case("tan(x)", 1.57, np.tan, mpmath.tan),
    Case("tanh(x)", 10.0, np.tanh, mpmath.tanh),
    Case("atan(x)", 1e4, np.arctan, mpmath.atan),
    Case("x**3", 1e3, lambda t: t**3, lambda t: t**3),
    Case("exp(-x**2)", 3.0, lambda t: np.exp(-t * t), lambda t: mpmath.exp(-t * t)),
    Case("x*sin(1/x)", 0.05, lambda t: t * np.sin(1 / t), lambda t: t * mpmath.sin(1 / t)),
    Case("1/(1+exp(-x))", -20.0, lambda t: 1 / (1 + np.exp(-t)), lambda t: 1 / (1 + mpmath.exp(-t))),
    Case("log(x), real only", 1e-3, _real_only(np.log), mpmath.log),
    Case("sqrt(x), real only", 1e-6, _real_only(np.sqrt), mpmath.sqrt),
    Case("abs(x)**2.5, real only", 0.3, _real_only(lambda t: np.abs(t) ** 2.5), lambda t: abs(t) ** 2.5),
    Case("hypot(x, 1), real only", 2.0, _real_only(lambda t: np.hypot(t, 1.0)), lambda t: mpmath.hypot(t, 1)),
    Case("sin(x), real only", 1e4, _real_only(np.sin), mpmath.sin),
)


def truth(case: Case) -> float:
    return float(mpmath.diff(case.truth, mpmath.mpf(case.x)))


def _rule_of_thumb(scheme: str) -> float:
    """The textbook step, the scheme's own optimum where |f| = |f^(k)| = 1: 3e-8 forward,
    9e-6 central, 3e-3 Richardson (Richardson's for findiff's fourth-order stencil too)."""
    return mathcore.SCHEMES[scheme].optimum(EPS, 1.0, 1.0, 1.0, 1.0)


def _mathcore(scheme: str) -> Callable[[Callable[[Any], Any], float], float]:
    def estimate(f: Callable[[Any], Any], x: float) -> float:
        h = 1e-20 if scheme == "complex-step" else _rule_of_thumb(scheme)
        return float(mathcore.SCHEMES[scheme].estimate(f, x, h))

    return estimate


def _numdifftools(f: Callable[[Any], Any], x: float) -> float:
    import numdifftools

    return float(numdifftools.Derivative(f)(x))


def _findiff(f: Callable[[Any], Any], x: float) -> float:
    import findiff

    stencil = findiff.coefficients(deriv=1, acc=4)["center"]
    dx = _rule_of_thumb("richardson")
    offsets = np.asarray(stencil["offsets"], dtype=float)
    return float(np.dot(stencil["coefficients"], f(x + offsets * dx)) / dx)


METHODS: dict[str, Callable[[Callable[[Any], Any], float], float]] = {
    "mathcore forward": _mathcore("forward"),
    "mathcore central": _mathcore("central"),
    "mathcore complex-step": _mathcore("complex-step"),
    "mathcore richardson": _mathcore("richardson"),
    "mathcore derivative": lambda f, x: float(mathcore.derivative(f, x).value),
    "numdifftools Derivative()": _numdifftools,
    "findiff acc=4 centre": _findiff,
}
"""Each method at its default or textbook step, as a user would call it."""


@dataclass(frozen=True)
class Row:
    method: str
    errors: tuple[float, ...]
    """Relative error per case; NaN where the method gave NaN or raised."""

    @property
    def failures(self) -> int:
        return sum(1 for e in self.errors if math.isnan(e))

    @property
    def median(self) -> float:
        finite = [e if math.isfinite(e) else math.inf for e in self.errors]
        return float(np.median(finite))  # a failure counts as infinitely wrong

    @property
    def worst(self) -> float:
        return max((e for e in self.errors if not math.isnan(e)), default=math.nan)


def run(cases: tuple[Case, ...] = CASES) -> list[Row]:
    truths = [truth(c) for c in cases]
    rows = []
    for name, method in METHODS.items():
        errors = []
        for case, exact in zip(cases, truths):
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    value = method(case.f, case.x)
            except Exception:
                value = math.nan
            errors.append(abs(value - exact) / abs(exact) if math.isfinite(value) else math.nan)
        rows.append(Row(name, tuple(errors)))
    return rows


def markdown(rows: list[Row], cases: tuple[Case, ...] = CASES) -> str:
    lines = [f"Relative error of f'(x) on {len(cases)} functions and points (truth: mpmath, 50 digits); "
             "a NaN or an exception counts as infinitely wrong in the median.", "",
             "| method | median | worst | NaN or raised |", "| --- | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r.method} | {r.median:.1e} | {r.worst:.1e} | {r.failures} of {len(r.errors)} |")
    return "\n".join(lines)


def per_case(rows: list[Row], cases: tuple[Case, ...] = CASES) -> str:
    head = "| f | x | " + " | ".join(r.method.replace("mathcore ", "") for r in rows) + " |"
    lines = [head, "| --- | ---: |" + " ---: |" * len(rows)]
    for i, c in enumerate(cases):
        cells = " | ".join("NaN/raised" if math.isnan(r.errors[i]) else f"{r.errors[i]:.0e}" for r in rows)
        lines.append(f"| {c.name} | {c.x:g} | {cells} |")
    return "\n".join(lines)


def summary(rows: list[Row]) -> dict:
    """The table as JSON-ready numbers, for bench/results.json."""
    return {r.method: {"median": r.median, "worst": r.worst, "nan_or_raised": r.failures} for r in rows}


def main() -> dict:
    rows = run()
    print(markdown(rows))
    print()
    print(per_case(rows))
    return summary(rows)


if __name__ == "__main__":
    main()
