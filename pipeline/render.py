"""Render a scene to a file: check, fingerprint, run Manim in a child process, post-process, and
move the result into place atomically.

``preflight`` does everything that can be known before Manim starts and returns the ``Job``
that ``render_job`` consumes, so nothing is checked, parsed or hashed twice. The CLI, the
lecture builder and the tests all go through these two.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .captions import CAPTION_CODECS, captions_path, embed_captions, read_srt, write_srt
from .choices import ALPHA_FORMATS, DEFAULT_FORMAT, DEFAULT_QUALITY, GIF_MAX_FPS, Format, Quality
from .files import CACHE, RENDERS, RenderError, atomic_copy, check_writable, is_current, remember
from .params import PARAMS_VAR, RECORD_VAR, ParameterError, SceneParams, validate
from .scenedata import data_env
from .process import ROOT, Progress, run_manim
from .sections import remember_sections, sections_current, sections_folder, write_sections
from .specs import SceneSpec

from scenes.contract import TYPESET_FILES

__all__ = ["CACHE", "RENDERS", "ROOT", "Job", "MissingTool", "RenderError", "RenderOptions",
           "RenderResult", "default_output", "preflight", "render_job", "render_scene"]


class MissingTool(RenderError):
    """The system lacks something a render needs (LaTeX): not the user's input at fault."""


LIMITS = {"fps": (1, 120), "width": (16, 7680), "resolution": (8, 7680), "colors": (2, 256)}
"""The range of each numeric option (for the resolution: of each side)."""
ASPECT_RANGE = (4 / 3 - 0.01, 16 / 9 + 0.01)
"""Width over height the scenes lay out for: 4:3 projectors to 16:9 screens (854x480 is 1.779)."""


@dataclass(frozen=True)
class RenderOptions:
    """How to render, apart from the scene's own parameters."""

    quality: Quality = DEFAULT_QUALITY
    fps: int | None = None
    format: Format = DEFAULT_FORMAT
    transparent: bool = False
    width: int | None = None
    resolution: tuple[int, int] | None = None
    colors: int = 256
    force: bool = False
    sections: bool = False
    """Also write each beat as its own clip (``pipeline.sections``)."""

    def __post_init__(self) -> None:
        # accept the plain strings a test or a plan file gives
        object.__setattr__(self, "quality", Quality(self.quality))
        object.__setattr__(self, "format", Format(self.format))

    def check(self) -> None:
        for name, (lo, hi) in LIMITS.items():
            value = getattr(self, name)
            values = value if isinstance(value, tuple) else (value,)
            if value is not None and not all(lo <= v <= hi for v in values):
                raise RenderError(f"--{name} must be between {lo} and {hi}; got {value}.")
        if self.transparent and not self.format.facts.alpha:
            raise RenderError(f"--transparent needs a format with an alpha channel "
                              f"({', '.join(ALPHA_FORMATS)}); {self.format.value} has none.")
        if self.width is not None and self.format is not Format.gif:
            raise RenderError("--width scales GIFs only; add --format gif or use --resolution.")
        if self.colors != 256 and self.format is not Format.gif:
            raise RenderError("--colors sets a GIF's palette; add --format gif.")
        aspect = self.resolution[0] / self.resolution[1] if self.resolution else 1.5
        if self.resolution is not None and not ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1]:
            w, h = self.resolution
            raise RenderError(f"--resolution {w}x{h} is {w / h:.2f}:1, but the scenes are laid out for landscape "
                              f"frames from 4:3 to 16:9 (1.33:1 to 1.78:1), such as 1440x1080 or 1920x1080.")
        if self.resolution is not None and self.format is not Format.png and any(v % 2 for v in self.resolution):
            w, h = self.resolution
            raise RenderError(f"video needs an even width and height (H.264 and VP9 halve the colour "
                              f"planes); got {w}x{h}, try {w + w % 2}x{h + h % 2}.")
        if self.sections and self.format is Format.png:
            raise RenderError("--sections cuts a video into its beats; png is a single frame, choose "
                              "mp4, webm, mov or gif.")

    @property
    def frame_rate(self) -> int:
        """The frame rate Manim renders at: GIFs default to 25 fps or less, capped at 50."""
        if self.format is Format.gif:
            return min(self.fps or self.quality.facts.gif_fps, GIF_MAX_FPS)
        return self.fps or self.quality.facts.fps

    @property
    def notes(self) -> list[str]:
        """What the user should know about these options before the render starts."""
        if self.format is Format.gif and self.fps is not None and self.fps > GIF_MAX_FPS:
            return [f"note: GIF frame rates are capped at {GIF_MAX_FPS} fps; rendering at {GIF_MAX_FPS}, "
                    f"not {self.fps}."]
        return []

    def to_json(self) -> dict:
        return {**asdict(replace(self, force=False)), "quality": self.quality.value,
                "format": self.format.value}


@dataclass(frozen=True)
class RenderResult:
    path: Path
    skipped: bool
    captions: Path | None = None
    sections: Path | None = None


