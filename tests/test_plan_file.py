"""Lecture plans: the example in docs/ loads, every mistake is one line naming the file, the part
and the key, and a planned lecture renders with its own titles, captions inside, and no redo."""

from __future__ import annotations

import re

import av
import pytest
import srt
from typer.testing import CliRunner

from cli import app
from pipeline.params import validate
from pipeline.plan_file import MAX_TITLE, PlanError, load_plan, parse_plan
from pipeline.render import ROOT
from tests.conftest import TINY
from tests.test_captions import ass_text, decoded_by_ffmpeg

runner = CliRunner()
EXAMPLE = ROOT / "docs" / "example-lecture.toml"


def test_the_example_plan_loads_and_every_part_can_be_drawn():
    text = EXAMPLE.read_text()
    plan = load_plan(EXAMPLE)
    assert len(plan.parts) == text.count("[[part]]")
    scenes = re.findall(r'^scene = "(\w+)"', text, flags=re.MULTILINE)
    assert [p.spec.name for p in plan.parts] == scenes
    for part in plan.parts:
        validate(part.spec.resolve(part.params), part.spec)  # what every render checks
        assert part.origin.startswith(f"{EXAMPLE}: part ")


def test_parts_keep_their_order_parameters_and_titles():
    plan = parse_plan('theme = "light"\npace = 1.5\n'
                      '[[part]]\nscene = "error"\nfunction = "sin(x)"\nx0 = 2\nprecision = "float32"\n'
                      '[[part]]\nscene = "tangent"\ntitle = "Slopes"\npace = 2\n'
                      '[[part]]\nscene = "error"\n', "course.toml")
    first, second, third = plan.parts
    assert [p.spec.name for p in plan.parts] == ["error", "tangent", "error"]
    assert (first.params.function, first.params.x0, first.params.precision) == ("sin(x)", 2.0, "float32")
    assert isinstance(first.params.x0, float)
    assert third.params.function is None  # the scene's own default, not the part before
    assert second.heading == "Slopes" and first.heading == first.spec.title
    assert [p.params.pace for p in plan.parts] == [1.5, 2.0, 1.5]
    assert {p.params.theme for p in plan.parts} == {"light"}


def test_the_command_line_beats_the_plan_and_a_part_beats_both():
    text = 'theme = "light"\npace = 1.5\n[[part]]\nscene = "sigmoid"\n[[part]]\nscene = "rules"\npace = 3\n'
    plan = parse_plan(text, "p.toml", theme="dark", pace=0.5)
    assert [(p.params.theme, p.params.pace) for p in plan.parts] == [("dark", 0.5), ("dark", 3.0)]
    default = parse_plan('[[part]]\nscene = "sigmoid"\n', "p.toml")
    assert (default.parts[0].params.theme, default.parts[0].params.pace) == ("dark", 1.0)


LONG_TITLE = "x" * (MAX_TITLE + 1)
BAD_PLANS = [
    ('[[part]]\nscene = "tangnet"\n', ["part 1", "unknown scene 'tangnet'", "Did you mean 'tangent'"]),
    ('[[part]]\nscene = "tangent"\nx_0 = 1\n', ["part 1 (tangent)", "unknown key 'x_0'", "Did you mean 'x0'"]),
    ('[[part]]\nscene = "tangent"\n[[part]]\nscene = "error"\nh-min = 1e-9\n',
     ["part 2 (error)", "'h-min'", "'h_min'"]),
    ('[[part]]\nscene = "tangent"\nthreshold = 0.1\n', ["part 1 (tangent)", "'threshold'", "function, x0"]),
    ('[[part]]\nscene = "tangent"\nx0 = "one"\n', ["part 1 (tangent)", "x0 must be a number", "'one'"]),
    ('[[part]]\nscene = "tangent"\nx0 = true\n', ["part 1 (tangent)", "x0 must be a number"]),
    ('[[part]]\nscene = "tangent"\nfunction = 3\n', ["part 1 (tangent)", "function must be a string"]),
    ('[[part]]\nscene = "tangent"\nx0 = [1, 2]\n', ["x0 must be a number", "an array"]),
    ('[[part]]\nscene = 7\n', ["part 1", "scene must be a string"]),
    ('[[part]]\nx0 = 1\n', ["part 1 has no scene", "tangent, error"]),
    ('[[part]\nscene = "error"\n', ["is not valid TOML", "line 1"]),
    ('scene = "error"\n', ["unknown key 'scene' at the top", "theme, pace, part"]),
    ('x0 = 1\n[[part]]\nscene = "error"\n', ["unknown key 'x0' at the top", "[[part]]"]),
    ('part = "tangent"\n', ["part must be a list of [[part]] tables"]),
    ('part = ["tangent"]\n', ["each part is a [[part]] table"]),
    ('theme = "blue"\n[[part]]\nscene = "error"\n', ["unknown theme 'blue'", "dark, light"]),
    ('pace = 0\n[[part]]\nscene = "error"\n', ["pace must be between 0.1 and 4"]),
    ('[[part]]\nscene = "error"\npace = nan\n', ["part 1 (error)", "pace must be between"]),
    ('[[part]]\nscene = "sigmoid"\ntheme = "light"\n', ["part 1 (sigmoid)", "whole lecture"]),
    (f'[[part]]\nscene = "rules"\ntitle = "{LONG_TITLE}"\n', ["part 1 (rules)", "title must be one line"]),
    ('[[part]]\nscene = "rules"\ntitle = "two\\nlines"\n', ["part 1 (rules)", "title must be one line"]),
    ('[[part]]\nscene = "rules"\ntitle = "  "\n', ["title must be one line"]),
    ("", ["has no parts"]),
    ("[[part]]\n" * 100 + 'scene = "rules"\n', ["has 100 parts", "at most 99"]),
]


