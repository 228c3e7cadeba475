"""Our GIF against Manim's own --format gif: bytes, and mean PSNR against the MP4 frames."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class GifReport:
    ours_bytes: int
    manim_bytes: int
    ours_psnr: float
    manim_psnr: float


def _video_frames(path: Path) -> tuple[list[np.ndarray], list[float]]:
    """Frames as RGB arrays, with the time each starts (GIF frames last their own delay)."""
    import av

    frames, times = [], []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            frames.append(frame.to_ndarray(format="rgb24").astype(np.float64))
            times.append(float(frame.pts * stream.time_base) if frame.pts is not None else len(times))
    return frames, times


def mean_psnr(reference: Path, gif: Path) -> float:
    """Mean PSNR over the reference's frames, each against the GIF frame shown at its time."""
    ref, ref_t = _video_frames(reference)
    ours, ours_t = _video_frames(gif)
    values = []
    for frame, t in zip(ref, ref_t):
        i = max(0, int(np.searchsorted(ours_t, t + 1e-6, side="right")) - 1)
        mse = float(np.mean((frame - ours[min(i, len(ours) - 1)]) ** 2))
        values.append(99.0 if mse == 0 else 10 * np.log10(255.0**2 / mse))
    return float(np.mean(values))


def compare_gifs(scene: str, folder: Path, width: int, height: int, fps: int) -> GifReport:
    from pipeline.specs import SCENES

    spec = SCENES[scene]
    folder.mkdir(parents=True, exist_ok=True)
    common = ["--resolution", f"{width}x{height}", "--fps", str(fps), "--force"]
    for fmt in ("mp4", "gif"):
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "render", scene, "--format", fmt, *common,
                        "--output", str(folder / f"ours.{fmt}")], cwd=ROOT, check=True, capture_output=True)
    media = folder / "manim-media"
    subprocess.run([sys.executable, "-m", "manim", "render", "--format", "gif", "-r", f"{width},{height}",
                    "--fps", str(fps), "--media_dir", str(media), "--progress_bar", "none", "-o", "native",
                    spec.file, spec.class_name], cwd=ROOT, check=True, capture_output=True)
    native = next(media.rglob("native*.gif"))
    ours = folder / "ours.gif"
    return GifReport(ours.stat().st_size, native.stat().st_size, mean_psnr(folder / "ours.mp4", ours),
                     mean_psnr(folder / "ours.mp4", native))
