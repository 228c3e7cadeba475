"""Checkers for the lab notebook "Derivatives in Practice", one per objective.

Each ``check_*`` takes the student's own functions and returns a :class:`CheckResult`: passed,
not done yet (the function still raises NotImplementedError or returns ``...``) or wrong, with a
sentence that says why (wrong sign, off by a factor of h, not vectorised over h, loses all digits
below h = 1e-8, float32 by accident, ...). A checker never raises because of the student's
answer, and shows as a coloured line in Jupyter.

The expected values come from mathcore's tested functions and from closed forms. torch is
imported only inside :func:`check_autograd_derivative`, IPython only by :func:`grade_namespace`.
"""

from __future__ import annotations

import html
import json
import signal
import threading
from dataclasses import dataclass
from typing import Any, Callable, Literal, Mapping

from ._lab_judges import (
    judge_autograd,
    judge_forward_difference,
    judge_rules,
    judge_secant_line,
    judge_sigmoid,
)
from ._lab_support import _CheckTimedOut, _NotDone, _short, _Wrong

Status = Literal["passed", "not done yet", "wrong"]
PASSED: Status = "passed"
NOT_DONE: Status = "not done yet"
WRONG: Status = "wrong"

CHECK_MIME = "application/vnd.derivatives-lab.check+json"
"""The MIME type under which a notebook output carries one check result as JSON."""
GRADE_MIME = "application/vnd.derivatives-lab.grade+json"
"""The MIME type of :func:`grade_namespace`'s output: every objective's result as JSON."""


@dataclass(frozen=True)
class Objective:
    """One lab objective: a key, a title, and the names of the functions the student writes."""

    key: str
    title: str
    names: tuple[str, ...]
    judge: Callable[..., str]


OBJECTIVES: tuple[Objective, ...] = (
    Objective("finite_difference", "1. Finite differences", ("forward_difference",),
              judge_forward_difference),
    Objective("rules", "2. Differentiation rules", ("verify_rule", "d_power", "d_product", "d_chain"),
              judge_rules),
    Objective("tangent", "3. Secant to tangent", ("secant_line",), judge_secant_line),
    Objective("sigmoid", "4. Sigmoid and its gradient", ("sigmoid", "sigmoid_prime", "vanishing_edge"),
              judge_sigmoid),
    Objective("autograd", "5. Autograd", ("autograd_derivative",), judge_autograd),
)
"""The lab's objectives in notebook order."""

_BY_KEY = {o.key: o for o in OBJECTIVES}
_LOOK = {PASSED: ("✓", "#1a7f37"), NOT_DONE: ("…", "#6e7781"), WRONG: ("✗", "#cf222e")}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one objective's check: ``status`` and a ``feedback`` sentence."""

    objective: str
    status: Status
    feedback: str

    @property
    def passed(self) -> bool:
        """True when the check passed."""
        return self.status == PASSED

    @property
    def title(self) -> str:
        """The objective as the notebook names it."""
        return _BY_KEY[self.objective].title if self.objective in _BY_KEY else self.objective

    def __str__(self) -> str:
        return f"{_LOOK[self.status][0]} {self.title}: {self.status}. {self.feedback}"

    def to_json(self) -> dict[str, str]:
        """The result as plain JSON types, as the grader reads it."""
        return {"objective": self.objective, "status": self.status, "feedback": self.feedback}

    def _repr_html_(self) -> str:
        mark, colour = _LOOK[self.status]
        return (f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
                f'<b style="color:{colour}">{mark} {html.escape(self.title)}: {self.status}</b>'
                f"<br>{html.escape(self.feedback)}</div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/plain": str(self), "text/html": self._repr_html_(), CHECK_MIME: self.to_json()}


def _check(key: str, functions: tuple[Any, ...]) -> CheckResult:
    """Run one objective's judge on the student's functions; every outcome is a CheckResult."""
    objective = _BY_KEY[key]
    for name, fn in zip(objective.names, functions):
        if fn is None:
            return CheckResult(key, NOT_DONE, f"{name} is not defined yet: run the cell that defines it.")
        if not callable(fn):
            return CheckResult(key, WRONG, f"{name} should be a function, but it is a {type(fn).__name__}: "
                                           f"pass {name} itself, without brackets.")
    try:
        return CheckResult(key, PASSED, objective.judge(*functions))
    except _NotDone as stub:
        return CheckResult(key, NOT_DONE, f"{stub} is still the stub: replace its `raise "
                                          "NotImplementedError` with your code, run that cell, "
                                          "then this check again.")
    except _Wrong as wrong:
        return CheckResult(key, WRONG, str(wrong))
    except Exception as exc:  # an answer so odd that the judge itself tripped over it
        return CheckResult(key, WRONG, f"The checker could not read the answer "
                                       f"({type(exc).__name__}: {_short(exc)}).")


def check_forward_difference(forward_difference: Callable) -> CheckResult:
    r"""Check ``forward_difference(f, x, h)`` = :math:`(f(x+h) - f(x))/h`, vectorised over h.

    It is run on exp, sin and x³ at steps 1e-1 ... 1e-12 against mathcore's tested
    forward_difference, within the rounding bound :math:`8\epsilon(|f(x)| + |f(x+h)| + |x f'|)/h`.

    Examples
    --------
    >>> check_forward_difference(lambda f, x, h: (f(x + h) - f(x)) / h).status
    'passed'
    >>> print(check_forward_difference(lambda f, x, h: (f(x) - f(x + h)) / h).feedback)
    Wrong sign: that is (f(x) - f(x+h))/h; the forward difference is (f(x+h) - f(x))/h.
    """
    return _check("finite_difference", (forward_difference,))