@pytest.mark.parametrize(("text", "pieces"), BAD_PLANS, ids=[t[:40] for t, _ in BAD_PLANS])
def test_a_bad_plan_is_one_sentence_naming_the_file_the_part_and_the_key(text, pieces):
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "course.toml")
    message = str(caught.value)
    assert message.startswith("course.toml") and "\n" not in message
    for piece in pieces:
        assert piece in message


BAD_VALUES = [
    ('[[part]]\nscene = "error"\nh_min = -1\n', ["part 1 (error)", "h_min must be positive"]),
    ('[[part]]\nscene = "rules"\n[[part]]\nscene = "tangent"\nfunction = "log(x)"\nx0 = -1\n',
     ["part 2 (tangent)", "domain of log(x)"]),
    ('[[part]]\nscene = "tangent"\nfunction = "__import__(\'os\').system(\'true\')"\n',
     ["part 1 (tangent)", "function"]),
    ('[[part]]\nscene = "tangent"\nx0 = inf\n', ["part 1 (tangent)", "x0 must be a finite number"]),
    ('[[part]]\nscene = "sigmoid"\nthreshold = 0.3\n', ["part 1 (sigmoid)", "between 0 and 0.25"]),
    ('[[part]]\nscene = "error"\nprecision = "float16"\n', ["part 1 (error)", "precision"]),
]


@pytest.mark.parametrize(("text", "pieces"), BAD_PLANS[:3] + BAD_VALUES,
                         ids=[t[:40] for t, _ in BAD_PLANS[:3] + BAD_VALUES])
def test_the_lecture_command_says_it_in_one_line_and_writes_nothing(tmp_path, text, pieces):
    plan = tmp_path / "course.toml"
    plan.write_text(text)
    result = runner.invoke(app, ["lecture", "--plan", str(plan), "--output", str(tmp_path / "out" / "l.mp4")])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {plan}") and "Traceback" not in result.output
    for piece in pieces:
        assert piece in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("make", "piece"), [
    (lambda p: None, "does not exist"),
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: p.write_bytes(b"\xff\xfe[[part]]"), "not UTF-8"),
])
def test_an_unreadable_plan_file_is_one_line(tmp_path, make, piece):
    plan = tmp_path / "course.toml"
    make(plan)
    result = runner.invoke(app, ["lecture", "--plan", str(plan)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and piece in result.stderr


@pytest.mark.render
def test_a_planned_lecture_has_its_titles_and_captions_inside_and_is_not_redone(tmp_path):
    from pipeline.lecture import build_lecture
    from pipeline.render import RenderOptions

    plan = tmp_path / "course.toml"
    plan.write_text('theme = "light"\n[[part]]\nscene = "sigmoid"\ntitle = "Flat <gradients> & {zones}"\n'
                    'threshold = 0.05\n')
    output = tmp_path / "lecture.mp4"
    options = RenderOptions(resolution=TINY, fps=3)
    video, captions, chapters, wrote = build_lecture(load_plan(plan).parts, options, output)
    assert wrote and video == output and captions == tmp_path / "lecture.srt"
    with av.open(str(output)) as container:
        assert [c["metadata"]["title"] for c in container.chapters()] == ["Flat <gradients> & {zones}"]
        duration = container.duration / 1e6
    beside = [(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in srt.parse(captions.read_text())]
    assert beside[0][2].startswith("Flat <gradients> & {zones}")  # the title card says the plan's title
    assert any("0.05" in text for _, _, text in beside)  # the sigmoid part drew the plan's threshold
    inside = decoded_by_ffmpeg(output)
    assert [(round(s, 3), round(e, 3), t) for s, e, t in inside] == [(s, e, ass_text(t)) for s, e, t in beside]
    assert beside[-1][1] <= duration + 0.05
    stamp = output.stat().st_mtime_ns
    _, _, again, wrote = build_lecture(load_plan(plan).parts, options, output)
    assert not wrote and output.stat().st_mtime_ns == stamp
    assert [c.title for c in again] == ["Flat <gradients> & {zones}"]
