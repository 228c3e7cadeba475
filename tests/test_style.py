"""Legibility from style.py: contrast of every text colour, and text sizes as a share of the frame."""

from __future__ import annotations

from dataclasses import fields

import pytest

from scenes.style import (
    DRAWING_ROLES,
    MIN_TEXT_SIZE,
    TEXT_ROLES,
    THEMES,
    ZONE_OPACITY,
    Theme,
    contrast_ratio,
    relative_luminance,
    text_colors,
)

WCAG_AA = 4.5
LEGIBLE_SHARE = 0.03
"""A digit must be at least 3 % of the frame height."""


@pytest.mark.parametrize(("foreground", "background", "expected"), [
    ("#000000", "#FFFFFF", 21.0),   # the WCAG maximum
    ("#767676", "#FFFFFF", 4.54),   # WebAIM: the lightest grey that passes AA on white
    ("#777777", "#FFFFFF", 4.48),   # WebAIM: one step lighter fails
    ("#0000FF", "#FFFFFF", 8.59),   # WebAIM's contrast checker, pure blue on white
])
def test_contrast_ratio_matches_published_values(foreground, background, expected):
    assert contrast_ratio(foreground, background) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(background, foreground) == pytest.approx(expected, abs=0.01)


def test_luminance_refuses_a_malformed_colour():
    with pytest.raises(ValueError, match="#RRGGBB"):
        relative_luminance("#12345")


def test_every_role_is_either_text_or_drawing():
    roles = {f.name for f in fields(Theme)} - {"name"}
    assert set(TEXT_ROLES) | set(DRAWING_ROLES) == roles
    assert not set(TEXT_ROLES) & set(DRAWING_ROLES)


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_text_colour_reaches_wcag_aa(theme):
    t = THEMES[theme]
    low = {role: round(contrast_ratio(color, t.background), 2) for role, color in text_colors(t).items()
           if contrast_ratio(color, t.background) < WCAG_AA}
    assert not low, f"{theme}: text colours under {WCAG_AA}:1 on {t.background}: {low}"


@pytest.mark.parametrize("theme", list(THEMES))
def test_text_stays_readable_on_the_shaded_zone(theme):
    """The sigmoid scene writes text over zone shading: the blend must keep AA contrast."""
    t = THEMES[theme]
    zone = [int(t.zone[i:i + 2], 16) for i in (1, 3, 5)]
    back = [int(t.background[i:i + 2], 16) for i in (1, 3, 5)]
    blend = "#" + "".join(f"{round(ZONE_OPACITY * z + (1 - ZONE_OPACITY) * b):02X}" for z, b in zip(zone, back))
    assert contrast_ratio(t.text, blend) >= WCAG_AA


def test_light_theme_tangent_text_is_darker_than_okabe_ito():
    """The issue's case: Okabe-Ito's bluish green is about 3.3:1 on the light background."""
    light = THEMES["light"]
    assert contrast_ratio("#009E73", light.background) < WCAG_AA <= contrast_ratio(light.tangent, light.background)


@pytest.mark.parametrize("kind", ["tex", "text", "decimal"])
def test_smallest_text_size_is_three_percent_of_the_frame(kind):
    """Manim font sizes are frame units and the frame is 8 units high at every resolution, so a
    digit's height over 8 is its share of the picture at 1080p, 4:3 or any other size."""
    from manim import DecimalNumber, MathTex, Text, config

    maker = {"tex": lambda: MathTex("0", font_size=MIN_TEXT_SIZE),
             "text": lambda: Text("0", font_size=MIN_TEXT_SIZE),
             "decimal": lambda: DecimalNumber(0.5, num_decimal_places=1, font_size=MIN_TEXT_SIZE)}[kind]
    digit = maker()
    height = digit[0].height if kind == "decimal" else digit.height
    assert height / config.frame_height >= LEGIBLE_SHARE
    assert height / config.frame_height * 1080 >= 0.03 * 1080  # 32.4 px at 1080p


def test_axis_tick_labels_are_legible():
    from manim import config

    from scenes.layout import ticks
    from scenes.pieces import EdgeAxes

    ax = EdgeAxes(ticks(0, 3), ticks(0, 8), "#888888", 6, 4)
    digits = [label for label in ax.x_axis.labels] + [label for label in ax.y_axis.labels]
    assert digits and min(d.font_size for d in digits) >= MIN_TEXT_SIZE
    assert min(d.height for d in digits if d.tex_string.isdigit()) / config.frame_height >= LEGIBLE_SHARE
