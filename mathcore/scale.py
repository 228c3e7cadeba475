"""What a gradient costs as the number of parameters n grows: finite differences against autograd.

The function is logistic regression's loss (``mathcore.logistic``), whose one evaluation costs
O(m n). A forward-difference gradient calls it n + 1 times and a central one 2n times, so
differences cost O(m n^2); reverse-mode autograd runs one forward and one backward pass, O(m n),
whatever n is. Every evaluation, by either method, runs the same torch float64 code.

Timing follows the counts. Where the differences are cheap to run (n up to ``MAX_FD_TIMED``)
they are run and timed whole. One evaluation and one autograd pass stay cheap much further (up
to ``MAX_PASS_TIMED``), so they are timed there too; beyond, their times lie on a log-log line
fitted to the top measured decade. A difference gradient that was not run costs its exact count
times the time of one evaluation, so the extrapolated curves keep the ratio the counts dictate.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np

from ._torch import one_thread
from .differences import finite_difference_gradient
from .logistic import (
    MAX_FEATURE_ENTRIES,
    SAMPLES,
    LogisticProblem,
    _check_count,
    _checked_seed,
    logistic_problem,
)

MAX_PARAMS = 10**6
"""Default right end of the n axis."""
MAX_FD_TIMED = 1000
"""Default largest n at which the difference gradients are run (they cost O(m n^2))."""
FD_TIMED_LIMIT = 16384
"""The largest n at which differences may be run: beyond, one central gradient takes minutes."""
MAX_PASS_TIMED = 16384
"""Default largest n at which one evaluation and one autograd pass are timed."""
SIZES_PER_DECADE = 4
"""Points per decade on the n grid."""
MIN_SAMPLE_SECONDS = 0.005
"""Shortest timing sample: cheap calls are repeated until it has passed."""
TIMING_BUDGET = 0.05
"""Seconds after which a measurement stops taking samples: long runs are already steady."""


class _Counted:
    """A function that counts its calls."""

    def __init__(self, f: Callable[..., Any]) -> None:
        self.f, self.calls = f, 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        return self.f(*args)


@dataclass(frozen=True)
class GradientAccuracy:
    r"""How far the finite-difference gradients lie from autograd's at one n.

    ``*_max_error`` is :math:`\max_i |g^{FD}_i - g^{AD}_i|`; ``*_relative_error`` is
    :math:`\|g^{FD} - g^{AD}\|_2 / \|g^{AD}\|_2`.
    """

    n: int
    forward_max_error: float
    forward_relative_error: float
    central_max_error: float
    central_relative_error: float


@dataclass(frozen=True)
class CostPoint:
    """The cost of one gradient at one n, by each method.

    Counts are counted (by wrapping the loss, and a hook on w for backward passes) where
    ``fd_measured`` / ``pass_measured``, else they are the formulas n + 1, 2n and 1 + 1.
    ``forward_seconds`` and ``central_seconds`` are timed where ``fd_measured``, else the count
    times ``evaluation_seconds``. ``evaluation_seconds`` (one call of the loss) and
    ``autograd_seconds`` are timed where ``pass_measured``, else read off the fitted line.
    ``accuracy`` is known where the differences were run, else None.
    """

    n: int
    forward_evaluations: int
    central_evaluations: int
    autograd_forward_passes: int
    autograd_backward_passes: int
    forward_seconds: float
    central_seconds: float
    evaluation_seconds: float
    autograd_seconds: float
    fd_measured: bool
    pass_measured: bool
    accuracy: GradientAccuracy | None


@dataclass(frozen=True)
class LogLogFit:
    r"""The line :math:`\log_{10} t = \text{slope} \cdot \log_{10} n + \text{intercept}`."""

    slope: float
    intercept: float
    fitted_sizes: tuple[int, ...]

    def seconds(self, n: Any) -> np.ndarray:
        """The line's time at n."""
        return 10.0 ** (self.slope * np.log10(np.asarray(n, dtype=np.float64)) + self.intercept)


@dataclass(frozen=True)
class GradientCost:
    """The cost of a gradient for n = 1 to ``max_params``: measured where cheap, else modelled."""

    samples: int
    seed: int
    max_params: int
    max_fd_timed: int
    max_pass_timed: int
    points: tuple[CostPoint, ...]
    evaluation_fit: LogLogFit
    autograd_fit: LogLogFit

    @property
    def sizes(self) -> np.ndarray:
        """Every n on the grid."""
        return np.array([p.n for p in self.points])


