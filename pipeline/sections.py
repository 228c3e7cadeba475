"""Each beat of a scene as its own clip, for one beat per slide (PowerPoint, Keynote, Google Slides).

The scenes start a section at every beat (``next_section``); Manim's ``--save_sections`` writes
each as a video with an index. Here the clips get names a lecturer can read (``01-curve.mp4``),
their own captions (embedded, and listed in the index), and an index in JSON and Markdown, and
the folder is put in place whole.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import srt

from .captions import CAPTION_CODECS, embed_captions, slice_cues
from .files import RenderError, atomic_folder, is_current, remember

__all__ = ["Clip", "INDEX_JSON", "INDEX_MD", "clip_name", "remember_sections", "sections_current",
           "sections_folder", "write_sections"]

INDEX_JSON = "index.json"
INDEX_MD = "index.md"
SUFFIX = "-sections"


def sections_folder(video: Path) -> Path:
    """Where the clips of ``video`` go: a folder beside it, ``tangent-sections/`` for
    ``tangent.mp4`` and ``tangent-webm-sections/`` (``-mov-``, ``-gif-``) for the other formats,
    so the clips of two formats of one scene never replace each other.

    >>> [sections_folder(Path(f"renders/tangent.{ext}")).as_posix() for ext in ("mp4", "gif")]
    ['renders/tangent-sections', 'renders/tangent-gif-sections']
    """
    video = Path(video)
    ext = video.suffix.lower().lstrip(".")
    return video.with_name(video.stem + ("" if ext == "mp4" else f"-{ext}") + SUFFIX)


def clip_name(number: int, beat: str, ext: str, width: int = 2) -> str:
    """``01-curve.mp4``: numbered in play order, named by the beat in ASCII that every slide
    program and file system accepts.

    >>> clip_name(3, "complex step", "mp4"), clip_name(12, "σ′ zones!", "webm", width=3)
    ('03-complex-step.mp4', '012-zones.webm')
    """
    ascii_name = unicodedata.normalize("NFKD", beat).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "beat"
    return f"{number:0{width}d}-{slug}.{ext}"


@dataclass(frozen=True)
class Caption:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Clip:
    """One beat: its file, where it starts in the whole video, how long it lasts, what it says."""

    number: int
    file: str
    beat: str
    start: float
    duration: float
    frames: int
    captions: list[Caption] = field(default_factory=list)


def _manim_sections(media: Path) -> list[tuple[str, Path]]:
    """(beat name, video) of each section Manim saved, in play order."""
    indexes = [p for p in media.rglob("*.json") if p.parent.name == "sections"]
    if not indexes:
        raise RenderError("Manim finished but saved no sections; this is a bug, please report it.")
    index = indexes[0]
    return [(entry["name"], index.parent / entry["video"]) for entry in json.loads(index.read_text())]


def _frame_count(video: Path) -> int:
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        return stream.frames or sum(1 for p in container.demux(stream) if p.dts is not None)


def _markdown(title: str, video: str, clips: list[Clip]) -> str:
    lines = [f"# {title}", "", f"{len(clips)} clips, one per beat, cut from `{video}`. "
             "Put one on each slide, in this order; each carries its captions as a subtitle track.", ""]
    for clip in clips:
        lines.append(f"{clip.number}. `{clip.file}` - beat *{clip.beat}* - {clip.duration:.1f} s")
        lines += [f"   > {' '.join(c.text.split())}" for c in clip.captions]
    return "\n".join(lines) + "\n"


def write_sections(media: Path, folder: Path, cues: list[srt.Subtitle], fps: int, video_format: str,
                   title: str, video_name: str, gif_width: int | None = None) -> list[Clip]:
    """Turn the sections Manim saved under ``media`` into ``folder``: numbered clips in
    ``video_format``, each with its slice of ``cues``, and the two index files.

    ``folder`` appears whole or not at all; an older one stays until the new one is complete.
    """
    clips: list[Clip] = []
    sections = _manim_sections(media)
    width = max(2, len(str(len(sections))))
    start_frame = 0
    with atomic_folder(folder) as staging:
        for number, (beat, source) in enumerate(sections, start=1):
            frames = _frame_count(source)
            start, duration = start_frame / fps, frames / fps
            start_frame += frames
            own = slice_cues(cues, start, start + duration)
            name = clip_name(number, beat, video_format, width)
            if video_format == "gif":
                from .gif import mp4_to_gif

                mp4_to_gif(source, staging / name, fps, gif_width)
            elif video_format in CAPTION_CODECS and own:
                embed_captions(source, own, staging / name)
            else:
                shutil.copyfile(source, staging / name)
            clips.append(Clip(number, name, beat, round(start, 3), round(duration, 3), frames,
                              [Caption(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in own]))
        index = {"title": title, "video": video_name, "fps": fps, "clips": [asdict(c) for c in clips]}
        (staging / INDEX_JSON).write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (staging / INDEX_MD).write_text(_markdown(title, video_name, clips), encoding="utf-8")
    return clips


def sections_current(folder: Path, fingerprint: str) -> bool:
    """True when ``folder`` holds the clips a render with ``fingerprint`` wrote, every one still there.

    >>> sections_current(Path("/nonexistent/tangent-sections"), "0" * 64)
    False
    """
    index = folder / INDEX_JSON
    if not is_current(index, fingerprint):
        return False
    try:
        return all((folder / clip["file"]).is_file() for clip in json.loads(index.read_text())["clips"])
    except (OSError, ValueError, KeyError, TypeError):
        return False


def remember_sections(folder: Path, fingerprint: str) -> None:
    """Record that ``folder`` was written by a render with ``fingerprint`` (stamped on its index)."""
    remember(folder / INDEX_JSON, fingerprint)
