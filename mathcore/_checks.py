"""Input checks shared by the public functions: each raises ValueError with a full sentence.

Messages name shapes and a few values, never a whole array: a sweep has a million steps.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

SHOWN_VALUES = 3
"""How many values of an array a message quotes."""


def _describe(value: Any) -> str:
    """A short description of a value for a message: its repr if small, else shape and a few
    leading values.
    """
    try:
        arr = np.asarray(value)
    except Exception:  # ragged lists
        text = repr(value)
        return text if len(text) <= 60 else f"{type(value).__name__} {text[:40]}..."
    if arr.ndim == 0 or (arr.size <= SHOWN_VALUES and arr.dtype != object):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    head = ", ".join(f"{v:.6g}" if isinstance(v, (float, int, np.number)) and not isinstance(v, bool)
                     else repr(v)[:20] for v in arr.ravel()[:SHOWN_VALUES].tolist())
    return f"an array of shape {arr.shape} and dtype {arr.dtype} starting {head}, ..."


def _float_array(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a floating array, keeping float32 inputs float32."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and other shapes numpy refuses
        raise ValueError(f"{name} must be a number or an array of numbers; got {_describe(value)}.") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.number)):
        raise ValueError(f"{name} must be a real number or an array of real numbers; got {_describe(value)}.")
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} must be real, not complex; got {_describe(value)}.")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def _finite(value: Any, name: str) -> np.ndarray:
    """A floating array with no NaN and no infinity."""
    arr = _float_array(value, name)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; it contains NaN or infinity.")
    return arr


def _steps(h: Any, name: str = "h") -> np.ndarray:
    """Finite step sizes, every one strictly positive."""
    return _steps_and_range(h, name)[0]


def _steps_and_range(h: Any, name: str = "h") -> tuple[np.ndarray, float, float]:
    """Checked steps with their smallest and largest, found by the check itself."""
    arr = _float_array(h, name)
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one step; got an empty array.")
    # Two read-only reductions instead of elementwise masks: min and max propagate NaN, and a
    # sweep over a million steps should not pay for its checks more than for its arithmetic.
    lo, hi = arr.min(), arr.max()
    if np.isnan(lo) or np.isnan(hi) or np.isinf(hi):
        raise ValueError(f"{name} must be finite; it contains NaN or infinity.")
    if lo <= 0:
        raise ValueError(f"{name} must be strictly positive; got a step <= 0 (smallest {float(lo):g}).")
    return arr, float(lo), float(hi)


def _broadcast_shape(x: np.ndarray, h: np.ndarray) -> tuple[int, ...]:
    """The common shape of x and h, with a message that names both when they do not fit."""
    try:
        return np.broadcast_shapes(x.shape, h.shape)
    except ValueError as exc:
        raise ValueError(
            f"x with shape {x.shape} and h with shape {h.shape} cannot be broadcast together; "
            "pass a scalar for one of them or arrays of compatible shapes."
        ) from exc


def _check_callable(f: Any, name: str = "f") -> None:
    if not callable(f):
        raise ValueError(f"{name} must be a function of x; got {type(f).__name__}.")


def _function_values(f: Callable[[Any], Any], points: np.ndarray, where: str, name: str = "f",
                     complex_input: bool = False, check: bool = True, values: Any = None) -> np.ndarray:
    """F at the stencil points as a numpy array, checked: real (or complex for a complex step),
    one value per point or a single value, and (unless ``check`` is False) finite.

    NaN or infinity at a stencil point means that point lies outside f's domain or on a pole;
    the message names the first such point, never the whole array. Integer results are turned
    into floats. The array returned may be f's own: callers must not write into it. ``values``
    checks values already computed instead of calling f again.
    """
    if values is None:
        with np.errstate(all="ignore"):
            try:
                raw = f(points)
            except (TypeError, AttributeError) as exc:
                if not complex_input:
                    raise
                raise ValueError(f"complex_step needs an f that accepts complex numbers; {name} "
                                 f"raised {type(exc).__name__} on complex input.") from None
    else:
        raw = values
    values = np.asarray(raw)
    kind = values.dtype.kind
    if complex_input:
        if kind != "c":
            raise ValueError("complex_step needs an f that accepts and returns complex numbers; "
                             f"{name} returned values of dtype {values.dtype} for complex input.")
    elif kind in "iu":
        values = values.astype(np.float64)
    elif kind == "c":
        raise ValueError(f"{name} returned complex values at real points ({where}); it must return "
                         "real numbers there.")
    elif kind != "f":
        raise ValueError(f"{name} must return real numbers; at {where} it returned "
                         f"{_describe(raw)}.")
    shape = np.shape(points)
    try:
        full = np.broadcast_shapes(values.shape, shape)
    except ValueError:
        full = None
    if full != shape:
        raise ValueError(f"{name} returned an array of shape {values.shape} for points of shape {shape}; "
                         "it must return one value per point, or a single number.")
    real = values.real if kind == "c" else values
    if check and real.size and not (np.isfinite(real.min()) and np.isfinite(real.max())):
        _refuse_nonfinite(real, points, where, name)
    return values


def _refuse_nonfinite(values: np.ndarray, points: np.ndarray, where: str, name: str) -> None:
    """Name the first point where f is NaN or infinite, and how many there are."""
    shape = np.shape(points)
    bad = np.broadcast_to(~np.isfinite(values), shape)
    count = int(np.count_nonzero(bad))
    first = np.broadcast_to(points, shape)[bad].ravel()[0]
    first_real = float(np.real(first))
    what = "NaN" if np.isnan(np.broadcast_to(values, shape)[bad]).any() else "infinite"
    raise ValueError(
        f"{name} is {what} at {where} = {first_real:.6g} ({count} of {bad.size} stencil points): "
        "that point lies outside the function's domain or on a pole; choose a smaller h or "
        "another x."
    )
