"""The closed sets a render chooses from, each defined once with its facts.

The CLI's choices, the validation messages and the docs derive from these records; themes come
from ``scenes.style`` and precisions and schemes from ``mathcore``, where their meaning lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class QualityFacts:
    flag: str
    """Manim's -q letter."""
    height: int
    fps: int
    gif_fps: int
    """Default GIF frame rate: whole hundredths of a second per frame."""


class Quality(str, Enum):
    """Manim's presets. ``high`` (1080p60) is what a lecturer projects; ``low`` is for drafts."""

    low = "low"
    medium = "medium"
    high = "high"
    k4 = "4k"

    @property
    def facts(self) -> QualityFacts:
        return _QUALITY_FACTS[self.value]


_QUALITY_FACTS = {
    "low": QualityFacts("l", 480, 15, 20),
    "medium": QualityFacts("m", 720, 30, 25),
    "high": QualityFacts("h", 1080, 60, 25),
    "4k": QualityFacts("k", 2160, 60, 25),
}


@dataclass(frozen=True)
class FormatFacts:
    manim_format: str
    """What Manim is asked to write; GIFs are made from its MP4."""
    alpha: bool
    """Can carry a transparent background."""
    video: bool
    """A moving picture with captions (an .srt beside it)."""


class Format(str, Enum):
    mp4 = "mp4"
    gif = "gif"
    webm = "webm"
    mov = "mov"
    png = "png"

    @property
    def facts(self) -> FormatFacts:
        return _FORMAT_FACTS[self.value]


_FORMAT_FACTS = {
    "mp4": FormatFacts("mp4", alpha=False, video=True),
    "gif": FormatFacts("mp4", alpha=False, video=False),
    "webm": FormatFacts("webm", alpha=True, video=True),
    "mov": FormatFacts("mov", alpha=True, video=True),
    "png": FormatFacts("png", alpha=True, video=False),
}

ALPHA_FORMATS = tuple(f.value for f in Format if f.facts.alpha)
"""The formats that can carry an alpha channel."""

GIF_MAX_FPS = 50
"""GIF delays count hundredths of a second: above 50 fps players slow the animation down."""

DEFAULT_QUALITY = Quality.high
"""1080p60: what a projector shows sharply. Drafts opt in with ``--quality low``."""
DEFAULT_FORMAT = Format.mp4


def names(kind: str) -> tuple[str, ...]:
    """The members of a closed set defined elsewhere: ``Theme`` (scenes/style.py, loads no manim),
    ``Precision`` and ``Scheme`` (mathcore).
    """
    if kind == "Theme":
        from scenes.style import THEMES

        return tuple(THEMES)
    import mathcore

    return tuple({"Precision": mathcore.PRECISIONS, "Scheme": mathcore.SCHEMES}[kind])
