"""Manim in a child process: forked by the warm server, or started afresh where it cannot run."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest

from pipeline import process

RULES = ["render", "-ql", "--progress_bar", "none", "--disable_caching", "-r", "160,90", "--fps", "5",
         "scenes/rules.py", "DifferentiationRules"]


def _run(tmp_path, args: list[str], name: str = "log", progress=None) -> tuple[int, str]:
    log = tmp_path / f"{name}.txt"
    code = process.run_manim(args, dict(os.environ), log, progress)
    return code, log.read_text()


def test_manim_runs_in_a_child_of_the_warm_server(tmp_path):
    code, log = _run(tmp_path, ["--help"])
    assert code == 0 and "Usage" in log
    server = process._server()
    assert server is not None and server.alive()
    code, log = _run(tmp_path, ["render", "no_such_scene_file.py"], "failed")
    assert code != 0 and "no_such_scene_file.py" in log
    assert process._server() is server  # one server for every render of this process


def test_the_log_is_plain_lines_and_names_each_animation(tmp_path):
    """The renderer's progress is the log's ``Animation N`` lines; rich's wrapped, padded columns
    are gone (scenes.serve.plain_log), so each record is one line the renderer can read."""
    seen = []
    card = ["render", "-ql", "--progress_bar", "none", "--disable_caching", "-r", "160,90", "--fps", "5",
            "--media_dir", str(tmp_path / "media"), "scenes/titlecard.py", "TitleCard"]
    code, log = _run(tmp_path, card, progress=seen.append)
    assert code == 0
    written = [line for line in log.splitlines() if line.startswith("INFO Animation ")]
    assert len(written) >= 2 and all("partial_movie_files" in line for line in written)
    assert seen[:2] == ["animation 1", "animation 2"]


def test_the_server_outlives_the_thread_that_started_it(tmp_path, monkeypatch):
    """The kernel's parent-death signal follows the starting *thread*; the server must not use it."""
    monkeypatch.setattr(process, "_SERVER", None)
    codes = []
    worker = threading.Thread(target=lambda: codes.append(_run(tmp_path, ["--help"], "thread")[0]))
    worker.start()
    worker.join()
    server = process._SERVER
    assert codes == [0] and server is not None
    time.sleep(0.5)
    assert server.alive()
    assert _run(tmp_path, ["--help"], "main")[0] == 0 and process._SERVER is server
    server.close()
    assert server.process.returncode is not None  # it leaves when its socket closes


def test_cancelling_a_served_render_stops_it_from_another_thread(tmp_path):
    started = threading.Event()
    codes = []
    worker = threading.Thread(target=lambda: codes.append(
        _run(tmp_path, [*RULES, "--media_dir", str(tmp_path / "media")], progress=lambda _: started.set())[0]))
    worker.start()
    assert started.wait(120), "Manim never started animating"
    process.cancel_all()
    worker.join(30)
    assert not worker.is_alive() and codes == [-signal.SIGTERM]
    assert not process._CHILDREN


def test_without_the_server_each_render_starts_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv(process.WARM_VAR, "0")
    assert process._server() is None
    code, log = _run(tmp_path, ["--help"])
    assert code == 0 and "Usage" in log


def test_a_server_that_cannot_start_is_reported_not_ready(monkeypatch):
    monkeypatch.setattr(process, "manim_command", lambda args: [sys.executable, "-c", "pass"])
    server = process._Server()
    assert not server.ready and server.process.poll() is not None


@pytest.mark.parametrize("answer", [b"", b"unavailable"])
def test_a_server_that_says_no_or_nothing_is_not_ready(monkeypatch, answer):
    script = f"import socket, sys; socket.socket(fileno=int(sys.argv[-1])).send({answer!r})"
    monkeypatch.setattr(process, "manim_command", lambda args: [sys.executable, "-c", script, *args])
    assert not process._Server().ready


def test_a_killed_server_is_replaced_at_the_next_render(tmp_path):
    assert _run(tmp_path, ["--help"], "first")[0] == 0
    server = process._server()
    assert server is not None
    server.process.kill()
    server.process.wait()
    code, log = _run(tmp_path, ["--help"], "second")
    assert code == 0 and "Usage" in log
    replacement = process._server()
    assert replacement is not None and replacement is not server and replacement.alive()
