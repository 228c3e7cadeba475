"""The parser's derivatives against a 50-digit mpmath truth built independently of mathcore.

The reference expression is built with sympy's own functions (tanh, Abs as sqrt(u^2), sigmoid
as 1/(1 + e^-u)) and differentiated by sympy; mpmath evaluates it at 50 digits. mathcore's
evaluation walks its own tree (sech^2 for tanh', sign for |u|'), so the two share nothing but
the maths.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mathcore import complex_step, parse_function

X = sympy.Symbol("x")  # not declared real, so sympy keeps sqrt(u**2) and log(exp(u)) as written
SMALLEST_NORMAL = np.finfo(np.float64).tiny
LARGEST = np.finfo(np.float64).max

REFERENCE_FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp, "log": sympy.log,
    "sqrt": sympy.sqrt, "tanh": sympy.tanh,
    "sigmoid": lambda u: 1 / (1 + sympy.exp(-u)),
    "abs": lambda u: sympy.sqrt(u**2),
}


def leaves() -> st.SearchStrategy[tuple[str, sympy.Expr, tuple]]:
    numbers = st.sampled_from([("2", sympy.Integer(2)), ("3", sympy.Integer(3)), ("0.5", sympy.Rational(1, 2)),
                               ("1.5", sympy.Rational(3, 2)), ("pi", sympy.pi), ("e", sympy.E)])
    return st.one_of(st.just(("x", X, ())), st.just(("x", X, ())), numbers.map(lambda p: (*p, ())))


def _unary(name: str, child: tuple) -> tuple:
    text, expr, needs = child
    # What must be positive for the function to be real and differentiable, kept apart from
    # the expression: sympy simplifies exp(-log(u)) to 1/u, defined where log(u) is not, and
    # the derivatives of sqrt(u**2) (its |u|) across the kink at u = 0.
    need = {"log": (expr,), "sqrt": (expr,), "abs": (expr**2,)}.get(name, ())
    return f"{name}({text})", REFERENCE_FUNCTIONS[name](expr), needs + need


def extend(children: st.SearchStrategy) -> st.SearchStrategy:
    unary = st.tuples(st.sampled_from(sorted(REFERENCE_FUNCTIONS)), children).map(lambda p: _unary(*p))
    ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
           "/": lambda a, b: a / b}
    binary = st.tuples(st.sampled_from(sorted(ops)), children, children).map(
        lambda p: (f"({p[1][0]}) {p[0]} ({p[2][0]})", ops[p[0]](p[1][1], p[2][1]), p[1][2] + p[2][2]))
    power = st.tuples(children, st.sampled_from([2, 3, -1, -2])).map(
        lambda p: (f"({p[0][0]})**{p[1]}", p[0][1] ** p[1], p[0][2]))
    return st.one_of(unary, binary, power)


EXPRESSIONS = st.recursive(leaves(), extend, max_leaves=5).filter(lambda p: p[1].has(X))


def in_domain(needs: tuple, x: float) -> bool:
    """Every log and sqrt argument, and every abs argument squared, is positive at x (50 digits)."""
    with mpmath.workdps(50):
        for u in needs:
            try:
                value = sympy.lambdify(X, u, modules="mpmath")(mpmath.mpf(x))
            except ZeroDivisionError:
                return False
            if not isinstance(value, mpmath.mpf) or not value > 0:
                return False
    return True


def reference(expr: sympy.Expr, n: int, x: float, digits: int) -> mpmath.mpf | None:
    """d^n expr / dx^n at x, by sympy's diff and mpmath at ``digits`` digits; None if not real."""
    derivative = sympy.diff(expr, X, n)
    with mpmath.workdps(digits):
        try:
            value = sympy.lambdify(X, derivative, modules="mpmath")(mpmath.mpf(x))
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return None
        if isinstance(value, (int, float)):  # a constant derivative
            value = mpmath.mpf(value)
        if not isinstance(value, mpmath.mpf) or not mpmath.isfinite(value):
            return None
        return +value


