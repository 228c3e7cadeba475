"""Outlines kept from a formula's parse draw exactly as Manim's own parse of its SVG."""

from __future__ import annotations

import numpy as np
import pytest

FORMULAS = [
    r"\frac{f(x+h)-f(x)}{h}",                       # a fraction bar: a rectangle in the SVG
    r"\sqrt{2}\approx 1.414\times10^{-8}",          # a radical, an exponent
    r"\overline{x}_{i} = \text{round-off}",         # a rule over a letter, upright text
]


@pytest.fixture
def media(tmp_path, monkeypatch):
    """A media folder of this test's own, and Manim's in-process memory of parsed SVGs emptied."""
    from manim import tempconfig

    monkeypatch.setattr("manim.mobject.svg.svg_mobject.SVG_HASH_TO_MOB_MAP", {})
    with tempconfig({"media_dir": str(tmp_path)}):
        yield tmp_path


def build(tex: str, monkeypatch, outlines: bool):
    """``MathTex(tex, tex)`` parsed by Manim (``outlines=False``) or through scenes/typeset.py."""
    from manim import MathTex
    from manim.mobject.svg import svg_mobject
    from manim.mobject.text.tex_mobject import SingleStringMathTex

    from scenes import typeset

    monkeypatch.setattr(SingleStringMathTex, "generate_mobject",
                        typeset._generate_mobject if outlines else svg_mobject.SVGMobject.generate_mobject)
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
    return MathTex(tex, r"\;h")  # two parts: the groups Manim splits a formula by must survive


def assert_same_drawing(ours, manims) -> None:
    from manim import VMobject
    from manim.camera.camera import Camera

    drawn = set(vars(VMobject())) - {"name", "submobjects", "updaters"}
    mine, theirs = ours.family_members_with_points(), manims.family_members_with_points()
    assert len(mine) == len(theirs) and len(mine) > 3
    for a, b in zip(mine, theirs):
        for name in drawn:
            x, y = getattr(a, name), getattr(b, name)
            same = np.array_equal(x, y) if isinstance(x, np.ndarray) or isinstance(y, np.ndarray) else x == y
            assert same, f"{name}: {x!r} != {y!r}"
    assert [len(part.submobjects) for part in ours] == [len(part.submobjects) for part in manims]
    # The SVG's groups (Manim splits a formula into its parts by them): the same glyphs in each.
    place = [{id(m): i for i, m in enumerate(mob.family_members_with_points())} for mob in (ours, manims)]
    groups = [{name: [where[id(m)] for m in group.submobjects] for name, group in mob.id_to_vgroup_dict.items()}
              for mob, where in zip((ours, manims), place)]
    assert groups[0] == groups[1] and len(groups[0]) > 2
    pictures = []
    for mob in (ours, manims):
        camera = Camera(pixel_width=320, pixel_height=180)
        camera.capture_mobject(mob.copy().set_color("#FFFFFF").scale(2))
        pictures.append(camera.get_image())
    assert np.array_equal(np.asarray(pictures[0]), np.asarray(pictures[1]))
    assert np.asarray(pictures[0])[..., :3].max() > 0  # something was drawn
    # Every glyph and group has colours of its own: recolouring one leaves the others as they were.
    everything = mine + list(ours.id_to_vgroup_dict.values())
    before = [m.fill_rgbas.copy() for m in everything]
    for changed in (mine[0], ours.id_to_vgroup_dict["root"]):
        changed.set_fill("#123456", family=False)
        assert all(np.array_equal(m.fill_rgbas, b) for m, b in zip(everything, before) if m is not changed)
        changed.fill_rgbas = before[everything.index(changed)].copy()


@pytest.mark.parametrize("tex", FORMULAS)
def test_outlines_read_back_draw_as_manims_parse(tex, media, monkeypatch):
    from scenes.typeset import outline_file

    manims = build(tex, monkeypatch, outlines=False)
    first = build(tex, monkeypatch, outlines=True)  # parses, and keeps the outlines
    kept = sorted((media / "Outlines").glob("*.npz"))
    assert len(kept) == 1 and kept[0] == outline_file(first)
    stamp = kept[0].stat().st_mtime_ns
    again = build(tex, monkeypatch, outlines=True)  # reads them back
    assert kept[0].stat().st_mtime_ns == stamp
    assert_same_drawing(first, manims)
    assert_same_drawing(again, manims)


@pytest.mark.parametrize("damage", [b"", b"not a zip file", b"PK\x03\x04" + bytes(40)])
def test_a_damaged_outline_file_is_parsed_again_and_replaced(damage, media, monkeypatch):
    tex = FORMULAS[0]
    manims = build(tex, monkeypatch, outlines=False)
    build(tex, monkeypatch, outlines=True)
    path = next((media / "Outlines").glob("*.npz"))
    path.write_bytes(damage)
    assert_same_drawing(build(tex, monkeypatch, outlines=True), manims)
    assert path.stat().st_size > 1000  # written anew
    assert_same_drawing(build(tex, monkeypatch, outlines=True), manims)


def test_a_folder_that_cannot_hold_outlines_costs_only_the_shortcut(media, monkeypatch):
    tex = FORMULAS[1]
    manims = build(tex, monkeypatch, outlines=False)
    (media / "Outlines").write_text("a file where the folder would go")
    assert_same_drawing(build(tex, monkeypatch, outlines=True), manims)
    assert not list(media.rglob("*.partial"))


def test_outlines_are_named_by_the_svg_they_came_from(media, monkeypatch):
    from scenes.typeset import outline_file

    mob = build(FORMULAS[2], monkeypatch, outlines=True)
    before = outline_file(mob)
    svg = mob.get_file_path()
    svg.write_bytes(svg.read_bytes().replace(b"</svg>", b"<!-- another dvisvgm --></svg>"))
    assert outline_file(mob) != before and outline_file(mob).name.startswith(svg.stem + ".")


@pytest.mark.render
def test_a_render_leaves_its_outlines_in_the_shared_store(rendered):
    from pipeline.render import TYPESET

    rendered("tangent", still=True)
    svgs = {p.stem for p in (TYPESET / "Tex").glob("*.svg")}
    outlines = {p.name.split(".")[0] for p in (TYPESET / "Outlines").glob("*.npz")}
    assert outlines and outlines <= svgs
