"""The base scene: theme, parameters, beats with captions, and a record of the numbers shown."""

from __future__ import annotations

import json
import os
from typing import Any

from manim import DecimalNumber, MathTex, Scene, Tex, Text

from scenes.contract import RECORD_VAR, read_data, read_params, scene_facts
from scenes.style import THEMES, Theme


READING_SPEED = 15.0
"""Characters a viewer reads per second, speaking or listening at the same time."""
MIN_CAPTION_SECONDS = 2.0


def reading_time(caption: str) -> float:
    """Seconds a caption must stay up: its length at READING_SPEED, and 2 s at least."""
    return max(MIN_CAPTION_SECONDS, len(caption) / READING_SPEED)


class LabScene(Scene):
    """A scene of the lab. Subclasses set ``short_name`` to their entry in scenes.toml."""

    short_name = ""

    def setup(self) -> None:
        self.params = read_params(self.short_name)
        self.title_text = scene_facts(self.short_name)["title"]
        self.theme: Theme = THEMES[self.params.theme]
        self.camera.background_color = self.theme.background
        for cls in (Text, MathTex, Tex, DecimalNumber):
            cls.set_default(color=self.theme.text)
        self.shown: dict[str, Any] = {}

    @property
    def data(self) -> Any:
        """The numbers this scene draws, from mathcore.scene_data (computed once, before Manim
        started when the pipeline runs the render)."""
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
        shown = max(run_time, reading_time(caption)) * self.pace
        run_time *= self.pace
        if animations:
            self.play(*animations, run_time=run_time, subcaption=caption, subcaption_duration=shown, **kwargs)
        else:
            self.add_subcaption(caption, duration=shown)
        if shown > run_time or not animations:
            self.wait(shown - run_time if animations else shown)

    def hold(self, seconds: float) -> None:
        """A pause to speak over, scaled by ``pace``."""
        self.wait(seconds * self.pace)

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
