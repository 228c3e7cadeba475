"""The floating-point precisions the lab compares, defined once."""

from __future__ import annotations

import numpy as np

PRECISIONS: dict[str, np.dtype] = {"float64": np.dtype(np.float64), "float32": np.dtype(np.float32)}
"""Every precision a sweep or scene may use, by the name a lecturer types.

Examples
--------
>>> float(np.finfo(PRECISIONS["float32"]).eps)
1.1920928955078125e-07
"""
