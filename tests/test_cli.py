"""The command surface: help, every format end to end, caching, atomic output, bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from pipeline.render import RENDERS, ROOT
from pipeline.specs import SCENES
from tests.helpers import FAST, SIZE, TINY, cli, invoke, probe, snapshot


# -- help and the quick commands ---------------------------------------------------------------


@pytest.mark.parametrize("command", ["render", "list", "check", "sweep", "lecture", "doctor"])
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_top_level_help_names_every_command():
    result = cli("--help")  # once as a user runs it: the script's own entry point
    assert result.returncode == 0
    for command in ("render", "list", "check", "sweep", "lecture", "doctor"):
        assert command in result.stdout


def test_check_passes_and_speaks_json():
    result = invoke("check", "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["passed"] is True
    assert {r["rule"] for r in payload["rules"]} == {"power", "product", "chain"}
    assert all(a["ulps"] <= 16 and a["gradcheck"] for a in payload["autograd"])
    human = invoke("check")
    assert human.exit_code == 0 and "all checks passed" in human.stdout


def test_sweep_table_and_csv(tmp_path):
    result = invoke("sweep", "--scheme", "central")
    assert result.exit_code == 0
    assert "best h" in result.stdout and "1.000e-16" in result.stdout
    target = tmp_path / "sweep.csv"
    result = invoke("sweep", "--function", "sin(x)", "--x0", "0.5", "--points", "101", "--csv", str(target))
    assert result.exit_code == 0, result.stderr
    rows = target.read_text().splitlines()
    assert rows[0].startswith("h,estimate,error") and len(rows) == 102
    h, estimate, error = (float(v) for v in rows[50].split(",")[:3])
    assert error == pytest.approx(abs(estimate - np.cos(0.5)), rel=1e-9, abs=1e-300)


def test_doctor_finds_everything_on_this_machine():
    result = invoke("doctor")
    assert result.exit_code == 0, result.stdout + result.stderr
    for item in ("latex", "dvisvgm", "TeX packages", "cairo and pango", "ffmpeg"):
        assert item in result.stdout


def test_doctor_reports_an_unwritable_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = invoke("doctor", "--output", str(locked / "renders"))
        if os.geteuid() == 0:  # root writes anywhere: the check must agree with the OS
            assert result.exit_code == 0
        else:
            assert result.exit_code == 1 and "output folder" in result.stderr
    finally:
        locked.chmod(0o700)


# -- bad input ---------------------------------------------------------------------------------

BAD = [
    (["render", "tangnet"], "Did you mean 'tangent'"),
    (["render", "tangent", "--function", "x**9**9**9"], "too large"),
    (["render", "tangent", "--function", "__import__('os').system('true')"], "function"),
    (["render", "tangent", "--function", "foo(x)"], "unknown function 'foo'"),
    (["render", "tangent", "--function", "x +"], "not a valid expression"),
    (["render", "tangent", "--function", "1if x else 2"], "invalid decimal literal"),
    (["render", "tangent", "--x0", "nan"], "finite"),
    (["render", "tangent", "--x0", "inf"], "finite"),
    (["render", "tangent", "--x0", "abc"], "--x0"),
    (["render", "tangent", "--h-min", "-1"], "positive"),
    (["render", "tangent", "--h-max", "0"], "positive"),
    (["render", "tangent", "--h-min", "1", "--h-max", "0.1"], "smaller"),
    (["render", "tangent", "--function", "log(x)", "--x0", "-1"], "domain"),
    (["render", "error", "--function", "sqrt(x)", "--x0", "0.5"], "domain"),
    (["render", "sigmoid", "--threshold", "0.3"], "between 0 and 0.25"),
    (["render", "sigmoid", "--threshold", "nan"], "finite"),
    (["render", "sigmoid", "--function", "x"], "does not apply"),
    (["render", "tangent", "--transparent"], "alpha"),
    (["render", "tangent", "--format", "gif", "--transparent"], "alpha"),
    (["render", "tangent", "--format", "avi"], "--format"),
    (["render", "tangent", "--quality", "ultra"], "--quality"),
    (["render", "tangent", "--fps", "0"], "--fps"),
    (["render", "tangent", "--jobs", "0"], "--jobs"),
    (["render", "tangent", "--resolution", "big"], "--resolution"),
    (["render", "tangent", "--resolution", "161x91"], "even width and height"),
    (["render", "tangent", "--width", "300"], "GIF"),
    (["render", "tangent", "--output", "/proc/no/such/dir/t.mp4"], "output folder"),
    (["render", "tangent", "--output", "out.gif"], "format"),
    (["render"], "Missing argument"),
    (["sweep", "--scheme", "sideways"], "--scheme"),
    (["sweep", "--x0", "nan"], "finite"),
    (["sweep", "--function", "x**"], "not a valid expression"),
    (["lecture", "--output", "lecture.avi"], ".mp4"),
    (["nosuch"], "No such command"),
    (["render", "tangent", "--function", "x\n+ [1]"], "not a valid expression"),
    (["render", "tangent", "--function", "[red]x[/red]"], "[red]x[/red]"),
    # rich markup in every free-text option is shown as typed, never interpreted
    (["render", "[/]"], "unknown scene '[/]'"),
    (["render", "tangent", "--function", "[/]"], "'[/]'"),
    (["render", "tangent", "--quality", "[/]"], "'[/]'"),
    (["render", "tangent", "--format", "[/]"], "'[/]'"),
    (["render", "tangent", "--theme", "[bold]x"], "'[bold]x'"),
    (["render", "error", "--precision", "[/]"], "'[/]'"),
    (["render", "tangent", "--resolution", "[/]"], "'[/]'"),
    (["render", "tangent", "--output", "[/]/x.gif"], "[/]"),
    (["sweep", "--scheme", "[/]"], "'[/]'"),
    (["sweep", "--function", "[red]x"], "[red]x"),
    (["sweep", "--csv", "/no/such/[/]/s.csv"], "[/]"),
    (["lecture", "--output", "[/].avi"], "[/]"),
    (["render", "tangent", "--pace", "0"], "--pace"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(args, message):
    before = snapshot(RENDERS)
    result = invoke(*args)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and message in lines[0]
    assert "Traceback" not in result.stderr + result.stdout and result.exception is None or \
        isinstance(result.exception, SystemExit)
    assert snapshot(RENDERS) == before


def test_missing_latex_is_one_line_with_the_install_command(tmp_path):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))  # the venv, without TeX
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "render", "rules", "--force",
                             "--output", str(tmp_path / "rules.mp4")], capture_output=True, text=True,
                            cwd=ROOT, env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "latex" in lines[0] and "apt-get install" in lines[0]
    assert not list(tmp_path.iterdir())


def test_several_scenes_need_a_folder_not_a_file(tmp_path):
    result = invoke("render", "rules", "sigmoid", "--output", str(tmp_path / "both.mp4"))
    assert result.exit_code == 2 and "folder" in result.stderr


# -- every format, end to end -------------------------------------------------------------------

def render(tmp_path: Path, scene: str, fmt: str, *extra: str) -> Path:
    """One render through the CLI, in this process, at the tiny size and the fast pace."""
    target = tmp_path / f"{scene}.{fmt}"
    result = invoke("render", scene, "--format", fmt, "--resolution", SIZE, "--pace", str(FAST),
                    "--output", str(target), *extra)
    assert result.exit_code == 0, result.stderr
    assert str(target) in result.stdout
    return target


@pytest.mark.render
def test_mp4_and_the_captions(tmp_path):
    video = render(tmp_path, "rules", "mp4", "--fps", "5")
    info = probe(video)
    assert info.codec == "h264" and (info.width, info.height) == TINY and len(info.frames) > 10
    assert "-->" in video.with_suffix(".srt").read_text()
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.render
def test_gif_loops_forever_with_whole_centisecond_delays(tmp_path):
    gif = render(tmp_path, "rules", "gif", "--quality", "low")
    with Image.open(gif) as im:
        assert im.info["loop"] == 0  # NETSCAPE loop count 0: forever
        assert im.size == TINY and im.n_frames > 10
        # The default GIF rate is 20 fps: frames start on whole multiples of 5 hundredths (a frame
        # that changes nothing is merged into the one before, so a delay may span several).
        assert all(d > 0 and d % 50 == 0 for d in gif_delays_ms(im))
    wide = render(tmp_path / "w", "rules", "gif", "--width", "120", "--fps", "60")
    with Image.open(wide) as im:
        assert im.size == (120, round(90 * 120 / 160))
        assert all(d > 0 and d % 20 == 0 for d in gif_delays_ms(im))  # capped at 50 fps


def gif_delays_ms(im: Image.Image) -> list[int]:
    delays = []
    for index in range(im.n_frames):
        im.seek(index)
        delays.append(im.info["duration"])
    return delays


@pytest.mark.render
@pytest.mark.parametrize(("fmt", "codec"), [("webm", "vp9"), ("mov", "h264")])
def test_webm_and_mov(tmp_path, fmt, codec):
    video = render(tmp_path, "rules", fmt, "--fps", "5")
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == codec
        frames = list(container.decode(video=0))
    assert (frames[0].width, frames[0].height) == TINY and len(frames) > 10


@pytest.mark.render
def test_png_is_the_last_frame(tmp_path):
    still = render(tmp_path, "rules", "png")
    with Image.open(still) as im:
        assert im.size == TINY and im.getpixel((1, 1))[3] == 255


@pytest.mark.render
def test_transparent_webm_mov_and_png_carry_alpha(tmp_path):
    webm = render(tmp_path, "rules", "webm", "--transparent", "--fps", "5")
    with av.open(str(webm)) as container:
        assert container.streams.video[0].metadata.get("alpha_mode") == "1"
    mov = render(tmp_path, "rules", "mov", "--transparent", "--fps", "5")
    with av.open(str(mov)) as container:
        rgba = [f for f in container.decode(video=0)][-1].to_ndarray(format="rgba")
    assert rgba[1, 1, 3] == 0 and rgba[:, :, 3].max() > 128  # clear background, visible ink
    png = render(tmp_path, "rules", "png", "--transparent")
    with Image.open(png) as im:
        assert im.mode == "RGBA" and im.getpixel((1, 1))[3] == 0


# -- caching, atomicity, concurrency ------------------------------------------------------------


@pytest.mark.render
def test_unchanged_rerender_is_instant_and_force_renders(tmp_path):
    target = render(tmp_path, "rules", "mp4", "--fps", "5")
    stamp = target.stat().st_mtime_ns
    same = ("render", "rules", "--resolution", SIZE, "--pace", str(FAST), "--output", str(target))
    again = invoke(*same, "--fps", "5")
    assert again.exit_code == 0 and "up to date" in again.stderr
    assert target.stat().st_mtime_ns == stamp
    changed = invoke(*same, "--fps", "6")
    assert changed.exit_code == 0 and target.stat().st_mtime_ns != stamp  # an option changed
    stamp = target.stat().st_mtime_ns
    forced = invoke(*same, "--fps", "6", "--force")
    assert forced.exit_code == 0 and target.stat().st_mtime_ns != stamp
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rules.mp4", "rules.srt"]  # no bookkeeping files


def _start_and_kill(target: Path, sig: int) -> tuple[subprocess.Popen, list[int]]:
    """Start a render, wait until Manim is rendering, send ``sig``; the pids of every Manim process
    (the warm server and the render it forked)."""
    import psutil

    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "render", "tangent", "--resolution", SIZE,
                                "--fps", "5", "--pace", "1", "--output", str(target), "--force"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    children: list[psutil.Process] = []
    def rendering(found: list[psutil.Process]) -> bool:  # a child forked by the server, or a fresh Manim
        return len(found) >= 2 or any("render" in c.cmdline() for c in found)

    while time.monotonic() < deadline and not rendering(children):
        children = [c for c in psutil.Process(process.pid).children(recursive=True) if "scenes" in c.cmdline()]
        time.sleep(0.2)
    assert children, "the render never started Manim"
    time.sleep(1)  # well into the render: the forked child starts drawing at once
    process.send_signal(sig)
    process.wait(timeout=60)
    return process, [c.pid for c in children]


@pytest.mark.render
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_killed_render_keeps_the_previous_file(rendered, tmp_path, sig):
    import psutil

    target = tmp_path / "tangent.mp4"  # the previous file: an earlier render of the scene
    before = rendered("tangent")[0].path.read_bytes()
    target.write_bytes(before)
    process, manim = _start_and_kill(target, sig)
    assert process.returncode != 0
    if sig != signal.SIGKILL:
        assert "Traceback" not in process.stderr.read()
    assert target.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(psutil.pid_exists(pid) for pid in manim):
        time.sleep(0.2)
    alive = [pid for pid in manim if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    assert not alive  # no orphaned Manim keeps running


@pytest.mark.render
def test_two_renders_of_one_scene_at_once_both_finish(tmp_path):
    target = tmp_path / "rules.mp4"
    args = [sys.executable, str(ROOT / "cli.py"), "render", "rules", "--resolution", SIZE, "--fps", "5",
            "--pace", str(FAST), "--output", str(target), "--force"]
    first = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    info = probe(target)
    assert info.codec == "h264" and len(info.frames) > 10


@pytest.mark.render
def test_parallel_jobs_render_several_scenes_into_a_folder(tmp_path):
    result = invoke("render", "rules", "sigmoid", "--resolution", SIZE, "--fps", "5", "--jobs", "2",
                    "--pace", str(FAST), "--output", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    for name in ("rules", "sigmoid"):
        assert probe(tmp_path / f"{name}.mp4").codec == "h264"


@pytest.mark.render
def test_lecture_joins_scenes_with_chapters_and_captions(tmp_path):
    """Two parts through the whole path (cards, parts, join, chapters, captions); that a plain
    `lecture` takes every scene is checked without rendering, below."""
    plan = tmp_path / "plan.toml"
    plan.write_text('[[part]]\nscene = "rules"\n\n[[part]]\nscene = "sigmoid"\n')
    target = tmp_path / "lecture.mp4"
    result = invoke("lecture", "--plan", str(plan), "--resolution", SIZE, "--fps", "3", "--pace", str(FAST),
                    "--output", str(target))
    assert result.exit_code == 0, result.stderr
    with av.open(str(target)) as container:
        chapters = container.chapters()
        duration = container.duration / 1e6
    assert [c["metadata"]["title"] for c in chapters] == [SCENES["rules"].title, SCENES["sigmoid"].title]
    assert chapters[-1]["end"] / 1000 == pytest.approx(duration, abs=0.5)
    captions = target.with_suffix(".srt").read_text()
    assert captions.count("-->") >= 6 and SCENES["sigmoid"].title in captions


def test_a_plain_lecture_takes_every_scene_in_order():
    from pipeline.lecture import default_parts
    from pipeline.params import SceneParams

    parts = default_parts(SceneParams(theme="light"))
    assert [p.spec.name for p in parts] == list(SCENES)
    assert all(p.params.theme == "light" for p in parts)
    assert len({p.spec.title for p in parts}) == len(parts)  # each chapter has its own title


@pytest.mark.render
def test_up_to_date_render_starts_no_manim_and_parses_nothing(tmp_path):
    """The no-op path must stay cheap: no manim, no sympy, no torch, and the file untouched."""
    target = render(tmp_path, "rules", "mp4", "--fps", "5")
    probe_code = ("import sys, runpy\n"
                  f"sys.argv = ['cli.py', 'render', 'rules', '--resolution', '{SIZE}', '--fps', '5', "
                  f"'--pace', '{FAST}', '--output', {str(target)!r}]\n"
                  "try:\n    runpy.run_path('cli.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
                  "print(sorted(m for m in ('manim', 'sympy', 'torch') if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", probe_code], cwd=ROOT, capture_output=True, text=True)
    assert "up to date" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