def trusted_reference(expr: sympy.Expr, n: int, x: float) -> mpmath.mpf | None:
    """The 50-digit reference where it agrees with one at 100 digits (it is then right to ~1e-25)."""
    at50, at100 = reference(expr, n, x, 50), reference(expr, n, x, 100)
    if at50 is None or at100 is None:
        return None
    with mpmath.workdps(100):
        if abs(at50 - at100) > abs(at100) * mpmath.mpf("1e-25"):
            return None
    return at50


def ulps_apart(value: float, truth: mpmath.mpf) -> float:
    with mpmath.workdps(50):
        return float(abs(mpmath.mpf(value) - truth) / mpmath.mpf(float(np.spacing(abs(float(truth))))))


@given(EXPRESSIONS, st.floats(-30, 30), st.sampled_from([1, 1, 2, 3, 5]))
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
def test_every_derivative_is_within_1e13_of_a_50_digit_truth(triple, x, n):
    text, expr, needs = triple
    try:
        p = parse_function(text)
    except ValueError:  # x/(x - x) and the like are refused, rightly
        assume(False)
    truth = trusted_reference(expr, n, x) if in_domain(needs, x) else None
    assume(truth is not None and SMALLEST_NORMAL <= abs(truth) <= LARGEST)
    value = float(p.derivative(n)(x))
    assert math.isfinite(value), (text, x, n)
    relative = abs(value - float(truth)) / abs(float(truth))
    assert relative <= 1e-13, (text, x, n, value, float(truth))
    assert ulps_apart(value, truth) <= 1.0, (text, x, n)  # correctly rounded, up to a tie


@given(st.floats(-30, 30))
@settings(max_examples=60, deadline=None)
def test_tanh_derivative_has_no_cancellation(x):
    # d tanh / dx = sech^2 x = 1 / cosh^2 x; sympy's 1 - tanh^2 gives 0 beyond x = 19.
    with mpmath.workdps(50):
        truth = mpmath.sech(mpmath.mpf(x)) ** 2
    p = parse_function("tanh(x)")
    assert float(p.df(x)) == pytest.approx(float(truth), rel=1e-13)
    assert float(p.df_torch(__import__("torch").tensor(x, dtype=__import__("torch").float64))) == \
        pytest.approx(float(truth), rel=1e-13)


def test_the_issue_examples():
    p = parse_function("tanh(x)")
    with mpmath.workdps(50):
        at20, at10 = mpmath.sech(20) ** 2, mpmath.sech(10) ** 2
    assert float(p.df(20.0)) == pytest.approx(float(at20), rel=1e-15)  # 1.7e-17, not 0.0
    assert float(p.df(10.0)) == pytest.approx(float(at10), rel=1e-15)


def _sig(u):
    return 1 / (1 + mpmath.exp(-u))


MPMATH_FORMS = {  # the same functions written for mpmath by hand
    "tanh(x)": mpmath.tanh,
    "sigmoid(x)": _sig,
    "tanh(2*x) + sigmoid(-x)": lambda t: mpmath.tanh(2 * t) + _sig(-t),
    "x**2*sin(x)": lambda t: t**2 * mpmath.sin(t),
    "exp(-x**2)": lambda t: mpmath.exp(-(t**2)),
    "log(1 + x**2)": lambda t: mpmath.log(1 + t**2),
    "sqrt(1 + x**2)": lambda t: mpmath.sqrt(1 + t**2),
    "abs(x)*x**2": lambda t: abs(t) * t**2,
}


