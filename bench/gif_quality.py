"""Our GIF against ffmpeg's two-pass recipe on the same MP4: bytes, time-aligned PSNR, duration drift.

The recipe is what lecturers use::

    ffmpeg -i in.mp4 -vf "[fps=N,]palettegen=stats_mode=diff" palette.png
    ffmpeg -i in.mp4 -i palette.png -lavfi "[fps=N,]paletteuse=dither=none:diff_mode=rectangle" out.gif

It runs here in-process, through PyAV's libavfilter (``av.filter.Graph`` with exactly those filters)
and libavcodec's GIF encoder and muxer with ffmpeg's defaults, so no ffmpeg program is needed. Both
encoders get the same RGB frames: the video decoded by PyAV and, with a width, scaled by swscale's
Lanczos (to bgra, which palettegen takes), which is also the reference the PSNR is measured against.

PSNR: each video frame against the GIF frame on screen at the same moment, averaged over the video's
frames; "start" looks at the moment each video frame starts, "middle" halfway through it. The GIF is
decoded by libavcodec, not by the Pillow code that wrote ours.

    python -m bench.gif_quality renders/tangent.mp4 --fps 10 15 20 --width 640
"""

from __future__ import annotations

import argparse
import math
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.filter
import numpy as np

RECIPE_PALETTEGEN = "stats_mode=diff"
RECIPE_PALETTEUSE = "dither=none:diff_mode=rectangle"


@dataclass(frozen=True)
class GifScore:
    bytes: int
    psnr_start: float
    psnr_middle: float
    drift_s: float
    """GIF duration minus video duration, seconds."""


@dataclass(frozen=True)
class GifReport:
    video: str
    fps: int
    size: tuple[int, int]
    colors: int
    ours: GifScore
    recipe: GifScore


def _size(video: Path, width: int | None) -> tuple[int, int]:
    with av.open(str(video)) as container:
        w, h = container.streams.video[0].codec_context.width, container.streams.video[0].codec_context.height
    return (w, h) if width is None else (width, round(h * width / w))


def video_frames(video: Path, size: tuple[int, int]) -> Iterator[tuple[Fraction, Fraction, av.VideoFrame]]:
    """(start, end, bgra frame) for every video frame, times in seconds from the first frame.

    bgra through swscale's Lanczos, as pipeline.gif converts: scaled to rgb24 instead, swscale's
    output differs by up to 4 levels, which would bias the PSNR.
    """
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        held, first = None, None
        for frame in container.decode(stream):
            moment = frame.pts * stream.time_base
            first = moment if first is None else first
            rgb = frame.reformat(width=size[0], height=size[1], format="bgra", interpolation="LANCZOS")
            rgb.pts, rgb.time_base = frame.pts, stream.time_base
            if held is not None:
                yield held[0], moment - first, held[1]
            held = (moment - first, rgb)
            last = (frame.duration or 0) * stream.time_base or 1 / Fraction(stream.average_rate)
        if held is not None:
            yield held[0], held[0] + last, held[1]


def recipe_gif(video: Path, gif: Path, fps: int, width: int | None = None, colors: int = 256) -> None:
    """ffmpeg's two-pass recipe, in-process: palettegen, then paletteuse and the GIF muxer.

    ``colors`` below 256 adds ``max_colors=N`` to palettegen, the recipe's way to a smaller palette.
    """
    size = _size(video, width)
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        time_base, native = stream.time_base, Fraction(stream.average_rate)
    resample = [f"fps={fps}"] if abs(native - fps) > Fraction(1, 1000) else []

    graph = av.filter.Graph()
    chain = [graph.add_buffer(width=size[0], height=size[1], format="bgra", time_base=time_base)]
    palettegen = RECIPE_PALETTEGEN + (f":max_colors={colors}" if colors != 256 else "")
    chain += [graph.add(*f.split("=", 1)) for f in resample] + [graph.add("palettegen", palettegen)]
    chain.append(graph.add("buffersink"))
    for a, b in zip(chain, chain[1:]):
        a.link_to(b)
    graph.configure()
    for _, _, frame in video_frames(video, size):
        chain[0].push(frame)
        try:  # asking for output makes the graph take in the frame now instead of queueing it
            chain[-1].pull()
        except av.error.BlockingIOError:
            pass
    chain[0].push(None)
    palette = chain[-1].pull()

    graph = av.filter.Graph()
    source = graph.add_buffer(width=size[0], height=size[1], format="bgra", time_base=time_base)
    palette_source = graph.add_buffer(width=palette.width, height=palette.height, format=palette.format.name,
                                      time_base=time_base)
    use = graph.add("paletteuse", RECIPE_PALETTEUSE)
    sink = graph.add("buffersink")
    head = source
    for f in resample:
        node = graph.add(*f.split("=", 1))
        head.link_to(node)
        head = node
    head.link_to(use, 0, 0)
    palette_source.link_to(use, 0, 1)
    use.link_to(sink)
    graph.configure()
    palette.pts = 0
    palette_source.push(palette)
    palette_source.push(None)

    with av.open(str(gif), "w", format="gif") as out:
        gif_stream = out.add_stream("gif", rate=fps if resample else native)
        gif_stream.width, gif_stream.height, gif_stream.pix_fmt = size[0], size[1], "pal8"

        def drain() -> None:
            while True:
                try:
                    frame = sink.pull()
                except (av.error.BlockingIOError, av.error.EOFError):
                    return
                if not gif_stream.codec_context.is_open:  # timestamps as the filters give them
                    gif_stream.codec_context.time_base = gif_stream.time_base = frame.time_base
                for packet in gif_stream.encode(frame):
                    out.mux(packet)

        for _, _, frame in video_frames(video, size):
            source.push(frame)
            drain()
        source.push(None)
        drain()
        for packet in gif_stream.encode(None):
            out.mux(packet)


