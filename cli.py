"""Render the lab's scenes and check its numbers: `python cli.py --help`.

This file only declares commands and prints; every decision is the pipeline's or mathcore's.
"""

from __future__ import annotations

import signal
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup
from rich.console import Console
from rich.markup import escape

from pipeline.choices import (
    DEFAULT_FORMAT, DEFAULT_QUALITY, GIF_MAX_FPS, Format, Quality, precision_names, scheme_names, theme_names,
)

class OneLineErrors(TyperGroup):
    """typer's command group, with every error as one escaped line on stderr and its exit code
    (2 for usage, 1 for a failed render, 130 when interrupted); tracebacks only with --debug.
    """

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):  # noqa: ANN001, ANN201
        args = sys.argv[1:] if args is None else list(args)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            code = super().main(args=args, prog_name=prog_name or "cli.py", standalone_mode=False, **extra)
            if code == 130:  # typer's answer to Ctrl-C
                raise KeyboardInterrupt
        except typer.TyperException as exc:
            ctx = getattr(exc, "ctx", None)
            where = f" (see `python {ctx.command_path} --help`)" if ctx else ""
            err.print(f"[bold red]error:[/] {escape(' '.join(exc.format_message().split()) + where)}",
                      highlight=False, soft_wrap=True)
            sys.exit(exc.exit_code)
        except (typer.Abort, KeyboardInterrupt):
            from pipeline.process import cancel_all

            cancel_all()
            err.print("[bold red]error:[/] interrupted; the previous files are kept.")
            sys.exit(130)
        except Exception as exc:
            if "--debug" in args:
                raise
            err.print(f"[bold red]error:[/] unexpected {type(exc).__name__}: {escape(str(exc))} "
                      "(run with --debug for the traceback)", highlight=False, soft_wrap=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C: renders stop and temporary files are removed."""
    raise KeyboardInterrupt


app = typer.Typer(cls=OneLineErrors, rich_markup_mode="rich", add_completion=False,
                  pretty_exceptions_enable=False,
                  help="Animated lecture visualizations for the calculus lab [b]Derivatives in Practice[/b].")
out = Console()
err = Console(stderr=True)

Theme = Enum("Theme", {name: name for name in theme_names()}, type=str)  # type: ignore[misc]
Precision = Enum("Precision", {name: name for name in precision_names()}, type=str)  # type: ignore[misc]
Scheme = Enum("Scheme", {name: name for name in scheme_names()}, type=str)  # type: ignore[misc]


class Failed(typer.TyperException):
    """A command that could not do its work: exit 1."""


class Usage(typer.TyperException):
    """Input the command cannot use: exit 2, like typer's own usage errors."""

    exit_code = 2


class Size(str):
    """WIDTHxHEIGHT as typed; ``pixels`` is the pair."""

    @property
    def pixels(self) -> tuple[int, int]:
        width, height = self.lower().replace(",", "x").split("x")
        return int(width), int(height)


def _size(text: str) -> Size:
    parts = text.lower().replace(",", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise typer.BadParameter(f"must look like 1920x1080; got '{text}'.")
    return Size(text)


# -- options shared by render and lecture, defined once ------------------------------------------
QualityOpt = Annotated[Quality, typer.Option(help="low 480p15 (drafts), medium 720p30, high 1080p60 (projector), 4k.")]
FpsOpt = Annotated[Optional[int], typer.Option(min=1, max=120, help=f"Frame rate; GIFs default to 25 or less, capped at {GIF_MAX_FPS}.")]
ThemeOpt = Annotated[Theme, typer.Option(help="dark, or light for projectors and white slides.")]
ResolutionOpt = Annotated[Optional[Size], typer.Option(parser=_size, metavar="WxH", help="Exact size, e.g. 1440x1080 for 4:3; overrides --quality's.")]
ForceOpt = Annotated[bool, typer.Option(help="Render even when the output is up to date.")]
JobsOpt = Annotated[int, typer.Option(min=1, max=16, help="Renders run in parallel.")]
PaceOpt = Annotated[float, typer.Option(min=0.1, max=4.0, help="Scale every hold: 1.5 gives more time to speak over each beat.")]


@app.callback(invoke_without_command=True)
def main(ctx: typer.Context,
         debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False) -> None:
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is None:
        out.print(ctx.get_help(), highlight=False)


def _flag(field: str) -> str:
    return "--" + field.replace("_", "-")


def _reason(exc: Exception) -> str:
    """A pipeline error as the user should read it: parameter names shown as flags."""
    from pipeline.params import ParameterError

    return exc.render(_flag) if isinstance(exc, ParameterError) else str(exc)


@app.command("list")
def list_scenes() -> None:
    """List the scenes: short name, what each shows, and the parameters it takes."""
    from rich.table import Table

    from pipeline.specs import SCENES

    table = Table(title="Scenes", title_justify="left")
    for column in ("name", "class", "what it shows", "parameters (defaults)"):
        table.add_column(column, style="bold cyan" if column == "name" else None)
    for spec in SCENES.values():
        params = ", ".join(f"{_flag(k)} {v}" for k, v in spec.defaults.items()) or "-"
        table.add_row(spec.name, spec.class_name, escape(spec.summary), escape(params))
    out.print(table)


@app.command()
def render(
    scenes: Annotated[list[str], typer.Argument(help="Scene names (see [b]list[/b]), or [b]all[/b].", show_default=False)],
    quality: QualityOpt = DEFAULT_QUALITY,
    fps: FpsOpt = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="mp4, gif, webm, mov, or png (the last frame).")] = DEFAULT_FORMAT,
    transparent: Annotated[bool, typer.Option(help="Transparent background (webm, mov or png only).")] = False,
    theme: ThemeOpt = Theme("dark"),
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="A file for one scene, a folder for several. Default: renders/<scene>.<ext>.")] = None,
    function: Annotated[Optional[str], typer.Option(help="f(x) for tangent and error, e.g. 'x**2*sin(x)'.")] = None,
    x0: Annotated[Optional[float], typer.Option(help="The point x0 (tangent, error).")] = None,
    h_min: Annotated[Optional[float], typer.Option(help="Smallest step h.")] = None,
    h_max: Annotated[Optional[float], typer.Option(help="Largest step h.")] = None,
    threshold: Annotated[Optional[float], typer.Option(help="Vanishing-gradient level for sigmoid, in (0, 0.25).")] = None,
    precision: Annotated[Optional[Precision], typer.Option(help="Floating-point precision (error).")] = None,
    width: Annotated[Optional[int], typer.Option(min=16, max=7680, help="Scale a GIF to this width in pixels.")] = None,
    colors: Annotated[int, typer.Option(min=2, max=256, help="Colours in a GIF's palette; fewer make smaller files.")] = 256,
    resolution: ResolutionOpt = None,
    pace: PaceOpt = 1.0,
    jobs: JobsOpt = 1,
    force: ForceOpt = False,
    preview: Annotated[bool, typer.Option(help="Open the result when done.")] = False,
    sections: Annotated[bool, typer.Option(
        "--sections", help="Also write each beat as a clip, with an index, beside the video.")] = False,
) -> None:
    """Render scenes to MP4, GIF, WebM, MOV or PNG under [b]renders/[/b].

    [b]Examples[/b]

      python cli.py render tangent
      python cli.py render sigmoid --format gif --width 640
      python cli.py render all --jobs 2
      python cli.py render error --theme light --format png
      python cli.py render tangent --sections
    """
    from pipeline.batch import render_all
    from pipeline.params import SceneParams
    from pipeline.plan import plan
    from pipeline.render import MissingTool, RenderError, RenderOptions
    from pipeline.sections import sections_folder

    options = RenderOptions(quality=quality, fps=fps, format=format, transparent=transparent, width=width,
                            resolution=resolution and resolution.pixels, colors=colors, force=force,
                            sections=sections)
    params = SceneParams(function=function, x0=x0, h_min=h_min, h_max=h_max, threshold=threshold,
                         precision=precision.value if precision else None, theme=theme.value, pace=pace)
    try:
        planned = plan(scenes, params, options, output)
    except MissingTool as exc:
        raise Failed(str(exc)) from None
    except (ValueError, RenderError) as exc:
        raise Usage(_reason(exc)) from None
    if format is Format.gif and fps is not None and fps > GIF_MAX_FPS:
        err.print(f"note: GIF frame rates are capped at {GIF_MAX_FPS} fps; rendering at {GIF_MAX_FPS}, not {fps}.")
    for p in planned:
        if p.job is None:
            err.print(f"{p.spec.name}: up to date, not re-rendered (--force renders anyway)", highlight=False)
    with err.status("rendering") as status:
        outcomes = render_all([p.job for p in planned if p.job], jobs,
                              lambda job, message: status.update(escape(f"{job.spec.name}: {message}")))
    for p in planned:
        out.print(escape(str(p.output)), highlight=False, soft_wrap=True)
        if sections:
            out.print(escape(str(sections_folder(p.output))), highlight=False, soft_wrap=True)
    failures = [o.error for o in outcomes if o.error]
    if failures:
        raise Failed("; ".join(failures))
    if preview:
        _preview([p.output for p in planned])


