"""The sweep table: the best step is marked in words, so the mark survives a pipe."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli import app
from pipeline.reports import BEST_MARK

runner = CliRunner()


@pytest.mark.parametrize("args", [["--scheme", "central"],
                                  ["--function", "sin(x)", "--x0", "0.5", "--precision", "float32"]])
def test_the_best_row_is_marked_in_text_when_piped(args):
    result = runner.invoke(app, ["sweep", *args], env={"COLUMNS": "200"})  # not a terminal: no colour
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in result.stdout.splitlines()
            if line.startswith("│")]
    assert len(rows) == 17
    marked = [row for row in rows if row[-1] == BEST_MARK]
    assert len(marked) == 1 and sum(BEST_MARK in line for line in result.stdout.splitlines()) == 1
    errors = [float(row[2]) for row in rows]
    assert float(marked[0][2]) == min(errors)
    assert f"best h = {marked[0][0]}" in result.stdout