def _best_time(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Seconds per call of ``run``, and its last result.

    A sample calls ``run`` until ``MIN_SAMPLE_SECONDS`` have passed and divides, so a 50 µs
    evaluation is timed over a hundred calls as the difference loop makes them, not once at
    its luckiest. The best of up to ``repeats`` samples is kept; sampling stops once
    ``TIMING_BUDGET`` is spent, as long runs are already steady.
    """
    best, spent, result = math.inf, 0.0, None
    for _ in range(repeats):
        calls, start = 0, time.perf_counter()
        while True:
            result = run()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= MIN_SAMPLE_SECONDS:
                break
        best, spent = min(best, elapsed / calls), spent + elapsed
        if spent > TIMING_BUDGET:
            break
    return best, result


def _difference_gradient(problem: LogisticProblem, scheme: str) -> tuple[np.ndarray, int]:
    counted = _Counted(problem.loss)
    return finite_difference_gradient(counted, problem.weights, scheme), counted.calls


def _autograd_gradient(problem: LogisticProblem) -> tuple[np.ndarray, int, int]:
    """Autograd's gradient, with the loss calls and the backward passes (a hook on w) counted."""
    import torch

    counted, backward = _Counted(problem.loss_torch), [0]
    w = torch.from_numpy(problem.weights.copy()).requires_grad_()
    w.register_hook(lambda grad: backward.append(1))
    counted(w).backward()
    return w.grad.numpy(), counted.calls, len(backward) - 1


def _accuracy(n: int, forward: np.ndarray, central: np.ndarray, exact: np.ndarray) -> GradientAccuracy:
    norm = float(np.linalg.norm(exact))
    errors = {"forward": forward - exact, "central": central - exact}
    return GradientAccuracy(
        n=n,
        forward_max_error=float(np.max(np.abs(errors["forward"]))),
        forward_relative_error=float(np.linalg.norm(errors["forward"]) / norm),
        central_max_error=float(np.max(np.abs(errors["central"]))),
        central_relative_error=float(np.linalg.norm(errors["central"]) / norm),
    )


def _measure(n: int, run_fd: bool, samples: int, seed: int, repeats: int) -> CostPoint:
    problem = logistic_problem(n, samples, seed)
    w = problem.weights.copy()
    eval_seconds, _ = _best_time(lambda: problem.loss(w), repeats)
    ad_seconds, (exact, ad_calls, backward) = _best_time(lambda: _autograd_gradient(problem), repeats)
    if not run_fd:
        return CostPoint(n, n + 1, 2 * n, ad_calls, backward, (n + 1) * eval_seconds,
                         2 * n * eval_seconds, eval_seconds, ad_seconds, False, True, None)
    fwd_seconds, (forward, fwd_calls) = _best_time(lambda: _difference_gradient(problem, "forward"), repeats)
    ctr_seconds, (central, ctr_calls) = _best_time(lambda: _difference_gradient(problem, "central"), repeats)
    return CostPoint(n, fwd_calls, ctr_calls, ad_calls, backward, fwd_seconds, ctr_seconds,
                     eval_seconds, ad_seconds, True, True, _accuracy(n, forward, central, exact))


def parameter_grid(max_params: int = MAX_PARAMS) -> np.ndarray:
    """The sizes n = 1 .. ``max_params``, ``SIZES_PER_DECADE`` per decade on a log scale, both ends in.

    Examples
    --------
    >>> parameter_grid(100)
    array([  1,   2,   3,   6,  10,  18,  32,  56, 100])
    """
    _check_count(max_params, "max_params", 2, 10**9)
    decades = np.log10(max_params)
    grid = np.logspace(0, decades, int(np.ceil(decades * SIZES_PER_DECADE)) + 1)
    return np.unique(np.round(grid).astype(np.int64))


def _fit(points: list[CostPoint], method: str) -> LogLogFit:
    """The log-log line through the top decade of the measured sizes (at least three points).

    Below it a fixed per-call overhead flattens the curve, and the line is for extrapolating.
    """
    measured = [p for p in points if p.pass_measured]
    chosen = [p for p in measured if p.n * 10 >= measured[-1].n]
    if len(chosen) < 3:
        chosen = measured[-3:]
    n = np.log10([p.n for p in chosen])
    t = np.log10([getattr(p, f"{method}_seconds") for p in chosen])
    slope, intercept = np.polyfit(n, t, 1) if len(chosen) > 1 else (1.0, t[0])
    return LogLogFit(float(slope), float(intercept), tuple(p.n for p in chosen))


def _modelled(n: int, evaluation: LogLogFit, autograd: LogLogFit) -> CostPoint:
    """A size too large to run: exact counts, one evaluation's time from its line."""
    eval_seconds = float(evaluation.seconds(n))
    return CostPoint(n, n + 1, 2 * n, 1, 1, (n + 1) * eval_seconds, 2 * n * eval_seconds,
                     eval_seconds, float(autograd.seconds(n)), False, False, None)


def gradient_cost(
    max_params: int = MAX_PARAMS, max_fd_timed: int | None = None,
    max_pass_timed: int | None = None, samples: int = SAMPLES, seed: int = 0, repeats: int = 3,
) -> GradientCost:
    r"""Count, time and check three gradients of the logistic loss for n = 1 to ``max_params``.

    Forward differences cost :math:`n + 1` calls of the loss, central :math:`2n`, autograd
    one forward and one backward pass. For each n on ``parameter_grid(max_params)``:

    * n ≤ ``max_fd_timed`` (default ``MAX_FD_TIMED``): all three gradients are run, their
      calls counted, timed (best of up to ``repeats`` samples, on one thread) and the
      differences compared with autograd's gradient;
    * n ≤ ``max_pass_timed`` (default ``MAX_PASS_TIMED``): one evaluation and one autograd
      gradient are timed, and a difference gradient costs its count times one evaluation;
    * beyond: the same, with one evaluation and one autograd pass read off the log-log lines
      fitted to the top measured decade (``evaluation_fit``, ``autograd_fit``; a single
      measured size gives a line of slope 1).

    Both defaults are capped at ``max_params``.

    Examples
    --------
    >>> cost = gradient_cost(max_params=1000, max_fd_timed=10, max_pass_timed=100, repeats=1)
    >>> [(p.n, p.forward_evaluations, p.central_evaluations, p.fd_measured, p.pass_measured)
    ...  for p in cost.points[4::4]]
    [(10, 11, 20, True, True), (100, 101, 200, False, True), (1000, 1001, 2000, False, False)]
    """
    grid = parameter_grid(max_params)
    max_fd_timed = min(MAX_FD_TIMED, max_params) if max_fd_timed is None else max_fd_timed
    _check_count(max_fd_timed, "max_fd_timed", 1, min(FD_TIMED_LIMIT, max_params))
    if max_pass_timed is None:
        max_pass_timed = min(max(MAX_PASS_TIMED, max_fd_timed), max_params)
    _check_count(max_pass_timed, "max_pass_timed", max_fd_timed, max_params)
    _check_count(repeats, "repeats", 1, 100)
    _checked_seed(seed)
    _check_count(samples, "samples", 1, MAX_FEATURE_ENTRIES)
    if max_pass_timed * samples > MAX_FEATURE_ENTRIES:
        raise ValueError(f"max_pass_timed * samples = {max_pass_timed * samples} is too large; the "
                         f"features may hold at most {MAX_FEATURE_ENTRIES} entries.")
    measured = []
    with one_thread():
        for n in (int(v) for v in grid if v <= max_pass_timed):
            measured.append(_measure(n, n <= max_fd_timed, samples, seed, repeats))
    fits = {m: _fit(measured, m) for m in ("evaluation", "autograd")}
    modelled = [_modelled(int(n), fits["evaluation"], fits["autograd"]) for n in grid if n > max_pass_timed]
    return GradientCost(samples, int(seed), int(max_params), int(max_fd_timed), int(max_pass_timed),
                        tuple(measured + modelled), fits["evaluation"], fits["autograd"])


@dataclass(frozen=True)
class EvaluationCount:
    """One method's counted calls of the loss at one n, against the textbook count."""

    method: str
    n: int
    expected_evaluations: int
    counted_evaluations: int
    expected_backward_passes: int
    counted_backward_passes: int
    passed: bool


def check_evaluation_counts(sizes: Iterable[int] = (1, 10, 100)) -> list[EvaluationCount]:
    """Count each gradient method's calls of the loss at each n: forward differences n + 1,
    central 2n, autograd 1 forward and 1 backward pass.

    Examples
    --------
    >>> [(r.method, r.counted_evaluations, r.passed) for r in check_evaluation_counts([5])]
    [('forward', 6, True), ('central', 10, True), ('autograd', 1, True)]
    """
    rows = []
    for n in sizes:
        _check_count(n, "n", 1, FD_TIMED_LIMIT)
        n = int(n)
        problem = logistic_problem(n, samples=8)
        with one_thread():
            counted = {s: (_difference_gradient(problem, s)[1], 0) for s in ("forward", "central")}
            counted["autograd"] = _autograd_gradient(problem)[1:]
        expected = {"forward": (n + 1, 0), "central": (2 * n, 0), "autograd": (1, 1)}
        for method in ("forward", "central", "autograd"):
            rows.append(EvaluationCount(method, n, expected[method][0], counted[method][0],
                                        expected[method][1], counted[method][1],
                                        counted[method] == expected[method]))
    return rows