def _gif_frames(gif: Path) -> Iterator[tuple[Fraction, np.ndarray]]:
    """(start in seconds, RGB) for every GIF frame as a player composes it, then (end, None)."""
    with av.open(str(gif)) as container:
        stream = container.streams.video[0]
        end = Fraction(0)
        for frame in container.decode(stream):
            start = frame.pts * stream.time_base
            end = start + (frame.duration or 0) * stream.time_base
            yield start, frame.to_ndarray(format="rgb24")
    yield end, None


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b) ** 2))
    return 99.0 if mse == 0 else 10 * math.log10(255.0**2 / mse)


def score(video: Path, gif: Path, width: int | None = None) -> GifScore:
    """Bytes, time-aligned PSNR (at each video frame's start and middle) and the duration drift."""
    size = _size(video, width)
    frames = _gif_frames(gif)
    current, (upcoming, upcoming_rgb) = None, next(frames)
    starts, middles, video_end = [], [], Fraction(0)
    for start, end, frame in video_frames(video, size):
        reference = frame.to_ndarray()[:, :, 2::-1]
        for moment, values in ((start, starts), ((start + end) / 2, middles)):
            while upcoming_rgb is not None and upcoming <= moment:
                current = upcoming_rgb
                upcoming, upcoming_rgb = next(frames)
            values.append(_psnr(reference, current))
        video_end = end
    gif_end = upcoming if upcoming_rgb is None else max(t for t, _ in frames)
    return GifScore(gif.stat().st_size, float(np.mean(starts)), float(np.mean(middles)),
                    float(gif_end - video_end))


def compare_with_recipe(video: Path, fps: int, width: int | None = None, colors: int = 256,
                        folder: Path | None = None) -> GifReport:
    """Encode ``video`` both ways at ``fps`` (and ``width``) and score both GIFs."""
    from pipeline.gif import mp4_to_gif

    folder = Path(folder or tempfile.mkdtemp(prefix="gifbench-"))
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{video.stem}-{fps}fps-{width or 'full'}-{colors}"
    ours, recipe = folder / f"{name}-ours.gif", folder / f"{name}-recipe.gif"
    mp4_to_gif(video, ours, fps, width, colors)
    recipe_gif(video, recipe, fps, width, colors)
    return GifReport(video.name, fps, _size(video, width), colors, score(video, ours, width),
                     score(video, recipe, width))


def markdown_row(r: GifReport) -> str:
    o, f = r.ours, r.recipe
    return (f"| {r.video} | {r.size[0]}x{r.size[1]} | {r.fps} | {r.colors} "
            f"| {o.bytes / 1000:,.0f} / {f.bytes / 1000:,.0f} KB "
            f"| {o.bytes / f.bytes:.2f} | {o.psnr_start:.1f} / {f.psnr_start:.1f} | "
            f"{o.psnr_middle:.1f} / {f.psnr_middle:.1f} | {1000 * o.drift_s:+.0f} / {1000 * f.drift_s:+.0f} ms |")


HEADER = ("| video | size | fps | colors | bytes ours / recipe | ratio | PSNR at start, dB | PSNR at middle, dB "
          "| drift ours / recipe |\n|---|---|---|---|---|---|---|---|---|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="+", type=Path)
    parser.add_argument("--fps", nargs="*", type=int, help="GIF frame rates (default: each video's own).")
    parser.add_argument("--width", type=int, default=None)
    parser.add_argument("--colors", nargs="*", type=int, default=[256], help="Palette sizes (both encoders).")
    parser.add_argument("--keep", type=Path, default=None, help="Folder to keep the GIFs in.")
    args = parser.parse_args()
    print(HEADER, flush=True)
    for video in args.videos:
        with av.open(str(video)) as container:
            native = round(container.streams.video[0].average_rate)
        for fps in args.fps or [native]:
            for colors in args.colors:
                print(markdown_row(compare_with_recipe(video, fps, args.width, colors, args.keep)), flush=True)


if __name__ == "__main__":
    main()
