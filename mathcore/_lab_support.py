"""What the lab checkers share: calling a student's function safely and reading what it returns.

A checker never lets a student's exception escape. ``_call`` turns NotImplementedError and a
returned ``...`` into ``_NotDone`` and any other exception into ``_Wrong`` with a sentence that
names the call, the exception and, for the common ones, what usually causes it.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np


class _NotDone(Exception):
    """The student's function is still the stub; the message is its name."""


class _Wrong(Exception):
    """The answer is wrong; the message is the feedback shown to the student."""


class _CheckTimedOut(BaseException):
    """Raised by the grader's timer. A BaseException, so ``except Exception`` in a student's
    code does not swallow it.
    """


_HINTS = (
    ("arrays can be converted to Python scalars",
     " Something turned an array into one Python number (math.exp, float(), int()): use numpy "
     "functions, which work on whole arrays (np.exp, np.sin, ...)."),
    ("truth value of an array", " An `if`, `and` or `or` got an array: use numpy operations "
                                "(np.where, np.all) instead of Python control flow on arrays."),
    ("grad can be implicitly created only for scalar outputs",
     " f(x) is a vector here: call f(x).sum().backward(); each x_i only affects y_i, so the "
     "gradient of the sum is the vector of derivatives."),
    ("does not require grad", " Create the input with requires_grad=True before calling f."),
    ("must be Tensor, not", " Turn x into a tensor first: torch.tensor(x, dtype=torch.float64, "
                            "requires_grad=True)."),
    ("expected scalar type", " Mixed float32 and float64 tensors: use dtype=torch.float64 throughout."),
    ("required positional argument", " The checker calls it with the arguments shown: keep the "
                                     "signature of the stub (extra arguments need defaults)."),
    ("Can't call numpy() on Tensor that requires grad", " Use x.grad (or .detach()) before .numpy()."),
)

_MAX_MESSAGE = 160


def _short(exc: BaseException) -> str:
    """The first line of an exception's message, cut to a readable length."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _hint(exc: BaseException) -> str:
    text = str(exc)
    return next((hint for needle, hint in _HINTS if needle in text), "")


def _call(fn: Callable[..., Any], *args: Any, call: str) -> Any:
    """fn(*args) with numpy's warnings silenced; a stub or an exception becomes a verdict.

    ``call`` is how the call reads in feedback, e.g. ``forward_difference(np.exp, 1.0, h)``.
    """
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = fn(*args)
    except NotImplementedError:
        raise _NotDone(call.split("(")[0]) from None
    except _CheckTimedOut:
        raise
    except SystemExit:
        raise _Wrong(f"{call} called exit() or sys.exit(); a function should return its answer.") from None
    except Exception as exc:  # the point of a checker: explain any mistake, never crash
        message = _short(exc)
        detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
        raise _Wrong(f"{call} raised {detail}.{_hint(exc)}") from None
    if result is Ellipsis:
        raise _NotDone(call.split("(")[0])
    if result is None:
        raise _Wrong(f"{call} returned None: is a `return` missing?")
    return result


def _to_numbers(value: Any, call: str) -> np.ndarray:
    """What a student returned, as a real numeric array (torch tensors included)."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor, without torch
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
    except Exception:
        raise _Wrong(f"{call} returned a {type(value).__name__}, not a number or an array of "
                     "numbers.") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise _Wrong(f"{call} returned a {type(value).__name__} of {arr.dtype}, not numbers.")
    if np.iscomplexobj(arr):
        raise _Wrong(f"{call} returned complex numbers; the derivative of a real function is real.")
    return arr


def _fmt(value: Any) -> str:
    """A number as feedback shows it: 6 significant digits."""
    return f"{float(value):.6g}"


def _first_bad(mask: np.ndarray) -> int:
    """Index of the first True in a flat boolean mask."""
    return int(np.flatnonzero(np.ravel(mask))[0])


def _close(actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float = 0.0) -> bool:
    """Elementwise |actual - expected| <= atol + rtol |expected|, NaN never close."""
    actual, expected = np.broadcast_arrays(np.asarray(actual, float), np.asarray(expected, float))
    with np.errstate(all="ignore"):
        return bool(np.all(np.abs(actual - expected) <= atol + rtol * np.abs(expected)))


def _matching_mistake(actual: np.ndarray, mistakes: dict[str, np.ndarray], rtol: float,
                      atol: float = 0.0) -> str | None:
    """The feedback of the first known mistake whose values the answer reproduces."""
    return next((feedback for feedback, wrong in mistakes.items()
                 if _close(actual, wrong, rtol, atol)), None)
