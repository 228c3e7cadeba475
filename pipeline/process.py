"""Manim in a child process: its own process group, stopped whole on Ctrl-C, SIGTERM or when
the renderer dies, its output kept in a log.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
"""The project root: Manim runs here so that it reads manim.cfg and the TeX template."""

Progress = Callable[[str], None]

_CHILDREN: set[subprocess.Popen] = set()
_CHILDREN_LOCK = threading.Lock()


def manim_command(args: list[str]) -> list[str]:
    """``manim ARGS`` run through ``python -m scenes``, which dies with its parent."""
    return [sys.executable, "-m", "scenes", *args]


def cancel_all() -> None:
    """Stop every Manim process this process started (on Ctrl-C or SIGTERM)."""
    with _CHILDREN_LOCK:
        children = list(_CHILDREN)
    for child in children:
        _stop(child)


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    except ProcessLookupError:
        pass


def run_manim(args: list[str], env: dict[str, str], log_path: Path, progress: Progress | None = None) -> int:
    """Run Manim with ``args`` in its own process group and return its exit code."""
    env = dict(env, DIP_PARENT_PID=str(os.getpid()))
    with open(log_path, "w", encoding="utf-8") as log:
        child = subprocess.Popen(manim_command(args), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, errors="replace",
                                 start_new_session=True)
        with _CHILDREN_LOCK:
            _CHILDREN.add(child)
        try:
            assert child.stdout is not None
            for line in child.stdout:
                log.write(line)
                match = re.search(r"Animation (\d+)", line)
                if match and progress:
                    progress(f"animation {int(match.group(1)) + 1}")
            return child.wait()
        finally:
            _stop(child)
            with _CHILDREN_LOCK:
                _CHILDREN.discard(child)
