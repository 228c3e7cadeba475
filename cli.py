"""Render the lab's scenes and check its numbers: `python cli.py --help`."""

from __future__ import annotations

import signal
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
    from rich.markup import escape

    one_line = " ".join(str(message).split())
    err.print(f"[bold red]error:[/] {escape(one_line)}", highlight=False, soft_wrap=True)
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
    if output.suffix and not output.is_dir():
        fail(f"--output {output} looks like a file, but {len(specs)} scenes need a folder; "
             "pass a folder, or one scene.", 2)
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
    if jobs < 1:
        fail(f"--jobs must be at least 1; got {jobs}.", 2)
    if width is not None and format is not Format.gif:
        fail("--width scales GIFs only; add --format gif or use --resolution.", 2)

    from scenes.params import SceneParams
    from scenes.render import RenderOptions

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
    _validate_all(specs, params, options, targets)
    if format is Format.gif and fps is not None and fps > 50:
        err.print(f"note: GIF frame rates are capped at 50 fps; rendering at 50, not {fps}.")
    results = _render_with_progress(specs, params, options, targets, jobs)
    if preview:
        for result in results:
            typer.launch(str(result.path))


def _validate_all(specs: list, params, options, targets: list) -> None:
    """Every chosen scene's render checked before any starts: bad input exits 2, missing LaTeX 1."""
    from scenes.render import MissingTool, RenderError, default_output, preflight

    for spec, target in zip(specs, targets):
        try:
            preflight(spec, params, options, target or default_output(spec, options))
        except MissingTool as exc:
            fail(str(exc), 1)
        except RenderError as exc:
            fail(str(exc), 2)


def _render_with_progress(specs: list, params, options, targets: list, jobs: int) -> list:
    from concurrent.futures import ThreadPoolExecutor

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from scenes.render import RenderError, cancel_all, render_scene

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
            try:
                for result in pool.map(one, specs, targets):
                    if result is not None:
                        results.append(result)
            except BaseException:  # Ctrl-C or SIGTERM: stop the Manim children, keep old files
                cancel_all()
                pool.shutdown(cancel_futures=True)
                raise
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


