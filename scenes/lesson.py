"""What the lesson scenes (scale, backprop, depth) share: their base class, a heading that fits
the frame, and the frame's width to lay out from.

LabScene makes the frame 8 units high and as wide as the picture (10.7 units at 4:3) and records
the smallest text and anything the frame's edge cuts; the lesson scenes lay out from that width.
"""

from __future__ import annotations

from manim import LEFT, VMobject, config

from scenes.base import LabScene
from scenes.pieces import title
from scenes.style import SMALL_SIZE, TITLE_SIZE

MARGIN = 0.3
"""Frame units kept clear at the edges of the picture."""


class LessonScene(LabScene):
    """A lesson scene: a LabScene whose numbers come from ``self.data`` (torch stays out of Manim)."""


def heading(text: str, color: str) -> VMobject:
    """The scene's title at the top left, narrowed to the frame if need be (never below the
    smallest readable size).
    """
    mob = title(text, color)
    room = frame_width() - 2 * MARGIN
    if mob.width > room:
        mob.scale(max(room / mob.width, SMALL_SIZE / TITLE_SIZE), about_edge=LEFT)
    return mob


def frame_width() -> float:
    """The width of the picture in frame units: 14.2 at 16:9, 10.7 at 4:3 (the height is 8)."""
    return float(config.frame_width)
