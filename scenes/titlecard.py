"""TitleCard: the card shown before each scene of a lecture."""

from __future__ import annotations

import json
import os

from manim import DOWN, UP, FadeIn, Line, Text, VGroup, Write, config

from scenes.base import LabScene
from scenes.contract import CARD_VAR


class TitleCard(LabScene):
    """A numbered title and one line on what comes next."""

    short_name = "title"

    def construct(self) -> None:
        card = json.loads(os.environ.get(CARD_VAR, '{"title": "Derivatives in Practice", "subtitle": "", "number": 0}'))
        t = self.theme
        self.beat("card")
        parts = VGroup()
        if card.get("number"):
            parts.add(Text(f"Part {card['number']}", font_size=28, color=t.muted))
        title = Text(card["title"], font_size=52, color=t.text)
        parts.add(title.scale_to_fit_width(min(title.width, config.frame_width - 2)))  # a plan's own title fits too
        parts.add(Line(stroke_width=3, color=t.curve).set_width(4))
        if card.get("subtitle"):
            parts.add(Text(card["subtitle"], font_size=26, color=t.muted).scale_to_fit_width(
                min(12.0, Text(card["subtitle"], font_size=26).width)))
        parts.arrange(DOWN, buff=0.35)
        self.play(FadeIn(parts[:-1], shift=UP * 0.2), run_time=0.8,
                  subcaption=card["title"] + (f": {card['subtitle']}" if card.get("subtitle") else ""))
        if len(parts) > 1:
            self.play(Write(parts[-1]), run_time=0.7)
        self.wait(1.2)