@app.command()
def check(
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Run the lab's verification: the rule checks and the autograd comparison.

    Exits non-zero when any check fails.
    """
    import dataclasses
    import json

    import mathcore

    rules = mathcore.verify_rules()
    autograd = mathcore.check_autograd()
    failed = [r for r in rules if not r.passed] + [a for a in autograd if not a.gradcheck]
    if json_output:
        payload = {"rules": [dataclasses.asdict(r) for r in rules],
                   "autograd": [dataclasses.asdict(a) for a in autograd],
                   "passed": not failed}
        out.print_json(json.dumps(payload))
    else:
        _print_check_tables(rules, autograd)
        verdict = "[green]all checks passed[/]" if not failed else f"[red]{len(failed)} checks failed[/]"
        out.print(verdict)
    if failed:
        raise typer.Exit(1)


def _print_check_tables(rules: list, autograd: list) -> None:
    from rich.table import Table

    table = Table(title="Differentiation rules: analytic against central difference", title_justify="left")
    for name in ("rule", "function", "x", "analytic", "numerical", "|difference|", "tolerance", ""):
        table.add_column(name, justify="right" if name not in ("rule", "function") else "left")
    for r in rules:
        table.add_row(r.rule, r.function, f"{r.x:g}", f"{r.analytic:.15g}", f"{r.numerical:.15g}",
                      f"{r.abs_error:.2e}", f"{r.tolerance:.1e}", "[green]pass" if r.passed else "[red]FAIL")
    out.print(table)
    table = Table(title="Autograd (float64) against the analytic derivative", title_justify="left")
    for name in ("function", "x", "analytic", "autograd", "ULPs", "central diff. error", "gradcheck"):
        table.add_column(name, justify="left" if name == "function" else "right")
    for a in autograd:
        table.add_row(a.function, f"{a.x:g}", f"{a.analytic:.17g}", f"{a.autograd:.17g}", str(a.ulps),
                      f"{a.fd_error:.2e}", "[green]pass" if a.gradcheck else "[red]FAIL")
    out.print(table)


@app.command()
def sweep(
    function: Annotated[str, typer.Option(help="f(x), e.g. 'exp(x)' or 'x**2*sin(x)'.")] = "exp(x)",
    x0: Annotated[float, typer.Option(help="The point.")] = 1.0,
    scheme: Annotated[Scheme, typer.Option(help="Difference scheme.")] = Scheme.forward,
    precision: Annotated[Precision, typer.Option(help="float64 or float32.")] = Precision.float64,
    h_min: Annotated[float, typer.Option(help="Smallest step.")] = 1e-16,
    h_max: Annotated[float, typer.Option(help="Largest step.")] = 1.0,
    points: Annotated[int, typer.Option(help="Steps in the sweep, log-spaced.")] = 17,
    csv: Annotated[Optional[Path], typer.Option(help="Write every row to this CSV file instead.")] = None,
) -> None:
    """Print the error-against-h table behind the [b]error[/b] scene, with the best step.

    [b]Examples[/b]

      python cli.py sweep --scheme central
      python cli.py sweep --function 'sin(x)' --x0 0.5 --precision float32 --points 801 --csv sweep.csv
    """
    import numpy as np

    import mathcore
    from scenes.params import SceneParams, validate

    if points < 2 or points > 10_000_000:
        fail(f"--points must be between 2 and 10000000; got {points}.", 2)
    try:
        validate(SceneParams(function=function, x0=x0, h_min=h_min, h_max=h_max), "error")
        fn = mathcore.parse_function(function)
        result = mathcore.error_sweep(fn.f, fn.df, x0, h=mathcore.default_steps(h_min, h_max, points),
                                      scheme=scheme.value, dtype=np.dtype(precision.value))
    except ValueError as exc:
        fail(str(exc), 2)
    if csv is not None:
        _write_sweep_csv(result, csv)
        out.print(str(csv), highlight=False, soft_wrap=True)
    else:
        from rich.table import Table

        table = Table(title=f"{scheme.value} difference of {function} at x0 = {x0:g} ({precision.value})",
                      title_justify="left")
        for name in ("h", "estimate", "|error|", "relative", "model"):
            table.add_column(name, justify="right")
        best = int(np.argmin(result.error))
        for i in range(len(result.h)):
            style = "bold green" if i == best else None
            table.add_row(f"{result.h[i]:.3e}", f"{float(result.estimate[i]):.17g}", f"{result.error[i]:.3e}",
                          f"{result.relative_error[i]:.3e}", f"{result.model_error[i]:.3e}", style=style)
        out.print(table)
    out.print(f"exact f'(x0) = {result.exact:.17g}; best h = {result.best_h:.3e} "
              f"(|error| {result.best_error:.3e}); model's optimal h = {result.model_best_h:.3e}; "
              f"exact zeros drawn at {result.floor:g}", highlight=False, soft_wrap=True)


def _write_sweep_csv(result, path: Path) -> None:
    import csv as csv_module
    import os

    from scenes.render import atomic_target

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        fail(f"cannot write {path}: the folder {folder} does not exist or is not writable.", 2)
    with atomic_target(path) as tmp, open(tmp, "w", newline="") as fh:
        writer = csv_module.writer(fh)
        writer.writerow(["h", "estimate", "error", "relative_error", "model_error", "at_floor"])
        for row in zip(result.h, result.estimate, result.error, result.relative_error,
                       result.model_error, result.at_floor):
            writer.writerow([repr(float(v)) for v in row[:5]] + [int(row[5])])


@app.command()
def doctor(
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder renders go to.")] = Path("renders"),
) -> None:
    """Check the system for what rendering needs, and print the install line for what is missing."""
    from rich.table import Table

    from scenes.doctor import run_checks

    checks = run_checks(output)
    table = Table(title="System check", title_justify="left")
    for name in ("", "what", "found", "fix"):
        table.add_column(name)
    for c in checks:
        table.add_row("[green]ok[/]" if c.ok else "[red]missing[/]", c.name, c.detail, "" if c.ok else c.fix)
    out.print(table)
    missing = [c for c in checks if not c.ok]
    if missing:
        for c in missing:
            err.print(f"[bold red]missing:[/] {c.name}: {c.fix}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    out.print("[green]everything rendering needs is here[/]")


@app.command()
def lecture(
    quality: Annotated[Quality, typer.Option(help="Manim preset for every part.")] = DEFAULT_QUALITY,
    fps: Annotated[Optional[int], typer.Option(help="Frame rate of every part.")] = None,
    theme: Annotated[Theme, typer.Option(help="dark, or light for projectors.")] = DEFAULT_THEME,
    resolution: Annotated[Optional[str], typer.Option(help="Exact size WIDTHxHEIGHT.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The lecture video.")] = Path("renders/lecture.mp4"),
    force: Annotated[bool, typer.Option(help="Re-render every part.")] = False,
) -> None:
    """Render every scene with a title card before it and join them into one video.

    Writes [b]renders/lecture.mp4[/b] with a chapter per scene and [b]renders/lecture.srt[/b]
    with every caption. Parts are cached: re-running re-renders only what changed.
    """
    from scenes.lecture import build_lecture
    from scenes.params import SceneParams
    from scenes.render import RenderError, RenderOptions, _check_writable, cancel_all

    if output.suffix.lower() != ".mp4":
        fail(f"--output must end in .mp4; got {output}.", 2)
    options = RenderOptions(quality=quality.value, fps=fps, resolution=_parse_resolution(resolution), force=force)
    try:
        options.check()
        _check_writable(output.parent)
    except RenderError as exc:
        fail(str(exc), 2)
    from rich.status import Status

    try:
        with Status("rendering the lecture", console=err) as status:
            path, captions, chapters = build_lecture(SceneParams(theme=theme.value), options, output,
                                                     progress=lambda m: status.update(f"lecture: {m}"))
    except RenderError as exc:
        fail(str(exc))
    except BaseException:
        cancel_all()
        raise
    for c in chapters:
        out.print(f"  {c.start:7.1f}s  {c.title}", highlight=False)
    out.print(str(path), highlight=False, soft_wrap=True)
    out.print(str(captions), highlight=False, soft_wrap=True)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so renders stop and temporary files are removed."""
    raise KeyboardInterrupt


def run(argv: list[str] | None = None) -> None:
    """Run the app with every error as one line on stderr; tracebacks only with --debug."""
    argv = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGTERM, _terminate)
    try:
        # Without standalone mode, typer returns an Exit's code (and Ctrl-C's 130) instead of exiting.
        code = app(args=argv, prog_name="cli.py", standalone_mode=False)
        if code == 130:
            raise KeyboardInterrupt
        sys.exit(code if isinstance(code, int) else 0)
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
