"""The base of the lesson scenes (scale, backprop, depth): a frame as wide as the picture, a
heading that fits it, and a record of the smallest text and of anything the frame's edge cuts.
"""

from __future__ import annotations


import numpy as np
from manim import LEFT, DecimalNumber, MathTex, Mobject, Text, VMobject, config

from scenes.base import LabScene
from scenes.pieces import title
from scenes.style import SMALL_SIZE, TITLE_SIZE

MARGIN = 0.3
"""Frame units kept clear at the edges of the picture."""
FRAME_HEIGHT = 8.0
"""Every layout is written for a frame this high; its width follows the picture."""


class LessonScene(LabScene):
    """A lesson scene: the frame is 8 units high and as wide as the picture's aspect ratio.

    ``manim -r 1440,1080`` changes only the pixel size; Manim's camera then keeps the 16:9 width
    and grows taller, which would letterbox the layout. Laying out for the real width instead is
    what makes 4:3 (10.7 units wide) work.
    """

    def setup(self) -> None:
        super().setup()  # LabScene fits the frame to the pixels and records text sizes and edges
        aspect = config.pixel_width / config.pixel_height
        config.frame_height, config.frame_width = FRAME_HEIGHT, FRAME_HEIGHT * aspect
        self.camera.frame_height, self.camera.frame_width = FRAME_HEIGHT, FRAME_HEIGHT * aspect
        self.shown["frame"] = [float(config.frame_width), FRAME_HEIGHT]


TEXT_TYPES = (MathTex, DecimalNumber, Text)
"""What a viewer reads."""


def _visible(mob: Mobject) -> bool:
    """Whether a viewer sees ``mob``: a drawn shape with some opacity (a ValueTracker is not one)."""
    if not isinstance(mob, VMobject):
        return False
    return bool(np.any(mob.get_fill_opacities() > 0) or
                (np.any(mob.get_stroke_opacities() > 0) and mob.get_stroke_width() > 0))


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