@pytest.mark.parametrize("text", sorted(MPMATH_FORMS))
@pytest.mark.parametrize("n", [2, 3, 5])
@pytest.mark.parametrize("x", [-12.5, -0.3, 1.7, 25.0])
def test_higher_derivatives_against_mpmath_differentiation(text, n, x):
    # A second route to the truth: mpmath's own numerical differentiation of f at 50 digits.
    with mpmath.workdps(50):
        truth = mpmath.diff(MPMATH_FORMS[text], mpmath.mpf(x), n)
    value = float(parse_function(text).derivative(n)(x))
    if abs(truth) < SMALLEST_NORMAL:
        assert abs(value) < 1e-300
    else:
        assert value == pytest.approx(float(truth), rel=1e-13)


@pytest.mark.parametrize(("text", "x", "exact"), [
    ("tan(x)*cos(x)", 1.5707963267, math.cos(1.5707963267)),  # = sin x, terms near 1e10
    ("(1 - cos(x))/x**2", 1e-3, None),
    ("log(exp(x))", 700.0, 1.0),
])
def test_cancelling_formulas_are_still_correctly_rounded(text, x, exact):
    p = parse_function(text)
    expr = {"tan(x)*cos(x)": sympy.tan(X) * sympy.cos(X), "(1 - cos(x))/x**2": (1 - sympy.cos(X)) / X**2,
            "log(exp(x))": sympy.log(sympy.exp(X))}[text]
    truth = reference(expr, 1, x, 60)
    assert ulps_apart(float(p.df(x)), truth) <= 0.5
    if exact is not None:
        assert float(p.df(x)) == pytest.approx(exact, rel=1e-15)


def test_derivative_orders_and_refusals():
    p = parse_function("sin(x)")
    assert float(p.derivative(0)(1.0)) == math.sin(1.0)
    assert float(p.derivative(4)(1.0)) == pytest.approx(math.sin(1.0), rel=1e-16)
    assert p.derivative(2) is p.derivative(2)  # built once
    for bad in (-1, 9, 1.5, True, "2"):
        with pytest.raises(ValueError, match="order of a derivative"):
            p.derivative(bad)


def test_derivatives_are_nan_or_infinite_outside_the_domain():
    p = parse_function("sqrt(x)")
    values = p.df(np.array([-1.0, 0.0, 4.0]))
    assert np.isnan(values[0]) and np.isinf(values[1]) and values[2] == 0.25
    assert np.isnan(parse_function("log(x)").derivative(2)(-1.0))


@pytest.mark.parametrize(("text", "x"), [("sigmoid(x)", 2.0), ("abs(x)*sin(x)", -0.7), ("tanh(3*x)", 0.4),
                                         ("abs(log(x))", 0.5), ("sqrt(x)*log(x)", 2.0)])
def test_parsed_functions_take_the_complex_step(text, x):
    p = parse_function(text)
    assert float(complex_step(p.f, x, 1e-20)) == pytest.approx(float(p.df(x)), rel=1e-14)


def test_derivatives_of_abs_of_non_obviously_real_arguments_evaluate():
    # sympy's own Abs differentiates abs(log(x)) into atan2 and unevaluated derivatives.
    p = parse_function("abs(log(x))")
    assert float(p.df(0.5)) == pytest.approx(-2.0, rel=1e-15)
    # |log x| = -log x for x < 1: f' = -1/x = -2 and f'' = 1/x^2 = 4 at x = 1/2
    assert float(p.derivative(2)(0.5)) == pytest.approx(4.0, rel=1e-15)


def test_threads_computing_at_once_keep_their_precision():
    # mpmath's precision is global; the pipeline renders jobs on threads.
    from concurrent.futures import ThreadPoolExecutor

    p = parse_function("tanh(x)")
    with mpmath.workdps(50):
        truth = [float(mpmath.sech(mpmath.mpf(x)) ** 2) for x in range(1, 25)]

    def job(i: int) -> bool:
        if i % 2:
            return [float(p.df(float(x))) for x in range(1, 25)] == truth
        return parse_function("abs(sin(x))").classify_point(math.pi).kind == "kink"

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(job, range(12)))
