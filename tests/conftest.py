"""Shared helpers: read a rendered video's codec, size and frames with PyAV."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest

TINY = (160, 90)
"""The resolution of end-to-end renders: big enough for every mobject, fast to encode."""
TINY_FPS = 5


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


@pytest.fixture
def tiny_options():
    from pipeline.render import RenderOptions

    return RenderOptions(resolution=TINY, fps=TINY_FPS, force=True)