@dataclass(frozen=True)
class Job:
    """A render that preflight found needed and possible: what ``render_job`` does."""

    spec: SceneSpec
    params: SceneParams
    options: RenderOptions
    output: Path
    fingerprint: str
    extra_env: dict[str, str] = field(default_factory=dict)
    record: Path | None = None


def default_output(spec: SceneSpec, options: RenderOptions, params: SceneParams | None = None,
                   folder: Path | None = None) -> Path:
    """Where a scene goes when --output names no file: ``<folder>/<scene>.<ext>``.

    In the default folder, renders/, a render with another theme, pace or parameters gets a name
    of its own (``tangent-light.mp4``, ``tangent-pace1.5.mp4``, ``tangent-1a2b3c4d.mp4`` for a
    custom function), so it never replaces the default render silently; a folder the lecturer
    names holds plain scene names.
    """
    name = spec.name
    if folder is None and params is not None:
        folder = RENDERS
        if params.theme != SceneParams.theme:
            name += f"-{params.theme}"
        if params.pace != SceneParams.pace:
            name += f"-pace{params.pace:g}"
        if params.given():
            custom = {k: getattr(params, k) for k in sorted(params.given())}
            name += "-" + hashlib.sha256(json.dumps(custom).encode()).hexdigest()[:8]
    return (folder or RENDERS) / f"{name}.{options.format.value}"


@lru_cache(maxsize=1)
def _source_digest() -> str:
    """Every file that decides a picture; read once per process."""
    digest = hashlib.sha256()
    sources = [p for pkg in ("mathcore", "scenes") for p in sorted((ROOT / pkg).glob("*.py"))]
    after_manim = [ROOT / "pipeline" / name for name in ("gif.py", "captions.py", "sections.py")]
    for path in sources + [ROOT / "scenes" / "scenes.toml", ROOT / "manim.cfg", ROOT / "tex" / "template.tex",
                           *after_manim]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint(spec: SceneSpec, params: SceneParams, options: RenderOptions,
                 extra_env: dict[str, str]) -> str:
    settings = {"scene": spec.name, "params": asdict(params), "options": options.to_json(), "env": extra_env}
    return hashlib.sha256((_source_digest() + json.dumps(settings, sort_keys=True)).encode()).hexdigest()


def preflight(spec: SceneSpec, params: SceneParams, options: RenderOptions, output: Path | None = None,
              extra_env: dict[str, str] | None = None, record: Path | None = None) -> Job | None:
    """Everything that can be known before Manim starts.

    Returns None when ``output`` is up to date (found before anything slow is imported, so an
    unchanged re-render costs almost nothing), else the Job to run, once the options, the
    scene's parameters, the output folder and LaTeX have been checked. A ``record`` run always
    renders. Raises ParameterError for a bad parameter, RenderError for other bad input,
    MissingTool for a missing system tool.
    """
    options.check()
    output = Path(output) if output is not None else default_output(spec, options, params)
    params = spec.resolve(params)
    extra_env = dict(extra_env or {})
    fingerprint = _fingerprint(spec, params, options, extra_env)
    if record is None and not options.force and is_current(output, fingerprint) and (
            not options.sections or sections_current(sections_folder(output), fingerprint)):
        return None
    validate(params, spec)
    check_writable(output.parent)
    from .doctor import latex_problem

    problem = latex_problem()
    if problem:
        raise MissingTool(problem)
    return Job(spec, params, options, output, fingerprint, extra_env, record)


def render_scene(spec: SceneSpec, params: SceneParams, options: RenderOptions, output: Path | None = None,
                 progress: Progress | None = None, record: Path | None = None,
                 extra_env: dict[str, str] | None = None) -> RenderResult:
    """Preflight and render one scene; the up-to-date answer when nothing changed."""
    try:
        job = preflight(spec, params, options, output, extra_env, record)
    except ParameterError as exc:
        raise RenderError(str(exc)) from None
    if job is None:
        return RenderResult(Path(output) if output else default_output(spec, options, params), skipped=True)
    return render_job(job, progress)


def _manim_args(job: Job, media: Path) -> list[str]:
    options = job.options
    args = ["render", f"-q{options.quality.facts.flag}", "--media_dir", str(media),
            "--progress_bar", "none", "--disable_caching", "--fps", str(options.frame_rate),
            "-o", "out", "--format", options.format.facts.manim_format]
    if options.format is Format.png:
        args.append("-s")
    if options.transparent:
        args.append("-t")
    if options.sections:
        args.append("--save_sections")
    if options.resolution is not None:
        args += ["-r", f"{options.resolution[0]},{options.resolution[1]}"]
    return args + [job.spec.file, job.spec.class_name]


