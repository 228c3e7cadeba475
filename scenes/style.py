"""Colours, sizes and the two themes. Every colour and text size a scene uses is named here.

The hues are the Okabe-Ito palette, which stays distinguishable under the common forms of colour
blindness. Every colour a scene may write text in (``TEXT_ROLES``) reaches the WCAG AA contrast
of 4.5:1 against its theme's background: on the light theme's near-white that means darker
shades of the same hues (the bright ones are 3 to 3.7:1 on white and fade on a projector).

Sizes are Manim font sizes, which are frame units: a font size of ``s`` typesets a digit
``0.00854 s`` frame units tall (measured from Computer Modern in this project's TeX template;
Pango's text digits are taller still). The frame is 8 units high at every resolution and aspect
ratio, so a size is the same fraction of the picture everywhere: ``MIN_TEXT_SIZE`` makes a digit
about 3.2 % of the frame height, 35 px at 1080p, readable from the back of a lecture hall.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

DARKER_ON_WHITE = {
    "vermillion": "#B95200",
    "bluish_green": "#007F5D",
    "reddish_purple": "#B84685",
    "yellow": "#78710A",
}
"""Okabe-Ito hues with the HLS lightness lowered until they reach 4.7:1 on the light background."""


@dataclass(frozen=True)
class Theme:
    """The colour of every role a scene draws, for one background."""

    name: str
    background: str
    text: str
    muted: str
    grid: str
    curve: str
    secant: str
    tangent: str
    point: str
    dx: str
    df: str
    forward: str
    central: str
    complex_step: str
    float32: str
    model: str
    zone: str
    ok: str
    fail: str
    panel: str


TEXT_ROLES = ("text", "muted", "curve", "secant", "tangent", "dx", "df", "forward", "central",
              "complex_step", "float32", "model", "zone", "ok", "fail")
"""Roles a scene may write text, numbers or formulas in: each must be readable on the background."""
DRAWING_ROLES = ("background", "grid", "point", "panel")
"""Roles never used for text: fills, grid lines, dots."""

DARK = Theme(
    name="dark",
    background="#111418",
    text="#ECEFF4",
    muted="#9AA3B2",
    grid="#2C323C",
    curve=OKABE_ITO["sky_blue"],
    secant=OKABE_ITO["orange"],
    tangent=OKABE_ITO["bluish_green"],
    point="#ECEFF4",
    dx=OKABE_ITO["yellow"],
    df=OKABE_ITO["reddish_purple"],
    forward=OKABE_ITO["orange"],
    central=OKABE_ITO["sky_blue"],
    complex_step=OKABE_ITO["bluish_green"],
    float32=OKABE_ITO["reddish_purple"],
    model="#9AA3B2",
    zone=OKABE_ITO["vermillion"],
    ok=OKABE_ITO["bluish_green"],
    fail=OKABE_ITO["vermillion"],
    panel="#1B2027",
)

LIGHT = Theme(
    name="light",
    background="#FBFAF7",
    text="#1B1F24",
    muted="#4A515C",
    grid="#D9DCE1",
    curve=OKABE_ITO["blue"],
    secant=DARKER_ON_WHITE["vermillion"],
    tangent=DARKER_ON_WHITE["bluish_green"],
    point="#1B1F24",
    dx=DARKER_ON_WHITE["yellow"],
    df="#A34D7C",  # reddish purple, darker still than float32 so the two never look alike
    forward=DARKER_ON_WHITE["vermillion"],
    central=OKABE_ITO["blue"],
    complex_step=DARKER_ON_WHITE["bluish_green"],
    float32=DARKER_ON_WHITE["reddish_purple"],
    model="#4A515C",
    zone=DARKER_ON_WHITE["vermillion"],
    ok=DARKER_ON_WHITE["bluish_green"],
    fail=DARKER_ON_WHITE["vermillion"],
    panel="#EEECE6",
)

THEMES = {t.name: t for t in (DARK, LIGHT)}
"""The themes by the name the CLI takes."""

MIN_TEXT_SIZE = 30
"""The smallest font size for anything a viewer must read: a digit 3.2 % of the frame height."""
TICK_SIZE = MIN_TEXT_SIZE
"""Axis tick labels."""
SMALL_SIZE = MIN_TEXT_SIZE
"""Notes, legends, column heads: the smallest readable text."""
LABEL_SIZE = 34
"""Formulas naming a curve, axis labels."""
READOUT_SIZE = 34
"""Live numbers and their labels."""
TITLE_SIZE = 42
"""A scene's heading."""
CARD_TITLE_SIZE = 72
"""A title card's title."""
ZONE_OPACITY = 0.22

FRAME_MARGIN = 0.3
"""Frame units kept clear at every edge of the picture."""


def relative_luminance(color: str) -> float:
    r"""The WCAG 2 relative luminance of an sRGB colour ``#RRGGBB``.

    .. math:: L = 0.2126 R + 0.7152 G + 0.0722 B, \quad
              C = c / 12.92 \text{ if } c \le 0.04045 \text{ else } ((c + 0.055) / 1.055)^{2.4}

    with c each channel scaled to [0, 1].

    Examples
    --------
    >>> relative_luminance("#FFFFFF"), relative_luminance("#000000")
    (1.0, 0.0)
    """
    text = color.lstrip("#")
    if len(text) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in text):
        raise ValueError(f"a colour must be written #RRGGBB in hexadecimal; got {color!r}.")
    channels = [int(text[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    r"""The WCAG 2 contrast ratio of two colours, from 1 (none) to 21 (black on white).

    .. math:: \frac{L_\text{lighter} + 0.05}{L_\text{darker} + 0.05}

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#FFFFFF"), 2)
    21.0
    """
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colors(theme: Theme) -> dict[str, str]:
    """The colours of ``theme`` that text may be written in, by role.

    Examples
    --------
    >>> text_colors(DARK)["text"]
    '#ECEFF4'
    """
    return {f.name: getattr(theme, f.name) for f in fields(theme) if f.name in TEXT_ROLES}
