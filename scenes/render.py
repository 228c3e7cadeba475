"""Render a scene to a file: validate, fingerprint, run Manim in a child process, post-process,
and move the result into place atomically. The CLI and the tests both call ``render_scene``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass, replace
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from scenes.params import ENV_VAR, RECORD_VAR, SceneParams, validate
from scenes.registry import SceneSpec

ROOT = Path(__file__).resolve().parents[1]
"""The project root: Manim runs here so that it reads manim.cfg and the TeX template."""
CACHE = ROOT / ".manim_cache"
RENDERS = ROOT / "renders"

QUALITIES = {"low": ("l", 15), "medium": ("m", 30), "high": ("h", 60), "4k": ("k", 60)}
"""Manim's quality presets: the flag letter and its frame rate."""
FORMATS = ("mp4", "gif", "webm", "mov", "png")
ALPHA_FORMATS = ("webm", "mov", "png")
"""The formats that can carry an alpha channel."""
GIF_MAX_FPS = 50
"""GIF delays count hundredths of a second: above 50 fps players slow the animation down."""
GIF_DEFAULT_FPS = {"low": 20, "medium": 25, "high": 25, "4k": 25}
"""Default GIF frame rates: whole hundredths of a second per frame (5 and 4)."""

Progress = Callable[[str], None]


class RenderError(Exception):
    """A render that could not be done; the message is one sentence for the user."""


@dataclass(frozen=True)
class RenderOptions:
    """How to render, apart from the scene's own parameters."""

    quality: str = "low"
    fps: int | None = None
    format: str = "mp4"
    transparent: bool = False
    width: int | None = None
    resolution: tuple[int, int] | None = None
    force: bool = False

    def check(self) -> None:
        if self.quality not in QUALITIES:
            raise RenderError(f"unknown quality '{self.quality}'; choose one of: {', '.join(QUALITIES)}.")
        if self.format not in FORMATS:
            raise RenderError(f"unknown format '{self.format}'; choose one of: {', '.join(FORMATS)}.")
        if self.transparent and self.format not in ALPHA_FORMATS:
            raise RenderError(f"--transparent needs a format with an alpha channel "
                              f"({', '.join(ALPHA_FORMATS)}); {self.format} has none.")
        if self.fps is not None and not 1 <= self.fps <= 120:
            raise RenderError(f"--fps must be between 1 and 120; got {self.fps}.")
        if self.width is not None and not 16 <= self.width <= 7680:
            raise RenderError(f"--width must be between 16 and 7680 pixels; got {self.width}.")
        if self.resolution is not None and not all(8 <= v <= 7680 for v in self.resolution):
            raise RenderError(f"the resolution must be between 8 and 7680 pixels a side; got {self.resolution}.")
        if self.resolution is not None and self.format != "png" and any(v % 2 for v in self.resolution):
            w, h = self.resolution
            raise RenderError(f"video needs an even width and height (H.264 and VP9 halve the colour "
                              f"planes); got {w}x{h}, try {w + w % 2}x{h + h % 2}.")

    @property
    def frame_rate(self) -> int:
        """The frame rate Manim renders at: GIFs default to 25 fps or less, capped at 50."""
        if self.format == "gif":
            return min(self.fps or GIF_DEFAULT_FPS[self.quality], GIF_MAX_FPS)
        return self.fps or QUALITIES[self.quality][1]


@dataclass(frozen=True)
class RenderResult:
    scene: str
    path: Path
    skipped: bool
    captions: Path | None = None


def default_output(spec: SceneSpec, options: RenderOptions, folder: Path = RENDERS) -> Path:
    return folder / f"{spec.name}.{options.format}"


