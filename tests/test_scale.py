"""The cost of a gradient: exact evaluation counts, the shape of the timings, and accuracy.

Expected values come from outside the code: the textbook counts n + 1, 2n and 1 + 1, the
closed-form gradient of the logistic loss (numpy, and mpmath at 50 digits), and the textbook
truncation + round-off bounds of forward and central differences.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import torch

from mathcore import (
    check_evaluation_counts,
    finite_difference_gradient,
    gradient_cost,
    logistic_problem,
    parameter_grid,
)

EPS = np.finfo(np.float64).eps
ROUNDING_ULPS = 10
"""Round-off in one evaluation of the loss, in units of eps |L|: a matrix-vector product, a log
and a mean each round a little; the bounds below use 10 to cover them."""


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny tensors: torch's intra-op threads only slow them down on a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def cost():
    return gradient_cost(max_params=10**6, max_fd_timed=320, max_pass_timed=2000, repeats=3)


def closed_form_gradient(problem) -> np.ndarray:
    u = problem.labels * (problem.features @ problem.weights)
    return -(problem.features.T @ (problem.labels / (1 + np.exp(u)))) / len(problem.labels)


def test_counts_are_the_textbook_ones_where_counted_and_formulas_beyond(cost):
    counted = [p for p in cost.points if p.fd_measured]
    assert [p.n for p in counted][:4] == [1, 2, 3, 6] and counted[-1].n == 316
    for p in cost.points:
        assert p.forward_evaluations == p.n + 1
        assert p.central_evaluations == 2 * p.n
        assert (p.autograd_forward_passes, p.autograd_backward_passes) == (1, 1)
    assert cost.points[-1].n == 10**6 and cost.points[-1].forward_evaluations == 1_000_001


def test_an_outside_counter_sees_n_plus_1_and_2n_calls():
    calls = []

    def f(v):
        calls.append(1)
        return float(np.sum(np.sin(v)))

    for n in (1, 4, 37):
        for scheme, expected in (("forward", n + 1), ("central", 2 * n)):
            calls.clear()
            finite_difference_gradient(f, np.linspace(0.1, 1.0, n), scheme)
            assert len(calls) == expected


def test_check_rows_pass_and_name_every_method():
    rows = check_evaluation_counts((1, 3, 20))
    assert [(r.method, r.n) for r in rows[:3]] == [("forward", 1), ("central", 1), ("autograd", 1)]
    assert all(r.passed for r in rows)
    assert [r.expected_evaluations for r in rows if r.n == 20] == [21, 40, 1]


def test_fd_over_autograd_time_grows_about_linearly_in_n(cost):
    timed = [p for p in cost.points if p.fd_measured and p.n >= 10]
    n = np.log10([p.n for p in timed])
    for method in ("forward_seconds", "central_seconds"):
        ratio = np.log10([getattr(p, method) / p.autograd_seconds for p in timed])
        slope = np.polyfit(n, ratio, 1)[0]
        # 1 once each evaluation is real work; up to 2 while autograd is still all overhead.
        assert 0.5 < slope < 2.0, (method, slope)


def test_a_difference_gradient_costs_about_its_count_of_evaluations(cost):
    for p in (q for q in cost.points if q.fd_measured and q.n >= 10):
        per_call = p.forward_seconds / (p.forward_evaluations * p.evaluation_seconds)
        assert 0.2 < per_call < 20, (p.n, per_call)


def test_untimed_sizes_are_marked_and_cost_their_count_times_one_evaluation(cost):
    for p in cost.points:
        assert p.pass_measured == (p.n <= 2000) and p.fd_measured == (p.n <= 320)
        assert (p.accuracy is not None) == p.fd_measured
        if not p.fd_measured:
            assert p.forward_seconds == pytest.approx((p.n + 1) * p.evaluation_seconds, rel=1e-12)
            assert p.central_seconds == pytest.approx(2 * p.n * p.evaluation_seconds, rel=1e-12)
        if not p.pass_measured:
            assert p.autograd_seconds == pytest.approx(float(cost.autograd_fit.seconds(p.n)), rel=1e-12)
    assert min(cost.autograd_fit.fitted_sizes) * 10 >= max(cost.autograd_fit.fitted_sizes) >= 1000
    end = cost.points[-1]
    assert end.forward_seconds / end.autograd_seconds > 1e3  # a million calls against two passes


def test_parameter_grid_covers_one_to_the_maximum_in_even_log_steps():
    grid = parameter_grid(10**6)
    assert grid[0] == 1 and grid[-1] == 10**6 and np.all(np.diff(grid) > 0)
    assert np.allclose(np.diff(np.log10(grid[grid >= 10])), 0.25, atol=0.02)


@pytest.mark.parametrize("n", [1, 7, 200])
def test_autograd_gradient_is_the_closed_form(n):
    problem = logistic_problem(n, samples=32, seed=3)
    w = torch.from_numpy(problem.weights.copy()).requires_grad_()
    problem.loss_torch(w).backward()
    np.testing.assert_allclose(w.grad.numpy(), closed_form_gradient(problem), rtol=1e-12, atol=1e-15)


def test_autograd_gradient_against_mpmath_at_50_digits():
    problem = logistic_problem(4, samples=6, seed=1)
    w = torch.from_numpy(problem.weights.copy()).requires_grad_()
    problem.loss_torch(w).backward()
    with mpmath.workdps(50):
        X = mpmath.matrix(problem.features.tolist())
        y, v = problem.labels.tolist(), problem.weights.tolist()
        m, n = X.rows, X.cols
        u = [y[j] * mpmath.fsum(X[j, i] * v[i] for i in range(n)) for j in range(m)]
        exact = [-mpmath.fsum(y[j] * X[j, i] / (1 + mpmath.exp(u[j])) for j in range(m)) / m
                 for i in range(n)]
        loss = mpmath.fsum(mpmath.log1p(mpmath.exp(-uj)) for uj in u) / m
    np.testing.assert_allclose(w.grad.numpy(), [float(e) for e in exact], rtol=4 * EPS, atol=0)
    assert problem.loss(problem.weights) == pytest.approx(float(loss), rel=4 * EPS)


def textbook_bounds(problem, scheme: str) -> np.ndarray:
    """Per-component bound: truncation (h/2) max f'' or (h^2/6) max |f'''|, plus round-off
    2 delta / h or delta / h with delta = ROUNDING_ULPS eps |L|, plus the rounding of the step."""
    X, w = problem.features, problem.weights
    m = len(problem.labels)
    loss = problem.loss(w)
    scale = np.maximum(1.0, np.abs(w))
    g = np.abs(closed_form_gradient(problem))
    delta = ROUNDING_ULPS * EPS * abs(loss)
    if scheme == "forward":
        h = np.sqrt(EPS) * scale
        second = np.sum(X**2, axis=0) / (4 * m)  # sigma' <= 1/4
        return h / 2 * second + 2 * delta / h + EPS * scale / h * g
    h = np.cbrt(3 * EPS) * scale
    third = np.sum(np.abs(X) ** 3, axis=0) / (6 * np.sqrt(3) * m)  # |sigma''| <= 1/(6 sqrt 3)
    return h**2 / 6 * third + delta / h + EPS * scale / h * g


@pytest.mark.parametrize("n", [1, 12, 90])
@pytest.mark.parametrize("scheme", ["forward", "central"])
def test_difference_gradient_error_within_the_textbook_bound(n, scheme):
    problem = logistic_problem(n, samples=64, seed=n)
    estimate = finite_difference_gradient(problem.loss, problem.weights, scheme)
    error = np.abs(estimate - closed_form_gradient(problem))
    assert np.all(error <= textbook_bounds(problem, scheme))
    order = np.sqrt(EPS) if scheme == "forward" else EPS ** (2 / 3)
    assert np.max(error) < 100 * order


def test_reported_accuracy_within_the_bound_and_central_far_better(cost):
    for p in (q for q in cost.points if q.fd_measured):
        problem = logistic_problem(p.n, cost.samples, cost.seed)
        a = p.accuracy
        assert a.forward_max_error <= np.max(textbook_bounds(problem, "forward"))
        assert a.central_max_error <= np.max(textbook_bounds(problem, "central"))
        assert 1e-3 * np.sqrt(EPS) < a.forward_relative_error < 1e3 * np.sqrt(EPS)
        assert a.central_relative_error < 1e3 * EPS ** (2 / 3)
        assert a.central_max_error < a.forward_max_error / 10


def test_finite_difference_gradient_of_a_closed_form():
    w = np.array([0.3, -1.2, 2.5])
    f = lambda v: float(np.sum(np.sin(v)) + v[0] * v[2])  # noqa: E731
    exact = np.cos(w) + np.array([w[2], 0.0, w[0]])
    central = finite_difference_gradient(f, w, "central")
    forward = finite_difference_gradient(f, w, "forward")
    np.testing.assert_allclose(central, exact, atol=1e-9)
    np.testing.assert_allclose(forward, exact, atol=1e-6)
    assert np.max(np.abs(forward - exact)) > np.max(np.abs(central - exact))


@pytest.mark.parametrize("call, message", [
    (lambda: finite_difference_gradient(np.sum, [1.0, 2.0], "backward"), "unknown scheme"),
    (lambda: finite_difference_gradient(np.sum, [[1.0, 2.0]], "forward"), "shape (n,)"),
    (lambda: finite_difference_gradient(lambda v: v, [1.0, 2.0], "forward"), "one number"),
    (lambda: finite_difference_gradient(np.sum, [1.0, np.nan], "forward"), "finite"),
    (lambda: finite_difference_gradient(lambda v: np.log(v[0] - 1), [1.0], "central"), "domain"),
    (lambda: gradient_cost(max_params=1), "max_params"),
    (lambda: gradient_cost(max_params=100, max_fd_timed=200), "max_fd_timed"),
    (lambda: gradient_cost(max_params=10**6, max_fd_timed=10, max_pass_timed=10**6), "too large"),
    (lambda: gradient_cost(max_params=100, max_fd_timed=10, max_pass_timed=10, seed=-1), "seed"),
    (lambda: logistic_problem(0), "n must be"),
    (lambda: check_evaluation_counts([2.5]), "whole number"),
])
def test_bad_input_is_one_clear_sentence(call, message):
    with pytest.raises(ValueError) as info:
        call()
    text = str(info.value)
    assert message in text and text.endswith(".") and "\n" not in text
