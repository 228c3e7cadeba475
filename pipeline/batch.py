"""Several renders at once: a thread per job (each runs Manim in its own process), stopped
together on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from .files import RenderError
from .process import cancel_all
from .render import Job, RenderResult, render_job


@dataclass(frozen=True)
class Outcome:
    """What became of one job: a result, or the one-sentence reason it failed."""

    job: Job
    result: RenderResult | None
    error: str | None


def render_all(jobs: list[Job], workers: int,
               on_event: Callable[[Job, str], None] | None = None) -> list[Outcome]:
    """Render ``jobs`` with up to ``workers`` at a time; ``on_event(job, message)`` reports progress.

    A failed job does not stop the others. An interruption stops every Manim child and cancels
    the jobs not yet started, then re-raises.
    """
    def one(job: Job) -> Outcome:
        report = (lambda message: on_event(job, message)) if on_event else None
        if report:
            report("rendering")
        try:
            return Outcome(job, render_job(job, report), None)
        except RenderError as exc:
            return Outcome(job, None, str(exc))

    if not jobs:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        try:
            return list(pool.map(one, jobs))
        except BaseException:
            cancel_all()
            pool.shutdown(cancel_futures=True)
            raise
