"""Helpers the tests share: tiny render sizes, reading videos with PyAV, running the CLI."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from pipeline.process import ROOT

TINY = (160, 90)
"""The resolution of end-to-end renders: big enough for every mobject, fast to encode."""
TINY_FPS = 5
SIZE = f"{TINY[0]}x{TINY[1]}"
FAST = 0.1
"""The pace of renders whose timing no test looks at: every hold and caption ten times shorter."""
TIMED = {"theme": "light", "pace": 1.0, "fps": 2}
"""The render of a scene whose timing the tests read (captions): the real pace, few frames, and the
light theme, so that the same render is also each scene's light-theme render."""


@dataclass
class VideoInfo:
    codec: str
    width: int
    height: int
    frames: list[np.ndarray]
    pix_fmt: str


def probe(path: Path, keep_frames: bool = True) -> VideoInfo:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        codec = stream.codec_context.name
        pix_fmt = stream.codec_context.pix_fmt or ""
        frames = [f.to_ndarray(format="rgba") for f in container.decode(video=0)]
    return VideoInfo(codec, frames[0].shape[1], frames[0].shape[0], frames if keep_frames else [], pix_fmt)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file below ``folder`` with its size and modification time."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


_runner = CliRunner()


def invoke(*args: str):
    """The CLI in this process (typer's CliRunner): stdout, stderr and the exit code."""
    from cli import app

    return _runner.invoke(app, list(args))


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """The CLI exactly as a user runs it, in its own process: for signals and concurrency."""
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)