def _fingerprint(spec: SceneSpec, params: SceneParams, options: RenderOptions,
                 extra_env: dict[str, str] | None = None) -> str:
    """A hash of everything that decides the picture: sources, config, parameters, options."""
    digest = hashlib.sha256()
    sources = sorted((ROOT / "mathcore").glob("*.py")) + sorted((ROOT / "scenes").glob("*.py"))
    for path in sources + [ROOT / "manim.cfg", ROOT / "tex" / "template.tex"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    settings = {"params": asdict(params), "options": asdict(replace(options, force=False))}
    digest.update(json.dumps(settings, sort_keys=True).encode())
    digest.update(spec.name.encode() + json.dumps(extra_env or {}, sort_keys=True).encode())
    return digest.hexdigest()


def _is_current(output: Path, fingerprint: str) -> bool:
    try:
        return output.is_file() and _stamp_path(output).read_text().strip() == fingerprint
    except OSError:
        return False


class MissingTool(RenderError):
    """The system lacks something a render needs (LaTeX): not the user's input at fault."""


def preflight(spec: SceneSpec, params: SceneParams, options: RenderOptions, output: Path,
              extra_env: dict[str, str] | None = None) -> str | None:
    """Everything that can be known before Manim starts.

    Returns None when ``output`` is up to date (found before anything slow is imported, so an
    unchanged re-render costs almost nothing; parameters that fail validation never match, since
    nothing was rendered with them), else the fingerprint of the render to do, once
    the options, the scene's parameters, the output folder and LaTeX have been checked.
    Raises RenderError for bad input, MissingTool for a missing system tool.
    """
    options.check()
    params = spec.resolve(params)
    fingerprint = _fingerprint(spec, params, options, extra_env)
    if not options.force and _is_current(output, fingerprint):
        return None
    try:
        validate(params, spec.name)
    except ValueError as exc:
        raise RenderError(str(exc)) from None
    _check_writable(output.parent)
    from scenes.doctor import latex_problem

    problem = latex_problem()
    if problem:
        raise MissingTool(problem)
    return fingerprint


def _stamp_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.fingerprint")


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create the output folder {folder}: {exc.strerror}.") from None
    if not folder.is_dir():
        raise RenderError(f"the output folder {folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RenderError(f"the output folder {folder} is not writable; choose another with --output.")


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _umask_mode()
"""What a plain open() would give: mkstemp's private 0600 would surprise whoever shares renders/."""


@contextmanager
def atomic_target(target: Path, suffix: str = ".partial") -> Iterator[Path]:
    """A hidden temporary path beside ``target``, renamed over it only if the block succeeds.

    Readers see the old file or the new one, never a half-written one; a failure or an
    interruption removes the temporary file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _atomic_copy(source: Path, target: Path) -> None:
    with atomic_target(target) as tmp:
        shutil.copyfile(source, tmp)


def _manim_command(spec: SceneSpec, options: RenderOptions, media: Path) -> list[str]:
    flag, _ = QUALITIES[options.quality]
    fmt = {"gif": "mp4", "png": "png"}.get(options.format, options.format)
    cmd = [sys.executable, "-m", "manim", "render", f"-q{flag}", "--media_dir", str(media),
           "--progress_bar", "none", "--disable_caching", "--fps", str(options.frame_rate),
           "-o", "out", "--format", fmt]
    if options.format == "png":
        cmd.append("-s")
    if options.transparent:
        cmd.append("-t")
    if options.resolution is not None:
        cmd += ["-r", f"{options.resolution[0]},{options.resolution[1]}"]
    return cmd + [spec.file, spec.class_name]


def _explain_failure(log: str, spec: SceneSpec, log_path: Path) -> str:
    if "LaTeX" in log or "latex" in log and "not found" in log:
        return (f"LaTeX failed while rendering '{spec.name}'; run `python cli.py doctor` to check the "
                f"TeX installation (full log: {log_path}).")
    last = [line.strip() for line in log.splitlines() if line.strip()]
    hint = last[-1][:160] if last else "no output"
    return f"Manim failed rendering '{spec.name}': {hint} (full log: {log_path})."


_CHILDREN: set[subprocess.Popen] = set()
_CHILDREN_LOCK = threading.Lock()


def cancel_all() -> None:
    """Stop every Manim process this process started (on Ctrl-C or SIGTERM)."""
    with _CHILDREN_LOCK:
        children = list(_CHILDREN)
    for child in children:
        _stop(child)


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _die_with_parent() -> None:
    """In the child: be sent SIGTERM if the CLI dies, even by SIGKILL, so no orphan renders on."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _run_manim(cmd: list[str], env: dict[str, str], log_path: Path, progress: Progress | None) -> int:
    """Run Manim in its own process group, so an interrupted render can be stopped whole."""
    with open(log_path, "w", encoding="utf-8") as log:
        child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, start_new_session=True,
                                 preexec_fn=_die_with_parent)
        with _CHILDREN_LOCK:
            _CHILDREN.add(child)
        try:
            assert child.stdout is not None
            for line in child.stdout:
                log.write(line)
                match = re.search(r"Animation (\d+)", line)
                if match and progress:
                    progress(f"animation {int(match.group(1)) + 1}")
            return child.wait()
        finally:
            _stop(child)
            with _CHILDREN_LOCK:
                _CHILDREN.discard(child)


def render_scene(spec: SceneSpec, params: SceneParams, options: RenderOptions,
                 output: Path | None = None, progress: Progress | None = None,
                 record: Path | None = None, extra_env: dict[str, str] | None = None) -> RenderResult:
    """Render one scene to ``output`` (default ``renders/<scene>.<ext>``) and return where it went.

    ``extra_env`` reaches the Manim process (a title card's text) and is part of the fingerprint.

    Nothing is started when the parameters are bad or the output is up to date; an interrupted
    or failed render leaves any previous file untouched and no partial file behind.
    """
    output = Path(output) if output is not None else default_output(spec, options)
    # a recording run must really render, so it is forced (force is not part of the fingerprint)
    fingerprint = preflight(spec, params, options if record is None else replace(options, force=True),
                            output, extra_env)
    if fingerprint is None:
        return RenderResult(spec.name, output, skipped=True)
    params = spec.resolve(params)
    stamp = _stamp_path(output)

    (CACHE / "logs").mkdir(parents=True, exist_ok=True)
    media = Path(tempfile.mkdtemp(prefix=f"job-{spec.name}-", dir=CACHE))
    log_path = CACHE / "logs" / f"{spec.name}-{media.name}.log"
    env = dict(os.environ, **(extra_env or {}),
               **{ENV_VAR: params.to_env(), "COLUMNS": "200", "PYTHONUNBUFFERED": "1"})
    if record is not None:
        env[RECORD_VAR] = str(Path(record).resolve())
    try:
        code = _run_manim(_manim_command(spec, options, media), env, log_path, progress)
        if code != 0:
            raise RenderError(_explain_failure(log_path.read_text(errors="replace"), spec, log_path))
        produced = _find_output(media, options)
        captions = None
        if options.format == "gif":
            from scenes.gif import mp4_to_gif

            if progress:
                progress("making the GIF palette")
            gif = media / "out.gif"
            mp4_to_gif(produced, gif, options.frame_rate, options.width)
            produced = gif
        _atomic_copy(produced, output)
        srt = produced.with_suffix(".srt")
        if srt.exists() and options.format in ("mp4", "webm", "mov"):
            captions = output.with_suffix(".srt")
            _atomic_copy(srt, captions)
        with atomic_target(stamp) as tmp:
            tmp.write_text(fingerprint)
        log_path.unlink(missing_ok=True)
        return RenderResult(spec.name, output, skipped=False, captions=captions)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def _find_output(media: Path, options: RenderOptions) -> Path:
    ext = {"gif": "mp4", "png": "png"}.get(options.format, options.format)
    found = [p for p in media.rglob(f"out*.{ext}") if "partial_movie_files" not in p.parts]
    if not found:
        raise RenderError(f"Manim finished but wrote no .{ext} file; this is a bug, please report it.")
    return max(found, key=lambda p: p.stat().st_mtime)
