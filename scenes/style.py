"""Colours, sizes and the two themes. Every colour a scene uses is named here.

The hues are the Okabe-Ito palette, which stays distinguishable under the common forms of colour
blindness. The light theme swaps the yellow (unreadable on white) for orange and darkens the
text, so nothing is drawn white-on-white on a projector.
"""

from __future__ import annotations

from dataclasses import dataclass

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}


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
    secant=OKABE_ITO["vermillion"],
    tangent=OKABE_ITO["bluish_green"],
    point="#1B1F24",
    dx="#A86F00",  # Okabe-Ito orange, darkened: the bright one is too faint as text on white
    df="#A34D7C",  # reddish purple, darkened for the same reason
    forward=OKABE_ITO["vermillion"],
    central=OKABE_ITO["blue"],
    complex_step=OKABE_ITO["bluish_green"],
    float32=OKABE_ITO["reddish_purple"],
    model="#4A515C",
    zone=OKABE_ITO["vermillion"],
    ok=OKABE_ITO["bluish_green"],
    fail=OKABE_ITO["vermillion"],
    panel="#EEECE6",
)

THEMES = {t.name: t for t in (DARK, LIGHT)}
"""The themes by the name the CLI takes."""

TITLE_SIZE = 36
LABEL_SIZE = 28
READOUT_SIZE = 30
SMALL_SIZE = 22
ZONE_OPACITY = 0.22
