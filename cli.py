"""Render the lab's scenes, check its numbers and grade its notebooks: `python cli.py --help`.

This file only declares commands and prints; every decision is the pipeline's or mathcore's.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from console import Failed, OneLineErrors, Pixels, Usage, err, out, parse_pixels, print_lines, print_table, user_errors
from pipeline.choices import DEFAULT_FORMAT, DEFAULT_QUALITY, GIF_MAX_FPS, Format, Quality, names

app = typer.Typer(cls=OneLineErrors, rich_markup_mode="rich", add_completion=False, pretty_exceptions_enable=False,
                  help="Animated lecture visualizations for the calculus lab [b]Derivatives in Practice[/b].")
Theme, Precision, Scheme = (Enum(n, {v: v for v in names(n)}, type=str) for n in ("Theme", "Precision", "Scheme"))

# -- options render and lecture share, defined once ----------------------------------------------
QualityOpt = Annotated[Quality, typer.Option(help="low 480p15 (drafts), medium 720p30, high 1080p60 (projector), 4k.")]
FpsOpt = Annotated[Optional[int], typer.Option(min=1, max=120, help=f"Frame rate; GIFs at most {GIF_MAX_FPS}.")]
ThemeOpt = Annotated[Theme, typer.Option(help="dark, or light for projectors and white slides.")]
SizeOpt = Annotated[Optional[Pixels], typer.Option(
    "--resolution", parser=parse_pixels, metavar="WxH", help="Exact size, e.g. 1440x1080 (4:3); beats --quality.")]
PaceOpt = Annotated[float, typer.Option(min=0.1, max=4.0, help="Scale every hold: 1.5 leaves more time to speak.")]
JobsOpt = Annotated[int, typer.Option(min=1, max=16, help="Renders run in parallel.")]
ForceOpt = Annotated[bool, typer.Option(help="Render even when the output is up to date.")]
Param = Optional


@app.callback(invoke_without_command=True)
def main(ctx: typer.Context, debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False) -> None:
    """Animated lecture visualizations for the calculus lab Derivatives in Practice."""
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is None:
        out.print(ctx.get_help(), highlight=False)


@app.command("list")
def list_scenes() -> None:
    """List the scenes: short name, what each shows, and the parameters it takes."""
    from pipeline.reports import scenes_table

    print_table(scenes_table())


@app.command()
def render(
    scenes: Annotated[list[str], typer.Argument(help="Scenes (see [b]list[/b]) or [b]all[/b].", show_default=False)],
    quality: QualityOpt = DEFAULT_QUALITY,
    fps: FpsOpt = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="mp4, gif, webm, mov, png.")] = DEFAULT_FORMAT,
    transparent: Annotated[bool, typer.Option(help="Transparent background (webm, mov, png).")] = False,
    theme: ThemeOpt = Theme("dark"),
    output: Annotated[Param[Path], typer.Option("--output", "-o", help="A file, or a folder for several.")] = None,
    function: Annotated[Param[str], typer.Option(help="f(x), e.g. 'x**2*sin(x)' (tangent, error, backprop).")] = None,
    x0: Annotated[Param[float], typer.Option(help="The point x0.")] = None,
    h_min: Annotated[Param[float], typer.Option(help="Smallest step h.")] = None,
    h_max: Annotated[Param[float], typer.Option(help="Largest step h.")] = None,
    threshold: Annotated[Param[float], typer.Option(help="Vanishing-gradient level for sigmoid, in (0, 0.25).")] = None,
    precision: Annotated[Param[Precision], typer.Option(help="Floating-point precision (error).")] = None,
    max_params: Annotated[Param[int], typer.Option(min=10, max=10**7, help="Largest n (scale).")] = None,
    layers: Annotated[Param[int], typer.Option(min=1, max=60, help="Depth of the network (depth).")] = None,
    activation: Annotated[Param[str], typer.Option(help="sigmoid, tanh, relu or 'sigmoid,relu' (depth).")] = None,
    seed: Annotated[Param[int], typer.Option(min=0, help="Seed of the network's weights and inputs (depth).")] = None,
    width: Annotated[Param[int], typer.Option(min=16, max=7680, help="Scale a GIF to this width in pixels.")] = None,
    colors: Annotated[int, typer.Option(min=2, max=256, help="Colours in a GIF's palette; fewer, smaller.")] = 256,
    resolution: SizeOpt = None,
    pace: PaceOpt = 1.0,
    jobs: JobsOpt = 1,
    force: ForceOpt = False,
    preview: Annotated[bool, typer.Option(help="Open the result when done.")] = False,
    sections: Annotated[bool, typer.Option("--sections", help="Each beat as a clip too.")] = False,
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
    from pipeline.preview import open_files
    from pipeline.render import RenderOptions
    from pipeline.sections import sections_folder

    options = RenderOptions(quality=quality, fps=fps, format=format, transparent=transparent, width=width,
                            resolution=resolution and resolution.size, colors=colors, force=force, sections=sections)
    params = SceneParams(function=function, x0=x0, h_min=h_min, h_max=h_max, threshold=threshold,
                         precision=precision and precision.value, max_params=max_params, layers=layers,
                         activation=activation, seed=seed, theme=theme.value, pace=pace)
    with user_errors():
        planned = plan(scenes, params, options, output)
    for note in [*options.notes, *(p.note for p in planned if p.note)]:
        err.print(escape(note), highlight=False)
    with err.status("rendering") as status:
        outcomes = render_all([p.job for p in planned if p.job], jobs,
                              lambda job, message: status.update(escape(f"{job.spec.name}: {message}")))
    for p in planned:
        print_lines(p.output, *([sections_folder(p.output)] if sections else []))
    failures = [o.error for o in outcomes if o.error]
    if failures:
        raise Failed("; ".join(failures))
    note = open_files([p.output for p in planned]) if preview else None
    if note:
        err.print(f"note: {escape(note)}", highlight=False)


@app.command()
def check(json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """Run the lab's verification: the rules, autograd and the lessons' facts. Exits 1 when any fails."""
    import json

    from pipeline.reports import lab_checks

    tables, payload = lab_checks()
    if json_output:
        out.print_json(json.dumps(payload))
    else:
        for table in tables:
            print_table(table)
        failed = sum(row[-1] == "FAIL" for table in tables for row in table.rows)
        out.print("[green]all checks passed[/]" if not failed else f"[red]{failed} checks failed[/]")
    if not payload["passed"]:
        raise typer.Exit(1)


@app.command()
def sweep(
    function: Annotated[str, typer.Option(help="f(x), e.g. 'exp(x)' or 'x**2*sin(x)'.")] = "exp(x)",
    x0: Annotated[float, typer.Option(help="The point.")] = 1.0,
    scheme: Annotated[Scheme, typer.Option(help="Difference scheme.")] = Scheme("forward"),
    precision: Annotated[Precision, typer.Option(help="Floating-point precision.")] = Precision("float64"),
    h_min: Annotated[float, typer.Option(help="Smallest step.")] = 1e-16,
    h_max: Annotated[float, typer.Option(help="Largest step.")] = 1.0,
    points: Annotated[int, typer.Option(min=2, max=10_000_000, help="Steps in the sweep, log-spaced.")] = 17,
    csv: Annotated[Param[Path], typer.Option(help="Write every row to this CSV file instead.")] = None,
) -> None:
    """Print the error-against-h table behind the [b]error[/b] scene, with the best step.

    [b]Examples[/b]

      python cli.py sweep --scheme central
      python cli.py sweep --function 'sin(x)' --x0 0.5 --precision float32 --points 801 --csv sweep.csv
    """
    from pipeline.reports import sweep_summary, sweep_table, write_sweep_csv
    from pipeline.sweeps import run_sweep

    with user_errors():
        result = run_sweep(function, x0, scheme.value, precision.value, h_min, h_max, points)
        if csv is not None:
            write_sweep_csv(result, csv)
    if csv is None:
        print_table(sweep_table(result, f"{scheme.value} difference of {function} at x0 = {x0:g} ({precision.value})"))
    print_lines(*([csv] if csv else []), sweep_summary(result))


@app.command()
def doctor(output: Annotated[Path, typer.Option("--output", "-o", help="Render folder.")] = Path("renders")) -> None:
    """Check the system for what rendering needs, and print the install line for what is missing."""
    from pipeline.doctor import run_checks
    from pipeline.reports import doctor_table

    checks = run_checks(output)
    print_table(doctor_table(checks))
    missing = [c for c in checks if not c.ok]
    for c in missing:
        err.print(f"[bold red]missing:[/] {escape(c.name)}: {escape(c.fix)}", highlight=False, soft_wrap=True)
    if missing:
        raise typer.Exit(1)
    out.print("[green]everything rendering needs is here[/]")


@app.command()
def lecture(
    ctx: typer.Context,
    plan: Annotated[Param[Path], typer.Option(help="A TOML plan: scenes, order, parameters.")] = None,
    quality: QualityOpt = DEFAULT_QUALITY,
    fps: FpsOpt = None,
    theme: ThemeOpt = Theme("dark"),
    resolution: SizeOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The video (.mp4).")] = Path("renders/lecture.mp4"),
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
    from pipeline.lecture import build_lecture, default_parts
    from pipeline.params import SceneParams
    from pipeline.plan_file import load_plan
    from pipeline.render import RenderOptions

    def typed(name: str) -> bool:  # the command line beats the plan, which beats the defaults
        return ctx.get_parameter_source(name).name not in ("DEFAULT", "DEFAULT_MAP")

    if output.suffix.lower() != ".mp4":
        raise Usage(f"--output must end in .mp4; got {output}.")
    options = RenderOptions(quality=quality, fps=fps, resolution=resolution and resolution.size, force=force)
    with user_errors():
        options.check()
        parts = (load_plan(plan, theme.value if typed("theme") else None, pace if typed("pace") else None).parts
                 if plan is not None else default_parts(SceneParams(theme=theme.value, pace=pace)))
        with err.status("rendering the lecture") as status:
            path, captions, chapters, wrote = build_lecture(
                parts, options, output, progress=lambda m: status.update(escape(f"lecture: {m}")), jobs=jobs)
    if not wrote:
        err.print("lecture: up to date, not re-joined (--force renders anyway)", highlight=False)
    print_lines(*(f"  {c.start:7.1f}s  {c.title}" for c in chapters), path, captions)


@app.command()
def grade(
    paths: Annotated[list[Path], typer.Argument(metavar="NOTEBOOK_OR_FOLDER", show_default=False,
                                                help="Students' .ipynb notebooks, or folders holding them.")],
    json_path: Annotated[Param[Path], typer.Option("--json", help="Also as JSON, with feedback.")] = None,
    csv_path: Annotated[Param[Path], typer.Option("--csv", help="Also as CSV, for a gradebook.")] = None,
    timeout: Annotated[float, typer.Option(min=1, max=3600, help="Seconds each notebook's own cells may run.")] = 120.0,
) -> None:
    """Run students' lab notebooks, each in its own process with a time limit, and show which objectives pass.

    A notebook that raises, loops, prints too much or kills its kernel is named under [b]problems[/b].

    [b]Examples[/b]

      python cli.py grade submissions/
      python cli.py grade submissions/ --csv grades.csv --json grades.json --timeout 300
    """
    from pipeline.files import check_file_target
    from pipeline.grade import grade as grade_all, grade_table, write_grades_csv, write_grades_json

    targets = [(t, write) for t, write in ((json_path, write_grades_json), (csv_path, write_grades_csv)) if t]
    with user_errors():
        for target, _ in targets:
            check_file_target(target, "--json" if target is json_path else "--csv")
        with err.status("grading") as status:
            rows = grade_all(paths, timeout, lambda i, n, path: status.update(escape(f"grading {i}/{n}: {path}")))
        print_table(grade_table(rows))
        for target, write in targets:
            write(rows, target)
            print_lines(target)


if __name__ == "__main__":
    app()
