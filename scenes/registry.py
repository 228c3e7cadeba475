"""The scenes by short name: what each shows and which parameters it takes. Imports no manim."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from .params import SceneParams


@dataclass(frozen=True)
class SceneSpec:
    """One scene: its short name, where it lives and what a lecturer can change."""

    name: str
    module: str
    class_name: str
    summary: str
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.module.replace(".", "/") + ".py"

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(self.defaults)

    def resolve(self, params: SceneParams) -> SceneParams:
        """params with this scene's defaults filled in and the others cleared."""
        known = {k: getattr(params, k) for k in self.defaults}
        return SceneParams(theme=params.theme, **known).with_defaults(self.defaults)


SCENES: dict[str, SceneSpec] = {
    s.name: s
    for s in (
        SceneSpec("tangent", "scenes.tangent", "SecantToTangent",
                  "The secant through x0 and x0+h turns into the tangent as h shrinks.",
                  {"function": "x**2", "x0": 1.0, "h_min": 1e-3, "h_max": 1.0}),
        SceneSpec("error", "scenes.error", "ErrorVersusStep",
                  "Error of finite differences against h on log-log axes: truncation meets round-off.",
                  {"function": "exp(x)", "x0": 1.0, "h_min": 1e-16, "h_max": 1.0,
                   "precision": "float64"}),
        SceneSpec("sigmoid", "scenes.sigmoid", "SigmoidGradientZones",
                  "The sigmoid and its derivative, with the vanishing-gradient zones shaded.",
                  {"threshold": 0.01}),
        SceneSpec("rules", "scenes.rules", "DifferentiationRules",
                  "The power, product and chain rules, each checked against a central difference.",
                  {}),
        SceneSpec("autograd", "scenes.autograd", "AutogradVersusFiniteDifferences",
                  "Autograd matches the analytic derivative to the last bits; finite differences do not.",
                  {}),
    )
}
"""Every scene, in lecture order."""


TITLE_CARD = SceneSpec("title", "scenes.titlecard", "TitleCard", "A title card between lecture parts.", {})
"""Not a lecture scene of its own: the lecture command renders one before each scene."""


def get_scene(name: str) -> SceneSpec:
    """The scene called ``name``, or a ValueError that lists the valid names and a guess."""
    if name in SCENES:
        return SCENES[name]
    guess = difflib.get_close_matches(name, SCENES, n=1)
    hint = f" Did you mean '{guess[0]}'?" if guess else ""
    raise ValueError(f"unknown scene '{name}'; choose one of: {', '.join(SCENES)}.{hint}")
