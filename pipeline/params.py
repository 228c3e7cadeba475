"""Scene parameters: chosen by the CLI, checked here, carried to the Manim process in one
environment variable. No manim here, and no scene named: each scene's needs come from its spec.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .specs import SceneSpec

from scenes.contract import PARAMS_VAR, RECORD_VAR

__all__ = ["PARAMS_VAR", "RECORD_VAR", "ParameterError", "SceneParams", "validate"]
PACE_RANGE = (0.1, 4.0)
"""Multipliers of every hold a scene makes: 2 doubles the time to speak over each beat."""
WHOLE_RANGES = {"max_params": (10, 10**7), "layers": (1, 60), "seed": (0, 2**62 - 1)}
"""The whole-number parameters and the values each may take (both ends allowed)."""


class ParameterError(ValueError):
    """A parameter a scene cannot draw. ``fields`` are the parameter names the message speaks of.

    The message is a template with ``{h_min}``-style places for those names, so the CLI can show
    its flag names (``--h-min``) while the pipeline stays free of them.
    """

    def __init__(self, template: str, *fields: str) -> None:
        self.template = template
        self.fields = fields
        super().__init__(self.render())

    def render(self, name: Callable[[str], str] = str) -> str:
        return self.template.format(**{f: name(f) for f in self.fields})


@dataclass(frozen=True)
class SceneParams:
    """What a lecturer may change. None means: the scene's own default."""

    function: str | None = None
    x0: float | None = None
    h_min: float | None = None
    h_max: float | None = None
    threshold: float | None = None
    precision: str | None = None
    max_params: int | None = None
    layers: int | None = None
    activation: str | None = None
    seed: int | None = None
    theme: str = "dark"
    pace: float = 1.0

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    def with_defaults(self, defaults: dict[str, Any]) -> SceneParams:
        """Fill every None field from ``defaults``."""
        filled = {k: v for k, v in defaults.items() if getattr(self, k) is None}
        return replace(self, **filled)

    def given(self) -> set[str]:
        """The scene parameters set (not None), apart from theme and pace, which every scene takes."""
        return {k for k, v in asdict(self).items() if v is not None and k not in ("theme", "pace")}


def _finite(name: str, value: float | None) -> None:
    if value is not None and not math.isfinite(value):
        raise ParameterError(f"{{{name}}} must be a finite number; got {value}.", name)


def validate(params: SceneParams, spec: SceneSpec | None = None) -> Any:
    """Raise ParameterError with one sentence if a scene could not draw these parameters.

    ``spec`` adds that scene's own needs (its step range, where its stencil evaluates f, the
    schemes it sweeps). Returns the parsed function when there is one, so callers need not
    parse it again.
    """
    import mathcore
    from scenes.style import THEMES

    for name in ("x0", "h_min", "h_max", "threshold", "pace"):
        _finite(name, getattr(params, name))
    if params.theme not in THEMES:
        raise ParameterError(f"unknown {{theme}} '{params.theme}'; choose one of: {', '.join(THEMES)}.", "theme")
    if not PACE_RANGE[0] <= params.pace <= PACE_RANGE[1]:
        raise ParameterError(f"{{pace}} must be between {PACE_RANGE[0]:g} and {PACE_RANGE[1]:g}; "
                             f"got {params.pace:g}.", "pace")
    if params.precision is not None and params.precision not in mathcore.PRECISIONS:
        raise ParameterError(f"unknown {{precision}} '{params.precision}'; "
                             f"choose one of: {', '.join(mathcore.PRECISIONS)}.", "precision")
    _check_whole_numbers(params)
    if params.activation is not None:
        _check_activations(params.activation)
    for name in ("h_min", "h_max"):
        value = getattr(params, name)
        if value is not None and value <= 0:
            raise ParameterError(f"{{{name}}} must be positive; got {value}.", name)
    if params.h_min is not None and params.h_max is not None and params.h_min >= params.h_max:
        raise ParameterError(f"{{h_min}} ({params.h_min}) must be smaller than {{h_max}} ({params.h_max}).",
                             "h_min", "h_max")
    if spec is not None and spec.h_range is not None:
        _check_step_range(params, spec)
    if params.threshold is not None:
        try:
            mathcore.vanishing_zone(params.threshold)
        except ValueError:
            raise ParameterError(f"{{threshold}} must lie strictly between 0 and 0.25, the peak of "
                                 f"sigma'(x); got {params.threshold}.", "threshold") from None
    if params.function is None:
        return None
    try:
        fn = mathcore.parse_function(params.function)
    except ValueError as exc:
        raise ParameterError(f"{{function}}: {_braces(str(exc))}", "function") from None
    if params.x0 is not None and spec is not None:
        _check_domain(fn, params, spec)
    if spec is not None and spec.validate_with:
        _check_with_mathcore(params, spec)
    return fn


