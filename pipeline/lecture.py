"""A whole lecture: a title card before each scene, joined into one MP4 with chapters and one .srt."""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

from scenes.contract import CARD_VAR

from .batch import render_all
from .captions import captions_path, embed_captions, read_srt, write_srt
from .choices import Format
from .files import CACHE, RenderError, atomic_target, check_writable, is_current, remember
from .params import ParameterError, SceneParams
from .render import Job, RenderOptions, preflight
from .specs import SCENES, TITLE_CARD, SceneSpec


JOIN_VERSION = 2
"""Bumped when the joined video's make-up changes (2: a caption track), so older joins are redone."""


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Part:
    """One scene of a lecture with its own parameters."""

    spec: SceneSpec
    params: SceneParams
    title: str | None = None
    """The title card's heading and the chapter's name, instead of the scene's own title."""
    origin: str = ""
    """Where the part was written (``course.toml: part 2 (error)``), to begin messages about it."""

    @property
    def heading(self) -> str:
        return self.title or self.spec.title


def default_parts(params: SceneParams) -> list[Part]:
    """Every scene in lecture order, each with its defaults."""
    return [Part(spec, params) for spec in SCENES.values()]


def _card_env(number: int, part: Part) -> dict[str, str]:
    card = {"title": part.heading, "subtitle": part.spec.summary, "number": number}
    return {CARD_VAR: json.dumps(card)}


def _preflight(part: Part, *args, **kwargs) -> Job | None:
    """``preflight``, with a bad value of a planned part reported where the plan wrote it."""
    try:
        return preflight(*args, **kwargs)
    except ParameterError as exc:
        if not part.origin:
            raise
        raise ValueError(f"{part.origin}: {exc.render()}") from None


def _part_tag(part: Part) -> str:
    """A short digest of what a part shows.

    Lectures of different plans so keep their parts apart in the cache instead of re-rendering
    each other's.
    """
    facts = {"params": asdict(part.params), "title": part.heading}
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:8]


def build_lecture(parts: list[Part], options: RenderOptions, output: Path, progress=None,
                  jobs: int = 1) -> tuple[Path, Path, list[Chapter], bool]:
    """Render every part (cached by fingerprint, like any render) and join them into ``output``.

    Returns the video, its captions, the chapters and whether anything was written: when every
    part and the joined video are unchanged, nothing is re-encoded.
    """
    options = replace(options, format=Format.mp4)
    theme = parts[0].params.theme if parts else "dark"
    parts_dir = CACHE / "lecture" / f"{theme}-{options.quality.value}-{options.frame_rate}-{options.resolution}"
    parts_dir.mkdir(parents=True, exist_ok=True)
    planned: list[tuple[str, Path, Job | None]] = []
    for number, part in enumerate(parts, start=1):
        spec = part.spec
        card = replace(TITLE_CARD, name=f"title-{spec.name}")
        tag = _part_tag(part)
        card_path = parts_dir / f"{number:02d}-title-{spec.name}-{tag}.mp4"
        scene_path = parts_dir / f"{number:02d}-{spec.name}-{tag}.mp4"
        planned.append((part.heading, card_path, _preflight(part, card, part.params, options, card_path,
                                                            extra_env=_card_env(number, part))))
        planned.append(("", scene_path, _preflight(part, spec, part.params, options, scene_path)))
    check_writable(output.parent)  # after every part was checked, so a bad plan creates nothing
    todo = [job for _, _, job in planned if job is not None]
    if progress:
        progress(f"{len(todo)} of {len(planned)} parts to render")
    failures = [o.error for o in render_all(todo, jobs, lambda job, m: progress and progress(f"{job.spec.name}: {m}"))
                if o.error]
    if failures:
        raise RenderError("; ".join(failures))
    joined = [(title, path) for title, path, _ in planned]
    key = hashlib.sha256(json.dumps([JOIN_VERSION] + [[t, str(p), p.stat().st_mtime_ns] for t, p in joined])
                         .encode()).hexdigest()
    srt_path = captions_path(output)
    if not todo and not options.force and is_current(output, key) and srt_path.exists():
        return output, srt_path, _chapters(output), False
    if progress:
        progress("joining")
    result = join(joined, output)
    remember(output, key)
    return (*result, True)


def _chapters(video: Path) -> list[Chapter]:
    """The chapters written into an earlier lecture video."""
    import av

    with av.open(str(video)) as container:
        return [Chapter(c["metadata"].get("title", ""), float(c["start"] * c["time_base"]),
                        float(c["end"] * c["time_base"])) for c in container.chapters()]


def join(parts: list[tuple[str, Path]], output: Path) -> tuple[Path, Path, list[Chapter]]:
    """Re-encode the parts into one H.264 MP4 with a chapter per titled part.

    The captions are merged into a subtitle track and an .srt beside the video.
    """
    import av
    import srt

    output.parent.mkdir(parents=True, exist_ok=True)
    chapters: list[Chapter] = []
    captions: list[srt.Subtitle] = []
    with atomic_target(output, suffix=".partial.mp4") as tmp, \
            tempfile.TemporaryDirectory(prefix="join-", dir=CACHE) as work:
        encoded = Path(work) / "joined.mp4"
        with av.open(parts[0][1]) as first:
            stream0 = first.streams.video[0]
            fps = Fraction(stream0.average_rate or 15)
            width, height = stream0.codec_context.width, stream0.codec_context.height
        frame_count = 0
        with av.open(str(encoded), "w", format="mp4") as out:
            stream = out.add_stream("libx264", rate=fps)
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            stream.options = {"crf": "20"}
            for title, path in parts:
                start = frame_count / fps
                with av.open(str(path)) as part:
                    for frame in part.decode(video=0):
                        if frame.width != width or frame.height != height:
                            raise RenderError(f"{path.name} is {frame.width}x{frame.height}, not {width}x{height}.")
                        new = frame.reformat(format="yuv420p")
                        new.pts = frame_count
                        new.time_base = 1 / fps
                        frame_count += 1
                        for packet in stream.encode(new):
                            out.mux(packet)
                end = frame_count / fps
                if title:
                    chapters.append(Chapter(title, float(start), float(end)))
                else:
                    chapters[-1] = replace(chapters[-1], end=float(end))
                sub = captions_path(path)
                if sub.exists():
                    shift = timedelta(seconds=float(start))
                    captions += [srt.Subtitle(0, c.start + shift, c.end + shift, c.content) for c in read_srt(sub)]
            for packet in stream.encode():
                out.mux(packet)
            ms = Fraction(1, 1000)
            out.set_chapters([{"id": i + 1, "start": round(c.start * 1000), "end": round(c.end * 1000),
                               "time_base": ms, "metadata": {"title": c.title}}
                              for i, c in enumerate(chapters)])
        captions = list(srt.sort_and_reindex(captions))
        embed_captions(encoded, captions, tmp)
    srt_path = captions_path(output)
    write_srt(captions, srt_path)
    return output, srt_path, chapters