def _explain_failure(log: str, spec: SceneSpec, log_path: Path) -> str:
    if "LaTeX" in log or "latex" in log and "not found" in log:
        return (f"LaTeX failed while rendering '{spec.name}'; run `python cli.py doctor` to check the "
                f"TeX installation (full log: {log_path}).")
    if "No space left on device" in log:
        return f"the disk is full while rendering '{spec.name}'; free some space and render again."
    last = [line.strip() for line in log.splitlines() if line.strip()]
    hint = last[-1][:160] if last else "no output"
    return f"Manim failed rendering '{spec.name}': {hint} (full log: {log_path})."


TYPESET = CACHE / "typeset"
"""Typeset formulas (SVG, named by a hash of their TeX source) and the outlines parsed from them
(scenes/typeset.py), shared by every render. Pango's text is not shared: it is laid out on a
canvas as wide as the video, so its SVG depends on the resolution, which its file name does not
record."""


def _seed_typeset(media: Path) -> None:
    """Give a fresh media folder every formula typeset before, so Manim skips LaTeX for them.

    Each render has a media folder of its own (renders run concurrently); the shared store is
    only read here and only grows by atomic renames, so no render ever sees half a file.
    """
    for sub, pattern in TYPESET_FILES.items():
        store, target = TYPESET / sub, media / sub
        target.mkdir(parents=True, exist_ok=True)
        for kept in store.glob(pattern) if store.is_dir() else ():
            try:
                os.link(kept, target / kept.name)
            except OSError:
                shutil.copyfile(kept, target / kept.name)


def _keep_typeset(media: Path) -> None:
    for sub, pattern in TYPESET_FILES.items():
        store = TYPESET / sub
        store.mkdir(parents=True, exist_ok=True)
        for made in (media / sub).glob(pattern):
            if not (store / made.name).exists():
                tmp = store / f".{made.name}.{os.getpid()}.partial"
                shutil.copyfile(made, tmp)
                os.replace(tmp, store / made.name)


def render_job(job: Job, progress: Progress | None = None) -> RenderResult:
    """Run ``job``: an interrupted or failed render leaves any previous file untouched and no
    partial file behind.
    """
    try:
        (CACHE / "logs").mkdir(parents=True, exist_ok=True)
        media = Path(tempfile.mkdtemp(prefix=f"job-{job.spec.name}-", dir=CACHE))
    except OSError as exc:
        raise RenderError(f"cannot write Manim's working files under {CACHE}: {exc.strerror}.") from None
    log_path = CACHE / "logs" / f"{job.spec.name}-{media.name}.log"
    env = dict(os.environ, **job.extra_env, **{PARAMS_VAR: job.params.to_env()})
    if job.record is not None:
        env[RECORD_VAR] = str(Path(job.record).resolve())
    try:
        if job.spec.data:
            if progress:
                progress("computing the numbers")
            env.update(data_env(job.spec.data, job.params))
        _seed_typeset(media)
        code = run_manim(_manim_args(job, media), env, log_path, progress)
        if code != 0:
            raise RenderError(_explain_failure(log_path.read_text(errors="replace"), job.spec, log_path))
        produced = _find_output(media, job.options)
        _keep_typeset(media)
        cues = _captions(produced)
        if job.options.format is Format.gif:
            from .gif import mp4_to_gif

            if progress:
                progress("making the GIF palette")
            gif = media / "out.gif"
            mp4_to_gif(produced, gif, job.options.frame_rate, job.options.width, job.options.colors)
            produced = gif
        sections = None
        if job.options.sections:
            if progress:
                progress("cutting the beats into clips")
            sections = sections_folder(job.output)
            write_sections(media, sections, cues or [], job.options.frame_rate, job.options.format.value,
                           job.spec.title, job.output.name, job.options.width)
        if cues and job.options.format.value in CAPTION_CODECS:
            captioned = media / f"captioned{produced.suffix}"
            embed_captions(produced, cues, captioned)
            produced = captioned
        atomic_copy(produced, job.output)
        captions = None
        if cues is not None and job.options.format.facts.video:
            captions = captions_path(job.output)
            write_srt(cues, captions)
        remember(job.output, job.fingerprint)
        if sections is not None:
            remember_sections(sections, job.fingerprint)
        log_path.unlink(missing_ok=True)
        return RenderResult(job.output, skipped=False, captions=captions, sections=sections)
    except OSError as exc:
        raise RenderError(f"cannot write {job.output}: {exc.strerror or exc}.") from None
    finally:
        shutil.rmtree(media, ignore_errors=True)


def _captions(produced: Path) -> list | None:
    """The captions Manim wrote beside its video, if it wrote any."""
    srt_file = produced.with_suffix(".srt")
    return read_srt(srt_file) if srt_file.exists() else None


def _find_output(media: Path, options: RenderOptions) -> Path:
    ext = options.format.facts.manim_format
    found = [p for p in media.rglob(f"out*.{ext}")
             if "partial_movie_files" not in p.parts and "sections" not in p.parts]
    if not found:
        raise RenderError(f"Manim finished but wrote no .{ext} file; this is a bug, please report it.")
    return max(found, key=lambda p: p.stat().st_mtime)
