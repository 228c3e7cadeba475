"""Typeset text made cheap to build: each formula's SVG is parsed once, and copies share paths.

Manim turns a formula into outlines in three steps: LaTeX, dvisvgm (an SVG file), then a parse of
that SVG with svgelements into one VMobject a glyph. The pipeline keeps the SVG files between
renders (pipeline/render.py, the typeset store), so LaTeX runs once a formula; the parse, pure
Python, still ran in every render: up to a quarter of a small render's time. ``install`` makes
the parse run once as well: the outlines it gives are kept in the media folder's ``Outlines`` folder
(``OUTLINES_FOLDER``), as ``NAME.KEY.npz`` where NAME is the SVG's and KEY a hash of its bytes and
the parse settings, and read back instead of parsing; the pipeline keeps them with the SVGs.
A file that cannot be read or written is only a missed shortcut: the SVG is parsed as before.

What is kept is every attribute of a plain ``VMobject`` that the drawing reads (points, colours,
widths, opacities), so a glyph read back draws exactly as the parsed one did
(tests/test_typeset.py compares every attribute); it is a ``VMobject``, not Manim's
``VMobjectFromSVGPath`` or ``Rectangle``, whose extra attributes matter only while parsing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from enum import Enum
from functools import lru_cache
from pathlib import Path

import manim
import numpy as np
from manim import ManimColor, VGroup, VMobject
from manim.mobject.svg.svg_mobject import SVGMobject
from manim.mobject.text.tex_mobject import SingleStringMathTex
from svgelements import Path as SvgPath

from scenes.contract import OUTLINES_FOLDER, OUTLINES_SUFFIX

_FORMAT = 1
"""Bumped when what a file holds changes, so that older files are simply not found."""
_PLAIN = (bool, int, float, str, type(None))


_parse = SVGMobject.generate_mobject


def outline_file(mob: SVGMobject) -> Path:
    """Where the outlines of ``mob``'s SVG are kept, named by everything they depend on."""
    svg = mob.get_file_path()
    settings = json.dumps([_FORMAT, manim.__version__, mob.svg_default, mob.path_string_config],
                          sort_keys=True, default=str)
    key = hashlib.sha256(svg.read_bytes() + settings.encode()).hexdigest()[:16]
    return svg.parent.parent / OUTLINES_FOLDER / f"{svg.stem}.{key}{OUTLINES_SUFFIX}"


def _encode(value: object) -> object:
    if isinstance(value, Enum):
        return {"enum": value.name}
    if isinstance(value, ManimColor):
        return {"rgba": [float(c) for c in value.to_rgba()]}
    return value


def _save(mob: SVGMobject, path: Path) -> None:
    parts = list(mob.submobjects)
    if not all(type(p) is not VGroup and isinstance(p, VMobject) and not p.submobjects for p in parts):
        return  # not the flat list of glyphs a formula parses to: nothing is kept
    index = {id(p): i for i, p in enumerate(parts)}
    plain, arrays = [], {}
    for name in _kept_attributes():
        values = [getattr(p, name) for p in parts]
        if all(isinstance(v, np.ndarray) for v in values):
            shapes = {v.shape[1:] for v in values}
            if len(shapes) != 1:
                return
            arrays[name] = np.concatenate(values) if values else np.zeros((0,))
            arrays[f"{name}.lengths"] = np.array([len(v) for v in values], dtype=np.int64)
        elif all(isinstance(v, (*_PLAIN, Enum, ManimColor)) for v in values):
            plain.append([name, [_encode(v) for v in values]])
        else:
            return  # an attribute this file cannot hold: parse again next time
    groups = {name: [index[id(m)] for m in group.submobjects if id(m) in index]
              for name, group in mob.id_to_vgroup_dict.items()}
    meta = json.dumps({"parts": len(parts), "plain": plain, "groups": groups})
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    path.parent.mkdir(exist_ok=True)
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, meta=np.array(meta), **arrays)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _decode(value: object, current: object) -> object:
    if isinstance(value, dict) and "enum" in value:
        return type(current)[value["enum"]]
    if isinstance(value, dict):
        return ManimColor(value["rgba"])
    return value


@lru_cache(maxsize=None)
def _prototype(cls: type[VMobject]) -> VMobject:
    return cls()


@lru_cache(maxsize=1)
def _kept_attributes() -> tuple[str, ...]:
    """Every attribute a plain VMobject has, but its name and its lists of children and updaters."""
    return tuple(sorted(set(vars(_prototype(VMobject))) - {"name", "submobjects", "updaters"}))


def _fresh(cls: type[VMobject]) -> VMobject:
    """A new ``cls()`` without re-running its colour set-up, which costs more than the rest of
    reading a formula: a shallow copy of one made once, with lists and arrays of its own.
    """
    mob = copy.copy(_prototype(cls))
    mob.submobjects, mob.updaters = [], []
    for name, value in vars(mob).items():
        if isinstance(value, np.ndarray):
            setattr(mob, name, value.copy())
    return mob


def _group(members: list[VMobject]) -> VGroup:
    group = _fresh(VGroup)
    group.submobjects = members
    return group


def _load(mob: SVGMobject, path: Path) -> None:
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        parts = [_fresh(VMobject) for _ in range(meta["parts"])]
        for name, values in meta["plain"]:
            for part, value in zip(parts, values, strict=True):
                setattr(part, name, _decode(value, getattr(part, name)))
        for name in data.files:
            if name == "meta" or name.endswith(".lengths"):
                continue
            lengths = data[f"{name}.lengths"]
            pieces = np.split(data[name], np.cumsum(lengths)[:-1]) if len(parts) else []
            for part, piece in zip(parts, pieces, strict=True):
                setattr(part, name, piece.copy())
    mob.add(*parts)
    mob.id_to_vgroup_dict = {name: _group([parts[i] for i in members]) for name, members in meta["groups"].items()}


def _generate_mobject(self: SVGMobject) -> SVGMobject:
    """Manim's ``generate_mobject``, reading the outlines kept from an earlier parse if any."""
    try:
        path = outline_file(self)
    except OSError:
        return _parse(self)
    try:
        _load(self, path)
        return self
    except Exception:  # noqa: BLE001 - a missing or damaged file (any way a zip can be) means: parse
        self.submobjects, self.id_to_vgroup_dict = [], {}
    _parse(self)
    try:
        _save(self, path)
    except OSError:
        pass  # a full disk or a read-only folder: the next render parses again
    return self


def install() -> None:
    """Make typeset text cheap to build, in this process.

    Formulas (``SingleStringMathTex``: ``MathTex``, ``Tex`` and the glyphs of numbers) read the
    outlines kept from an earlier parse of the same SVG. And every copy of a glyph shares its
    parsed SVG path: Manim keeps the path (``VMobjectFromSVGPath.path_obj``) after turning it into
    points and ``Mobject.copy`` deep-copied it, thousands of svgelements objects a formula, so
    that every FadeIn, Transform and ``.animate`` of text spent most of a render copying them.
    The path is only read again by ``generate_points`` and never changed after construction.
    """
    SingleStringMathTex.generate_mobject = _generate_mobject
    SvgPath.__deepcopy__ = lambda self, memo: self
