"""Beats as clips for slides, captions inside every video, one caption file per video, and the
no-op and --preview paths, on two tiny renders of one scene into one folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import av
import pytest
import srt
from typer.testing import CliRunner

from cli import app
from pipeline.files import RenderError, atomic_folder
from pipeline.render import ROOT
from tests.conftest import TINY, TINY_FPS
from tests.test_captions import ass_text, decoded_by_ffmpeg

runner = CliRunner()
SIZE = f"{TINY[0]}x{TINY[1]}"
TINY_ARGS = ["--resolution", SIZE, "--fps", str(TINY_FPS)]
NO_DISPLAY = {"DISPLAY": None, "WAYLAND_DISPLAY": None}


def beats_in_source(scene_file: str) -> list[str]:
    """The beat names a scene's source starts, in order: what the clips must be named after."""
    return re.findall(r'self\.beat\("([^"]+)"\)', (ROOT / scene_file).read_text())


def frames_of(video: Path) -> int:
    with av.open(str(video)) as container:
        return sum(1 for _ in container.decode(video=0))


def srt_cues(path: Path) -> list[tuple[float, float, str]]:
    return [(c.start.total_seconds(), c.end.total_seconds(), c.content)
            for c in srt.parse(path.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """tangent as MP4 with its beats as clips, then as WebM at another pace, into one folder."""
    folder = tmp_path_factory.mktemp("delivery")
    mp4 = runner.invoke(app, ["render", "tangent", "--sections", *TINY_ARGS, "--output", str(folder / "tangent.mp4")])
    assert mp4.exit_code == 0, mp4.output
    srt_before = (folder / "tangent.srt").stat().st_mtime_ns
    webm = runner.invoke(app, ["render", "tangent", "--format", "webm", "--pace", "1.5", *TINY_ARGS,
                               "--output", str(folder / "tangent.webm")])
    assert webm.exit_code == 0, webm.output
    return folder, mp4, srt_before


@pytest.mark.render
def test_every_beat_is_a_numbered_clip_named_by_its_beat(rendered):
    folder, result, _ = rendered
    clips_dir = folder / "tangent-sections"
    assert str(clips_dir) in result.stdout
    beats = [b for b in beats_in_source("scenes/tangent.py") if b != "no tangent"]  # that beat: kinks only
    expected = [f"{i:02d}-{beat}.mp4" for i, beat in enumerate(beats, start=1)]
    assert sorted(p.name for p in clips_dir.glob("*.mp4")) == expected
    index = json.loads((clips_dir / "index.json").read_text())
    assert [c["file"] for c in index["clips"]] == expected and [c["beat"] for c in index["clips"]] == beats
    # the clips are the whole video cut at the beats: every frame once, in order
    frames = [frames_of(clips_dir / name) for name in expected]
    assert sum(frames) == frames_of(folder / "tangent.mp4")
    for clip, n in zip(index["clips"], frames):
        assert clip["frames"] == n and clip["duration"] == pytest.approx(n / TINY_FPS, abs=1e-3)
    starts = [c["start"] for c in index["clips"]]
    assert starts == pytest.approx([sum(frames[:i]) / TINY_FPS for i in range(len(frames))], abs=1e-3)
    readme = (clips_dir / "index.md").read_text()
    assert all(name in readme for name in expected)
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary folder left


@pytest.mark.render
def test_each_clip_carries_its_own_captions(rendered):
    folder, _, _ = rendered
    clips_dir = folder / "tangent-sections"
    index = json.loads((clips_dir / "index.json").read_text())
    whole = srt_cues(folder / "tangent.srt")
    listed = [c["text"] for clip in index["clips"] for c in clip["captions"]]
    assert listed == [text for _, _, text in whole]  # every caption in exactly one clip, in order
    for clip in index["clips"]:
        decoded = decoded_by_ffmpeg(clips_dir / clip["file"]) if clip["captions"] else []
        assert [(round(s, 3), round(e, 3), t) for s, e, t in decoded] == \
            [(c["start"], c["end"], ass_text(c["text"])) for c in clip["captions"]]
        assert all(0 <= c["start"] < c["end"] <= clip["duration"] + 1e-3 for c in clip["captions"])
        assert clip["captions"][0]["text"] in (clips_dir / "index.md").read_text()


@pytest.mark.render
def test_each_video_has_its_own_captions_inside_and_beside_it(rendered):
    folder, _, srt_before = rendered
    assert (folder / "tangent.srt").stat().st_mtime_ns == srt_before  # the WebM left the MP4's alone
    for video, captions in (("tangent.mp4", "tangent.srt"), ("tangent.webm", "tangent.webm.srt")):
        beside = srt_cues(folder / captions)
        inside = decoded_by_ffmpeg(folder / video)
        assert len(beside) >= 3
        assert [(round(s, 3), round(e, 3), t) for s, e, t in inside] == [(s, e, ass_text(t)) for s, e, t in beside]
        with av.open(str(folder / video)) as container:
            duration = container.duration / 1e6
        assert beside[-1][1] <= duration + 0.05


@pytest.mark.render
def test_unchanged_render_is_up_to_date_and_preview_without_a_display_is_one_note(rendered):
    folder, _, _ = rendered
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    result = runner.invoke(app, ["render", "tangent", "--sections", *TINY_ARGS, "--output",
                                 str(folder / "tangent.mp4"), "--preview"], env=NO_DISPLAY)
    assert result.exit_code == 0, result.output
    assert "up to date" in result.stderr
    notes = [line for line in result.stderr.splitlines() if "preview" in line]
    assert len(notes) == 1 and "display" in notes[0]
    assert "xdg-open" not in result.stderr + result.stdout
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    from pipeline.params import SceneParams
    from pipeline.plan import plan
    from pipeline.render import RenderOptions

    options = RenderOptions(resolution=TINY, fps=TINY_FPS, sections=True)
    clip = folder / "tangent-sections" / "02-secant.mp4"
    clip.rename(folder / "moved.mp4")
    try:  # a clip gone: the render is not up to date any more
        assert plan(["tangent"], SceneParams(), options, folder / "tangent.mp4")[0].job is not None
    finally:
        (folder / "moved.mp4").rename(clip)


def test_a_still_has_no_beats_to_cut():
    result = runner.invoke(app, ["render", "tangent", "--format", "png", "--sections"])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--sections" in result.stderr


def test_a_folder_appears_whole_or_not_at_all(tmp_path):
    target = tmp_path / "clips"
    target.mkdir()
    (target / "old.mp4").write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_folder(target) as staging:
            (staging / "new.mp4").write_bytes(b"new")
            raise RuntimeError("killed half way")
    assert [p.name for p in tmp_path.iterdir()] == ["clips"]  # nothing hidden left behind
    assert [p.name for p in target.iterdir()] == ["old.mp4"]
    with atomic_folder(target) as staging:
        (staging / "new.mp4").write_bytes(b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["clips"]
    assert [p.name for p in target.iterdir()] == ["new.mp4"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(RenderError, match="in the way"):
        with atomic_folder(tmp_path / "file"):
            pass
