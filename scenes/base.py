"""The base scene: theme, parameters, beats with captions, and a record of the numbers shown."""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np
from manim import (
    DecimalNumber,
    ImageMobject,
    MarkupText,
    MathTex,
    Mobject,
    Scene,
    SingleStringMathTex,
    Tex,
    Text,
    VMobject,
    config,
)

from scenes import typeset
from scenes.contract import RECORD_VAR, read_data, read_params, scene_facts
from scenes.style import THEMES, Theme

READING_SPEED = 15.0
"""Characters a viewer reads per second, speaking or listening at the same time."""
MIN_CAPTION_SECONDS = 2.0
TEXT_TYPES = (Text, MarkupText, SingleStringMathTex, DecimalNumber)
"""What a viewer reads: MathTex and Tex are SingleStringMathTex."""
OUTSIDE_TOLERANCE = 1e-3
"""Frame units a mobject may poke past the edge (rounding of outlines) before it counts as cut."""


typeset.install()


def reading_time(caption: str) -> float:
    """Seconds a caption must stay up: its length at READING_SPEED, and 2 s at least."""
    return max(MIN_CAPTION_SECONDS, len(caption) / READING_SPEED)


class LabScene(Scene):
    """A scene of the lab. Subclasses set ``short_name`` to their entry in scenes.toml."""

    short_name = ""

    def setup(self) -> None:
        self.fit_frame_to_pixels()
        self.params = read_params(self.short_name)
        self.title_text = scene_facts(self.short_name)["title"]
        self.theme: Theme = THEMES[self.params.theme]
        self.camera.background_color = self.theme.background
        for cls in (Text, MathTex, Tex, DecimalNumber):
            cls.set_default(color=self.theme.text)
        self.shown: dict[str, Any] = {"frame": [float(config.frame_width), float(config.frame_height)],
                                      "smallest_text": None, "outside_frame": []}

    def fit_frame_to_pixels(self) -> None:
        """Make the frame as wide as the pixels are: 8 units high always, 10.67 wide at 4:3.

        Manim's -r flag sets the pixel size but keeps manim.cfg's 16:9 frame width, which
        letterboxes the picture; scenes lay out from ``config.frame_width``, so it must be true.
        """
        config.frame_width = config.frame_height * config.pixel_width / config.pixel_height
        self.camera.frame_width, self.camera.frame_height = config.frame_width, config.frame_height
        self.camera.max_allowable_norm = config.frame_width

    @property
    def data(self) -> Any:
        """The numbers this scene draws, from mathcore.scene_data (computed once, before Manim
        started when the pipeline runs the render).
        """
        if not hasattr(self, "_data"):
            self._data = read_data(self.short_name, self.params)
        return self._data

    @property
    def pace(self) -> float:
        """How much longer than the written timings every hold and animation lasts."""
        return float(self.params.pace)

    def narrate(self, caption: str, *animations: Any, run_time: float = 1.0, **kwargs: Any) -> None:
        """Play ``animations`` with ``caption`` as the subtitle, and keep the caption on screen
        for at least its reading time (``reading_time``), holding the last frame if needed.

        Every timing, reading time included, is scaled by ``pace``: at the default pace of 1 each
        caption stays up for its reading time. With no animations, this is a hold with a caption.
        """
        run = self.frames(run_time * self.pace)
        shown = max(run, self.frames(reading_time(caption) * self.pace))
        if animations:
            self.play(*animations, run_time=self.frames_time(run), subcaption=caption,
                      subcaption_duration=self.frames_time(shown), **kwargs)
        else:
            self.add_subcaption(caption, duration=self.frames_time(shown))
        self.wait_frames(shown - run if animations else shown)

    def hold(self, seconds: float) -> None:
        """A pause to speak over, scaled by ``pace``."""
        self.wait_frames(self.frames(seconds * self.pace))

    @staticmethod
    def frames(seconds: float) -> int:
        """Frames that cover ``seconds`` plus 3 ms (the .srt's rounding to milliseconds): Manim
        renders whole frames, and a caption timed in between would overlap the next.
        """
        return math.ceil((seconds + 0.003) * float(config.frame_rate))

    @staticmethod
    def frames_time(frames: int) -> float:
        """A run time of exactly ``frames`` animated frames: a hundredth of a frame less, so that
        Manim's ``arange`` of frame times counts no extra one.
        """
        return (frames - 0.01) / float(config.frame_rate)

    def wait_frames(self, frames: int) -> None:
        """Hold for exactly ``frames`` frames, whichever way Manim renders the wait.

        Manim counts the frames of a wait two ways: a wait with moving parts like any animation
        (an ``arange`` of frame times, rounding up), a still one as one frame repeated
        ``int(duration * fps)`` times (rounding down). A still wait gets half a frame more than
        ``frames_time``, or it ends a frame early and the next caption overlaps this one.
        """
        if frames <= 0:
            return
        still = not (self.always_update_mobjects or self.updaters
                     or any(m.has_time_based_updater() for m in self.get_mobject_family_members()))
        duration = (frames + 0.5) / float(config.frame_rate) if still else self.frames_time(frames)
        self.wait(duration, frozen_frame=still)

    def play(self, *args: Any, **kwargs: Any) -> None:
        super().play(*args, **kwargs)  # Scene.wait plays a Wait, so holds pass here too
        if os.environ.get(RECORD_VAR):  # only a record reads it: a lecturer's render skips the look
            self.inspect_frame()

    def inspect_frame(self) -> None:
        """Record, for the tests, the smallest text on screen and anything cut by the frame's edge.

        Looks at what is on screen after each animation: every visible piece of text (its font
        size, which follows any scaling) and every mobject's bounding box.
        """
        half_w, half_h = config.frame_width / 2 + OUTSIDE_TOLERANCE, config.frame_height / 2 + OUTSIDE_TOLERANCE
        for top in self.mobjects:
            visible = [m for m in top.get_family() if m.has_points() and _visible(m)]
            if not visible:
                continue
            points = np.concatenate([m.points for m in visible])
            lo, hi = points.min(axis=0), points.max(axis=0)
            if lo[0] < -half_w or hi[0] > half_w or lo[1] < -half_h or hi[1] > half_h:
                entry = {"mobject": _describe(top), "box": [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])]}
                if entry not in self.shown["outside_frame"]:
                    self.shown["outside_frame"].append(entry)
            for m in top.get_family():
                if isinstance(m, TEXT_TYPES) and any(_visible(p) for p in m.get_family() if p.has_points()):
                    smallest = self.shown["smallest_text"]
                    if smallest is None or m.font_size < smallest["size"]:
                        self.shown["smallest_text"] = {"size": float(m.font_size), "text": _describe(m)}

    def record_box(self, key: str, mob: Mobject) -> None:
        """Remember where ``mob`` lies, [left, right, bottom, top] in frame units, for the tests."""
        self.shown.setdefault("boxes", {})[key] = [float(mob.get_left()[0]), float(mob.get_right()[0]),
                                                   float(mob.get_bottom()[1]), float(mob.get_top()[1])]

    def beat(self, name: str) -> None:
        """Start a section, so a presenter can pause here."""
        self.next_section(name)

    def record(self, key: str, value: Any) -> None:
        """Remember a number as it is shown on screen, for the tests that compare it to mathcore."""
        self.shown[key] = value

    def tear_down(self) -> None:
        path = os.environ.get(RECORD_VAR)
        if path:
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(self.shown, fh, indent=2)
        for cls in (Text, MathTex, Tex, DecimalNumber):
            cls.set_default()


def _visible(m: Mobject) -> bool:
    if not isinstance(m, VMobject):  # a ValueTracker keeps its value as a point: not drawn
        return isinstance(m, ImageMobject)
    stroked = np.any(m.get_stroke_opacities() > 0) and m.get_stroke_width() > 0
    return bool(np.any(m.get_fill_opacities() > 0) or stroked)


def _describe(m: Mobject) -> str:
    """A short name for a mobject in a test's failure message: its class and its text if any."""
    text = getattr(m, "text", None) or getattr(m, "tex_string", None)
    if text is None and isinstance(m, DecimalNumber):
        text = repr(m.number)
    return f"{type(m).__name__}({str(text)[:40]!r})" if text is not None else type(m).__name__
