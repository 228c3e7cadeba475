"""pipeline.gif on small synthetic MP4s made here with PyAV: timing, loop, rectangles, fidelity, refusals.

Expected values come from the videos (their timestamps and pixels) and from ffmpeg's two-pass recipe;
GIFs are read back by a block parser below and decoded by libavcodec, not by the Pillow code that
writes them.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from bench.gif_quality import recipe_gif, score
from pipeline.gif import mp4_to_gif

SIZE = (96, 64)  # width, height


# --- synthetic videos ------------------------------------------------------------------------------

def _background() -> np.ndarray:
    """A dark, smooth two-way gradient: more colours than a GIF palette holds."""
    y, x = np.mgrid[0 : SIZE[1], 0 : SIZE[0]]
    return np.stack([20 + 60 * x / SIZE[0], 20 + 40 * y / SIZE[1], 40 + 30 * (x + y) / sum(SIZE)], -1)


def _square(frame: np.ndarray, left: int, top: int, side: int = 10) -> tuple[int, int, int, int]:
    frame[top : top + side, left : left + side] = (240, 200, 60)
    return left, top, left + side, top + side


def _moving_square(count: int, flat: bool = False) -> tuple[list[np.ndarray], list[tuple[int, int, int, int]]]:
    """A square that moves 2 px right every frame over the gradient (or a flat dark grey), and where it is."""
    frames, boxes = [], []
    for k in range(count):
        frame = np.full((SIZE[1], SIZE[0], 3), 24.0) if flat else _background()
        boxes.append(_square(frame, 4 + 2 * k % (SIZE[0] - 14), 20))
        frames.append(frame)
    return frames, boxes


def _write_mp4(path: Path, frames: list[np.ndarray], fps: int | Fraction, pts: list[int] | None = None,
               time_base: Fraction | None = None, lossless: bool = False) -> Path:
    """H.264 in yuv420p like Manim's; ``lossless`` makes equal frames decode equal (no codec noise)."""
    options = {"qp": "0"} if lossless else {"crf": "18"}
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps, options={**options, "preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = frames[0].shape[1], frames[0].shape[0], "yuv420p"
        if time_base is not None:
            stream.codec_context.time_base = time_base
        for k, pixels in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), format="rgb24")
            if pts is not None:
                frame.pts, frame.time_base = pts[k], time_base
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def _video(path: Path) -> tuple[list[float], float, list[np.ndarray]]:
    """Start times (s, from the first frame), the end time and RGB frames of a video."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        first = frames[0].pts * stream.time_base
        starts = [float(f.pts * stream.time_base - first) for f in frames]
        last = frames[-1].duration * stream.time_base
        return starts, starts[-1] + float(last), [f.to_ndarray(format="rgb24") for f in frames]


# --- reading GIFs back ------------------------------------------------------------------------------

@dataclass(frozen=True)
class GifFrame:
    delay_cs: int
    disposal: int
    transparent: int | None
    box: tuple[int, int, int, int]  # left, top, width, height


@dataclass(frozen=True)
class GifFile:
    canvas: tuple[int, int]
    table_size: int
    loop: int | None
    frames: list[GifFrame]


def _sub_blocks(data: bytes, at: int) -> tuple[bytes, int]:
    chunks = []
    while data[at]:
        chunks.append(data[at + 1 : at + 1 + data[at]])
        at += 1 + data[at]
    return b"".join(chunks), at + 1


def parse_gif(path: Path) -> GifFile:
    """The block structure of a GIF (GIF89a spec): canvas, loop count, and each frame's box and delay."""
    data = path.read_bytes()
    assert data[:6] in (b"GIF87a", b"GIF89a")
    width, height, flags = struct.unpack("<HHB", data[6:11])
    table = 2 << (flags & 7) if flags & 0x80 else 0
    at, loop, control, frames = 13 + 3 * table, None, (0, 0, None), []
    while data[at] != 0x3B:
        if data[at] == 0x21:
            label = data[at + 1]
            body, at = _sub_blocks(data, at + 2)
            if label == 0xFF and body[:11] == b"NETSCAPE2.0":
                loop = struct.unpack("<H", body[12:14])[0]
            elif label == 0xF9:
                packed, delay, index = struct.unpack("<BHB", body[:4])
                control = (delay, (packed >> 2) & 7, index if packed & 1 else None)
        elif data[at] == 0x2C:
            box = struct.unpack("<HHHH", data[at + 1 : at + 9])
            local = data[at + 9]
            at += 10 + (3 * (2 << (local & 7)) if local & 0x80 else 0) + 1  # + LZW minimum code size
            _, at = _sub_blocks(data, at)
            frames.append(GifFrame(control[0], control[1], control[2], box))
            control = (0, 0, None)
        else:
            raise AssertionError(f"unexpected GIF block 0x{data[at]:02x} at byte {at}")
    return GifFile((width, height), table, loop, frames)


