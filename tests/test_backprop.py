"""What .backward() does: the recorded graph, its local derivatives, and the chain rule on them.

Node names are torch's own; local derivatives and their products are checked against closed
forms evaluated by mpmath at 50 digits, and the central difference against its textbook error.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mathcore import MAX_GRAPH_NODES, backward_graph, check_backprop, ulp_distance
from mathcore.backprop import BACKPROP_ULP_TOLERANCE

EPS = np.finfo(np.float64).eps


def true_derivative(text: str, x0: float, order: int = 1) -> float:
    """The order-th derivative at 50 digits, from sympy's own parse (sigmoid written out)."""
    x = sympy.Symbol("x")
    expr = sympy.sympify(text.replace("sigmoid", "_s"), locals={"_s": sympy.Lambda(x, 1 / (1 + sympy.exp(-x)))})
    return float(sympy.diff(expr, x, order).evalf(50, subs={x: sympy.Float(x0, 50)}))


def names(text: str, x0: float) -> list[str]:
    return [n.name for n in backward_graph(text, x0).nodes]


def test_node_names_are_torchs_own():
    assert names("sin(x**2)", 1.5) == ["AccumulateGrad", "PowBackward0", "SinBackward0"]
    assert names("sigmoid(2*x+1)", 0.5) == ["AccumulateGrad", "MulBackward0", "AddBackward0", "SigmoidBackward0"]
    assert names("exp(-x**2)", 0.3) == ["AccumulateGrad", "PowBackward0", "MulBackward0", "ExpBackward0"]
    assert names("x**x", 0.7) == ["AccumulateGrad", "PowBackward1"]


def test_sin_of_x_squared_forward_values_and_local_derivatives():
    g = backward_graph("sin(x**2)", 1.5)
    leaf, power, sine = g.nodes
    assert (leaf.value, power.value) == (1.5, 2.25)
    assert sine.value == pytest.approx(math.sin(2.25), rel=EPS) and g.value == sine.value
    (into_power, into_sine) = g.edges
    assert (into_power.source, into_power.target) == (0, 1) and (into_sine.source, into_sine.target) == (1, 2)
    assert into_power.local_derivative == 3.0  # d(x^2)/dx = 2 x0, exact
    assert into_sine.local_derivative == pytest.approx(float(mpmath.cos(2.25)), rel=EPS)
    product = into_sine.local_derivative * into_power.local_derivative
    assert ulp_distance(product, true_derivative("sin(x**2)", 1.5)) <= 2
    assert g.gradient == product and g.replayed_gradient == g.gradient


def test_sigmoid_chain_multiplies_exact_local_derivatives():
    g = backward_graph("sigmoid(2*x+1)", 0.5)
    assert [n.value for n in g.nodes[:3]] == [0.5, 1.0, 2.0]
    assert [e.local_derivative for e in g.edges[:2]] == [2.0, 1.0]
    s = mpmath.mpf(1) / (1 + mpmath.exp(-2))
    assert g.edges[2].local_derivative == pytest.approx(float(s * (1 - s)), rel=8 * EPS)
    truth = true_derivative("sigmoid(2*x+1)", 0.5)
    assert abs(g.gradient - truth) <= 16 * EPS * abs(truth)
    # The gradient arriving at each node is the product of the local derivatives above it.
    assert [n.gradient for n in g.nodes][::-1][:3] == [1.0, g.edges[2].local_derivative, g.edges[2].local_derivative]


def test_two_paths_sum_their_products():
    g = backward_graph("x*sin(x)", 2.0)
    assert len(g.edges) == 3 and sum(e.source == 0 for e in g.edges) == 2
    assert g.gradient == pytest.approx(math.sin(2.0) + 2.0 * math.cos(2.0), rel=4 * EPS)
    assert g.nodes[0].gradient == g.gradient  # what AccumulateGrad received is x.grad
    by_path = {e.target: e.gradient for e in g.edges if e.source == 0}
    assert by_path[1] + by_path[2] == g.gradient