def _check_whole_numbers(params: SceneParams) -> None:
    for name, (lo, hi) in WHOLE_RANGES.items():
        value = getattr(params, name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            shown = str(value)[:40]
            raise ParameterError(f"{{{name}}} must be a whole number from {lo:,} to {hi:,}; got {shown}.", name)


def _check_activations(text: str) -> None:
    from mathcore import ACTIVATIONS
    from mathcore.scene_data import activation_list

    chosen = activation_list(text)
    allowed = ", ".join(ACTIVATIONS)
    if not chosen:
        raise ParameterError(f"{{activation}} names no activation; choose one or more of: {allowed}.", "activation")
    for name in chosen:
        if name not in ACTIVATIONS:
            raise ParameterError(f"unknown {{activation}} '{_braces(name[:40])}'; choose one or more of "
                                 f"{allowed}, separated by commas.", "activation")
    repeated = sorted({a for a in chosen if chosen.count(a) > 1})
    if repeated:
        raise ParameterError(f"{{activation}} names {', '.join(repeated)} more than once; give each "
                             "activation once.", "activation")


def _braces(text: str) -> str:
    """User text made safe for str.format."""
    return text.replace("{", "{{").replace("}", "}}")


def _check_with_mathcore(params: SceneParams, spec: SceneSpec) -> None:
    """The scene's own check in mathcore (``validate_with`` in scenes.toml), run before Manim."""
    from mathcore.scene_data import check_params

    given = {k: getattr(params, k) for k in spec.parameters}
    if any(v is None for v in given.values()):
        return  # unresolved parameters: the pipeline fills the defaults before it renders
    try:
        check_params(spec.validate_with, given)
    except ValueError as exc:
        fields = ", ".join("{" + k + "}" for k in spec.parameters)
        raise ParameterError(f"{fields}: {_braces(str(exc))}", *spec.parameters) from None


def _check_step_range(params: SceneParams, spec: SceneSpec) -> None:
    lo, hi = spec.h_range
    if params.h_min is not None and params.h_min < lo:
        raise ParameterError(f"{{h_min}} {params.h_min:g} is too small for the {spec.name} scene; "
                             f"use {lo:g} or more.", "h_min")
    if params.h_max is not None and params.h_max > hi:
        raise ParameterError(f"{{h_max}} {params.h_max:g} is too large for the {spec.name} scene; "
                             f"use {hi:g} or less.", "h_max")


def _check_domain(fn: Any, params: SceneParams, spec: SceneSpec) -> None:
    """F must be defined wherever the scene evaluates it: at x0 and at x0 +- h_max."""
    import mathcore

    try:
        point = fn.classify_point(params.x0)
    except ValueError as exc:
        raise ParameterError(f"{{x0}}: {_braces(str(exc))}", "x0") from None
    if not point.differentiable and point.kind not in spec.point_kinds:
        raise ParameterError(f"{{x0}}: {_braces(point.reason)}", "x0")
    if params.h_max is not None:
        for side in spec.sides:
            # f must have a value at the far end of the stencil; a kink or a jump there is fine
            try:
                far = fn.classify_point(params.x0 + side * params.h_max).kind
            except ValueError:
                far = "outside-domain"
            if far in ("outside-domain", "pole"):
                raise ParameterError(
                    f"x0 {'+' if side > 0 else '-'} h-max = {params.x0 + side * params.h_max:g} lies "
                    f"outside the domain of {_braces(fn.text)}; choose a smaller {{h_max}} or another {{x0}}.",
                    "h_max", "x0")
    if spec.sweeps:  # a trial sweep on a coarse grid, with the parsed function
        steps = mathcore.default_steps(params.h_min or 1e-16, params.h_max or 1.0, 33)
        for scheme in spec.sweeps:
            try:
                mathcore.error_sweep(fn.f, fn.df, params.x0, h=steps, scheme=scheme)
            except ValueError as exc:
                raise ParameterError(f"{{function}} at {{x0}}: {_braces(str(exc))}", "function", "x0") from None
