"""A lecture plan: a small TOML file a course keeps in git, saying which scenes to show, in which
order, and with which parameters (``python cli.py lecture --plan course.toml``).

::

    theme = "light"          # optional: the whole lecture's theme
    pace = 1.25              # optional: every hold 25 % longer

    [[part]]
    scene = "tangent"
    title = "A wiggly curve" # optional: the title card's heading and the chapter name
    function = "x**2*sin(x)"
    x0 = 1.2

    [[part]]
    scene = "error"
    precision = "float32"

The structure (keys, types, scene names) is checked here, with no sympy and no manim; the values
are checked by the same validation as every render (``pipeline.render.preflight``) when the
lecture is built, before anything renders. Every error is one line naming the file, the part and
the key. See ``docs/example-lecture.toml``.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .lecture import Part
from .params import PACE_RANGE, SceneParams
from .specs import SCENES, get_scene

__all__ = ["LecturePlan", "PlanError", "load_plan", "parse_plan"]

LECTURE_KEYS = ("theme", "pace", "part")
"""What the top of a plan may set."""
PART_KEYS = ("scene", "title", "pace")
"""What every part may set, besides its scene's own parameters."""
MAX_PARTS = 99
MAX_TITLE = 40
"""Characters of a title card heading: one line that stays legible when the card shrinks it to fit
the frame (at 4:3 too)."""
MAX_BYTES = 100_000
"""A plan is a few lines; anything larger is not a plan."""


class PlanError(ValueError):
    """A plan the lecture cannot use; the message is one line naming the file, the part and the key."""


@dataclass(frozen=True)
class LecturePlan:
    theme: str | None
    pace: float | None
    parts: list[Part]


def _closest(key: str, allowed: tuple[str, ...]) -> str:
    guess = difflib.get_close_matches(key, allowed, n=1)
    return f" Did you mean '{guess[0]}'?" if guess else ""


def _number(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlanError(f"{where}: {key} must be a number; got {_shown(value)}.")
    return float(value)


def _text(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise PlanError(f"{where}: {key} must be a string in quotes; got {_shown(value)}.")
    return value


def _shown(value: Any) -> str:
    """A value as the message shows it: short, one line, its TOML type named for tables and arrays."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _title(where: str, value: Any) -> str:
    title = _text(where, "title", value).strip()
    if not title or len(title) > MAX_TITLE or not title.isprintable():
        raise PlanError(f"{where}: title must be one line of 1 to {MAX_TITLE} printable characters; "
                        f"got {_shown(value)}.")
    return title


def _pace(where: str, value: Any) -> float:
    pace = _number(where, "pace", value)
    lo, hi = PACE_RANGE
    if not (math.isfinite(pace) and lo <= pace <= hi):
        raise PlanError(f"{where}: pace must be between {lo:g} and {hi:g}; got {_shown(value)}.")
    return pace


def _part(where: str, number: int, entry: Any, theme: str, pace: float) -> Part:
    if not isinstance(entry, dict):
        raise PlanError(f"{where}: each part is a [[part]] table; part {number} is {_shown(entry)}.")
    if "scene" not in entry:
        raise PlanError(f"{where}: part {number} has no scene; add scene = \"...\", one of: {', '.join(SCENES)}.")
    name = _text(f"{where}: part {number}", "scene", entry["scene"])
    try:
        spec = get_scene(name)
    except ValueError as exc:
        raise PlanError(f"{where}: part {number}: {exc}") from None
    origin = f"{where}: part {number} ({spec.name})"
    allowed = PART_KEYS + spec.parameters
    values: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in allowed:
            if key == "theme":
                raise PlanError(f"{origin}: theme is set for the whole lecture; move it to the top of the plan.")
            raise PlanError(f"{origin}: unknown key '{key}'; the {spec.name} scene takes: "
                            f"{', '.join(allowed)}.{_closest(key, allowed)}")
        if key in spec.parameters:
            default = spec.defaults[key]
            number = isinstance(default, (int, float))
            values[key] = _number(origin, key, value) if number else _text(origin, key, value)
    title = _title(origin, entry["title"]) if "title" in entry else None
    own_pace = _pace(origin, entry["pace"]) if "pace" in entry else pace
    return Part(spec, SceneParams(theme=theme, pace=own_pace, **values), title, origin)


def parse_plan(text: str, where: str = "plan", theme: str | None = None, pace: float | None = None) -> LecturePlan:
    r"""Check a plan's text and return its parts in order.

    ``theme`` and ``pace``, when given, are the command line's and take precedence over the plan's
    own; a part's own ``pace`` takes precedence over both. Raises PlanError.

    >>> plan = parse_plan('[[part]]\nscene = "error"\nx0 = 2\n[[part]]\nscene = "sigmoid"', "course.toml")
    >>> [(p.spec.name, p.params.x0) for p in plan.parts]
    [('error', 2.0), ('sigmoid', None)]
    """
    from .choices import names

    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{where} is not valid TOML: {exc}.") from None
    for key in table:
        if key not in LECTURE_KEYS:
            hint = _closest(key, LECTURE_KEYS) or (" Scene parameters go in a [[part]] table."
                                                   if any(key in s.parameters for s in SCENES.values()) else "")
            raise PlanError(f"{where}: unknown key '{key}' at the top; a plan sets: {', '.join(LECTURE_KEYS)}.{hint}")
    plan_theme = _text(where, "theme", table["theme"]) if "theme" in table else None
    if plan_theme is not None and plan_theme not in names("Theme"):
        raise PlanError(f"{where}: unknown theme '{plan_theme}'; choose one of: {', '.join(names('Theme'))}.")
    plan_pace = _pace(where, table["pace"]) if "pace" in table else None
    parts = table.get("part", [])
    if not isinstance(parts, list):
        raise PlanError(f"{where}: part must be a list of [[part]] tables; got {_shown(parts)}.")
    if not parts:
        raise PlanError(f"{where} has no parts; add a [[part]] table with scene = \"...\" for each scene, "
                        f"one of: {', '.join(SCENES)}.")
    if len(parts) > MAX_PARTS:
        raise PlanError(f"{where} has {len(parts)} parts; a lecture takes at most {MAX_PARTS}.")
    theme = theme or plan_theme or "dark"
    pace = pace if pace is not None else plan_pace if plan_pace is not None else 1.0
    return LecturePlan(plan_theme, plan_pace,
                       [_part(where, n, entry, theme, pace) for n, entry in enumerate(parts, start=1)])


def load_plan(path: Path, theme: str | None = None, pace: float | None = None) -> LecturePlan:
    """Read and check the plan at ``path`` (see ``parse_plan``); PlanError names the file.

    >>> from pipeline.process import ROOT
    >>> load_plan(ROOT / "docs" / "example-lecture.toml").parts[0].heading
    'Slopes of a wiggly curve'
    >>> load_plan(Path("no-such-plan.toml"))
    Traceback (most recent call last):
    ...
    pipeline.plan_file.PlanError: the plan no-such-plan.toml does not exist.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise PlanError(f"the plan {path} is a folder; give a .toml file.")
        if size > MAX_BYTES:
            raise PlanError(f"the plan {path} is {size} bytes; a plan is a few lines (at most {MAX_BYTES}).")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(f"the plan {path} does not exist.") from None
    except UnicodeDecodeError:
        raise PlanError(f"the plan {path} is not UTF-8 text.") from None
    except OSError as exc:
        raise PlanError(f"cannot read the plan {path}: {exc.strerror}.") from None
    return parse_plan(text, str(path), theme, pace)
