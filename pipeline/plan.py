"""From what a lecturer typed to the jobs to run: which scenes, where each goes, and which are
already up to date. Everything here is checked before any render starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .files import RenderError
from .params import ParameterError, SceneParams
from .render import Job, RenderOptions, default_output, preflight
from .specs import SCENES, SceneSpec, get_scene


@dataclass(frozen=True)
class Planned:
    """One scene of a render command: its output, and the job to run unless it is up to date."""

    spec: SceneSpec
    output: Path
    job: Job | None

    @property
    def note(self) -> str | None:
        """Why nothing is rendered for this scene, if nothing is."""
        return f"{self.spec.name}: up to date, not re-rendered (--force renders anyway)" if self.job is None else None


def choose_scenes(names: list[str]) -> list[SceneSpec]:
    """The scenes named, in the order given, each once; ``all`` means every scene."""
    if "all" in names:
        return list(SCENES.values())
    chosen: list[SceneSpec] = []
    for name in names:
        spec = get_scene(name)
        if spec not in chosen:
            chosen.append(spec)
    return chosen


def check_applicable(specs: list[SceneSpec], params: SceneParams) -> None:
    """A parameter none of the chosen scenes takes is a mistake worth saying."""
    unused = params.given() - {k for spec in specs for k in spec.parameters}
    if unused:
        raise ParameterError(
            ", ".join("{" + k + "}" for k in sorted(unused))
            + f" does not apply to {', '.join(s.name for s in specs)}; see `python cli.py list` for "
            "each scene's parameters.", *sorted(unused))


def outputs(specs: list[SceneSpec], params: SceneParams, options: RenderOptions,
            output: Path | None) -> list[Path]:
    """Where each scene goes: ``output`` is a file for one scene, a folder for several."""
    fmt = options.format.value
    if output is None:
        return [default_output(spec, options, params) for spec in specs]
    if len(specs) == 1 and not output.is_dir() and output.suffix:
        if output.suffix.lower() != f".{fmt}":
            raise RenderError(f"--output {output} ends in {output.suffix}, but the format is {fmt}; "
                              f"use a .{fmt} name or pass --format {output.suffix.lstrip('.').lower()}.")
        return [output]
    if output.suffix and not output.is_dir():
        raise RenderError(f"--output {output} looks like a file, but {len(specs)} scenes need a folder; "
                          "pass a folder, or one scene.")
    return [default_output(spec, options, params, folder=output) for spec in specs]


def plan(names: list[str], params: SceneParams, options: RenderOptions,
         output: Path | None = None) -> list[Planned]:
    """Check everything and return what to render; raises on the first problem found."""
    options.check()
    specs = choose_scenes(names)
    check_applicable(specs, params)
    return [Planned(spec, target, preflight(spec, params, options, target))
            for spec, target in zip(specs, outputs(specs, params, options, output))]
