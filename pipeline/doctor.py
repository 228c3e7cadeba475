"""What a render needs from the system, checked one item at a time (no manim import)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

APT = "sudo apt-get update && sudo apt-get install -y"
TEX_FILES = ("article.cls", "amsmath.sty", "amssymb.sty")
"""What tex/template.tex loads."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _run(cmd: list[str]) -> str | None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def check_latex() -> Check:
    path = shutil.which("latex")
    return Check("latex", bool(path), path or "not found", f"{APT} texlive-latex-base")


def check_dvisvgm() -> Check:
    path = shutil.which("dvisvgm")
    return Check("dvisvgm", bool(path), path or "not found", f"{APT} dvisvgm")


def check_tex_packages() -> Check:
    if not shutil.which("kpsewhich"):
        return Check("TeX packages", False, "kpsewhich not found", f"{APT} texlive-latex-base")
    missing = [name for name in TEX_FILES if not _run(["kpsewhich", name])]
    detail = "missing " + ", ".join(missing) if missing else ", ".join(TEX_FILES)
    return Check("TeX packages", not missing, detail, f"{APT} texlive-latex-base texlive-base")


def check_cairo_pango() -> Check:
    try:
        import cairo  # noqa: F401
        import manimpango  # noqa: F401
    except ImportError as exc:
        return Check("cairo and pango", False, f"cannot import: {exc}",
                     f"{APT} libcairo2-dev libpango1.0-dev pkg-config && make setup")
    return Check("cairo and pango", True, "pycairo and ManimPango import")


def check_ffmpeg() -> Check:
    try:
        import av
    except ImportError as exc:
        return Check("ffmpeg (PyAV)", False, f"cannot import av: {exc}", "make setup")
    needed = {"libx264": "MP4", "libvpx-vp9": "WebM", "qtrle": "MOV", "png": "PNG"}
    missing = []
    for codec, what in needed.items():
        try:
            av.codec.Codec(codec, "w")
        except Exception:
            missing.append(f"{codec} ({what})")
    detail = f"PyAV {av.__version__}" + (", missing " + ", ".join(missing) if missing else "")
    return Check("ffmpeg (PyAV)", not missing, detail, "make setup  # reinstalls the PyAV wheel")


def check_writable(folder: Path) -> Check:
    target = folder
    while not target.exists() and target != target.parent:
        target = target.parent
    ok = target.is_dir() and os.access(target, os.W_OK | os.X_OK)
    return Check("output folder", ok, f"{folder} {'is writable' if ok else 'is not writable'}",
                 f"choose a writable folder with --output, or: chmod u+w {target}")


def run_checks(output: Path) -> list[Check]:
    return [check_latex(), check_dvisvgm(), check_tex_packages(), check_cairo_pango(),
            check_ffmpeg(), check_writable(output)]


def latex_problem() -> str | None:
    """One sentence when LaTeX cannot work, else None: checked before any render starts."""
    missing = [c for c in (check_latex(), check_dvisvgm()) if not c.ok]
    if not missing:
        return None
    names = " and ".join(c.name for c in missing)
    packages = " ".join(c.fix.split()[-1] for c in missing)
    return (f"{names} not found; the scenes typeset their maths with LaTeX. "
            f"Install with: {APT} {packages} (or run `python cli.py doctor`).")