def _preview(paths: list[Path]) -> None:
    import os
    import shutil

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform == "darwin"):
        err.print("note: --preview needs a display; open the file yourself.", highlight=False)
        return
    if sys.platform != "darwin" and not shutil.which("xdg-open"):
        err.print("note: --preview needs xdg-open; open the file yourself.", highlight=False)
        return
    for path in paths:
        typer.launch(str(path))


@app.command()
def check(json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """Run the lab's verification: the rule checks and the autograd comparison.

    Exits non-zero when any check fails.
    """
    import json

    import mathcore
    from pipeline.reports import check_json, check_tables

    rules, autograd = mathcore.verify_rules(), mathcore.check_autograd()
    failed = [r for r in rules if not r.passed] + [a for a in autograd if not a.gradcheck]
    if json_output:
        out.print_json(json.dumps(check_json(rules, autograd, not failed)))
    else:
        for table in check_tables(rules, autograd):
            _print_table(table)
        out.print("[green]all checks passed[/]" if not failed else f"[red]{len(failed)} checks failed[/]")
    if failed:
        raise typer.Exit(1)


def _print_table(table) -> None:
    from rich.table import Table

    shown = Table(title=escape(table.title), title_justify="left")
    for i, header in enumerate(table.headers):
        shown.add_column(header, justify="right" if i in table.right else "left")
    for i, row in enumerate(table.rows):
        cells = [f"[red]{c}[/]" if c == "FAIL" else f"[green]{c}[/]" if c == "pass" else escape(c) for c in row]
        shown.add_row(*cells, style="bold green" if i == table.marked else None)
    out.print(shown)


@app.command()
def sweep(
    function: Annotated[str, typer.Option(help="f(x), e.g. 'exp(x)' or 'x**2*sin(x)'.")] = "exp(x)",
    x0: Annotated[float, typer.Option(help="The point.")] = 1.0,
    scheme: Annotated[Scheme, typer.Option(help="Difference scheme.")] = Scheme("forward"),
    precision: Annotated[Precision, typer.Option(help="Floating-point precision.")] = Precision("float64"),
    h_min: Annotated[float, typer.Option(help="Smallest step.")] = 1e-16,
    h_max: Annotated[float, typer.Option(help="Largest step.")] = 1.0,
    points: Annotated[int, typer.Option(min=2, max=10_000_000, help="Steps in the sweep, log-spaced.")] = 17,
    csv: Annotated[Optional[Path], typer.Option(help="Write every row to this CSV file instead.")] = None,
) -> None:
    """Print the error-against-h table behind the [b]error[/b] scene, with the best step.

    [b]Examples[/b]

      python cli.py sweep --scheme central
      python cli.py sweep --function 'sin(x)' --x0 0.5 --precision float32 --points 801 --csv sweep.csv
    """
    from pipeline.files import RenderError
    from pipeline.reports import sweep_table, write_sweep_csv
    from pipeline.sweeps import run_sweep

    try:
        result = run_sweep(function, x0, scheme.value, precision.value, h_min, h_max, points)
    except ValueError as exc:
        raise Usage(_reason(exc)) from None
    if csv is not None:
        try:
            write_sweep_csv(result, csv)
        except RenderError as exc:
            raise Usage(str(exc)) from None
        out.print(escape(str(csv)), highlight=False, soft_wrap=True)
    else:
        _print_table(sweep_table(result, f"{scheme.value} difference of {function} at x0 = {x0:g} ({precision.value})"))
    out.print(escape(f"exact f'(x0) = {result.exact:.17g}; best h = {result.best_h:.3e} "
                     f"(|error| {result.best_error:.3e}); model's optimal h = {result.model_best_h:.3e}; "
                     f"exact zeros drawn at {result.floor:g}"), highlight=False, soft_wrap=True)


@app.command()
def doctor(output: Annotated[Path, typer.Option("--output", "-o", help="The folder renders go to.")] = Path("renders")) -> None:
    """Check the system for what rendering needs, and print the install line for what is missing."""
    from rich.table import Table

    from pipeline.doctor import run_checks

    checks = run_checks(output)
    table = Table(title="System check", title_justify="left")
    for name in ("", "what", "found", "fix"):
        table.add_column(name)
    for c in checks:
        table.add_row("[green]ok[/]" if c.ok else "[red]missing[/]", c.name, escape(c.detail), "" if c.ok else escape(c.fix))
    out.print(table)
    missing = [c for c in checks if not c.ok]
    for c in missing:
        err.print(f"[bold red]missing:[/] {escape(c.name)}: {escape(c.fix)}", highlight=False, soft_wrap=True)
    if missing:
        raise typer.Exit(1)
    out.print("[green]everything rendering needs is here[/]")


@app.command()
def lecture(
    ctx: typer.Context,
    plan: Annotated[Optional[Path], typer.Option(
        help="A TOML plan: which scenes, in which order, with which parameters (docs/example-lecture.toml).")] = None,
    quality: QualityOpt = DEFAULT_QUALITY,
    fps: FpsOpt = None,
    theme: ThemeOpt = Theme("dark"),
    resolution: ResolutionOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The lecture video (.mp4).")] = Path("renders/lecture.mp4"),
    pace: PaceOpt = 1.0,
    jobs: JobsOpt = 1,
    force: ForceOpt = False,
) -> None:
    """Render every scene with a title card before it and join them into one video.

    Writes [b]renders/lecture.mp4[/b] with a chapter per scene and every caption as a subtitle
    track, and [b]renders/lecture.srt[/b]. Parts are cached: re-running re-renders only what changed.

    [b]Examples[/b]

      python cli.py lecture --theme light --pace 1.25
      python cli.py lecture --plan docs/example-lecture.toml --jobs 2
    """
    from click.core import ParameterSource

    from pipeline.lecture import build_lecture, default_parts
    from pipeline.params import SceneParams
    from pipeline.plan_file import load_plan
    from pipeline.render import MissingTool, RenderError, RenderOptions

    if output.suffix.lower() != ".mp4":
        raise Usage(f"--output must end in .mp4; got {output}.")
    options = RenderOptions(quality=quality, fps=fps, resolution=resolution and resolution.pixels, force=force)

    def typed(name: str) -> bool:  # the command line beats the plan, which beats the defaults
        return ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)

    try:
        options.check()
        parts = (load_plan(plan, theme.value if typed("theme") else None, pace if typed("pace") else None).parts
                 if plan is not None else default_parts(SceneParams(theme=theme.value, pace=pace)))
        with err.status("rendering the lecture") as status:
            path, captions, chapters, wrote = build_lecture(
                parts, options, output, progress=lambda m: status.update(escape(f"lecture: {m}")), jobs=jobs)
    except MissingTool as exc:
        raise Failed(str(exc)) from None
    except (ValueError, RenderError) as exc:
        raise Usage(_reason(exc)) from None
    if not wrote:
        err.print("lecture: up to date, not re-joined (--force renders anyway)", highlight=False)
    for c in chapters:
        out.print(f"  {c.start:7.1f}s  {escape(c.title)}", highlight=False)
    out.print(escape(str(path)), highlight=False, soft_wrap=True)
    out.print(escape(str(captions)), highlight=False, soft_wrap=True)


