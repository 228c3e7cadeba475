"""AutogradVersusFiniteDifferences: the analytic formula, autograd and a central difference, each
measured in ULPs from a 50-digit truth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Dot,
    FadeIn,
    FadeOut,
    MathTex,
    Rectangle,
    Triangle,
    VGroup,
    VMobject,
    Write,
)

import mathcore
from scenes.base import LabScene
from scenes.error_labels import sci_tex
from scenes.framing import (
    TEXT_SIZE,
    TITLE_SIZE,
    Frame,
    HeadingText,
    box,
    fit_width,
)
from scenes.logplot import LogNumberLine

METHODS = ("analytic", "autograd", "central")
"""The three estimates of f', in the order the scene brings them in."""


@dataclass(frozen=True)
class FunctionRow:
    """One catalog function: its points and the worst ULP error of each method over them."""

    name: str
    latex: str
    points: tuple[float, ...]
    ulps: dict[str, float]


def summarise(checks: list[Any]) -> list[FunctionRow]:
    """Group mathcore's per-point checks by function; each method's worst error over the points.

    The central difference's error is put in ULPs of the truth by ``mathcore.ulp_error``, so all
    three share one axis.
    """
    grouped: dict[str, list[Any]] = {}
    for c in checks:
        grouped.setdefault(c.function, []).append(c)
    rows = []
    for name, group in grouped.items():
        ulps = {
            "analytic": max(c.analytic_ulps for c in group),
            "autograd": max(c.autograd_ulps for c in group),
            "central": max(mathcore.ulp_error(c.finite_difference, c.truth) for c in group),
        }
        rows.append(FunctionRow(name, group[0].latex, tuple(c.x for c in group), ulps))
    return rows


def point_groups(rows: list[FunctionRow]) -> list[tuple[list[str], tuple[float, ...]]]:
    """Functions that share their points, with those points, in order of first appearance."""
    groups: dict[tuple[float, ...], list[str]] = {}
    for row in rows:
        groups.setdefault(row.points, []).append(row.latex)
    return [(names, points) for points, names in groups.items()]


