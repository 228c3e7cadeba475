"""mathcore.lab: correct answers pass, stubs are 'not done yet', and each deliberate mistake gets
the feedback written for it, never a traceback."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import mpmath
import numpy as np
import pytest
import torch

from mathcore import lab


def _stub(*args):
    raise NotImplementedError


def _wrong(result: lab.CheckResult, *phrases: str) -> None:
    assert result.status == lab.WRONG, result
    assert not result.passed
    for phrase in phrases:
        assert phrase in result.feedback, result.feedback
    assert "Traceback" not in result.feedback and "\n" not in result.feedback


# --- objective 1 -------------------------------------------------------------------------------

def forward(f, x, h):
    return (f(x + h) - f(x)) / h


def forward_exact_quotient(f, x, h):
    """The quotient in 50-digit arithmetic on the same float inputs, then rounded: more accurate
    than float64 can be, so it must pass (the tolerance is the rounding bound, not equality)."""
    mp_f = {np.exp: mpmath.exp, np.sin: mpmath.sin}.get(f, lambda v: v**3)
    with mpmath.workdps(50):
        return np.array([float((mp_f(mpmath.mpf(x) + mpmath.mpf(float(s))) - mp_f(mpmath.mpf(x)))
                               / mpmath.mpf(float(s))) for s in np.atleast_1d(h)]).reshape(np.shape(h))


@pytest.mark.parametrize("answer", [
    forward,
    forward_exact_quotient,
    lambda f, x, h: (f(x + h) - f(x)) / ((x + h) - x),              # the exact step: also right
    lambda f, x, h: np.array([(f(x + s) - f(x)) / s for s in np.atleast_1d(h)]).reshape(np.shape(h)),
])
def test_correct_forward_differences_pass(answer):
    result = lab.check_forward_difference(answer)
    assert result.status == lab.PASSED and result.passed, result


@pytest.mark.parametrize("answer", [_stub, lambda f, x, h: ...])
def test_a_stub_is_not_done_yet(answer):
    result = lab.check_forward_difference(answer)
    assert result.status == lab.NOT_DONE
    assert "forward_difference" in result.feedback


@pytest.mark.parametrize("answer, phrases", [
    (lambda f, x, h: (f(x) - f(x + h)) / h, ["Wrong sign"]),
    (lambda f, x, h: f(x + h) - f(x), ["Off by a factor of h", "divide it by h"]),
    (lambda f, x, h: (f(x + h) - f(x)) / h / h, ["Off by a factor of h", "twice"]),
    (lambda f, x, h: (f(x + h) - f(x)) / (2 * h), ["Off by a factor of 2"]),
    (lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h), ["central difference"]),
    (lambda f, x, h: (f(x) - f(x - h)) / h, ["backward difference"]),
    (lambda f, x, h: (f(x + h) - f(x)) / h + 1e-3, ["At h = 0.1", "(f(x+h) - f(x))/h = "]),
])
def test_each_formula_mistake_is_named(answer, phrases):
    _wrong(lab.check_forward_difference(answer), *phrases)


def test_math_functions_are_not_vectorised_over_h():
    def with_math(f, x, h):
        return (math.exp(x + h) - math.exp(x)) / h

    _wrong(lab.check_forward_difference(with_math), "Not vectorised", "np.exp")


def test_an_if_on_h_is_not_vectorised():
    _wrong(lab.check_forward_difference(lambda f, x, h: (f(x + h) - f(x)) / h if h > 0 else 0.0),
           "Not vectorised", "np.where")


def test_one_number_for_many_steps_is_not_vectorised():
    _wrong(lab.check_forward_difference(lambda f, x, h: float(np.mean((f(x + h) - f(x)) / h))),
           "Not vectorised over h", "shape ()")


def test_a_float32_result_is_float32_by_accident():
    def in_float32(f, x, h):
        h32 = np.asarray(h, dtype=np.float32)
        return (f(np.float32(x) + h32) - f(np.float32(x))) / h32

    _wrong(lab.check_forward_difference(in_float32), "Uses float32 by accident")


def test_float32_cast_back_to_float64_still_loses_the_digits():
    def hidden_float32(f, x, h):
        h32 = np.asarray(h, dtype=np.float32)
        return ((f(np.float32(x) + h32) - f(np.float32(x))) / h32).astype(np.float64)

    _wrong(lab.check_forward_difference(hidden_float32), "Loses all digits below h = 1e-8",
           "computes in float32")


def test_a_cancelling_form_loses_all_digits_below_1e_8():
    def cancelling(f, x, h):  # adding 1e8 to both values throws away their last 8 digits
        return ((f(x + h) + 1e8) - (f(x) + 1e8)) / h

    result = lab.check_forward_difference(cancelling)
    _wrong(result, "Loses all digits below h = 1e-8", "subtracts nearly equal numbers")
    assert "computes in float32" not in result.feedback


def test_exceptions_become_one_sentence():
    def hostile(f, x, h):
        raise ValueError("<script>alert('x')</script>\nsecond line")

    result = lab.check_forward_difference(hostile)
    _wrong(result, "raised ValueError: <script>alert('x')</script>")
    assert "second line" not in result.feedback
    html = result._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("answer, phrase", [
    (lambda f, x, h: 1 / 0, "raised ZeroDivisionError"),
    (lambda f, x, h: None, "is a `return` missing"),
    (lambda f, x, h: "2.718", "not numbers"),
    (lambda f, x, h: sys.exit(3), "sys.exit"),
])
def test_odd_answers_are_explained(answer, phrase):
    _wrong(lab.check_forward_difference(answer), phrase)


def test_not_a_function_and_not_defined():
    _wrong(lab.check_forward_difference(2.718), "forward_difference should be a function, but it is a float")
    assert lab.check_forward_difference(None).status == lab.NOT_DONE


# --- objective 2 -------------------------------------------------------------------------------

def verify(f, df, x, h=1e-5):
    return bool(np.allclose(df(x), (f(x + h) - f(x - h)) / (2 * h)))


RIGHT = dict(d_power=lambda x: 5 * x**4,
             d_product=lambda x: 2 * x * np.sin(x) + x**2 * np.cos(x),
             d_chain=lambda x: 2 * x * np.cos(x**2))


def rules(verify_rule=verify, **changed):
    answers = {**RIGHT, **changed}
    return lab.check_rules(verify_rule, answers["d_power"], answers["d_product"], answers["d_chain"])


def test_correct_rules_pass_in_any_algebraic_form():
    assert rules().passed
    assert rules(d_product=lambda x: x * (2 * np.sin(x) + x * np.cos(x)),
                 d_chain=lambda x: np.cos(x * x) * (x + x)).passed


@pytest.mark.parametrize("changed, phrases", [
    ({"d_power": lambda x: 5 * x**5}, ["5x^4, not 5x^5"]),
    ({"d_power": lambda x: x**4}, ["not x^4"]),
    ({"d_product": lambda x: 2 * x * np.cos(x)}, ["not the product of the derivatives"]),
    ({"d_product": lambda x: 2 * x * np.sin(x)}, ["keeps only f'g"]),
    ({"d_product": lambda x: x**2 * np.cos(x)}, ["keeps only fg'"]),
    ({"d_product": lambda x: 2 * x * np.sin(x) - x**2 * np.cos(x)}, ["added, not subtracted"]),
    ({"d_chain": lambda x: np.cos(x**2)}, ["missing the inner derivative"]),
    ({"d_chain": lambda x: 2 * x * np.cos(x)}, ["cos(x^2), not cos(x)"]),
    ({"d_chain": lambda x: 2 * x * np.cos(x**2) + 1e-6}, ["d_chain(-2) = ", "the derivative of sin(x^2) there is"]),
    ({"d_chain": lambda x: 2 * x * math.cos(x**2)}, ["Not vectorised"]),
])
def test_each_rule_mistake_is_named(changed, phrases):
    _wrong(rules(**changed), *phrases)


@pytest.mark.parametrize("verify_rule, phrases", [
    (lambda f, df, x, h=1e-5: bool(np.allclose(df(x), (f(x + h) - f(x)) / h, rtol=1e-8, atol=0)),
     ["rejects the correct derivative of x^5"]),
    (lambda f, df, x, h=1e-5: bool(np.allclose(df(x), (f(x + h) - f(x - h)) / (2 * h), rtol=1e-2)),
     ["accepts a wrong derivative", "1.001 e^x"]),
    (lambda f, df, x, h=1e-5: True, ["accepts a wrong derivative"]),
    (lambda f, df, x, h=1e-5: np.isclose(df(x), (f(x + h) - f(x - h)) / (2 * h)),
     ["returned 5 answers", "a single True or False"]),
    (lambda f, df, x, h: True, ["missing 1 required positional argument", "keep the signature"]),
])
def test_verifier_mistakes_are_named(verify_rule, phrases):
    _wrong(rules(verify_rule), *phrases)


def test_rules_name_the_function_still_a_stub():
    result = rules(d_chain=_stub)
    assert result.status == lab.NOT_DONE and "d_chain" in result.feedback
    assert rules(_stub).status == lab.NOT_DONE


# --- objective 3 -------------------------------------------------------------------------------

def secant(f, x0, h):
    slope = (f(x0 + h) - f(x0)) / h
    return slope, f(x0) - slope * x0


def test_correct_secants_pass():
    assert lab.check_secant_line(secant).passed

    def through_far_point(f, x0, h):
        slope = secant(f, x0, h)[0]
        return slope, f(x0 + h) - slope * (x0 + h)

    assert lab.check_secant_line(through_far_point).passed


@pytest.mark.parametrize("answer, phrases", [
    (lambda f, x0, h: secant(f, x0, h)[::-1], ["swapped"]),
    (lambda f, x0, h: (2 * x0 + 0 * h, f(x0) - 2 * x0 * x0), ["does not change with h", "tangent"]),
    (lambda f, x0, h: (secant(f, x0, h)[0], f(x0) + secant(f, x0, h)[0] * x0), ["intercept has the wrong sign"]),
    (lambda f, x0, h: (secant(f, x0, h)[0], f(x0) + 0 * h), ["not f(x0)"]),
    (lambda f, x0, h: secant(f, x0, h)[0], ["return two things"]),
    (lambda f, x0, h: (2 * x0 + h, -x0**2 - x0 * h), ["Right for x² but not for e^x"]),
    (lambda f, x0, h: (-secant(f, x0, h)[0], secant(f, x0, h)[1]), ["slope has the wrong sign"]),
    (lambda f, x0, h: (float(np.mean(secant(f, x0, h)[0])), 0.0), ["Not vectorised over h"]),
])
def test_each_secant_mistake_is_named(answer, phrases):
    _wrong(lab.check_secant_line(answer), *phrases)


# --- objective 4 -------------------------------------------------------------------------------

def naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def naive_prime(x):
    return naive_sigmoid(x) * (1 - naive_sigmoid(x))


def grid_edge(t=0.01):
    x = np.linspace(0, 40, 400_001)
    return float(x[np.argmax(naive_prime(x) < t)])


def closed_form_edge(t=0.01):
    """Solve s(1 - s) = t for s > 1/2, then x* = logit(s), in 50-digit arithmetic."""
    with mpmath.workdps(50):
        s = (1 + mpmath.sqrt(1 - 4 * mpmath.mpf(t))) / 2
        return float(mpmath.log(s / (1 - s)))


def stable_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def test_correct_sigmoids_pass():
    assert lab.check_sigmoid(naive_sigmoid, naive_prime, grid_edge).passed
    assert lab.check_sigmoid(stable_sigmoid, lambda x: stable_sigmoid(x) * stable_sigmoid(-x),
                             closed_form_edge).passed


@pytest.mark.parametrize("answers, phrases", [
    ((lambda x: np.exp(x) / (1 + np.exp(x)), naive_prime, grid_edge), ["NaN at x = 1000", "overflows"]),
    ((lambda x: 1 / (1 + np.exp(x)), naive_prime, grid_edge), ["sign flipped"]),
    ((lambda x: 1 / (1 + math.exp(-x)), naive_prime, grid_edge), ["Not vectorised", "np.exp"]),
    ((naive_sigmoid, naive_sigmoid, grid_edge), ["returns σ(x) itself"]),
    ((naive_sigmoid, lambda x: -naive_prime(x), grid_edge), ["sigmoid_prime has the wrong sign"]),
    ((naive_sigmoid, lambda x: naive_sigmoid(x) * (1 + naive_sigmoid(x)), grid_edge), ["not σ(x)(1 + σ(x))"]),
    ((naive_sigmoid, naive_prime, lambda t=0.01: -grid_edge(t)), ["is negative", "positive edge"]),
    ((naive_sigmoid, naive_prime, lambda t=0.01: 4.6), ["does not depend on the threshold"]),
    ((naive_sigmoid, naive_prime, lambda t=0.01: 3.0), ["vanishing_edge(0.01) = 3", "4.5849"]),
    ((naive_sigmoid, naive_prime, lambda t=0.01: grid_edge(t) + 0.05), ["vanishing_edge(0.01) = "]),
])
def test_each_sigmoid_mistake_is_named(answers, phrases):
    _wrong(lab.check_sigmoid(*answers), *phrases)


def test_edge_feedback_quotes_the_closed_form_value():
    result = lab.check_sigmoid(naive_sigmoid, naive_prime, lambda t=0.01: 3.0)
    assert f"{closed_form_edge(0.01):.4f}" in result.feedback


# --- objective 5 -------------------------------------------------------------------------------

def by_autograd(f, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(t).sum().backward()
    return t.grad.numpy()


def test_autograd_passes_and_a_returned_tensor_is_fine():
    assert lab.check_autograd_derivative(by_autograd).passed
    assert lab.check_autograd_derivative(lambda f, x: torch.tensor(by_autograd(f, x))).passed


def float32_autograd(f, x):
    t = torch.tensor(x, dtype=torch.float, requires_grad=True)  # torch.float is float32
    f(t).sum().backward()
    return t.grad.numpy()


def central_in_torch(f, x, h=1e-6):
    t = torch.tensor(x, dtype=torch.float64)
    return ((f(t + h) - f(t - h)) / (2 * h)).numpy()


def no_sum(f, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(t).backward()
    return t.grad.numpy()


def no_requires_grad(f, x):
    t = torch.tensor(x, dtype=torch.float64)
    f(t).sum().backward()
    return t.grad.numpy()


def no_backward(f, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(t).sum()
    return t.grad


@pytest.mark.parametrize("answer, phrases", [
    (float32_autograd, ["Uses float32 by accident", "torch.float"]),
    (lambda f, x: float32_autograd(f, x).astype(np.float64), ["Uses float32 by accident"]),
    (central_in_torch, ["not to the last bits", "finite difference"]),
    (no_sum, ["Not vectorised", "f(x).sum().backward()"]),
    (no_requires_grad, ["requires_grad=True"]),
    (no_backward, ["returned None"]),
    (lambda f, x: f(np.asarray(x)), ["but f'(x) = "]),
])
def test_each_autograd_mistake_is_named(answer, phrases):
    _wrong(lab.check_autograd_derivative(answer), *phrases)


def test_autograd_stub_is_not_done_yet():
    assert lab.check_autograd_derivative(_stub).status == lab.NOT_DONE


# --- the result object and the grader's entry point -------------------------------------------

def test_result_shows_in_jupyter_with_its_json():
    result = lab.check_forward_difference(forward)
    bundle = result._repr_mimebundle_()
    assert bundle[lab.CHECK_MIME] == {"objective": "finite_difference", "status": "passed",
                                      "feedback": result.feedback}
    assert "✓ 1. Finite differences: passed" in bundle["text/plain"]
    assert "passed" in bundle["text/html"]
    json.dumps(bundle[lab.CHECK_MIME])
    with pytest.raises(Exception):
        result.status = lab.WRONG  # frozen


def test_grade_namespace_checks_every_objective_by_name():
    namespace = {"forward_difference": forward, "secant_line": secant, "verify_rule": verify, **RIGHT,
                 "sigmoid": naive_sigmoid, "sigmoid_prime": naive_prime, "vanishing_edge": _stub}
    results = lab.grade_namespace(namespace)
    assert [r.objective for r in results] == [o.key for o in lab.OBJECTIVES]
    assert [r.status for r in results] == [lab.PASSED, lab.PASSED, lab.PASSED, lab.NOT_DONE, lab.NOT_DONE]
    assert "autograd_derivative is not defined yet" in results[4].feedback


def test_grade_namespace_stops_an_endless_check():
    def endless(f, x, h):
        while True:
            pass

    result = lab.grade_namespace({"forward_difference": endless}, seconds_per_check=0.5)[0]
    _wrong(result, "took longer than 0.5 s")


def test_grade_namespace_refuses_a_bad_time_limit():
    with pytest.raises(ValueError, match="seconds_per_check must be a positive number"):
        lab.grade_namespace({}, seconds_per_check=float("nan"))


def test_importing_mathcore_lab_loads_no_torch_or_ipython():
    code = ("import sys, mathcore.lab; "
            "print(sorted(m for m in ('torch', 'IPython', 'sympy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
