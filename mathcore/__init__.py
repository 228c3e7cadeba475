"""The numerics of the lab "Derivatives in Practice": the single source of every number shown.

Pure numpy; torch is imported only inside ``mathcore.autograd`` and sympy only when a user's
function is parsed, so ``import mathcore`` stays light and never loads manim.
"""

from __future__ import annotations

from .autograd import AutogradCheck, check_autograd, ulp_distance
from .catalog import CATALOG, CatalogFunction
from .differences import (
    backward_difference,
    central_difference,
    complex_step,
    forward_difference,
    richardson,
    secant_line,
    secant_slope,
    tangent_line,
)
from .precision import PRECISIONS
from .parse import FUNCTIONS, ParsedFunction, parse_function
from .rules import RULE_RTOL, RuleCheck, principled_step, verify_rules
from .sigmoid import SIGMOID_PEAK_SLOPE, sigmoid, sigmoid_prime, vanishing_zone
from .sweep import (
    ERROR_FLOOR,
    ORDERS,
    SCHEMES,
    ErrorModel,
    ErrorSweep,
    default_steps,
    error_model,
    error_sweep,
)

__all__ = [
    "AutogradCheck",
    "CATALOG",
    "CatalogFunction",
    "ERROR_FLOOR",
    "ErrorModel",
    "ErrorSweep",
    "FUNCTIONS",
    "ParsedFunction",
    "PRECISIONS",
    "RULE_RTOL",
    "RuleCheck",
    "ORDERS",
    "SCHEMES",
    "SIGMOID_PEAK_SLOPE",
    "backward_difference",
    "central_difference",
    "check_autograd",
    "complex_step",
    "default_steps",
    "error_model",
    "error_sweep",
    "forward_difference",
    "parse_function",
    "principled_step",
    "richardson",
    "secant_line",
    "secant_slope",
    "sigmoid",
    "sigmoid_prime",
    "tangent_line",
    "ulp_distance",
    "vanishing_zone",
    "verify_rules",
]
