"""Captions inside the video: the track is read back with FFmpeg's own subtitle decoders (through
PyAV), not with the code that wrote it, and compared with the .srt cue by cue."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from pipeline.captions import captions_path, embed_captions, embedded_cues, read_srt, slice_cues, write_srt

FPS = 5


def make_video(path: Path, frames: int = 20, alpha: bool = False) -> Path:
    """A small test video written with PyAV: a square that moves, on a clear or grey background."""
    codec = {"mp4": "libx264", "mov": "libx264", "webm": "libvpx-vp9"}[path.suffix[1:]]
    pix_fmt = "yuva420p" if alpha else "yuv420p"
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=FPS)
        stream.width, stream.height, stream.pix_fmt = 64, 48, pix_fmt
        for i in range(frames):
            rgba = np.zeros((48, 64, 4), np.uint8)
            rgba[..., 3] = 0 if alpha else 255
            rgba[..., :3] = 0 if alpha else 90
            rgba[10:30, i:i + 20] = (230, 150, 0, 255)
            frame = av.VideoFrame.from_ndarray(rgba, format="rgba").reformat(format=pix_fmt)
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    return path


def cue(start: float, end: float, text: str) -> srt.Subtitle:
    return srt.Subtitle(0, timedelta(seconds=start), timedelta(seconds=end), text)


CUES = [cue(0.0, 1.2, "The curve f and the point x0."),
        cue(1.4, 2.6, "Slope Δf/Δx → df/dx as h → 0"),
        cue(2.6, 3.9, "x < 3 & y > 2, {\\b1}not bold{\\b0}, a \\N that is no newline\nand a second line")]


def decoded_by_ffmpeg(video: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of every cue, through FFmpeg's mov_text / webvtt decoder, which hands
    back an ASS dialogue line: 'ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text'."""
    found = []
    with av.open(str(video)) as container:
        stream = container.streams.subtitles[0]
        for packet in container.demux(stream):
            if packet.dts is None:
                continue
            decoded = stream.decode2(packet)
            for rect in decoded or []:
                text = rect.ass.decode().split(",", 8)[8]
                if text:
                    start = float(packet.pts * packet.time_base)
                    found.append((start, start + float(packet.duration * packet.time_base), text))
    return found


def ass_text(text: str) -> str:
    """How the decoders hand back text: line breaks as ASS's \\N."""
    return text.replace("\n", "\\N")


@pytest.mark.parametrize(("ext", "codec"), [("mp4", "mov_text"), ("mov", "mov_text"), ("webm", "webvtt")])
def test_the_track_holds_every_cue_at_its_time(tmp_path, ext, codec):
    video = make_video(tmp_path / f"in.{ext}")
    target = tmp_path / f"out.{ext}"
    embed_captions(video, CUES, target)
    with av.open(str(target)) as container:
        assert [s.codec_context.name for s in container.streams.subtitles] == [codec]
        assert container.streams.subtitles[0].metadata.get("language") == "eng"
    decoded = decoded_by_ffmpeg(target)
    assert [round(s, 3) for s, _, _ in decoded] == [c.start.total_seconds() for c in CUES]
    assert [round(e, 3) for _, e, _ in decoded] == [c.end.total_seconds() for c in CUES]
    assert [t for _, _, t in decoded[:2]] == [ass_text(c.content) for c in CUES[:2]]
    if codec == "mov_text":
        assert decoded[2][2] == ass_text(CUES[2].content)
    else:  # WebVTT's decoder reads the escaped < & > back as text; it rewrites the braces as ASS markup
        assert decoded[2][2].startswith("x < 3 & y > 2, ") and decoded[2][2].endswith("\\Nand a second line")
    assert [(c.start, c.end, c.content) for c in embedded_cues(target)] == [(c.start, c.end, c.content) for c in CUES]


@pytest.mark.parametrize("ext", ["mp4", "webm"])
def test_the_pictures_are_copied_not_reencoded(tmp_path, ext):
    video = make_video(tmp_path / f"in.{ext}")
    target = tmp_path / f"out.{ext}"
    embed_captions(video, CUES, target)

    def packets(path: Path) -> list[bytes]:
        with av.open(str(path)) as container:
            return [bytes(p) for p in container.demux(video=0) if p.dts is not None]

    assert packets(target) == packets(video) and len(packets(video)) == 20


def test_a_transparent_webm_keeps_its_alpha(tmp_path):
    video = make_video(tmp_path / "in.webm", alpha=True)
    target = tmp_path / "out.webm"
    embed_captions(video, CUES, target)
    with av.open(str(target)) as container:
        stream = container.streams.video[0]
        assert stream.metadata.get("alpha_mode") == "1"
        decoder = av.CodecContext.create("libvpx-vp9", "r")  # FFmpeg's own vp9 decoder drops alpha
        packet = next(p for p in container.demux(stream) if p.dts is not None)
        rgba = decoder.decode(packet)[0].to_ndarray(format="rgba")
    assert rgba[45, 60, 3] == 0 and rgba[20, 10, 3] == 255


def test_chapters_survive(tmp_path):
    video = make_video(tmp_path / "in.mp4")
    with_chapters = tmp_path / "chapters.mp4"
    with av.open(str(video)) as source, av.open(str(with_chapters), "w") as out:
        stream = out.add_stream_from_template(source.streams.video[0])
        ms = Fraction(1, 1000)
        out.set_chapters([{"id": 1, "start": 0, "end": 2000, "time_base": ms, "metadata": {"title": "One"}},
                          {"id": 2, "start": 2000, "end": 4000, "time_base": ms, "metadata": {"title": "Two"}}])
        for packet in source.demux(video=0):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)
    target = tmp_path / "out.mp4"
    embed_captions(with_chapters, CUES, target)
    with av.open(str(target)) as container:
        assert [c["metadata"]["title"] for c in container.chapters()] == ["One", "Two"]


def test_other_containers_are_refused_in_a_sentence(tmp_path):
    with pytest.raises(ValueError, match="carry a caption track"):
        embed_captions(make_video(tmp_path / "in.mp4"), CUES, tmp_path / "out.gif")


def test_each_format_has_its_own_caption_file():
    names = {ext: captions_path(Path(f"renders/tangent.{ext}")) for ext in ("mp4", "webm", "mov")}
    assert len(set(names.values())) == 3
    assert names["mp4"] == Path("renders/tangent.srt")  # what players look for beside an MP4
    assert all(p.parent == Path("renders") and p.suffix == ".srt" for p in names.values())


def test_srt_round_trip_and_slicing(tmp_path):
    path = tmp_path / "c.srt"
    write_srt(CUES, path)
    back = read_srt(path)
    assert [(c.start, c.end, c.content) for c in back] == [(c.start, c.end, c.content) for c in CUES]
    middle = slice_cues(CUES, 1.0, 3.0)  # the first's tail, the second whole, the third's head
    assert [(c.start.total_seconds(), c.end.total_seconds()) for c in middle] == [(0.0, 0.2), (0.4, 1.6), (1.6, 2.0)]
    assert slice_cues(CUES, 5.0, 6.0) == []
