"""How the command line talks to the terminal: one-line errors with their exit codes, escaped
prints and tables. No decisions about maths, pixels or files live here (those are the pipeline's);
cli.py declares the commands on top of this.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

class _Console:
    """A rich console made at each use, so it sees the terminal (and COLUMNS) of the command that
    runs rather than of whoever imported this module first.
    """

    def __init__(self, stderr: bool) -> None:
        self.stderr = stderr

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(Console(stderr=self.stderr), name)


out, err = _Console(stderr=False), _Console(stderr=True)


class OneLineErrors(TyperGroup):
    """typer's command group, printing every error as one escaped line on stderr with its exit code:
    2 for usage, 1 for a failed render, 130 when interrupted. Tracebacks only with --debug.
    """

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):  # noqa: ANN001, ANN201, D102
        args = sys.argv[1:] if args is None else list(args)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            code = super().main(args=args, prog_name="cli.py", standalone_mode=False, **extra)
            if code == 130:  # typer's answer to Ctrl-C
                raise KeyboardInterrupt
        except typer.TyperException as exc:
            ctx = getattr(exc, "ctx", None)
            where = f" (see `python {ctx.command_path} --help`)" if ctx else ""
            message = " ".join(exc.format_message().replace("Value error, ", "").split())
            _fail(message + where, exc.exit_code)
        except (typer.Abort, KeyboardInterrupt):
            from pipeline.process import cancel_all

            cancel_all()
            _fail("interrupted; the previous files are kept.", 130)
        except Exception as exc:
            if "--debug" in args:
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)", 1)
        sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(code)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C: renders stop and temporary files are removed."""
    raise KeyboardInterrupt




class Failed(typer.TyperException):
    """A command that could not do its work: exit 1."""


class Usage(typer.TyperException):
    """Input the command cannot use: exit 2, like typer's own usage errors."""

    exit_code = 2


class Pixels(str):
    """WIDTHxHEIGHT as typed (a str, so typer takes one value); ``size`` is the pair."""

    @property
    def size(self) -> tuple[int, int]:
        return tuple(int(v) for v in self.lower().replace(",", "x").split("x"))  # type: ignore[return-value]


def parse_pixels(text: str) -> Pixels:
    parts = text.lower().replace(",", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise typer.BadParameter(f"must look like 1920x1080; got '{text}'.")
    return Pixels(text)


def reason(exc: Exception) -> str:
    """A pipeline error as the user reads it: parameter names shown as flags (h_min as --h-min)."""
    render = getattr(exc, "render", None)
    return render(lambda field: "--" + field.replace("_", "-")) if render else str(exc)


@contextmanager
def user_errors() -> Iterator[None]:
    """The pipeline's errors as the command line's: a missing system tool fails (exit 1); bad
    input, a bad parameter or an unwritable file is a usage error (exit 2), with flag names.
    """
    from pipeline.files import RenderError
    from pipeline.render import MissingTool

    try:
        yield
    except MissingTool as exc:
        raise Failed(str(exc)) from None
    except (ValueError, OSError, RenderError) as exc:
        raise Usage(reason(exc)) from None


def print_lines(*lines: object) -> None:
    for line in lines:
        out.print(escape(str(line)), highlight=False, soft_wrap=True)


def print_table(table) -> None:  # noqa: ANN001 - a pipeline.reports.Table
    from rich.table import Table

    shown = Table(title=escape(table.title), title_justify="left")
    for i, header in enumerate(table.headers):
        shown.add_column(header, justify="right" if i in table.right else "left")
    colour = {"pass": "green", "ok": "green", "FAIL": "red", "missing": "red"}
    for i, row in enumerate(table.rows):
        cells = [f"[{colour[c]}]{c}[/]" if c in colour else escape(c) for c in row]
        shown.add_row(*cells, style="bold green" if i == table.marked else None)
    out.print(shown)