@pytest.mark.parametrize("text, x0", [("sin(x**2)", 1.5), ("sigmoid(2*x + 1)", -0.7), ("x*sin(x)", 2.0),
                                      ("exp(-x**2)", -0.5), ("tanh(x)**3 - log(x)", 1.2), ("sqrt(x) + 1/x", 2.0)])
def test_every_node_has_its_value_and_the_gradient_matches(text, x0):
    g = backward_graph(text, x0)
    assert all(math.isfinite(n.value) for n in g.nodes) and g.nodes[0].value == x0
    assert g.nodes[-1].gradient == 1.0 and g.nodes[-1].value == g.value
    for e in g.edges:  # what torch passed down each edge is the target's gradient times the local one
        assert ulp_distance(e.gradient, g.nodes[e.target].gradient * e.local_derivative) <= 1
    truth = true_derivative(text, x0)
    assert abs(g.gradient - truth) <= 32 * EPS * abs(truth)
    assert g.analytic_ulps == ulp_distance(g.gradient, g.analytic) <= BACKPROP_ULP_TOLERANCE
    assert g.replay_ulps <= 1


@pytest.mark.parametrize("text, x0", [("sin(x**2)", 1.5), ("exp(-x**2)", -0.5), ("log(x)/x", 3.0)])
def test_central_difference_is_off_by_the_textbook_amount(text, x0):
    g = backward_graph(text, x0)
    h = g.central_step
    assert h == pytest.approx(np.cbrt(3 * EPS) * abs(x0), rel=1e-6)  # NR 5.7: scaled to |x0|, representable
    f0 = abs(float(sympy.sympify(text).evalf(subs={"x": x0})))
    bound = h**2 / 6 * abs(true_derivative(text, x0, 3)) * 1.5 + EPS * f0 / h * 2
    assert 1e-14 < g.central_error <= bound
    assert g.central_error == abs(g.central_difference - g.gradient)
    assert g.central_error > 1e3 * g.analytic_ulps * EPS * abs(g.gradient)  # far worse than autograd


@settings(max_examples=15, deadline=None)
@given(st.floats(-3.0, 3.0))
@example(5e-324)  # a subnormal x0, where a step scaled to |x0| once underflowed to 0
def test_sin_x_squared_anywhere_lands_within_rounding_of_the_truth(x0):
    g = backward_graph("sin(x**2)", x0)
    truth = true_derivative("sin(x**2)", x0)
    # A few roundings of the result, plus that of u = x0**2 carried through d/du 2x cos(u).
    assert abs(g.gradient - truth) <= 4 * EPS * (abs(truth) + 2 * abs(x0) * x0**2)


def test_identity_is_just_the_leaf():
    g = backward_graph("x", 0.3)
    assert [n.name for n in g.nodes] == ["AccumulateGrad"] and g.edges == () and g.gradient == 1.0


def test_check_rows_pass():
    rows = check_backprop()
    assert len(rows) >= 4 and all(r.passed for r in rows)
    assert all(r.ulps <= BACKPROP_ULP_TOLERANCE and r.central_error > 0 for r in rows)


@pytest.mark.parametrize("text, x0, message", [
    ("sin(" * 12 + "x" + ")" * 12, 1.0, f"at most {MAX_GRAPH_NODES} can be drawn"),
    ("3", 1.0, "does not depend on x"),
    ("x - x", 1.0, "does not depend on x"),
    ("log(x)", -1.0, "outside the domain"),
    ("sin(x)", float("nan"), "finite"),
    ("sin(x)", "two", "real number"),
    ("__import__('os')", 1.0, "unknown function"),
    ("x.real", 1.0, "not allowed"),
    ("sin(x", 1.0, "not a valid expression"),
])
def test_bad_input_is_one_clear_sentence(text, x0, message):
    with pytest.raises(ValueError) as info:
        backward_graph(text, x0)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_limit_is_a_named_constant_and_eight_nodes_still_draw():
    assert MAX_GRAPH_NODES == 8
    assert len(backward_graph("sin(" * 7 + "x" + ")" * 7, 0.5).nodes) == 8
    with pytest.raises(ValueError, match="has 9 nodes; at most 8"):
        backward_graph("sin(" * 8 + "x" + ")" * 8, 0.5)
