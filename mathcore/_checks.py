"""Input checks shared by the public functions: each raises ValueError with a full sentence."""

from __future__ import annotations

from typing import Any

import numpy as np


def _float_array(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a floating array, keeping float32 inputs float32."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and other shapes numpy refuses
        raise ValueError(f"{name} must be a number or an array of numbers; got {value!r}.") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.number)):
        raise ValueError(f"{name} must be a real number or an array of real numbers; got {value!r}.")
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} must be real, not complex; got {value!r}.")
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
    arr = _float_array(h, name)
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one step; got an empty array.")
    # Two read-only reductions instead of elementwise masks: min and max propagate NaN, and a
    # sweep over a million steps should not pay for its checks more than for its arithmetic.
    lo, hi = arr.min(), arr.max()
    if np.isnan(lo) or np.isnan(hi) or np.isinf(hi):
        raise ValueError(f"{name} must be finite; it contains NaN or infinity.")
    if lo <= 0:
        raise ValueError(f"{name} must be strictly positive; got a step <= 0.")
    return arr


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


def _checked_values(values: Any, what: str) -> np.ndarray:
    """f evaluated at the stencil points: NaN there means x lies outside f's domain."""
    arr = np.asarray(values)
    if arr.dtype.kind in "fc" and np.isnan(arr.min() if arr.dtype.kind == "f" else arr.sum()):
        raise ValueError(
            f"{what} is NaN at some stencil point: x, or x plus or minus h, lies outside the "
            "function's domain."
        )
    return arr
