"""The numerics of the lab "Derivatives in Practice": the single source of every number shown.

Pure numpy at import; torch is imported inside the functions that need it (autograd, backprop,
scale, depth) and sympy only when a user's function is parsed, so ``import mathcore`` stays
light and never loads manim.
"""

from __future__ import annotations

from . import lab  # noqa: F401 - the lab notebook's checkers: mathcore.lab.check_*
from .autograd import (
    AutogradCheck,
    AutogradSummary,
    check_autograd,
    summarise_autograd,
    ulp_distance,
    ulp_error,
)
from .backprop import (
    MAX_GRAPH_NODES,
    BackpropCheck,
    BackwardGraph,
    GraphEdge,
    GraphNode,
    backward_graph,
    check_backprop,
)
from .catalog import CATALOG, CatalogFunction
from .derivative import DerivativeEstimate, derivative
from .differences import (
    backward_difference,
    central_difference,
    complex_step,
    finite_difference_gradient,
    forward_difference,
    naive_forward_difference,
    richardson,
    secant_line,
    secant_slope,
    tangent_line,
)
from .depth import (
    ACTIVATIONS,
    DepthBoundCheck,
    DepthProfile,
    check_depth_bound,
    deep_network,
    depth_profile,
    depth_profiles,
    gradient_bounds,
)
from .logistic import LogisticProblem, logistic_problem
from .parse import FUNCTIONS, ParsedFunction, parse_function
from .precision import PRECISIONS
from .rules import RULE_RTOL, RuleCheck, principled_step, verify_rules
from .scale import (
    CostPoint,
    EvaluationCount,
    GradientAccuracy,
    GradientCost,
    LogLogFit,
    check_evaluation_counts,
    gradient_cost,
    parameter_grid,
)
from .schemes import SCHEMES, Scheme
from .sigmoid import SIGMOID_PEAK_SLOPE, sigmoid, sigmoid_prime, vanishing_zone
from .singular import PointClass, Singularity
from .symbolic import higher_derivatives
from .sweep import (
    ERROR_FLOOR,
    ErrorModel,
    ErrorSweep,
    default_steps,
    error_model,
    error_sweep,
)

__all__ = [
    "ACTIVATIONS",
    "AutogradCheck",
    "BackpropCheck",
    "BackwardGraph",
    "AutogradSummary",
    "CATALOG",
    "CatalogFunction",
    "CostPoint",
    "DepthBoundCheck",
    "DepthProfile",
    "DerivativeEstimate",
    "ERROR_FLOOR",
    "ErrorModel",
    "ErrorSweep",
    "EvaluationCount",
    "FUNCTIONS",
    "GradientAccuracy",
    "GradientCost",
    "GraphEdge",
    "GraphNode",
    "LogLogFit",
    "LogisticProblem",
    "MAX_GRAPH_NODES",
    "ParsedFunction",
    "PRECISIONS",
    "PointClass",
    "RULE_RTOL",
    "RuleCheck",
    "SCHEMES",
    "SIGMOID_PEAK_SLOPE",
    "Scheme",
    "Singularity",
    "backward_difference",
    "backward_graph",
    "central_difference",
    "check_autograd",
    "check_backprop",
    "check_depth_bound",
    "check_evaluation_counts",
    "complex_step",
    "deep_network",
    "default_steps",
    "depth_profile",
    "depth_profiles",
    "derivative",
    "error_model",
    "error_sweep",
    "finite_difference_gradient",
    "forward_difference",
    "gradient_bounds",
    "gradient_cost",
    "higher_derivatives",
    "logistic_problem",
    "naive_forward_difference",
    "parameter_grid",
    "parse_function",
    "principled_step",
    "richardson",
    "secant_line",
    "secant_slope",
    "sigmoid",
    "sigmoid_prime",
    "summarise_autograd",
    "tangent_line",
    "ulp_distance",
    "ulp_error",
    "vanishing_zone",
    "verify_rules",
]
