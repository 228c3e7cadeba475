"""TitleCard: the card shown before each scene of a lecture."""

from __future__ import annotations

import json
import os

from manim import DOWN, UP, FadeIn, Line, VGroup

from scenes.base import LabScene
from scenes.contract import CARD_VAR
from scenes.pieces import SceneText, usable_box, wrapped_text
from scenes.style import CARD_TITLE_SIZE, LABEL_SIZE

DEFAULT_CARD = {"title": "Derivatives in Practice", "subtitle": "", "number": 0}


class TitleCard(LabScene):
    """A numbered title and one line on what comes next, held for the time it takes to read."""

    short_name = "title"

    def construct(self) -> None:
        card = {**DEFAULT_CARD, **json.loads(os.environ.get(CARD_VAR, "{}") or "{}")}
        t = self.theme
        self.beat("card")
        left, right, _, _ = usable_box()
        width = 0.9 * (right - left)
        parts = VGroup()
        if card.get("number"):
            parts.add(SceneText(f"Part {card['number']}", font_size=LABEL_SIZE, color=t.muted))
        heading = wrapped_text(card["title"], width, CARD_TITLE_SIZE, t.text)
        parts.add(heading, Line(stroke_width=3, color=t.curve).scale_to_fit_width(min(4.0, width)))
        if card.get("subtitle"):
            parts.add(wrapped_text(card["subtitle"], width, LABEL_SIZE + 4, t.muted, line_spacing=0.18))
        parts.arrange(DOWN, buff=0.4).move_to([0, 0, 0])
        caption = card["title"] + (f": {card['subtitle']}" if card.get("subtitle") else "")
        self.narrate(caption, FadeIn(parts, shift=UP * 0.2), run_time=1)
        self.record("caption", caption)
        self.record_box("card", parts)
        self.hold(1)
