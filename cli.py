"""Render the lab's scenes and check its numbers: `python cli.py --help`."""

from __future__ import annotations

import sys

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from scenes.registry import SCENES

app = typer.Typer(rich_markup_mode="rich", no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False,
                  help="Animated lecture visualizations for the calculus lab [b]Derivatives in Practice[/b].")
out = Console()
err = Console(stderr=True)
DEBUG = False


class Quality(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    k4 = "4k"


class Format(str, Enum):
    mp4 = "mp4"
    gif = "gif"
    webm = "webm"
    mov = "mov"
    png = "png"


class Theme(str, Enum):
    dark = "dark"
    light = "light"


class Precision(str, Enum):
    float64 = "float64"
    float32 = "float32"


class Scheme(str, Enum):
    forward = "forward"
    backward = "backward"
    central = "central"
    complex_step = "complex-step"
    richardson = "richardson"


DEFAULT_QUALITY = Quality.low
"""480p15: quick to render, fine for checking a scene."""
DEFAULT_FORMAT = Format.mp4
DEFAULT_THEME = Theme.dark
DEFAULT_JOBS = 1


def fail(message: str, code: int = 1) -> None:
    """One clear line on stderr and a non-zero exit (2 for usage errors)."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False) -> None:
    global DEBUG
    DEBUG = debug


@app.command("list")
def list_scenes() -> None:
    """List the scenes: short name, what each shows, and the parameters it takes."""
    from rich.table import Table

    table = Table(title="Scenes", title_justify="left")
    table.add_column("name", style="bold cyan")
    table.add_column("class")
    table.add_column("what it shows")
    table.add_column("parameters (defaults)")
    for spec in SCENES.values():
        params = ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in spec.defaults.items()) or "-"
        table.add_row(spec.name, spec.class_name, spec.summary, params)
    out.print(table)


def _parse_resolution(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    parts = text.lower().replace(",", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        fail(f"--resolution must look like 854x480; got '{text}'.", 2)
    return int(parts[0]), int(parts[1])


def _check_number(name: str, value: float | None, positive: bool = False) -> None:
    import math

    if value is None:
        return
    if not math.isfinite(value):
        fail(f"--{name} must be a finite number; got {value}.", 2)
    if positive and value <= 0:
        fail(f"--{name} must be positive; got {value}.", 2)


def _choose_scenes(names: list[str]) -> list:
    from scenes.registry import get_scene

    if "all" in names:
        return list(SCENES.values())
    chosen = []
    for name in names:
        try:
            spec = get_scene(name)
        except ValueError as exc:
            fail(str(exc), 2)
        if spec not in chosen:
            chosen.append(spec)
    return chosen


def _outputs(specs: list, output: Path | None, fmt: str) -> list[Path | None]:
    """Where each scene goes: --output is a file for one scene, a folder for several."""
    if output is None:
        return [None] * len(specs)
    if len(specs) == 1 and not output.is_dir() and output.suffix:
        if output.suffix.lower() != f".{fmt}":
            fail(f"--output {output} ends in {output.suffix}, but the format is {fmt}; "
                 f"use a .{fmt} name or pass --format {output.suffix.lstrip('.').lower()}.", 2)
        return [output]
    return [output / f"{spec.name}.{fmt}" for spec in specs]


@app.command()
def render(
    scenes: Annotated[list[str], typer.Argument(help="Scene names (see [b]list[/b]), or [b]all[/b].", show_default=False)],
    quality: Annotated[Quality, typer.Option(help="Manim preset: low 480p15, medium 720p30, high 1080p60, 4k 2160p60.")] = DEFAULT_QUALITY,
    fps: Annotated[Optional[int], typer.Option(help="Frame rate; GIFs default to 25 or less and are capped at 50.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="mp4, gif, webm, mov, or png (the last frame).")] = DEFAULT_FORMAT,
    transparent: Annotated[bool, typer.Option(help="Transparent background (webm, mov or png only).")] = False,
    theme: Annotated[Theme, typer.Option(help="dark, or light for projectors.")] = DEFAULT_THEME,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="A file for one scene, a folder for several. Default: renders/<scene>.<ext>.")] = None,
    function: Annotated[Optional[str], typer.Option(help="f(x) for tangent and error, e.g. 'x**2*sin(x)'.")] = None,
    x0: Annotated[Optional[float], typer.Option(help="The point x0 (tangent, error).")] = None,
    h_min: Annotated[Optional[float], typer.Option(help="Smallest step h.")] = None,
    h_max: Annotated[Optional[float], typer.Option(help="Largest step h.")] = None,
    threshold: Annotated[Optional[float], typer.Option(help="Vanishing-gradient level for sigmoid, in (0, 0.25).")] = None,
    precision: Annotated[Optional[Precision], typer.Option(help="float64 or float32 (error).")] = None,
    width: Annotated[Optional[int], typer.Option(help="Scale a GIF to this width in pixels.")] = None,
    resolution: Annotated[Optional[str], typer.Option(help="Exact size WIDTHxHEIGHT, overriding --quality's.")] = None,
    jobs: Annotated[int, typer.Option(help="Scenes rendered in parallel.")] = DEFAULT_JOBS,
    force: Annotated[bool, typer.Option(help="Render even when the output is up to date.")] = False,
    preview: Annotated[bool, typer.Option(help="Open the result when done.")] = False,
) -> None:
    """Render scenes to MP4, GIF, WebM, MOV or PNG under [b]renders/[/b].

    [b]Examples[/b]

      python cli.py render tangent
      python cli.py render sigmoid --format gif --width 640
      python cli.py render all --quality high --jobs 2
      python cli.py render error --theme light --format png
    """
    specs = _choose_scenes(scenes)
    for name, value in (("x0", x0), ("threshold", threshold)):
        _check_number(name, value)
    for name, value in (("h-min", h_min), ("h-max", h_max)):
        _check_number(name, value, positive=True)
    if jobs < 1:
        fail(f"--jobs must be at least 1; got {jobs}.", 2)
    if width is not None and format is not Format.gif:
        fail("--width scales GIFs only; add --format gif or use --resolution.", 2)

    from scenes.params import SceneParams
    from scenes.render import RenderError, RenderOptions

    options = RenderOptions(quality=quality.value, fps=fps, format=format.value,
                            transparent=transparent, width=width,
                            resolution=_parse_resolution(resolution), force=force)
    params = SceneParams(function=function, x0=x0, h_min=h_min, h_max=h_max, threshold=threshold,
                         precision=precision.value if precision else None, theme=theme.value)
    supplied = {"function": function, "x0": x0, "h_min": h_min, "h_max": h_max,
                "threshold": threshold, "precision": precision}
    given = {k for k, v in supplied.items() if v is not None}
    unused = given - {k for spec in specs for k in spec.parameters}
    if unused:
        names = ", ".join(f"--{k.replace('_', '-')}" for k in sorted(unused))
        fail(f"{names} does not apply to {', '.join(s.name for s in specs)}; "
             "see `python cli.py list` for each scene's parameters.", 2)
    targets = _outputs(specs, output, format.value)
    try:
        options.check()
        _validate_all(specs, params, options, targets)
    except (RenderError, ValueError) as exc:
        fail(str(exc), 2)
    if format is Format.gif and fps is not None and fps > 50:
        err.print(f"note: GIF frame rates are capped at 50 fps; rendering at 50, not {fps}.")
    results = _render_with_progress(specs, params, options, targets, jobs)
    if preview:
        for result in results:
            typer.launch(str(result.path))


def _validate_all(specs: list, params, options, targets: list) -> None:
    """Every chosen scene's parameters, before any render starts (up-to-date ones need none)."""
    from scenes.params import validate
    from scenes.render import default_output, up_to_date

    for spec, target in zip(specs, targets):
        if not up_to_date(spec, params, options, target or default_output(spec, options)):
            validate(spec.resolve(params), spec.name)


def _render_with_progress(specs: list, params, options, targets: list, jobs: int) -> list:
    from concurrent.futures import ThreadPoolExecutor

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from scenes.render import RenderError, render_scene

    results, failures = [], []
    columns = (SpinnerColumn(), TextColumn("[bold]{task.fields[scene]:<9}"),
               TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as bar:
        tasks = {s.name: bar.add_task("waiting", scene=s.name, total=1) for s in specs}

        def one(spec, target):
            task = tasks[spec.name]
            bar.update(task, description="rendering")
            try:
                result = render_scene(spec, params, options, target,
                                      progress=lambda msg: bar.update(task, description=msg))
            except RenderError as exc:
                bar.update(task, description="[red]failed", completed=1)
                failures.append(str(exc))
                return None
            note = "up to date, not re-rendered: " if result.skipped else "wrote "
            bar.update(task, description=f"[green]{note}{_shown(result.path)}", completed=1)
            return result

        with ThreadPoolExecutor(max_workers=min(jobs, len(specs))) as pool:
            for result in pool.map(one, specs, targets):
                if result is not None:
                    results.append(result)
    for result in results:
        out.print(str(result.path), highlight=False, soft_wrap=True)
    if failures:
        fail(failures[0] if len(failures) == 1 else "; ".join(failures))
    return results


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run(argv: list[str] | None = None) -> None:
    """Run the app with every error as one line on stderr; tracebacks only with --debug."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        app(args=argv, prog_name="cli.py", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("[bold red]error:[/] interrupted; renders/ keeps its previous files.")
        sys.exit(130)
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            out.print(exc.ctx.get_help())
            sys.exit(0)
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):  # click's usage errors
            message = exc.format_message().replace("Value error, ", "")
            command = getattr(getattr(exc, "ctx", None), "command_path", "cli.py")
            err.print(f"[bold red]error:[/] {message} (see `python {command} --help`)",
                      highlight=False, soft_wrap=True)
            sys.exit(exc.exit_code)
        if DEBUG or "--debug" in argv:
            raise
        err.print(f"[bold red]error:[/] unexpected {type(exc).__name__}: {exc} "
                  "(run with --debug for the traceback)", highlight=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    run()
