"""A whole lecture: a title card before each scene, joined into one MP4 with chapters and one .srt."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

from scenes.params import SceneParams
from scenes.registry import SCENES, TITLE_CARD, SceneSpec
from scenes.render import CACHE, RenderError, RenderOptions, atomic_target, render_scene

LECTURE_TITLES = {
    "tangent": "From secant to tangent",
    "error": "Error against step size",
    "sigmoid": "Vanishing gradients",
    "rules": "The differentiation rules",
    "autograd": "Autograd against finite differences",
}


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float


def _card_env(number: int, spec: SceneSpec) -> dict[str, str]:
    card = {"title": LECTURE_TITLES.get(spec.name, spec.name), "subtitle": spec.summary, "number": number}
    return {"DIP_TITLE_CARD": json.dumps(card)}


def build_lecture(params: SceneParams, options: RenderOptions, output: Path, progress=None,
                  specs: list[SceneSpec] | None = None) -> tuple[Path, Path, list[Chapter]]:
    """Render every part (cached by fingerprint, like any render) and join them into ``output``."""
    specs = specs or list(SCENES.values())
    parts_dir = CACHE / "lecture" / f"{params.theme}-{options.quality}-{options.frame_rate}"
    parts_dir.mkdir(parents=True, exist_ok=True)
    options = replace(options, format="mp4")
    parts: list[tuple[str, Path]] = []
    for number, spec in enumerate(specs, start=1):
        card = replace(TITLE_CARD, name=f"title-{spec.name}")
        env = _card_env(number, spec)
        if progress:
            progress(f"title card {number}/{len(specs)}")
        parts.append((LECTURE_TITLES.get(spec.name, spec.name),
                      render_scene(card, params, options, parts_dir / f"{number:02d}-title-{spec.name}.mp4",
                                   extra_env=env).path))
        if progress:
            progress(f"scene {number}/{len(specs)}: {spec.name}")
        parts.append(("", render_scene(spec, params, options, parts_dir / f"{number:02d}-{spec.name}.mp4").path))
    if progress:
        progress("joining")
    return join(parts, output)


def join(parts: list[tuple[str, Path]], output: Path) -> tuple[Path, Path, list[Chapter]]:
    """Re-encode the parts into one H.264 MP4 with a chapter per titled part, and merge the captions."""
    import av
    import srt

    output.parent.mkdir(parents=True, exist_ok=True)
    chapters: list[Chapter] = []
    captions: list[srt.Subtitle] = []
    with atomic_target(output, suffix=".partial.mp4") as tmp:
        with av.open(parts[0][1]) as first:
            stream0 = first.streams.video[0]
            fps = Fraction(stream0.average_rate or 15)
            width, height = stream0.codec_context.width, stream0.codec_context.height
        frame_count = 0
        with av.open(str(tmp), "w", format="mp4") as out:
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
                sub = path.with_suffix(".srt")
                if sub.exists():
                    for cap in srt.parse(sub.read_text(encoding="utf-8")):
                        shift = timedelta(seconds=float(start))
                        captions.append(srt.Subtitle(0, cap.start + shift, cap.end + shift, cap.content))
            for packet in stream.encode():
                out.mux(packet)
            ms = Fraction(1, 1000)
            out.set_chapters([{"id": i + 1, "start": round(c.start * 1000), "end": round(c.end * 1000),
                               "time_base": ms, "metadata": {"title": c.title}}
                              for i, c in enumerate(chapters)])
    srt_path = output.with_suffix(".srt")
    with atomic_target(srt_path) as tmp:
        tmp.write_text(srt.compose(captions), encoding="utf-8")
    return output, srt_path, chapters
