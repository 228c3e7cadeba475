"""MP4 to GIF for slides: one palette made for this GIF, whole-centisecond delays, endless loop.

Manim's own GIF maps every frame onto a fixed 256-colour palette (rgb8), which bands
anti-aliased lines. Here the palette is chosen from the video's own colours (median cut over
frames sampled across the whole video), and each frame is mapped onto it without dithering,
which keeps flat backgrounds flat and the file small.
"""

from __future__ import annotations

from pathlib import Path

import av
from PIL import Image

PALETTE_SAMPLES = 24
"""Frames, spread over the video, whose colours choose the palette."""


def _frames(video: Path, width: int | None) -> list[Image.Image]:
    with av.open(str(video)) as container:
        frames = [frame.to_image() for frame in container.decode(video=0)]
    if width is not None and frames and frames[0].width != width:
        height = max(2, round(frames[0].height * width / frames[0].width))
        frames = [f.resize((width, height), Image.Resampling.LANCZOS) for f in frames]
    return frames


def _palette(frames: list[Image.Image]) -> Image.Image:
    step = max(1, len(frames) // PALETTE_SAMPLES)
    sample = frames[::step][:PALETTE_SAMPLES]
    w, h = sample[0].size
    sheet = Image.new("RGB", (w, h * len(sample)))
    for i, frame in enumerate(sample):
        sheet.paste(frame.convert("RGB"), (0, i * h))
    return sheet.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def mp4_to_gif(video: Path, gif: Path, fps: int, width: int | None = None) -> None:
    """Write ``video`` as a looping GIF at ``fps`` (at most 50), scaled to ``width`` if given."""
    frames = _frames(video, width)
    if not frames:
        raise ValueError(f"{video} holds no frames to turn into a GIF.")
    palette = _palette(frames)
    indexed = [f.convert("RGB").quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    delay_ms = 10 * max(2, round(100 / fps))  # whole hundredths of a second, at least 2
    indexed[0].save(gif, format="GIF", save_all=True, append_images=indexed[1:], loop=0,
                    duration=delay_ms, optimize=False, disposal=1)
