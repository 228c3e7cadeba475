r"""MP4 to GIF for slides: small, sharp and on time (issue 12).

- **Colours** (:mod:`pipeline.gif_colours`): libavfilter's palettegen palette refined by k-means on
  the whole video's colours, nearest colours without dithering, and a pixel keeps the colour on
  screen while that costs little, so codec noise does not repaint still pixels.
- **Changed rectangles.** Each later frame stores only the bounding box of the pixels redrawn;
  inside it the others take a transparent index this frame does not use, and a frame that redraws
  nothing is merged into the one before.
- **Time.** GIF frame ``k`` starts at :math:`\\lfloor 100 k / fps \\rfloor` cs (a hair earlier if the
  video's timestamp is) and shows the video frame on screen then. Delays are differences of these
  accumulated starts, so at 15 fps they run 6, 7, 7, 6, 7, 7, ... and the GIF ends within 1 cs of
  the video however long it is.

Frames stream twice (survey, then encoding), holding one frame and a few per-pixel arrays; the LZW
coding is Pillow's (:func:`PIL.GifImagePlugin.getdata`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np
from PIL import GifImagePlugin, Image

from pipeline.gif_colours import Nearest, Screen, fit_palette, survey

MAX_FPS = 50
"""GIF delays count hundredths of a second, and players stretch delays under 2 cs: 50 fps at most."""
TIMESTAMP_SLACK = Fraction(1, 10)
"""How far, in frame periods, a video timestamp may sit from a GIF tick and still count as on it."""
MAX_GIF_SIDE = 65535
"""GIF sizes and delays are 16-bit numbers."""


def mp4_to_gif(video: Path, gif: Path, fps: int, width: int | None = None, colors: int = 256) -> None:
    r"""Write ``video`` as an endlessly looping GIF at ``fps``, scaled to ``width`` if given.

    Parameters
    ----------
    video : Path
        Any video PyAV reads (MP4 from Manim here).
    gif : Path
        Where the GIF goes; it is written to a temporary file beside it and then moved into place,
        so a failure never leaves half a GIF.
    fps : int
        GIF frame rate, 1 to 50. Frame ``k`` shows the video frame on screen at ``k / fps`` s and
        lasts :math:`\\lfloor 100 (k+1)/fps \\rfloor - \\lfloor 100 k/fps \\rfloor` cs.
    width : int, optional
        Scale to this many pixels across (Lanczos); the height is
        ``round(video height * width / video width)``.
    colors : int
        Palette size, 2 to 256.

    Raises
    ------
    ValueError
        One sentence naming the bad value and what is allowed.

    Examples
    --------
    >>> mp4_to_gif(Path("talk.mp4"), Path("talk.gif"), fps=60)
    Traceback (most recent call last):
    ...
    ValueError: fps must be a whole number from 1 to 50 (GIF delays count hundredths of a second); got 60.
    """
    _check_settings(fps, width, colors)
    gif = Path(gif)
    if not gif.parent.is_dir():
        raise ValueError(f"{gif.parent} is not a folder; create it or choose another place for the GIF.")
    palette = fit_palette(survey(_timed_frames(video, fps, width), colors), colors)
    temporary = gif.with_name(f".{gif.name}.{os.getpid()}.part")
    try:
        with open(temporary, "wb") as out:
            _encode(_timed_frames(video, fps, width), palette, out)
        os.replace(temporary, gif)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _check_settings(fps: object, width: object, colors: object) -> None:
    def whole(value: object, low: int, high: int) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    def shown(value: object) -> str:
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "..."

    if not whole(fps, 1, MAX_FPS):
        raise ValueError(f"fps must be a whole number from 1 to {MAX_FPS} "
                         f"(GIF delays count hundredths of a second); got {shown(fps)}.")
    if width is not None and not whole(width, 2, MAX_GIF_SIDE):
        raise ValueError(f"width must be a whole number of pixels from 2 to {MAX_GIF_SIDE}; got {shown(width)}.")
    if not whole(colors, 2, 256):
        raise ValueError(f"colors must be a whole number from 2 to 256 (a GIF palette); got {shown(colors)}.")


def _timed_frames(video: Path, fps: int, width: int | None) -> Iterator[tuple[int, np.ndarray | None]]:
    """Yield ``(start, pixels)`` for each GIF frame, then ``(end, None)``; times in whole centiseconds.

    ``pixels`` is an (h, w) uint32 array, 0xAARRGGBB. Each video frame shows from a tick ``k / fps``
    (see :func:`_place`; a later frame on the same tick replaces it); ``end`` is the video's last
    moment, rounded down.
    """
    if not Path(video).is_file():
        raise ValueError(f"{video} is not a file; give the path of a rendered video.")
    try:
        container = av.open(str(video))
    except av.FFmpegError as error:
        raise ValueError(f"{video} is not a video that can be read ({error}).") from None
    try:
        with container:
            yield from _frames_on_ticks(container, video, fps, width)
    except av.FFmpegError as error:
        raise ValueError(f"{video} could not be decoded ({error}).") from None


def _frames_on_ticks(container: av.container.InputContainer, video: Path, fps: int,
                 width: int | None) -> Iterator[tuple[int, np.ndarray | None]]:
    if not container.streams.video:
        raise ValueError(f"{video} holds no video stream to turn into a GIF.")
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    size = _scaled_size(stream.codec_context.width, stream.codec_context.height, width)
    rate = Fraction(stream.average_rate or stream.guessed_rate or fps)
    held: tuple[int, int, np.ndarray] | None = None
    shown = -2  # when the last GIF frame given out starts
    first = last = None
    step = 1 / rate
    for index, frame in enumerate(container.decode(stream)):
        moment = index / rate if frame.pts is None else frame.pts * stream.time_base
        first = moment if first is None else first
        if last is not None and moment > last:
            step = moment - last
        last = moment
        tick, start = _place(moment - first, fps, shown)
        if held is not None and tick > held[0]:
            shown = held[1]
            yield held[1], held[2]
            tick, start = _place(moment - first, fps, shown)
        held = (tick, start, _pixels(frame, size))
    if held is None:
        raise ValueError(f"{video} holds no frames to turn into a GIF.")
    duration = frame.duration * stream.time_base if frame.duration else step
    end = math.floor(100 * (last - first + duration))
    if shown >= 0 and held[1] + 2 > end:  # it would flash for under 2 cs: the frame before stays
        yield max(end, shown + 2), None
        return
    yield held[1], held[2]
    yield max(end, held[1] + 2), None


def _place(moment: Fraction, fps: int, previous: int) -> tuple[int, int]:
    r"""The GIF tick ``k`` (at ``k / fps`` s) a video frame shows from, and when it starts, in whole cs.

    A timestamp within :data:`TIMESTAMP_SLACK` of a frame period from a tick belongs to that tick
    (codecs round timestamps) and starts at :math:`\\lfloor 100 \\min(k / fps, t) \\rfloor`, so it is
    never late; any other frame waits for the next tick. A start is also kept at least 2 cs after the
    one before (players stretch shorter delays). Delays are differences of these starts, so rounding
    never accumulates: at 15 fps they run 6, 7, 7, 6, 7, 7.

    >>> starts = [_place(Fraction(k, 15), 15, -2)[1] for k in range(7)]
    >>> [b - a for a, b in zip(starts, starts[1:])]
    [6, 7, 7, 6, 7, 7]
    """
    nearest = round(moment * fps)
    if abs(moment * fps - nearest) <= TIMESTAMP_SLACK:
        tick, start = nearest, min(Fraction(nearest, fps), moment)
    else:
        tick = math.ceil(moment * fps)
        start = Fraction(tick, fps)
    return tick, max(math.floor(100 * start), previous + 2)


def _scaled_size(video_width: int, video_height: int, width: int | None) -> tuple[int, int]:
    if width is None:
        return video_width, video_height
    height = round(video_height * width / video_width)
    if not 1 <= height <= MAX_GIF_SIDE:
        raise ValueError(f"width {width} would make the GIF {height} pixels high; "
                         f"a GIF side is 1 to {MAX_GIF_SIDE} pixels.")
    return width, height


def _pixels(frame: av.VideoFrame, size: tuple[int, int]) -> np.ndarray:
    if (frame.width, frame.height) == size:
        rgb = frame.reformat(format="bgra")
    else:
        rgb = frame.reformat(width=size[0], height=size[1], format="bgra", interpolation="LANCZOS")
    array = rgb.to_ndarray()  # may share the decoder's buffer, which the next frame overwrites: copy
    return np.array(array, order="C", copy=True).view(np.uint32).reshape(array.shape[:2])


def _encode(frames: Iterator[tuple[int, np.ndarray | None]], palette: np.ndarray, out: BinaryIO) -> None:
    nearest = Nearest(palette)
    table = 1 << max(1, (len(palette) - 1).bit_length())
    writer = screen = None
    for start, pixels in frames:
        if pixels is None:
            writer.finish(start)
            return
        if screen is None:
            height, width = pixels.shape
            screen = Screen(pixels, nearest)
            # A copy: Pillow may share the array's memory, and the screen changes before this is written.
            writer = _GifWriter(out, _indexed(screen.shown.reshape(height, width).copy(), palette))
            continue
        changed, colours = screen.update(pixels)
        if not changed.size:
            continue
        rows, columns = np.divmod(changed, width)
        top, left = rows.min(), columns.min()
        box = screen.shown.reshape(height, width)[top:rows.max() + 1, left:columns.max() + 1].copy()
        transparent = _unused_index(colours, table)
        if transparent is not None:
            keep = np.ones(box.shape, bool)
            keep[rows - top, columns - left] = False
            box[keep] = transparent
        writer.add(start, _indexed(box, palette), (int(left), int(top)), transparent)
    raise ValueError("The video ended without an end time, which _timed_frames always gives.")


def _indexed(indices: np.ndarray, palette: np.ndarray) -> Image.Image:
    image = Image.fromarray(indices)
    image.putpalette(palette.tobytes())
    return image


def _unused_index(used: np.ndarray, table: int) -> int | None:
    """A colour-table index the changed pixels do not use, to mark the unchanged ones transparent."""
    free = np.flatnonzero(np.bincount(used, minlength=table)[:table] == 0)
    return int(free[-1]) if free.size else None


class _GifWriter:
    """Writes frames one behind, since a frame's delay is known only when the next one comes."""

    def __init__(self, out: BinaryIO, first: Image.Image) -> None:
        self._out = out
        out.write(b"".join(GifImagePlugin.getheader(first, None, {"loop": 0})[0]))
        self._pending: tuple[int, Image.Image, tuple[int, int], int | None] = (0, first, (0, 0), None)

    def add(self, start: int, image: Image.Image, offset: tuple[int, int], transparent: int | None) -> None:
        self._flush(start)
        self._pending = (start, image, offset, transparent)

    def finish(self, end: int) -> None:
        self._flush(end)
        self._out.write(b";")

    def _flush(self, end: int) -> None:
        start, image, offset, transparent = self._pending
        delay = end - start
        while delay > 0:
            part = min(delay, MAX_GIF_SIDE)
            options = {"duration": 10 * part, "disposal": 1}
            if transparent is not None:
                options["transparency"] = transparent
            self._out.write(b"".join(GifImagePlugin.getdata(image, offset, **options)))
            # A delay past 65535 cs goes on in invisible 1x1 frames.
            delay -= part
            image, offset, transparent = Image.new("P", (1, 1), 0), (0, 0), 0
