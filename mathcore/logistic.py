r"""The loss of logistic regression: a real function of n parameters, with a closed-form gradient.

.. math:: L(w) = \frac{1}{m} \sum_{j=1}^{m} \log\left(1 + e^{-y_j x_j \cdot w}\right),
   \qquad \nabla L(w) = -\frac{1}{m} X^\top \left(y \odot \sigma(-y \odot Xw)\right).

It is the model a lecturer reaches for first: one parameter per input feature, labels
:math:`y_j = \pm 1`, and one evaluation that costs one matrix-vector product, O(m n).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

SAMPLES = 256
"""Default examples m: enough that an evaluation at large n is real work, not just overhead."""
MAX_FEATURE_ENTRIES = 2**23
"""Most entries m n of the feature matrix (64 MB in float64)."""


@dataclass(frozen=True, eq=False)
class LogisticProblem:
    r"""Logistic regression's loss on fixed data, and the point w at which its gradient is taken.

    Features are standard normal and ``weights`` are N(0, 1/n), so every margin
    :math:`y_j x_j \cdot w` is N(0, 1) at every n: the loss means the same thing at n = 1 and
    at n = 10^4, and only the cost changes.
    """

    features: np.ndarray
    labels: np.ndarray
    weights: np.ndarray

    def __post_init__(self) -> None:
        import torch

        # y_j x_j, made once: an evaluation is then one matrix-vector product and a mean.
        signed = torch.from_numpy(self.labels[:, None] * self.features)
        object.__setattr__(self, "_signed_features", signed)

    @property
    def n(self) -> int:
        """The number of parameters."""
        return int(self.weights.size)

    def loss_torch(self, w: Any) -> Any:
        """L(w) on a float64 torch tensor of shape (n,), differentiable by autograd."""
        import torch.nn.functional as F

        # -log sigma(u) = log(1 + e^{-u}), computed by torch without overflow for any u.
        return -F.logsigmoid(self._signed_features @ w).mean()

    def loss(self, w: np.ndarray) -> float:
        """L(w) for a float64 numpy vector, through the same torch code, recording no graph."""
        import torch

        with torch.no_grad():
            return self.loss_torch(torch.from_numpy(w)).item()


def logistic_problem(n: int, samples: int = SAMPLES, seed: int = 0) -> LogisticProblem:
    """The logistic-regression loss with n parameters on ``samples`` random examples.

    The same (n, samples, seed) always gives the same data (numpy's PCG64 generator).

    Examples
    --------
    >>> p = logistic_problem(3, samples=5)
    >>> p.features.shape, p.labels.shape, p.weights.shape
    ((5, 3), (5,), (3,))
    >>> round(p.loss(p.weights), 4)
    0.6701
    """
    _check_count(n, "n", 1, MAX_FEATURE_ENTRIES)
    _check_count(samples, "samples", 1, MAX_FEATURE_ENTRIES)
    if n * samples > MAX_FEATURE_ENTRIES:
        raise ValueError(f"n * samples = {n * samples} is too large; at most {MAX_FEATURE_ENTRIES} "
                         "feature entries are allowed.")
    rng = np.random.default_rng(_checked_seed(seed))
    features = rng.standard_normal((samples, n))
    labels = np.where(rng.random(samples) < 0.5, -1.0, 1.0)
    weights = rng.standard_normal(n) / np.sqrt(n)
    return LogisticProblem(features, labels, weights)


def _check_count(value: Any, name: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}.")


def _checked_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise ValueError(f"seed must be a whole number from 0 to 2**63 - 1; got {seed!r}.")
    return int(seed)
