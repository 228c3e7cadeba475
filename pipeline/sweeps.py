"""The sweep behind the ``error`` scene, for the ``sweep`` command: checked once, parsed once."""

from __future__ import annotations

from typing import Any

from .params import ParameterError, SceneParams, validate


def run_sweep(function: str, x0: float, scheme: str, precision: str, h_min: float, h_max: float,
              points: int) -> Any:
    """``mathcore.error_sweep`` of the parsed ``function`` at ``x0`` over log-spaced steps.

    Raises ParameterError (naming the parameter) for anything mathcore would refuse.
    """
    import mathcore

    fn = validate(SceneParams(function=function, x0=x0, h_min=h_min, h_max=h_max, precision=precision))
    try:
        fn.check_point(x0)
    except ValueError as exc:
        raise ParameterError("{x0}: " + str(exc).replace("{", "{{").replace("}", "}}"), "x0") from None
    try:
        return mathcore.error_sweep(fn.f, fn.df, x0, h=mathcore.default_steps(h_min, h_max, points),
                                    scheme=scheme, dtype=mathcore.PRECISIONS[precision],
                                    derivatives=mathcore.higher_derivatives(fn))
    except ValueError as exc:
        raise ParameterError("{function} at {x0}: " + str(exc).replace("{", "{{").replace("}", "}}"),
                             "function", "x0") from None