def check_rules(verify_rule: Callable, d_power: Callable, d_product: Callable,
                d_chain: Callable) -> CheckResult:
    r"""Check the derivatives of x⁵, x² sin x and sin(x²), and the rule verifier.

    ``d_*`` must match the closed forms :math:`5x^4`, :math:`2x\sin x + x^2\cos x` and
    :math:`2x\cos x^2`; ``verify_rule(f, df, x)`` must accept six correct derivatives and reject
    four wrong ones (among them one off by 0.1%).

    Examples
    --------
    >>> import numpy as np
    >>> verify = lambda f, df, x, h=1e-5: bool(np.allclose(df(x), (f(x + h) - f(x - h)) / (2 * h)))
    >>> check_rules(verify, lambda x: 5 * x**4, lambda x: 2 * x * np.sin(x) + x**2 * np.cos(x),
    ...             lambda x: np.cos(x**2)).feedback
    'd_chain is missing the inner derivative: d/dx sin(x^2) = cos(x^2) * 2x, not cos(x^2).'
    """
    return _check("rules", (verify_rule, d_power, d_product, d_chain))


def check_secant_line(secant_line: Callable) -> CheckResult:
    """Check ``secant_line(f, x0, h) -> (slope, intercept)`` of the line through x0 and x0 + h.

    For :math:`f(x) = x^2` the closed form is slope :math:`2x_0 + h` and intercept
    :math:`-x_0^2 - x_0 h`; for :math:`e^x` mathcore's secant_line is the reference.

    Examples
    --------
    >>> def secant(f, x0, h):
    ...     slope = (f(x0 + h) - f(x0)) / h
    ...     return slope, f(x0) - slope * x0
    >>> check_secant_line(secant).passed
    True
    """
    return _check("tangent", (secant_line,))


def check_sigmoid(sigmoid: Callable, sigmoid_prime: Callable, vanishing_edge: Callable) -> CheckResult:
    r"""Check σ, σ' = σ(1 - σ) from -1000 to 1000, and the edge x* where σ' falls below t.

    ``vanishing_edge(t)`` must be within 0.02 of mathcore's vanishing_zone(t), the x* > 0 with
    :math:`\sigma'(x^*) = t`, for t = 0.01, 0.001 and 0.1.

    Examples
    --------
    >>> import numpy as np
    >>> s = lambda x: 1 / (1 + np.exp(-x))
    >>> print(check_sigmoid(s, lambda x: s(x) * (1 - s(x)), lambda t: 4.6).feedback)
    vanishing_edge does not depend on the threshold: for t = 0.001 the edge is 6.9058. Find where σ'(x) = t.
    """
    return _check("sigmoid", (sigmoid, sigmoid_prime, vanishing_edge))


def check_autograd_derivative(autograd_derivative: Callable) -> CheckResult:
    """Check ``autograd_derivative(f, x)``: f'(x) by torch's .backward(), for an array of x.

    It must match every catalog function's hand-written derivative to 64 ULPs; a finite
    difference (about 1e-10 off) or float32 (about 1e-7) is named as such.

    Examples
    --------
    >>> import torch
    >>> def by_autograd(f, x):
    ...     t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ...     f(t).sum().backward()
    ...     return t.grad.numpy()
    >>> check_autograd_derivative(by_autograd).status
    'passed'
    """
    return _check("autograd", (autograd_derivative,))


def _with_time_limit(seconds: float, run: Callable[[], CheckResult]) -> CheckResult:
    """run() interrupted after ``seconds`` by SIGALRM, where signals can be used (main thread)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return run()

    def on_alarm(signum: int, frame: Any) -> None:
        raise _CheckTimedOut

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return run()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def grade_namespace(namespace: Mapping[str, Any], seconds_per_check: float = 30.0) -> list[CheckResult]:
    """Check every objective with the functions named in ``namespace`` (a notebook's globals).

    Each check gets at most ``seconds_per_check`` seconds. The results are displayed under
    :data:`GRADE_MIME` (the grader reads them from there) and returned.

    Examples
    --------
    >>> [r.status for r in grade_namespace({})]
    ['not done yet', 'not done yet', 'not done yet', 'not done yet', 'not done yet']
    """
    if not seconds_per_check > 0:
        raise ValueError(f"seconds_per_check must be a positive number; got {seconds_per_check!r}.")
    results = []
    for objective in OBJECTIVES:
        functions = tuple(namespace.get(name) for name in objective.names)
        try:
            result = _with_time_limit(seconds_per_check, lambda: _check(objective.key, functions))
        except _CheckTimedOut:
            result = CheckResult(objective.key, WRONG, f"The check took longer than "
                                                       f"{seconds_per_check:g} s: is there an endless loop?")
        results.append(result)
    _publish(results)
    return results


def _publish(results: list[CheckResult]) -> None:
    payload = {"results": [r.to_json() for r in results]}
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is not None:
        display({GRADE_MIME: payload, "text/plain": json.dumps(payload)}, raw=True)