class AutogradVersusFiniteDifferences(LabScene):
    """For each catalog function: how many ULPs the float64 formula, autograd and a central
    difference lie from mpmath's 50-digit f', worst of its points, on one log axis.
    """

    short_name = "autograd"

    def construct(self) -> None:
        self.rows = summarise(self.data.checks)
        self.lay_out()
        self.list_points()
        self.show_chart()
        for method in METHODS:
            self.place(method)
        self.sum_up()

    # -- layout -------------------------------------------------------------------------------

    def lay_out(self) -> None:
        t = self.theme
        self.frame = fr = Frame.of(self)
        u = self.unit = fr.unit
        self.text_size = fr.size(TEXT_SIZE)
        margin = 0.3 * u
        self.heading = HeadingText(self.title_text, font_size=fr.size(TITLE_SIZE), color=t.text)
        fit_width(self.heading, fr.width - 2 * margin)
        self.heading.move_to([fr.left + margin, fr.top - margin, 0], aligned_edge=UP + LEFT)
        self.legend = self.make_legend()
        self.legend.next_to(self.heading, DOWN, buff=0.2 * u, aligned_edge=LEFT)
        fit_width(self.legend, fr.width - 2 * margin)
        self.step = float(mathcore.principled_step(1.0))  # h at |x| = 1; it scales with |x|
        n = len(self.rows[0].points)
        footnote = (rf"\text{{Each mark: the worst of {n} points.\ \ Central difference: }}"
                    rf"h = \sqrt[3]{{3\varepsilon}}\,|x| \approx {sci_tex(self.step)}\,|x|")
        self.footnote = MathTex(footnote, font_size=self.text_size, color=t.muted)
        if self.footnote.width > fr.width - 2 * margin:  # a narrow frame: two lines
            head, tail = footnote.split(r"\ \ ")
            self.footnote = VGroup(MathTex(head + "}", font_size=self.text_size, color=t.muted),
                                   MathTex(r"\text{" + tail, font_size=self.text_size, color=t.muted))
            self.footnote.arrange(DOWN, aligned_edge=LEFT, buff=0.1 * u)
        fit_width(self.footnote, fr.width - 2 * margin)
        self.footnote.move_to([fr.left + margin, fr.bottom + margin, 0], aligned_edge=DOWN + LEFT)
        self.columns = 2 if fr.aspect >= 1.2 else 1
        self.lay_out_columns(margin)

    def make_legend(self) -> VGroup:
        t, u = self.theme, self.unit
        entries = [
            (self.marker("analytic"), r"\text{analytic formula, float64}"),
            (self.marker("autograd"), r"\text{autograd (.backward), float64}"),
            (self.marker("central"), r"\text{central difference}"),
            (Rectangle(width=0.3 * u, height=0.3 * u, stroke_width=0, fill_color=t.grid, fill_opacity=1),
             r"\text{correctly rounded } (\le \tfrac12\ \text{ULP})"),
        ]
        cells = VGroup(*[VGroup(mark, MathTex(label, font_size=self.text_size, color=t.text)
                                .next_to(mark, RIGHT, buff=0.15 * u))
                         for mark, label in entries])
        return cells.arrange_in_grid(rows=2, cols=2, buff=(0.6 * u, 0.15 * u), cell_alignment=LEFT)

    def lay_out_columns(self, margin: float) -> None:
        fr, u, t = self.frame, self.unit, self.theme
        per_column = math.ceil(len(self.rows) / self.columns)
        gap = 0.5 * u
        width = (fr.width - 2 * margin - gap * (self.columns - 1)) / self.columns
        self.names = VGroup(*[MathTex(r.latex, font_size=self.text_size, color=t.text) for r in self.rows])
        names_width = max(m.width for m in self.names) + 0.2 * u
        top = self.legend.get_bottom()[1] - 0.25 * u
        sample_tick = MathTex("10^{0}", font_size=self.text_size).height
        axis_y = self.footnote.get_top()[1] + 0.2 * u + sample_tick + 0.15 * u
        self.row_gap = (top - axis_y - 0.2 * u) / per_column
        top_decade = max(2, math.ceil(math.log10(max(r.ulps["central"] for r in self.rows))))
        self.axes, self.bands, self.row_y, self.row_axis = VGroup(), VGroup(), [], []
        for c in range(self.columns):
            left = fr.left + margin + c * (width + gap)
            axis = LogNumberLine(-2, top_decade, width - names_width - 0.45 * u, t.muted, self.text_size, u)
            axis.shift([left + names_width + (width - names_width - 0.45 * u) / 2 - axis.line.get_center()[0],
                        axis_y - axis.line.get_center()[1], 0])
            self.axes.add(axis)
            x0, x1 = axis.x_of(0) - 0.2 * u, axis.x_of(0.5)
            band = Rectangle(width=x1 - x0, height=top - axis_y - 0.08 * u, stroke_width=0, fill_color=t.grid,
                             fill_opacity=1).move_to([(x0 + x1) / 2, (top + axis_y + 0.08 * u) / 2, 0])
            self.bands.add(band.set_z_index(-1))
        for i, (row, name) in enumerate(zip(self.rows, self.names)):
            c, r = divmod(i, per_column)
            y = top - (r + 0.5) * self.row_gap
            axis = self.axes[c]
            name.move_to([0, y, 0]).align_to([axis.line.get_left()[0] - 0.3 * u, 0, 0], RIGHT)
            self.row_y.append(y)
            self.row_axis.append(axis)

    def marker(self, method: str) -> VMobject:
        t, r = self.theme, 0.1 * self.unit
        if method == "analytic":
            return Circle(radius=r, stroke_color=t.curve, stroke_width=3.5 * self.unit, fill_color=t.background,
                          fill_opacity=1)
        if method == "autograd":
            return Dot(radius=r * 0.9, color=t.tangent)
        return Triangle(stroke_width=0, fill_color=t.secant, fill_opacity=1).scale_to_fit_height(1.8 * r)

    # -- storyboard -----------------------------------------------------------------------------

    def list_points(self) -> None:
        self.beat("points")
        t, u, fr = self.theme, self.unit, self.frame
        lines = VGroup()
        for names, points in point_groups(self.rows):
            lines.add(MathTex(r",\ ".join(names), font_size=self.text_size, color=t.text))
            xs = ",\\ ".join(f"{x:g}" for x in points)
            lines.add(MathTex(rf"\quad\text{{at }} x = {xs}", font_size=self.text_size, color=t.muted))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.14 * u)
        for i in range(0, len(lines), 2):
            lines[i].shift(UP * 0.12 * u)
        fit_width(lines, fr.width - 0.6 * u)
        lines.next_to(self.heading, DOWN, buff=0.5 * u, aligned_edge=LEFT)
        self.points_table = lines
        n_functions, n_points = len(self.rows), len(self.rows[0].points)
        self.narrate(f"{n_functions} functions, each at {n_points} points. At each point, f' is computed three ways "
                     "and compared with a 50-digit truth from mpmath.", Write(self.heading), FadeIn(lines),
                     run_time=2)
        self.hold(2)
        self.record("points", {r.name: list(r.points) for r in self.rows})
        self.remember_box("points_table", lines)

    def show_chart(self) -> None:
        self.beat("chart")
        self.narrate("Across: how many units in the last place each value lies from that truth. The shaded "
                     "column is correctly rounded.", FadeOut(self.points_table), FadeIn(self.legend),
                     FadeIn(self.axes, self.bands, self.names, self.footnote), run_time=2)

    def place(self, method: str) -> None:
        self.beat(method)
        marks = VGroup()
        offset = {"analytic": 0.11, "autograd": -0.11, "central": 0.0}[method] * self.unit
        for row, y, axis in zip(self.rows, self.row_y, self.row_axis):
            marks.add(self.marker(method).move_to([axis.x_of(row.ulps[method]), y + offset, 0]).set_z_index(2))
        worst = max(self.rows, key=lambda r: r.ulps[method])
        value = worst.ulps[method]
        caption = {
            "analytic": f"The hand-written formula, evaluated in float64: at most {value:.1f} ULP from the truth, "
                        f"for {worst.name}.",
            "autograd": f"Autograd: at most {value:.1f} ULP. It applies each operation's exact derivative rule; "
                        "it takes no differences.",
            "central": f"A central difference with h = {self.step:.1e} |x|: up to {value:.0e} ULP off, "
                       "from truncation and round-off.",
        }[method]
        self.narrate(caption, FadeIn(marks, scale=0.5), run_time=1.5)
        self.hold(1.5)
        self.record(f"{method}_ulps", {r.name: r.ulps[method] for r in self.rows})
        self.remember_box(f"{method}_marks", marks)
        setattr(self, f"{method}_marks", marks)

    def sum_up(self) -> None:
        self.beat("summary")
        self.narrate("Both float64 formulas are right to a few ULPs; a finite difference is off by a million.",
                     run_time=1)
        self.record("step_at_one", self.step)
        self.record("frame_box", self.frame.record())
        boxes = {"heading": self.heading, "legend": self.legend, "footnote": self.footnote,
                 **{f"name_{i}": m for i, m in enumerate(self.names)},
                 **{f"axis_{i}": a for i, a in enumerate(self.axes)}}
        for key, mob in boxes.items():
            self.remember_box(key, mob)
        self.record("axis_line_y", [float(a.line.get_center()[1]) for a in self.axes])
        self.record("lowest_mark", min(float(m.get_bottom()[1]) for group in
                                       (self.analytic_marks, self.autograd_marks, self.central_marks) for m in group))
        self.hold(2)

    def remember_box(self, key: str, mob: VMobject) -> None:
        self.shown.setdefault("layout_boxes", {})[key] = box(mob)
