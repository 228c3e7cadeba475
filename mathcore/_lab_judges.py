"""The five judges behind mathcore.lab: each runs a student's functions on known cases, compares
with mathcore's tested functions or a closed form, and names the mistake it recognises.

A judge returns the feedback of a passed check, or raises ``_Wrong`` (with the reason) or
``_NotDone`` (the function is still a stub). Known mistakes are tried in order against the
answer's values, so the first one that the answer reproduces is the one reported.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._lab_support import _call, _close, _first_bad, _fmt, _matching_mistake, _to_numbers, _Wrong
from .catalog import CATALOG, CatalogFunction
from .differences import backward_difference, central_difference, forward_difference, secant_line
from .sigmoid import sigmoid, sigmoid_prime, vanishing_zone

EPS = float(np.finfo(np.float64).eps)

FD_STEPS = 10.0 ** -np.arange(1, 13)
"""The steps a forward difference is tried at: 1e-1 down to 1e-12."""

_FD_CASES = (
    ("np.exp", np.exp, np.exp, 1.0),
    ("np.sin", np.sin, np.cos, 0.5),
    ("cube", lambda x: x**3, lambda x: 3 * x**2, -2.0),
)


def _vector_call(fn: Callable[..., Any], args: tuple, scalar_args: tuple, call: str,
                 scalar_call: str) -> np.ndarray:
    """Call with one value first, then with an array: a failure only with the array means the
    function is not vectorised, which is worth saying in those words.
    """
    _to_numbers(_call(fn, *scalar_args, call=scalar_call), scalar_call)
    try:
        return _to_numbers(_call(fn, *args, call=call), call)
    except _Wrong as wrong:
        raise _Wrong(f"Not vectorised: it works for one value, but {wrong}") from None


def judge_forward_difference(fd: Callable[..., Any]) -> str:
    for label, f, df, x in _FD_CASES:
        call = f"forward_difference({label}, {x}, h)"
        out = _vector_call(fd, (f, x, FD_STEPS.copy()), (f, x, 1e-3), call,
                           f"forward_difference({label}, {x}, 0.001)")
        if out.shape != FD_STEPS.shape:
            raise _Wrong(f"Not vectorised over h: with h an array of {FD_STEPS.size} steps, {call} "
                         f"returned shape {out.shape}. Compute with numpy operations on h so that "
                         "every step gets its own estimate.")
        if out.dtype == np.float32:
            raise _Wrong(f"Uses float32 by accident: {call} returns float32 values for float64 "
                         "input. In float32, x + h equals x once h is below about 6e-8 times x, "
                         "so the estimate collapses to 0; look for np.float32 or dtype=np.float32.")
        _judge_forward_values(label, f, df, x, out.astype(np.float64))
    return ("(f(x+h) - f(x))/h to rounding for exp, sin and x³ at 12 steps from 0.1 to 1e-12, "
            "vectorised over h.")


def _judge_forward_values(label: str, f: Callable, df: Callable, x: float, out: np.ndarray) -> None:
    h = FD_STEPS
    expected = forward_difference(f, x, h)
    large = h >= 1e-2  # where rounding is negligible, so each mistake has a clear signature
    if np.any(np.isnan(out)):
        raise _Wrong(f"Returns NaN at h = {h[_first_bad(np.isnan(out))]:g} for f = {label}.")
    if not _close(out[large], expected[large], rtol=1e-4):
        mistakes = {
            "Wrong sign: that is (f(x) - f(x+h))/h; the forward difference is (f(x+h) - f(x))/h.":
                -expected,
            "Off by a factor of h: that is f(x+h) - f(x); divide it by h.": expected * h,
            "Off by a factor of h: it divides by h twice.": expected / h,
            "Off by a factor of 2: (f(x+h) - f(x))/h has no 2 in it.": expected / 2,
            "Off by a factor of 2 (twice the forward difference).": expected * 2,
            "That is the central difference (f(x+h) - f(x-h))/2h: more accurate, but this "
            "objective asks for the forward difference (f(x+h) - f(x))/h, whose error shrinks "
            "like h.": central_difference(f, x, h),
            "That is the backward difference (f(x) - f(x-h))/h; step forward: (f(x+h) - f(x))/h.":
                backward_difference(f, x, h),
        }
        known = _matching_mistake(out[large], {k: v[large] for k, v in mistakes.items()}, 1e-4)
        i = _first_bad(~np.isclose(out, expected, rtol=1e-4) & large)
        raise _Wrong(known or f"At h = {h[i]:g}, forward_difference({label}, {x}, h) gives "
                     f"{_fmt(out[i])}, but (f(x+h) - f(x))/h = {_fmt(expected[i])}.")
    # Rounding makes the float64 quotient wrong by up to ~eps (|f(x)| + |f(x+h)|) / h; an answer
    # within a few times that (e.g. dividing by (x + h) - x instead of h) is the same quotient.
    bound = (np.abs(f(x)) + np.abs(f(x + h)) + abs(x) * np.abs(expected)) / h + np.abs(expected)
    off = ~(np.abs(out - expected) <= 8 * EPS * bound)
    if not off.any():
        return
    truth = df(x)
    relative = np.abs(out - truth) / abs(truth)
    kept = np.floor(-np.log10(np.maximum(np.abs(expected - truth) / abs(truth), EPS)))
    small = h <= 1e-8
    in_float32 = np.array_equal(out, out.astype(np.float32).astype(np.float64))
    if in_float32 and np.any((relative >= 0.5) & small):
        j = _first_bad((relative >= 0.5) & small)
        raise _Wrong(f"Loses all digits below h = 1e-8, because it computes in float32: every "
                     f"estimate is a float32 number, and at h = {h[j]:g} the one for f = {label} "
                     f"is {_fmt(out[j])} (x + h rounds back to x once h is below about 6e-8 |x|). "
                     f"Look for np.float32 or dtype=np.float32; in float64 the forward difference "
                     f"keeps {kept[j]:.0f} correct digits there.")
    if np.any((relative >= 0.5) & small):
        j = _first_bad((relative >= 0.5) & small)
        raise _Wrong(f"Loses all digits below h = 1e-8: at h = {h[j]:g} the estimate for f = {label} "
                     f"is {_fmt(out[j])} and f'(x) = {_fmt(truth)}, while (f(x+h) - f(x))/h in "
                     f"float64 keeps {kept[j]:.0f} correct digits. Look for float32, or a form that "
                     "subtracts nearly equal numbers more than once.")
    i = _first_bad(off)
    raise _Wrong(f"At h = {h[i]:g} the estimate for f = {label} is {_fmt(out[i])}, which differs "
                 f"from (f(x+h) - f(x))/h = {_fmt(expected[i])} by more than rounding explains.")


# --- objective 2: the rules --------------------------------------------------------------------

_POWER, _PRODUCT, _CHAIN = CATALOG["x^5"], CATALOG["x^2*sin(x)"], CATALOG["sin(x^2)"]

_DERIVATIVE_MISTAKES: dict[str, dict[str, Callable[[np.ndarray], np.ndarray]]] = {
    "d_power": {
        "d_power: the exponent comes down and goes down by one: d/dx x^5 = 5x^4, not 5x^5.":
            lambda x: 5 * x**5,
        "d_power: the exponent also multiplies: d/dx x^5 = 5x^4, not x^4.": lambda x: x**4,
        "d_power has the wrong sign: d/dx x^5 = 5x^4.": lambda x: -5 * x**4,
    },
    "d_product": {
        "d_product: the derivative of a product is not the product of the derivatives: "
        "(fg)' = f'g + fg' = 2x sin x + x^2 cos x, not 2x cos x.": lambda x: 2 * x * np.cos(x),
        "d_product keeps only f'g = 2x sin x; the product rule adds fg' = x^2 cos x.":
            lambda x: 2 * x * np.sin(x),
        "d_product keeps only fg' = x^2 cos x; the product rule adds f'g = 2x sin x.":
            lambda x: x**2 * np.cos(x),
        "d_product: the two terms of the product rule are added, not subtracted.":
            lambda x: 2 * x * np.sin(x) - x**2 * np.cos(x),
    },
    "d_chain": {
        "d_chain is missing the inner derivative: d/dx sin(x^2) = cos(x^2) * 2x, not cos(x^2).":
            lambda x: np.cos(x**2),
        "d_chain: the outer derivative is taken at the inner function, cos(x^2), not cos(x).":
            lambda x: 2 * x * np.cos(x),
        "d_chain has the wrong sign: the derivative of sin is cos, not -cos.":
            lambda x: -2 * x * np.cos(x**2),
    },
}


def _judge_derivative(name: str, student: Callable, fn: CatalogFunction) -> None:
    x = np.array(fn.points)
    call = f"{name}(x)"
    out = _vector_call(student, (x.copy(),), (float(x[2]),), call, f"{name}({x[2]})")
    if out.shape != x.shape:
        raise _Wrong(f"{name} takes an array of {x.size} points and should return one derivative "
                     f"per point; it returned shape {out.shape}.")
    expected = fn.df(x)
    if _close(out, expected, rtol=1e-10, atol=1e-12):
        return
    mistakes = {feedback: wrong(x) for feedback, wrong in _DERIVATIVE_MISTAKES[name].items()}
    i = _first_bad(~np.isclose(out, expected, rtol=1e-10, atol=1e-12))
    raise _Wrong(_matching_mistake(out, mistakes, 1e-10) or
                 f"{name}({x[i]:g}) = {_fmt(out[i])}, but the derivative of {fn.name} there is "
                 f"{_fmt(expected[i])}.")


def _verdict(verify_rule: Callable, fn: CatalogFunction, df: Callable, label: str) -> bool:
    call = f"verify_rule(f, df, x) for {label}"
    out = _to_numbers(_call(verify_rule, fn.f, df, np.array(fn.points), call=call), call)
    if out.size != 1:
        raise _Wrong(f"{call} returned {out.size} answers, one per point; return a single True or "
                     "False for all the points (np.all(...) or np.allclose(...)).")
    return bool(out.reshape(()))


def judge_rules(verify_rule: Callable, d_power: Callable, d_product: Callable,
                d_chain: Callable) -> str:
    for name, student, fn in (("d_power", d_power, _POWER), ("d_product", d_product, _PRODUCT),
                              ("d_chain", d_chain, _CHAIN)):
        _judge_derivative(name, student, fn)
    right = [CATALOG[n] for n in ("x^5", "x^2*sin(x)", "sin(x^2)", "exp(x)", "log(x)", "sigmoid(2x-1)")]
    for fn in right:
        if not _verdict(verify_rule, fn, fn.df, f"{fn.name} with its correct derivative"):
            raise _Wrong(f"verify_rule rejects the correct derivative of {fn.name} at x = "
                         f"{list(fn.points)}: its tolerance is tighter than the numerical estimate's "
                         "own error. Use a central difference and a relative tolerance, e.g. "
                         "np.allclose(df(x), numerical).")
    wrong = (
        (_POWER, lambda x: 5 * x**5, "x^5 with 5x^5 (exponent not lowered)"),
        (_PRODUCT, lambda x: 2 * x * np.cos(x), "x^2 sin x with 2x cos x (f'g')"),
        (_CHAIN, lambda x: np.cos(x**2), "sin(x^2) with cos(x^2) (no inner derivative)"),
        (CATALOG["exp(x)"], lambda x: np.exp(x) * (1 + 1e-3), "e^x with 1.001 e^x (off by 0.1%)"),
    )
    for fn, df, label in wrong:
        if _verdict(verify_rule, fn, df, label):
            raise _Wrong(f"verify_rule accepts a wrong derivative: it says True for {label}. "
                         "Compare df(x) with the numerical estimate under a small relative "
                         "tolerance (np.allclose's default 1e-5 is fine).")
    return ("d_power, d_product and d_chain are the textbook derivatives, and verify_rule accepts "
            f"all {len(right)} correct derivatives and rejects all {len(wrong)} wrong ones.")


# --- objective 3: secant to tangent ------------------------------------------------------------

SECANT_STEPS = np.array([1.0, 0.5, 0.25, 0.1, 0.01, 1e-3])


def _two_arrays(out: Any, call: str) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise _Wrong(f"{call} should return two things, the slope and the intercept: "
                     "`return slope, intercept`.")
    return _to_numbers(out[0], call), _to_numbers(out[1], call)


def judge_secant_line(student: Callable) -> str:
    def square(x: Any) -> Any:
        return x**2

    x0, h = 1.0, SECANT_STEPS
    call = "secant_line(square, 1.0, h)"
    _two_arrays(_call(student, square, x0, 0.5, call="secant_line(square, 1.0, 0.5)"), call)
    try:
        slope, intercept = _two_arrays(_call(student, square, x0, h.copy(), call=call), call)
    except _Wrong as wrong:
        raise _Wrong(f"Not vectorised over h: it works for one h, but {wrong}") from None
    if slope.shape == h.shape and intercept.shape == ():  # a constant intercept: judged below
        intercept = np.full_like(slope, intercept)
    if slope.shape != h.shape or intercept.shape != h.shape:
        raise _Wrong(f"Not vectorised over h: with {h.size} steps, {call} returned shapes "
                     f"{slope.shape} and {intercept.shape}; each should be {h.shape}.")
    want_slope, want_intercept = 2 * x0 + h, -(x0**2) - x0 * h  # the line through (1, 1), (1+h, (1+h)^2)
    ok_slope = _close(slope, want_slope, rtol=1e-9)
    if ok_slope and _close(intercept, want_intercept, rtol=1e-9, atol=1e-12):
        exp_slope, exp_intercept = secant_line(np.exp, 0.3, h)
        got = _two_arrays(_call(student, np.exp, 0.3, h.copy(), call="secant_line(np.exp, 0.3, h)"),
                          "secant_line(np.exp, 0.3, h)")
        if _close(got[0], exp_slope, rtol=1e-9) and _close(got[1], exp_intercept, rtol=1e-9):
            return ("for x² at x0 = 1 the slope is 2 + h and the intercept -1 - h, as the algebra "
                    "says: the secant's slope is off from the tangent's by exactly h.")
        raise _Wrong("Right for x² but not for e^x at x0 = 0.3: use f itself, not a formula for x².")
    if _close(slope, want_intercept, 1e-9) and _close(intercept, want_slope, 1e-9):
        raise _Wrong("The slope and the intercept are swapped: `return slope, intercept`.")
    if not ok_slope:
        mistakes = {
            "The slope does not change with h: 2 x0 is the tangent's slope. The secant goes "
            "through (x0, f(x0)) and (x0 + h, f(x0 + h)).": np.full_like(h, 2 * x0),
            "The slope has the wrong sign: (f(x0 + h) - f(x0)) / h.": -want_slope,
            "The slope is off by a factor of h: divide f(x0 + h) - f(x0) by h.": want_slope * h,
        }
        raise _Wrong(_matching_mistake(slope, mistakes, 1e-9) or
                     f"For f = x² at x0 = 1 and h = 0.5 the slope should be 2.5; it is {_fmt(slope[1])}.")
    mistakes = {
        "The intercept has the wrong sign: y = m x + b through (x0, f(x0)) gives "
        "b = f(x0) - m x0.": x0**2 + want_slope * x0,
        "The intercept is where the line crosses x = 0: b = f(x0) - m x0, not f(x0).":
            np.full_like(h, x0**2),
    }
    raise _Wrong(_matching_mistake(intercept, mistakes, 1e-9) or
                 f"The slope is right, but for x² at x0 = 1 and h = 0.5 the intercept should be "
                 f"-1.5 (b = f(x0) - m x0); it is {_fmt(intercept[1])}.")


# --- objective 4: sigmoid ----------------------------------------------------------------------

SIGMOID_POINTS = np.concatenate([np.linspace(-40.0, 40.0, 161), [-1000.0, -100.0, 100.0, 1000.0]])
EDGE_TOLERANCE = 0.02
"""How close the vanishing edge must be: a grid search with step 0.01 is fine."""


def judge_sigmoid(student_sigmoid: Callable, student_prime: Callable, vanishing_edge: Callable) -> str:
    x = SIGMOID_POINTS
    s = _vector_call(student_sigmoid, (x.copy(),), (0.0,), "sigmoid(x)", "sigmoid(0.0)")
    if s.shape != x.shape:
        raise _Wrong(f"sigmoid returned shape {s.shape} for {x.size} points; return one value each.")
    if np.any(np.isnan(s)):
        at = x[_first_bad(np.isnan(s))]
        raise _Wrong(f"sigmoid returns NaN at x = {at:g}: np.exp overflows to inf there and "
                     "inf/inf is NaN. Use 1 / (1 + np.exp(-x)), whose overflow gives exactly 0.")
    expected = sigmoid(x)
    if not _close(s, expected, rtol=1e-12):
        i = _first_bad(~np.isclose(s, expected, rtol=1e-12, atol=0))
        raise _Wrong(_matching_mistake(s, {
            "sigmoid has the exponent's sign flipped: 1/(1 + e^x) falls from 1 to 0; "
            "σ(x) = 1/(1 + e^(-x)) rises.": sigmoid(-x)}, 1e-12) or
            f"sigmoid({x[i]:g}) = {_fmt(s[i])}, but σ({x[i]:g}) = {_fmt(expected[i])}.")
    p = _vector_call(student_prime, (x.copy(),), (0.0,), "sigmoid_prime(x)", "sigmoid_prime(0.0)")
    if p.shape != x.shape:
        raise _Wrong(f"sigmoid_prime returned shape {p.shape} for {x.size} points.")
    expected = sigmoid_prime(x)
    # σ(1 - σ) loses relative accuracy in the tails (1 - σ cancels) but not absolute accuracy.
    if not _close(p, expected, rtol=1e-9, atol=1e-15):
        i = _first_bad(~np.isclose(p, expected, rtol=1e-9, atol=1e-15))
        raise _Wrong(_matching_mistake(p, {
            "sigmoid_prime returns σ(x) itself, not its derivative σ(x)(1 - σ(x)).": sigmoid(x),
            "sigmoid_prime has the wrong sign: σ is increasing, so σ'(x) > 0.": -expected,
            "sigmoid_prime: it is σ(x)(1 - σ(x)), not σ(x)(1 + σ(x)).": sigmoid(x) * (1 + sigmoid(x)),
        }, 1e-9, 1e-15) or f"sigmoid_prime({x[i]:g}) = {_fmt(p[i])}, but σ'({x[i]:g}) = {_fmt(expected[i])}.")
    edges = []
    for t in (0.01, 0.001, 0.1):
        call = f"vanishing_edge({t})"
        got = _to_numbers(_call(vanishing_edge, t, call=call), call)
        if got.size != 1:
            raise _Wrong(f"{call} should return one number, the edge x*; it returned {got.size}.")
        got, want = float(got.reshape(())), float(vanishing_zone(t))
        if abs(got - want) <= EDGE_TOLERANCE:
            edges.append(want)
            continue
        if abs(got + want) <= EDGE_TOLERANCE:
            raise _Wrong(f"{call} = {_fmt(got)} is negative: give the positive edge x*, since the "
                         f"gradient vanishes on both sides, where |x| > x* = {want:.4f}.")
        if t != 0.01 and abs(got - float(vanishing_zone(0.01))) <= EDGE_TOLERANCE:
            raise _Wrong(f"vanishing_edge does not depend on the threshold: for t = {t} the edge "
                         f"is {want:.4f}. Find where σ'(x) = t.")
        raise _Wrong(f"{call} = {_fmt(got)}, but σ'(x) falls below {t} where |x| > {want:.4f} "
                     f"(σ'({want:.4f}) = {t}).")
    return (f"σ and σ' match to rounding from -1000 to 1000, and the gradient falls below 0.01 "
            f"beyond |x| = {edges[0]:.3f}.")


# --- objective 5: autograd ---------------------------------------------------------------------

AUTOGRAD_ULPS = 64
"""How close autograd must be: analytic and autograd differ by a few ULPs (rounding in different
but equivalent formulas); a finite difference is off by ~1e6 ULPs, float32 by ~1e8."""


def judge_autograd(autograd_derivative: Callable) -> str:
    try:
        import torch  # noqa: F401  (the catalog's torch functions need it)
    except ImportError:
        raise _Wrong("PyTorch is not installed in this kernel: pip install torch, then restart "
                     "the kernel.") from None
    square = CATALOG["x^2"]
    _to_numbers(_call(autograd_derivative, square.f_torch, 0.7,
                      call="autograd_derivative(f, 0.7) for f(x) = x^2"), "autograd_derivative")
    worst = 0.0
    for fn in CATALOG.values():
        x = np.array(fn.points)
        call = f"autograd_derivative(f, x) for f(x) = {fn.name}"
        try:
            out = _to_numbers(_call(autograd_derivative, fn.f_torch, x.copy(), call=call), call)
        except _Wrong as wrong:
            raise _Wrong(f"Not vectorised: it works for one x, but {wrong}") from None
        if out.shape != x.shape:
            raise _Wrong(f"{call} returned shape {out.shape} for {x.size} points; return one "
                         "derivative per point.")
        expected = fn.df(x)
        error = np.abs(out.astype(np.float64) - expected) / np.maximum(1.0, np.abs(expected))
        worst = max(worst, float(np.max(error)))
        if np.all(error <= AUTOGRAD_ULPS * EPS):
            continue
        i = int(np.argmax(error))
        as_float32 = out.astype(np.float32).astype(np.float64)
        if out.dtype == np.float32 or (np.max(error) < 1e-4 and np.array_equal(as_float32, out)):
            raise _Wrong("Uses float32 by accident: the derivatives are right to about 7 digits, "
                         "which is float32. torch.tensor(0.5) and torch.float are float32; "
                         "create x with dtype=torch.float64.")
        if np.max(error) < 1e-5:
            raise _Wrong(f"Right to about {-np.log10(np.max(error)):.0f} digits, not to the last "
                         f"bits ({call} at x = {x[i]:g}): that is what a finite difference gives. "
                         "Autograd applies each operation's exact derivative rule: call "
                         ".backward() and read x.grad.")
        if np.all(out == 0):
            raise _Wrong(f"{call} is all zeros: read x.grad after calling .backward() on f(x).")
        raise _Wrong(f"{call} gives {_fmt(out[i])} at x = {x[i]:g}, but f'(x) = {_fmt(expected[i])}.")
    agreement = "exactly" if worst == 0 else f"to within {worst / EPS:.0f} eps (relative)"
    return (f"matches every hand-written derivative in the catalog ({len(CATALOG)} functions) "
            f"{agreement}: autograd applies exact derivative rules, with no step h.")
