"""`make bench`: every benchmark in one run on one machine, printed as ratios and saved as JSON.

Targets (issue 6): no-op re-render <= 0.5 s and <= 1/3 of Manim's cached re-render; a tiny render
forked by the warm Manim <= 0.7x a fresh Manim process (issue 10); each scene's
per-frame cost <= 1.5x a floor scene at 480p15 and 1080p60; `render all --jobs 2` >= 1.6x faster
than one job; GIF <= 0.8x the bytes of ffmpeg's two-pass recipe at no lower time-aligned PSNR
(issue 12; `python -m bench.gif_quality` for any MP4s and frame rates); error_sweep over 10^6
steps <= 5x one numpy exp over 10^6 floats; cold --help and list < 0.5 s without manim, torch or
sympy; a repeat `make setup` < 2 s. Accuracy (issue 9): mathcore's estimators against numdifftools
and findiff on a battery of hard points, truth from mpmath (bench/accuracy.py), printed as Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
RESULTS = ROOT / "bench" / "results.json"


def wall(cmd: list[str], env: dict | None = None, repeat: int = 1) -> float:
    """Best wall time of ``repeat`` runs of a command, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def bench_noop() -> dict:
    out = Path(tempfile.mkdtemp()) / "tangent.mp4"
    subprocess.run([PY, "cli.py", "render", "tangent", "-o", str(out)], cwd=ROOT, check=True, capture_output=True)
    ours = wall([PY, "cli.py", "render", "tangent", "-o", str(out)], repeat=5)
    media = tempfile.mkdtemp()
    manim = [PY, "-m", "manim", "render", "-ql", "--progress_bar", "none", "--media_dir", media,
             "scenes/tangent.py", "SecantToTangent"]
    subprocess.run(manim, cwd=ROOT, check=True, capture_output=True)
    theirs = wall(manim, repeat=3)
    return {"ours_s": ours, "manim_cached_s": theirs, "ratio": ours / theirs,
            "target": "<= 0.5 s and ratio <= 0.333", "met": ours <= 0.5 and ours / theirs <= 1 / 3}


def _frames(path: Path) -> int:
    import av

    with av.open(str(path)) as c:
        return sum(1 for _ in c.decode(video=0))


def _render_time(args: list[str], env: dict, media: str, out_name: str) -> tuple[float, int]:
    cmd = [PY, "-m", "manim", "render", "--progress_bar", "none", "--disable_caching", "--media_dir", media,
           "-o", out_name, *args]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)  # warms the TeX cache
    seconds = wall(cmd, env=env)
    video = next(Path(media).rglob(f"{out_name}.mp4"))
    return seconds, _frames(video)


def bench_per_frame(presets: list[tuple[str, str, int]]) -> dict:
    """Each scene as the pipeline runs it (torch scenes get their numbers computed beforehand,
    once per command), against a floor scene of the same length."""
    from pipeline.params import SceneParams
    from pipeline.scenedata import data_env
    from pipeline.specs import SCENES

    results = {}
    for label, resolution, fps in presets:
        media = tempfile.mkdtemp(prefix=f"bench-{label}-")
        for spec in SCENES.values():
            common = ["-r", resolution, "--fps", str(fps)]
            scene_env = dict(os.environ, **(data_env(spec.data, spec.resolve(SceneParams())) if spec.data else {}))
            seconds, frames = _render_time([*common, spec.file, spec.class_name], scene_env, media,
                                           f"{spec.name}-{label}")
            env = dict(os.environ, DIP_FLOOR_SECONDS=str(frames / fps))
            floor_s, floor_frames = _render_time([*common, "bench/floor.py", "FloorScene"], env, media,
                                                 f"floor-{spec.name}-{label}")
            ratio = (seconds / frames) / (floor_s / floor_frames)
            results[f"{spec.name}@{label}"] = {"scene_s": seconds, "frames": frames, "floor_s": floor_s,
                                               "floor_frames": floor_frames, "ratio": ratio,
                                               "target": "<= 1.5", "met": ratio <= 1.5}
            print(f"  per-frame {spec.name}@{label}: {ratio:.2f}x floor", flush=True)
    return results


def bench_parallel() -> dict:
    folder = tempfile.mkdtemp()
    args = [PY, "cli.py", "render", "all", "--force", "-o", folder]
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)  # warm TeX caches for both
    one = wall([*args, "--jobs", "1"])
    two = wall([*args, "--jobs", "2"])
    return {"jobs1_s": one, "jobs2_s": two, "speedup": one / two, "target": ">= 1.6", "met": one / two >= 1.6}


def bench_warm_start(renders: int = 5) -> dict:
    """Tiny renders of one scene forked by the warm Manim against fresh Manim processes
    (``DIP_WARM_MANIM=0``), interleaved; at 160x90 most of a fresh render is its start-up."""
    from pipeline.params import SceneParams
    from pipeline.process import WARM_VAR
    from pipeline.render import RenderOptions, render_scene
    from pipeline.specs import SCENES

    folder = Path(tempfile.mkdtemp())
    options = RenderOptions(resolution=(160, 90), fps=5, force=True)

    def one() -> float:
        start = time.perf_counter()
        render_scene(SCENES["rules"], SceneParams(pace=0.1), options, folder / "rules.mp4")
        return time.perf_counter() - start

    one()  # typesets the formulas and starts the server
    served, fresh = [], []
    for _ in range(renders):
        served.append(one())
        os.environ[WARM_VAR] = "0"
        try:
            fresh.append(one())
        finally:
            del os.environ[WARM_VAR]
    ratio = float(np.median(served) / np.median(fresh))
    return {"served_s": float(np.median(served)), "fresh_s": float(np.median(fresh)), "ratio": ratio,
            "target": "<= 0.7", "met": ratio <= 0.7}


