"""Captions: the sidecar .srt each video gets, and the same cues as a soft subtitle track inside it.

A player shows an embedded track without a separate file (menu Subtitles), and the track travels
with the video into a slide deck. MP4 and MOV carry 3GPP timed text (``mov_text``), WebM carries
WebVTT. The video is remuxed with PyAV, never re-encoded, so its pictures are bit for bit the same.
"""

from __future__ import annotations

import html
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import srt

from .files import atomic_target

__all__ = ["CAPTION_CODECS", "captions_path", "embed_captions", "embedded_cues", "read_srt",
           "slice_cues", "write_srt"]

CAPTION_CODECS = {"mp4": "mov_text", "mov": "mov_text", "webm": "webvtt"}
"""The subtitle codec each container carries."""
LANGUAGE = "eng"
"""ISO 639-2 code of the captions' language: the scenes speak English."""
_MOV_TEXT_LIMIT = 0xFFFF
"""A timed-text sample stores its length in 16 bits."""
_DERIVED_TAGS = {"alpha_mode", "duration"}
"""Stream tags a muxer writes from the stream itself; copied, they would turn into plain tags."""
_ASS_HEADER = "\n".join([
    "[Script Info]", "ScriptType: v4.00+", "PlayResX: 384", "PlayResY: 288", "",
    "[V4+ Styles]",
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
    "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
    "MarginL, MarginR, MarginV, Encoding",
    "Style: Default,Sans,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0", "",
    "[Events]", "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text", "",
]).encode()
"""FFmpeg's text-subtitle encoders are configured with an ASS header; the mov_text encoder turns
its default style into the track's sample description (font, size, colours)."""


def captions_path(video: Path) -> Path:
    """The caption file of ``video``: ``tangent.srt`` for ``tangent.mp4``, ``tangent.webm.srt`` and
    ``tangent.mov.srt`` for the other formats, so videos of one scene never share captions.

    The MP4 keeps the plain name players look for first (and that the lecture has always had).

    >>> captions_path(Path("renders/tangent.mp4")).name, captions_path(Path("renders/tangent.webm")).name
    ('tangent.srt', 'tangent.webm.srt')
    """
    video = Path(video)
    if video.suffix.lower() == ".mp4":
        return video.with_suffix(".srt")
    return video.with_name(video.name + ".srt")


def read_srt(path: Path) -> list[srt.Subtitle]:
    """The cues of an .srt file, in time order.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "c.srt"
    >>> write_srt([srt.Subtitle(1, timedelta(seconds=2.5), timedelta(seconds=4), "Δf/Δx")], path)
    >>> [(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in read_srt(path)]
    [(2.5, 4.0, 'Δf/Δx')]
    """
    return list(srt.sort_and_reindex(srt.parse(Path(path).read_text(encoding="utf-8"))))


def write_srt(cues: list[srt.Subtitle], path: Path) -> None:
    """Write ``cues`` as SubRip (UTF-8), whole or not at all; ``read_srt`` reads them back."""
    with atomic_target(Path(path)) as tmp:
        tmp.write_text(srt.compose(cues), encoding="utf-8")


def slice_cues(cues: list[srt.Subtitle], start: float, end: float) -> list[srt.Subtitle]:
    """The cues shown between ``start`` and ``end`` seconds, clipped to that span and shifted so
    that ``start`` becomes 0: the captions of one clip cut from a longer video.

    >>> cue = srt.Subtitle(1, timedelta(seconds=1), timedelta(seconds=4), "hello")
    >>> [(c.start.total_seconds(), c.end.total_seconds()) for c in slice_cues([cue], 3.0, 10.0)]
    [(0.0, 1.0)]
    """
    lo, hi = timedelta(seconds=start), timedelta(seconds=end)
    clipped = [srt.Subtitle(0, max(c.start, lo) - lo, min(c.end, hi) - lo, c.content)
               for c in cues if c.start < hi and c.end > lo]
    return list(srt.sort_and_reindex(c for c in clipped if c.end > c.start))