def gif_screens(path: Path) -> tuple[list[float], list[np.ndarray]]:
    """What a player shows, decoded by libavcodec: each frame's start time (s) and RGB pixels."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        return [float(f.pts * stream.time_base) for f in frames], [f.to_ndarray(format="rgb24") for f in frames]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def on_screen(starts: list[float], moment: float) -> int:
    return max(0, int(np.searchsorted(starts, moment + 1e-9, side="right")) - 1)


# --- timing --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fps", [7, 15, 24, 30, 50])
def test_each_frame_starts_within_a_centisecond_of_its_video_frame(tmp_path, fps):
    frames, _ = _moving_square(2 * fps + 3)  # a little over two seconds: per-frame rounding would drift
    video = _write_mp4(tmp_path / "clip.mp4", frames, fps)
    starts, end, _ = _video(video)
    gif = tmp_path / "clip.gif"
    mp4_to_gif(video, gif, fps)

    parsed = parse_gif(gif)
    delays = [f.delay_cs for f in parsed.frames]
    assert len(delays) == len(starts)  # every frame changes, so none is merged
    assert min(delays) >= 2  # players stretch shorter delays
    gif_starts = np.concatenate([[0], np.cumsum(delays)[:-1]]) / 100
    assert np.all(gif_starts <= np.asarray(starts) + 1e-9)  # never late
    assert np.all(np.asarray(starts) - gif_starts < 0.01 + 1e-9)  # at most a centisecond early
    assert abs(sum(delays) / 100 - end) < 1 / fps
    assert abs(sum(delays) / 100 - len(starts) / fps) < 0.01 + 1e-9


def test_a_slower_gif_than_video_keeps_the_duration_and_the_frame_rate(tmp_path):
    frames, _ = _moving_square(45)
    video = _write_mp4(tmp_path / "clip.mp4", frames, 30)
    _, end, _ = _video(video)
    gif = tmp_path / "clip.gif"
    mp4_to_gif(video, gif, 10)

    delays = [f.delay_cs for f in parse_gif(gif).frames]
    assert abs(sum(delays) / 100 - end) < 1 / 10
    assert len(delays) == pytest.approx(end * 10, abs=1)
    assert all(d >= 10 - 1 for d in delays[:-1])


@pytest.mark.parametrize("video_fps, gif_fps", [(10, 25), (1, 1)])
def test_a_faster_gif_than_video_or_a_single_frame_keeps_the_duration(tmp_path, video_fps, gif_fps):
    frames, _ = _moving_square(1 if video_fps == 1 else 12)
    video = _write_mp4(tmp_path / "clip.mp4", frames, video_fps)
    starts, end, _ = _video(video)
    gif = tmp_path / "clip.gif"
    mp4_to_gif(video, gif, gif_fps)

    delays = [f.delay_cs for f in parse_gif(gif).frames]
    assert len(delays) == len(starts)  # no frame is invented or lost
    assert abs(sum(delays) / 100 - end) < 1 / gif_fps


def test_a_still_video_is_one_frame_lasting_the_whole_video(tmp_path):
    video = _write_mp4(tmp_path / "still.mp4", [_background()] * 20, 10, lossless=True)
    _, end, _ = _video(video)
    gif = tmp_path / "still.gif"
    mp4_to_gif(video, gif, 10)

    parsed = parse_gif(gif)
    assert len(parsed.frames) == 1
    assert parsed.frames[0].delay_cs == pytest.approx(100 * end, abs=1)


def test_a_pause_longer_than_a_gif_delay_goes_on_in_further_frames(tmp_path):
    """Two frames 700 s apart (a variable-rate video): one GIF delay holds at most 655.35 s."""
    frames, _ = _moving_square(2)
    video = _write_mp4(tmp_path / "pause.mp4", frames, 1, pts=[0, 700], time_base=Fraction(1, 1))
    starts, end, _ = _video(video)
    gif = tmp_path / "pause.gif"
    mp4_to_gif(video, gif, 1)

    delays = [f.delay_cs for f in parse_gif(gif).frames]
    assert max(delays) <= 65535
    assert sum(delays) / 100 == pytest.approx(end, abs=0.01)
    gif_starts, _ = gif_screens(gif)
    assert gif_starts[-1] == pytest.approx(starts[-1], abs=0.01)


# --- structure ---------------------------------------------------------------------------------------

def test_loops_forever(tmp_path):
    frames, _ = _moving_square(6)
    video = _write_mp4(tmp_path / "clip.mp4", frames, 10)
    mp4_to_gif(video, tmp_path / "clip.gif", 10)
    assert parse_gif(tmp_path / "clip.gif").loop == 0  # NETSCAPE2.0 loop count 0: forever


def test_later_frames_store_only_the_rectangle_that_changes(tmp_path):
    frames, squares = _moving_square(12, flat=True)  # flat like a slide: no codec noise around
    video = _write_mp4(tmp_path / "clip.mp4", frames, 10)
    gif = tmp_path / "clip.gif"
    mp4_to_gif(video, gif, 10)

    parsed = parse_gif(gif)
    assert parsed.frames[0].box == (0, 0, *SIZE)
    canvas = SIZE[0] * SIZE[1]
    for k, frame in enumerate(parsed.frames[1:], start=1):
        left, top, width, height = frame.box
        assert width * height < canvas / 4
        assert frame.disposal == 1  # drawn over the frame before, which shows through
        assert frame.transparent is not None
        # The box covers where the square was and is (the video's own change), with a pixel of slack
        # for the codec's blur at the square's edges.
        old, new = squares[k - 1], squares[k]
        assert left <= min(old[0], new[0]) + 1 and left + width >= max(old[2], new[2]) - 1
        assert top <= min(old[1], new[1]) + 1 and top + height >= max(old[3], new[3]) - 1


def test_the_palette_holds_at_most_the_colors_asked_for(tmp_path):
    frames, _ = _moving_square(8)
    video = _write_mp4(tmp_path / "clip.mp4", frames, 10)
    for colors in (2, 16, 100):
        gif = tmp_path / f"clip-{colors}.gif"
        mp4_to_gif(video, gif, 10, colors=colors)
        assert parse_gif(gif).table_size <= max(4, 1 << (colors - 1).bit_length())
        _, screens = gif_screens(gif)
        shown = np.unique(np.concatenate([s.reshape(-1, 3) for s in screens]), axis=0)
        assert len(shown) <= colors


# --- fidelity ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fps", [10, 15])
def test_every_gif_frame_matches_the_video_frame_on_screen(tmp_path, fps):
    frames, _ = _moving_square(20)
    video = _write_mp4(tmp_path / "clip.mp4", frames, fps)
    starts, _, pixels = _video(video)
    gif = tmp_path / "clip.gif"
    mp4_to_gif(video, gif, fps)

    gif_starts, screens = gif_screens(gif)
    for moment, reference in zip(starts, pixels):
        assert psnr(reference, screens[on_screen(gif_starts, moment)]) > 35


def test_width_scales_every_frame(tmp_path):
    from PIL import Image

    frames, _ = _moving_square(6)
    video = _write_mp4(tmp_path / "clip.mp4", frames, 10)
    starts, _, pixels = _video(video)
    gif = tmp_path / "clip.gif"
    mp4_to_gif(video, gif, 10, width=48)

    assert parse_gif(gif).canvas == (48, round(SIZE[1] * 48 / SIZE[0]))
    gif_starts, screens = gif_screens(gif)
    for moment, reference in zip(starts, pixels):
        small = np.asarray(Image.fromarray(reference).resize((48, 32), Image.Resampling.LANCZOS))
        assert psnr(small, screens[on_screen(gif_starts, moment)]) > 30


def beats_the_recipe(video: Path, fps: int, folder: Path):
    """Both encoders on ``video``: ours is smaller than ffmpeg's two-pass recipe and at least as
    sharp at the start and in the middle. Returns our GIF and its score."""
    ours, recipe = folder / "ours.gif", folder / "recipe.gif"
    mp4_to_gif(video, ours, fps)
    recipe_gif(video, recipe, fps)
    ours_score, recipe_score = score(video, ours), score(video, recipe)
    assert ours_score.bytes < recipe_score.bytes
    assert ours_score.psnr_start >= recipe_score.psnr_start
    assert ours_score.psnr_middle >= recipe_score.psnr_middle
    return ours, ours_score


def test_smaller_and_at_least_as_sharp_as_the_ffmpeg_recipe(tmp_path):
    frames, _ = _moving_square(30)
    for frame in frames[10:]:  # a second square appears and stays: most of the canvas stays still
        _square(frame, 60, 40, 14)
    beats_the_recipe(_write_mp4(tmp_path / "clip.mp4", frames, 15), 15, tmp_path)


# --- refusals ----------------------------------------------------------------------------------------

@pytest.fixture
def clip(tmp_path) -> Path:
    frames, _ = _moving_square(3)
    return _write_mp4(tmp_path / "clip.mp4", frames, 10)


@pytest.mark.parametrize("settings, words", [
    ({"fps": 0}, "fps must be a whole number from 1 to 50"),
    ({"fps": 60}, "fps must be a whole number from 1 to 50"),
    ({"fps": 12.5}, "fps must be a whole number from 1 to 50"),
    ({"fps": True}, "fps must be a whole number from 1 to 50"),
    ({"colors": 1}, "colors must be a whole number from 2 to 256"),
    ({"colors": 257}, "colors must be a whole number from 2 to 256"),
    ({"colors": "64"}, "colors must be a whole number from 2 to 256"),
    ({"width": 0}, "width must be a whole number of pixels from 2 to 65535"),
    ({"width": 70000}, "width must be a whole number of pixels from 2 to 65535"),
])
def test_bad_settings_are_refused_with_a_sentence(tmp_path, clip, settings, words):
    gif = tmp_path / "out.gif"
    with pytest.raises(ValueError, match=words):
        mp4_to_gif(clip, gif, **{"fps": 10, **settings})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]  # nothing half-written


def test_a_width_that_makes_the_gif_too_tall_is_refused(tmp_path):
    tall = _write_mp4(tmp_path / "tall.mp4", [np.zeros((64, 16, 3))] * 2, 10)
    with pytest.raises(ValueError, match="would make the GIF 262140 pixels high; a GIF side is 1 to 65535"):
        mp4_to_gif(tall, tmp_path / "tall.gif", 10, width=65535)
    assert not list(tmp_path.glob("*.gif")) and not list(tmp_path.glob(".*part"))


def test_bad_videos_are_refused_with_a_sentence(tmp_path):
    (tmp_path / "notes.mp4").write_text("not a video")
    with av.open(str(tmp_path / "sound.mp4"), "w") as out:  # a file with no video stream
        stream = out.add_stream("aac", rate=8000)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
        frame.sample_rate = 8000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    cases = {"missing.mp4": "is not a file", "notes.mp4": "is not a video that can be read",
             "sound.mp4": "holds no video stream"}
    for name, words in cases.items():
        with pytest.raises(ValueError, match=words):
            mp4_to_gif(tmp_path / name, tmp_path / "out.gif", 10)
    with pytest.raises(ValueError, match="is not a folder"):
        mp4_to_gif(tmp_path / "sound.mp4", tmp_path / "no" / "out.gif", 10)
    assert not list(tmp_path.glob("*.gif")) and not list(tmp_path.glob(".*part"))


# --- a real scene --------------------------------------------------------------------------------------

@pytest.mark.render
def test_a_scene_gif_is_smaller_than_the_recipe_and_at_least_as_sharp(tmp_path):
    """The tangent scene rendered by the CLI at a tiny size, then both encoders on its MP4."""
    from tests.helpers import invoke

    video = tmp_path / "tangent.mp4"
    result = invoke("render", "tangent", "--format", "mp4", "--resolution", "160x90", "--fps", "10",
                    "--output", str(video))
    assert result.exit_code == 0, result.stderr
    ours, ours_score = beats_the_recipe(video, 10, tmp_path)
    assert abs(ours_score.drift_s) < 1 / 10
    assert parse_gif(ours).loop == 0