def bench_gif() -> dict:
    from bench.gif_quality import compare_with_recipe

    folder = Path(tempfile.mkdtemp())
    video = folder / "tangent.mp4"
    subprocess.run([PY, "cli.py", "render", "tangent", "--format", "mp4", "--resolution", "854x480", "--fps", "20",
                    "--force", "--output", str(video)], cwd=ROOT, check=True, capture_output=True)
    report = compare_with_recipe(video, 20, folder=folder)
    ours, recipe = report.ours, report.recipe
    ratio = ours.bytes / recipe.bytes
    gain = min(ours.psnr_start - recipe.psnr_start, ours.psnr_middle - recipe.psnr_middle)
    return {"ours_bytes": ours.bytes, "recipe_bytes": recipe.bytes, "bytes_ratio": ratio,
            "ours_psnr_db": ours.psnr_start, "recipe_psnr_db": recipe.psnr_start, "psnr_gain_db": gain,
            "ours_drift_s": ours.drift_s, "recipe_drift_s": recipe.drift_s,
            "target": "bytes <= 0.8x recipe, PSNR >= recipe", "met": ratio <= 0.8 and gain >= 0}


def bench_mathcore() -> dict:
    import mathcore

    h = np.logspace(-16, 0, 10**6)
    xs = np.random.default_rng(0).random(10**6)
    exp_t, sweep_t = [], []
    for _ in range(41):  # interleaved, so both see the same allocator and cache state
        start = time.perf_counter()
        np.exp(xs)
        exp_t.append(time.perf_counter() - start)
        start = time.perf_counter()
        mathcore.error_sweep(np.exp, np.exp, 1.0, h=h)
        sweep_t.append(time.perf_counter() - start)
    ratio = float(np.median(sweep_t) / np.median(exp_t))
    return {"exp_ms": 1e3 * float(np.median(exp_t)), "sweep_ms": 1e3 * float(np.median(sweep_t)),
            "ratio": ratio, "target": "<= 5", "met": ratio <= 5}


def bench_startup() -> dict:
    out = {}
    probe = ("import sys, runpy; sys.argv = ['cli.py'] + sys.argv[1:]\n"
             "try:\n    runpy.run_path('cli.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('manim', 'torch', 'sympy') if m in sys.modules), file=sys.stderr)")
    for args in (["--help"], ["list"]):
        seconds = wall([PY, "cli.py", *args], repeat=5)
        loaded = subprocess.run([PY, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True).stderr
        out[" ".join(args)] = {"seconds": seconds, "heavy_modules": loaded.strip().splitlines()[-1],
                               "target": "< 0.5 s, no manim/torch/sympy",
                               "met": seconds < 0.5 and loaded.strip().endswith("[]")}
    return out


def bench_setup() -> dict:
    seconds = wall(["make", "setup"], repeat=3)
    return {"seconds": seconds, "target": "< 2 s", "met": seconds < 2}


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    system = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    return f"{system}, {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Per-frame cost at 480p15 only.")
    parser.add_argument("--accuracy", action="store_true", help="Only the accuracy table (no timings).")
    args = parser.parse_args()
    if args.accuracy:
        from bench import accuracy

        accuracy.main()
        return
    presets = [("480p15", "854,480", 15)] + ([] if args.quick else [("1080p60", "1920,1080", 60)])
    report = {"machine": machine()}
    for name, fn in (("setup", bench_setup), ("startup", bench_startup), ("mathcore", bench_mathcore),
                     ("noop_rerender", bench_noop), ("warm_start", bench_warm_start), ("gif", bench_gif),
                     ("parallel", bench_parallel),
                     ("per_frame", lambda: bench_per_frame(presets))):
        print(f"running {name} ...", flush=True)
        report[name] = fn()
    from bench import accuracy

    print("running accuracy ...", flush=True)
    accuracy_rows = accuracy.run()
    report["accuracy"] = accuracy.summary(accuracy_rows)
    RESULTS.write_text(json.dumps(report, indent=2))
    print_table(report)
    print("\n" + accuracy.markdown(accuracy_rows))


def print_table(report: dict) -> None:
    print(f"\nmachine: {report['machine']}")
    print(f"{'benchmark':<34} {'measured':>22} {'target':>30}  met")
    rows = [
        ("make setup, repeat", f"{report['setup']['seconds']:.2f} s", report["setup"]),
        *[(f"cold cli.py {k}", f"{v['seconds']:.2f} s", v) for k, v in report["startup"].items()],
        ("error_sweep 1e6 / np.exp 1e6", f"{report['mathcore']['ratio']:.2f}x", report["mathcore"]),
        ("no-op re-render", f"{report['noop_rerender']['ours_s']:.2f} s, "
                            f"{report['noop_rerender']['ratio']:.2f}x manim", report["noop_rerender"]),
        ("tiny render: warm Manim / fresh", f"{report['warm_start']['ratio']:.2f}x", report["warm_start"]),
        ("GIF bytes / ffmpeg recipe's", f"{report['gif']['bytes_ratio']:.2f}x", report["gif"]),
        ("GIF PSNR over the recipe's", f"{report['gif']['psnr_gain_db']:+.1f} dB", report["gif"]),
        ("render all: jobs 1 / jobs 2", f"{report['parallel']['speedup']:.2f}x", report["parallel"]),
        *[(f"per-frame {k} / floor", f"{v['ratio']:.2f}x", v) for k, v in report["per_frame"].items()],
    ]
    for name, measured, item in rows:
        print(f"{name:<34} {measured:>22} {item['target']:>30}  {'yes' if item['met'] else 'NO'}")
    print(f"\nJSON: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