def _payload(codec: str, text: str) -> bytes:
    """One cue as the codec stores it.

    A 3GPP text sample (16-bit big-endian length, then UTF-8 text; TS 26.245 5.17) or a WebVTT
    cue payload (``&``, ``<`` and ``>`` escaped).
    """
    text = srt.make_legal_content(text)  # as the .srt holds it: no blank lines
    if codec == "webvtt":
        return html.escape(text, quote=False).encode()
    data = text.encode()
    if len(data) > _MOV_TEXT_LIMIT:
        raise ValueError(f"a caption of {len(data)} bytes is too long for an MP4 text track "
                         f"(at most {_MOV_TEXT_LIMIT}); shorten it.")
    return len(data).to_bytes(2, "big") + data


def _text(codec: str, payload: bytes) -> str:
    if codec == "webvtt":
        return html.unescape(payload.decode())
    return payload[2:2 + int.from_bytes(payload[:2], "big")].decode()


def embed_captions(video: Path, cues: list[srt.Subtitle], target: Path) -> None:
    """Copy ``video`` to ``target`` with ``cues`` as a soft subtitle track.

    The video packets are copied unchanged (no re-encode), with the container's metadata and
    chapters and the stream's metadata (a WebM's alpha mode among them); the cues are
    interleaved with the video by time, as players expect.
    """
    import av

    codec = CAPTION_CODECS.get(Path(target).suffix.lower().lstrip("."))
    if codec is None:
        raise ValueError(f"{Path(target).name}: only {', '.join(CAPTION_CODECS)} videos carry a caption track.")
    payloads = [_payload(codec, c.content) for c in cues]
    with av.open(str(video)) as source, av.open(str(target), "w") as out:
        out.metadata.update(source.metadata)
        video_in = source.streams.video[0]
        video_out = out.add_stream_from_template(video_in)
        if video_in.metadata.get("alpha_mode") == "1":  # tells a WebM muxer the VP9 packets carry alpha
            video_out.pix_fmt = "yuva420p"
        video_out.metadata.update({k: v for k, v in video_in.metadata.items()
                                   if k.lower() not in _DERIVED_TAGS})
        subtitles = out.add_stream(codec)
        subtitles.codec_context.subtitle_header = _ASS_HEADER
        subtitles.time_base = Fraction(1, 1000)
        subtitles.metadata["language"] = LANGUAGE
        subtitles.metadata["title"] = "Captions"
        chapters = source.chapters()
        if chapters:
            out.set_chapters(chapters)
        out.start_encoding()
        pending = list(zip(cues, payloads))

        def mux_cues_until(seconds: float | None) -> None:
            while pending and (seconds is None or pending[0][0].start.total_seconds() <= seconds):
                cue, payload = pending.pop(0)
                packet = av.Packet(payload)
                packet.stream = subtitles
                packet.time_base = subtitles.time_base
                packet.pts = packet.dts = round(cue.start.total_seconds() / subtitles.time_base)
                packet.duration = max(1, round((cue.end - cue.start).total_seconds() / subtitles.time_base))
                out.mux(packet)

        for packet in source.demux(video_in):
            if packet.dts is None:  # the flushing packet demux ends with
                continue
            mux_cues_until(float(packet.dts * packet.time_base))
            packet.stream = video_out
            out.mux(packet)
        mux_cues_until(None)


def embedded_cues(video: Path) -> list[srt.Subtitle]:
    """The cues of the first subtitle track of ``video`` (empty when it has none)."""
    import av

    with av.open(str(video)) as container:
        if not container.streams.subtitles:
            return []
        stream = container.streams.subtitles[0]
        codec = stream.codec_context.name
        cues = []
        for packet in container.demux(stream):
            if packet.dts is None or packet.pts is None:
                continue
            text = _text(codec, bytes(packet))
            if not text:  # MP4 writes an empty sample to clear the screen between cues
                continue
            start = float(packet.pts * packet.time_base)
            end = start + float((packet.duration or 0) * packet.time_base)
            cues.append(srt.Subtitle(0, timedelta(seconds=start), timedelta(seconds=end), text))
    return list(srt.sort_and_reindex(cues))