# -- grade: the lab notebooks (kept in one block; it only calls pipeline.grade) -----------------
from pipeline.grade import DEFAULT_TIMEOUT as GRADE_TIMEOUT  # noqa: E402  (light: no mathcore)


@app.command()
def grade(
    paths: Annotated[list[Path], typer.Argument(metavar="NOTEBOOK_OR_FOLDER", show_default=False,
                                                help="Students' .ipynb notebooks, or folders searched for them.")],
    json_path: Annotated[Optional[Path], typer.Option(
        "--json", help="Also write the table, with each objective's feedback, to this JSON file.")] = None,
    csv_path: Annotated[Optional[Path], typer.Option(
        "--csv", help="Also write the table to this CSV file, for a gradebook.")] = None,
    timeout: Annotated[float, typer.Option(
        min=1, max=3600, help="Seconds each notebook's own cells may run in all.")] = GRADE_TIMEOUT,
) -> None:
    """Run students' lab notebooks, each in its own process with a time limit, and show which objectives pass.

    A notebook that raises, loops, prints too much or kills its kernel is named under [b]problems[/b].

    [b]Examples[/b]

      python cli.py grade submissions/
      python cli.py grade submissions/ --csv grades.csv --json grades.json --timeout 300
    """
    from pipeline.files import RenderError
    from pipeline.grade import grade as grade_all, grade_table, write_grades_csv, write_grades_json

    for flag, target in (("--json", json_path), ("--csv", csv_path)):
        if target is not None and not (target.parent if str(target.parent) else Path(".")).is_dir():
            raise Usage(f"{flag}: the folder {target.parent} does not exist; create it or choose another file.")
    try:
        with err.status("grading") as status:
            rows = grade_all(paths, timeout,
                             lambda i, n, path: status.update(escape(f"grading {i}/{n}: {path}")))
    except ValueError as exc:
        raise Usage(str(exc)) from None
    _print_table(grade_table(rows))
    for target, write in ((json_path, write_grades_json), (csv_path, write_grades_csv)):
        if target is not None:
            try:
                write(rows, target)
            except RenderError as exc:
                raise Usage(str(exc)) from None
            out.print(escape(str(target)), highlight=False, soft_wrap=True)


if __name__ == "__main__":
    app()
