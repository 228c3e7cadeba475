"""Parsing a user's function: what it accepts, what it refuses, and that it never evals."""

from __future__ import annotations

import builtins
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mathcore import central_difference, parse_function


@pytest.mark.parametrize(
    ("text", "x", "f", "df"),
    [
        ("x**2", 3.0, 9.0, 6.0),
        ("x^3", 2.0, 8.0, 12.0),
        ("-x^2", 3.0, -9.0, -6.0),  # ^ binds like **, tighter than unary minus
        ("2*x^2", 3.0, 18.0, 12.0),
        ("sin(x)", 0.0, 0.0, 1.0),
        ("cos(x)", 0.0, 1.0, 0.0),
        ("tan(x)", 0.0, 0.0, 1.0),
        ("exp(x)", 1.0, math.e, math.e),
        ("log(x)", math.e, 1.0, 1 / math.e),
        ("sqrt(x)", 4.0, 2.0, 0.25),
        ("tanh(x)", 0.0, 0.0, 1.0),
        ("sigmoid(x)", 0.0, 0.5, 0.25),
        ("abs(x)", -2.0, 2.0, -1.0),
        ("pi*x + e", 1.0, math.pi + math.e, math.pi),
        ("x**2*sin(x)", math.pi / 2, math.pi**2 / 4, math.pi),
        ("exp(-x**2)", 1.0, math.exp(-1), -2 * math.exp(-1)),
        ("sigmoid(2*x - 1)", 0.5, 0.5, 0.5),
        ("1/x", 2.0, 0.5, -0.25),
        ("3", 7.0, 3.0, 0.0),
    ],
)
def test_values_and_derivatives_match_closed_forms(text, x, f, df):
    p = parse_function(text)
    assert float(p.f(x)) == pytest.approx(f, rel=1e-14, abs=1e-15)
    assert float(p.df(x)) == pytest.approx(df, rel=1e-14, abs=1e-15)


def test_vectorised_and_torch_callables_agree():
    import torch

    p = parse_function("x**2*sin(x) + sigmoid(x)")
    xs = np.linspace(-3, 3, 7)
    t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    np.testing.assert_allclose(p.f_torch(t).detach().numpy(), p.f(xs), rtol=1e-14)
    p.f_torch(t).sum().backward()
    np.testing.assert_allclose(t.grad.numpy(), p.df(xs), rtol=1e-13)
    np.testing.assert_allclose(p.df_torch(t).detach().numpy(), p.df(xs), rtol=1e-14)


def test_latex_for_f_and_derivative():
    p = parse_function("x^2*sin(x)")
    assert p.latex == r"x^{2} \sin{\left(x \right)}"
    assert r"\cos" in p.derivative_latex and "2 x" in p.derivative_latex
    assert parse_function("sigmoid(x)").latex == r"\sigma\left(x\right)"


@given(a=st.floats(-5, 5), b=st.floats(-5, 5), c=st.floats(-5, 5), x=st.floats(-2, 2))
@settings(max_examples=60, deadline=None)
def test_derivative_agrees_with_a_central_difference(a, b, c, x):
    p = parse_function(f"{a!r}*x**3 + {b!r}*sin(x) + {c!r}*exp(x/2)")
    exact = 3 * a * x**2 + b * math.cos(x) + c / 2 * math.exp(x / 2)
    assert float(p.df(x)) == pytest.approx(exact, rel=1e-12, abs=1e-12)
    assert float(central_difference(p.f, x, 1e-5)) == pytest.approx(exact, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x**", "not a valid expression"),
        ("y + 1", "unknown name 'y'"),
        ("nan", "unknown name 'nan'"),
        ("inf*x", "unknown name 'inf'"),
        ("__import__('os').system('true')", "cannot be called|unknown function"),
        ("x.real", "not allowed"),
        ("x.__class__", "not allowed"),
        ("foo(x)", "unknown function 'foo'"),
        ("exp", "is a function"),
        ("sin(x, 2)", "exactly one argument"),
        ("sin(x=1)", "exactly one argument"),
        ("lambda: 1", "not allowed"),
        ("[x]", "not allowed"),
        ("x[0]", "not allowed"),
        ("x if x else 1", "not allowed"),
        ("x == 1", "not allowed"),
        ("'x'", "not a number"),
        ("x; 1", "not a valid expression"),
        ("1/0", "divides by zero"),
        ("1/(x - x)", "divides by zero"),
        ("x % 2", "not allowed"),
        ("x // 2", "not allowed"),
        ("x**9**9**9", "too large"),
        ("9**9**9", "too large"),
        ("2**10000", "too large"),
        ("(x**1000)**1000", "too large"),
        ("1e999", "too large"),
        ("x" * 300, "characters long"),
        ("-" * 150 + "x", "parts"),
        ("True", "not a number"),
        ("(-8)**(1/3) * x", "not a real number|undefined"),
        ("sqrt(-1) + x", "not a real number|undefined"),
        ("exp(exp(exp(exp(exp(9))))) * x", "too large"),
        ("x * exp(10**300)", "too large"),
        ("log(0) + x", "undefined"),
        ("tan(pi/2) * x", "undefined"),
        ("1if x else 2", "invalid decimal literal"),
        ("0x1for", "invalid hexadecimal literal"),
    ],
)
def test_refused_with_a_reason(text, match):
    with warnings.catch_warnings(record=True) as printed:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match=match):
            parse_function(text)
    assert not printed  # the refusal is the only message: no warning printed beside it


def test_never_calls_eval_or_exec(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("user text reached eval/exec")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    assert float(parse_function("x**2 + sin(x)").df(0.0)) == 1.0
    with pytest.raises(ValueError):
        parse_function("__import__('os')")


@given(st.text(alphabet="x0123456789+-*/^().e pisncotlgqrhabm", max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_is_parsed_or_refused_with_a_value_error(text):
    try:
        with warnings.catch_warnings(record=True) as printed:
            warnings.simplefilter("always")
            p = parse_function(text)
    except ValueError:
        pass
    else:
        with np.errstate(all="ignore"):
            p.f(np.linspace(-1, 1, 5))
            p.df(np.linspace(-1, 1, 5))
    assert not [w for w in printed if issubclass(w.category, SyntaxWarning)]  # a second line on stderr


def test_domain_check_of_a_point():
    p = parse_function("log(x)")
    p.check_point(1.0)
    with pytest.raises(ValueError, match="outside the domain"):
        p.check_point(-1.0)
    with pytest.raises(ValueError, match="outside the domain"):
        parse_function("sqrt(x)").check_point(0.0)  # f' = 1 / (2 sqrt(x)) is infinite
    with pytest.raises(ValueError, match="finite"):
        p.check_point(float("nan"))
