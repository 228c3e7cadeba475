"""Scene parameters: chosen by the CLI, carried to the Manim process in one environment variable.

No manim here: the CLI validates parameters before any render starts.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, replace
from typing import Any

ENV_VAR = "DIP_SCENE_PARAMS"
"""The environment variable holding the JSON of a SceneParams for the Manim process."""
RECORD_VAR = "DIP_RECORD_FILE"
"""When set, a scene writes the numbers it showed to this JSON file (the tests read it)."""

PRECISIONS = ("float64", "float32")
THEME_NAMES = ("dark", "light")


@dataclass(frozen=True)
class SceneParams:
    """What a lecturer may change. None means: the scene's own default."""

    function: str | None = None
    x0: float | None = None
    h_min: float | None = None
    h_max: float | None = None
    threshold: float | None = None
    precision: str | None = None
    theme: str = "dark"

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> SceneParams:
        raw = os.environ.get(ENV_VAR)
        return cls(**json.loads(raw)) if raw else cls()

    def with_defaults(self, defaults: dict[str, Any]) -> SceneParams:
        """Fill every None field from ``defaults``."""
        filled = {k: v for k, v in defaults.items() if getattr(self, k) is None}
        return replace(self, **filled)


def _finite(name: str, value: float | None) -> None:
    if value is not None and not math.isfinite(value):
        raise ValueError(f"--{name.replace('_', '-')} must be a finite number; got {value}.")


def validate(params: SceneParams, scene: str | None = None) -> None:
    """Raise ValueError with one sentence if a scene could not draw these parameters.

    ``scene`` adds that scene's own needs: the error sweep evaluates f on both sides of x0.
    """
    import mathcore

    for name in ("x0", "h_min", "h_max", "threshold"):
        _finite(name, getattr(params, name))
    if params.theme not in THEME_NAMES:
        raise ValueError(f"unknown theme '{params.theme}'; choose dark or light.")
    if params.precision is not None and params.precision not in PRECISIONS:
        raise ValueError(f"unknown precision '{params.precision}'; choose float64 or float32.")
    for name in ("h_min", "h_max"):
        value = getattr(params, name)
        if value is not None and value <= 0:
            raise ValueError(f"--{name.replace('_', '-')} must be positive; got {value}.")
    if params.h_min is not None and params.h_max is not None and params.h_min >= params.h_max:
        raise ValueError(f"--h-min ({params.h_min}) must be smaller than --h-max ({params.h_max}).")
    _check_scene_ranges(params, scene)
    if params.threshold is not None:
        try:
            mathcore.vanishing_zone(params.threshold)
        except ValueError:
            raise ValueError(f"--threshold must lie strictly between 0 and 0.25, the peak of sigma'(x); "
                             f"got {params.threshold}.") from None
    if params.function is not None:
        try:
            fn = mathcore.parse_function(params.function)
        except ValueError as exc:
            raise ValueError(f"--function: {exc}") from None
        if params.x0 is not None:
            fn.check_point(params.x0)
            reach = [params.h_max] if params.h_max is not None else []
            sides = (1, -1) if scene == "error" else (1,)
            for h in reach:
                for side in sides:
                    try:
                        fn.check_point(params.x0 + side * h)
                    except ValueError:
                        raise ValueError(
                            f"x0 {'+' if side > 0 else '-'} h-max = {params.x0 + side * h:g} lies outside "
                            f"the domain of {fn.text}; choose a smaller --h-max or another --x0."
                        ) from None
            if scene == "error":  # a trial sweep on a coarse grid, with the parsed function
                steps = mathcore.default_steps(params.h_min or 1e-16, params.h_max or 1.0, 33)
                for scheme in ("forward", "central"):
                    mathcore.error_sweep(fn.f, fn.df, params.x0, h=steps, scheme=scheme)


TANGENT_H_RANGE = (1e-8, 100.0)
"""Steps the tangent scene can draw: below 1e-8 the readouts outgrow the panel, above 100 the
curve no longer fits a lecture slide."""


def _check_scene_ranges(params: SceneParams, scene: str | None) -> None:
    if scene == "tangent":
        lo, hi = TANGENT_H_RANGE
        if params.h_min is not None and params.h_min < lo:
            raise ValueError(f"--h-min {params.h_min:g} is too small for the tangent scene; use {lo:g} or more.")
        if params.h_max is not None and params.h_max > hi:
            raise ValueError(f"--h-max {params.h_max:g} is too large for the tangent scene; use {hi:g} or less.")


def read_params(defaults: dict[str, Any]) -> SceneParams:
    """The parameters of this render, with the scene's defaults filled in."""
    return SceneParams.from_env().with_defaults(defaults)
