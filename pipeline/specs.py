"""The scenes by short name, read from ``scenes/scenes.toml``: what each shows, what it takes, and
the facts validation needs (step range, one- or two-sided stencil, schemes swept). Imports no manim.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes.contract import SPEC_FILE

from .params import SceneParams

STENCILS = {"one-sided": (1,), "two-sided": (1, -1)}
"""Where a scene evaluates f around x0: the signs of the steps."""


@dataclass(frozen=True)
class SceneSpec:
    """One scene: its short name, where it lives, what it shows and what a lecturer can change."""

    name: str
    module: str
    class_name: str
    title: str
    summary: str
    defaults: dict[str, Any] = field(default_factory=dict)
    stencil: str = "one-sided"
    h_range: tuple[float, float] | None = None
    sweeps: tuple[str, ...] = ()
    lecture: bool = True
    data: str | None = None
    """The mathcore.scene_data provider whose numbers the pipeline computes before Manim starts."""
    validate_with: str | None = None
    """The mathcore.scene_data check that must accept the parameters before Manim starts."""
    point_kinds: tuple[str, ...] = ()
    """Kinds of x0 besides "smooth" that the scene teaches from (a kink: two one-sided slopes)."""

    @property
    def file(self) -> str:
        return self.module.replace(".", "/") + ".py"

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(self.defaults)

    @property
    def sides(self) -> tuple[int, ...]:
        return STENCILS[self.stencil]

    def resolve(self, params: SceneParams) -> SceneParams:
        """``params`` with this scene's defaults filled in and the parameters it does not take cleared."""
        known = {k: getattr(params, k) for k in self.defaults}
        return SceneParams(theme=params.theme, pace=params.pace, **known).with_defaults(self.defaults)


def _load(path: Path = SPEC_FILE) -> dict[str, SceneSpec]:
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    specs = {}
    for name, entry in table.items():
        h_range = entry.get("h_range")
        specs[name] = SceneSpec(
            name=name, module=entry["module"], class_name=entry["class"], title=entry["title"],
            summary=entry["summary"], defaults=dict(entry.get("defaults", {})),
            stencil=entry.get("stencil", "one-sided"),
            h_range=(float(h_range[0]), float(h_range[1])) if h_range else None,
            sweeps=tuple(entry.get("sweeps", ())), lecture=entry.get("lecture", True),
            data=entry.get("data"), validate_with=entry.get("validate_with"),
            point_kinds=tuple(entry.get("point_kinds", ())))
        if specs[name].stencil not in STENCILS:
            raise ValueError(f"{path}: scene '{name}' has stencil '{specs[name].stencil}'; "
                             f"use one of: {', '.join(STENCILS)}.")
    return specs


_ALL = _load()

SCENES: dict[str, SceneSpec] = {name: spec for name, spec in _ALL.items() if spec.lecture}
"""Every scene a lecturer renders, in lecture order."""

TITLE_CARD: SceneSpec = _ALL["title"]
"""Not a scene of its own: the lecture command renders one before each scene."""


def get_scene(name: str) -> SceneSpec:
    """The scene called ``name``, or a ValueError that lists the valid names and a guess."""
    if name in SCENES:
        return SCENES[name]
    guess = difflib.get_close_matches(name, SCENES, n=1)
    hint = f" Did you mean '{guess[0]}'?" if guess else ""
    raise ValueError(f"unknown scene '{name}'; choose one of: {', '.join(SCENES)}.{hint}")
