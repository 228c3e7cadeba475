"""The base scene: theme, parameters, beats with captions, and a record of the numbers shown."""

from __future__ import annotations

import json
import os
from typing import Any

from manim import DecimalNumber, MathTex, Scene, Tex, Text

from scenes.contract import RECORD_VAR, read_params, scene_facts
from scenes.style import THEMES, Theme


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
