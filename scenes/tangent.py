"""SecantToTangent: the secant through x0 and x0 + h turns into the tangent as h shrinks.

Finite steps are written with Delta (Delta x = h, Delta f = f(x0 + h) - f(x0), secant slope
Delta f / Delta x); dx, df and df/dx appear only with the limit. A magnifier follows the two
points, zooming in as h shrinks, so they never merge on screen. At a kink (abs(x) at 0) the
scene shows the secants from both sides settling on different slopes, and claims no derivative.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    smooth,
)

import mathcore
from scenes.base import LabScene
from scenes.charts import digits_tex
from scenes.layout import clip_polyline, line_through_box, ticks
from scenes.magnifier import Magnifier
from scenes.pieces import (
    EdgeAxes,
    NumberReadout,
    function_tex,
    number_tex,
    place_value,
    title,
    usable_box,
)
from scenes.style import LABEL_SIZE, READOUT_SIZE, SMALL_SIZE
from scenes.tangent_facts import PlotWindow, plot_window, point_facts

CURVE_SAMPLES = 600


class SecantToTangent(LabScene):
    """f(x) = x² at x0 = 1 by default; h shrinks on a log scale from h_max toward h_min."""

    short_name = "tangent"

    def construct(self) -> None:
        p = self.params
        self.fn = mathcore.parse_function(p.function)
        self.x0 = float(p.x0)
        self.point = point_facts(self.fn, self.x0)
        self.window: PlotWindow = plot_window(self.fn, self.x0, p.h_min, p.h_max, both_sides=self.kink)
        self.show_curve()
        self.show_secant()
        self.shrink_step()
        if self.kink:
            self.compare_sides()
        else:
            self.reveal_tangent()

    @property
    def kink(self) -> bool:
        return self.point.kind == "kink"

    # -- storyboard -------------------------------------------------------------------------

    def show_curve(self) -> None:
        self.beat("curve")
        t, w = self.theme, self.window
        self.f0 = float(self.fn.f(np.float64(self.x0)))
        self.lay_out()
        self.curve = self.plot_curve()
        self.p_dot = Dot(self.ax.screen(self.x0, self.f0), color=t.point, radius=0.07)
        self.narrate("Here is the curve f, and the point x₀ where we want its slope.",
                     FadeIn(self.heading), FadeIn(self.formula), Create(self.ax), run_time=1.5)
        self.narrate("We will ask how steeply f rises at x₀.",
                     Create(self.curve), FadeIn(self.p_dot), run_time=1.5)
        self.record("cuts", [float(c) for c in w.cuts])
        self.record("plot_units", list(self.ax.units()))

    def show_secant(self) -> None:
        self.beat("secant")
        t = self.theme
        self.log_h = ValueTracker(math.log10(self.window.h_start))
        self.sides = (1, -1) if self.kink else (1,)
        colors = {1: t.secant, -1: t.df}
        self.q_dots = VGroup(*[always_redraw(lambda s=s: Dot(self.ax.screen(*self.q(s)), color=t.point, radius=0.06))
                               for s in self.sides])
        self.secants = VGroup(*[always_redraw(lambda s=s: self.main_chord(self.slope(s), colors[s]))
                                for s in self.sides])
        self.legs = always_redraw(lambda: self.triangle(self.ax.screen, 3))
        self.inset_parts = self.magnifier_parts(colors)
        self.build_readouts(colors)
        self.narrate(self.step_caption(),
                     FadeIn(self.q_dots), Create(self.legs), FadeIn(self.rows[0]), FadeIn(self.definitions),
                     run_time=1.5)
        self.narrate("The secant through the two points has slope Δf/Δx."
                     + (" From the left, the step is −h." if self.kink else ""),
                     Create(self.secants), FadeIn(self.rows[1:]), run_time=1.5)
        self.narrate("The square on the right magnifies the neighbourhood of x₀, zooming in as h shrinks.",
                     FadeIn(self.inset_parts), run_time=1.5)
        self.record("initial_h", self.h_value.get_value())
        self.record("initial_slope", self.slope_values[1].get_value())

    def shrink_step(self) -> None:
        self.beat("shrink")
        self.narrate("As h shrinks, the secant slope Δf/Δx settles on a limit.",
                     self.log_h.animate.set_value(math.log10(self.window.h_end)), run_time=8, rate_func=smooth)
        self.hold(1.0)
        for m in (self.h_value, *self.slope_values.values()):
            m.clear_updaters()
        self.record("final_h", self.h_value.get_value())
        self.record("final_slope", self.slope_values[1].get_value())
        self.record("zoom", self.magnifier.zoom)
        self.record_box("readouts", self.rows)

    def reveal_tangent(self) -> None:
        self.beat("tangent")
        t = self.theme
        slope = float(mathcore.tangent_line(self.fn.f, self.fn.df, self.x0)[0])
        tangent = self.main_chord(slope, t.tangent, width=5)
        inset_tangent = self.magnifier.chord(self.x0, self.f0, slope, t.tangent, width=5)
        value = NumberReadout(slope, self.significant, font_size=READOUT_SIZE, color=t.tangent)
        label = MathTex(r"f'(x_0) =", font_size=READOUT_SIZE, color=t.tangent)
        row = place_value(label, value)
        row.next_to(self.rows, DOWN, buff=0.35, aligned_edge=LEFT)
        limit = MathTex(r"\frac{df}{dx} = \lim_{h \to 0} \frac{\Delta f}{\Delta x}", font_size=LABEL_SIZE,
                        color=t.tangent)
        limit.next_to(row, DOWN, buff=0.3, aligned_edge=LEFT)
        self.narrate("The triangle has done its job; the secant is what remains.",
                     FadeOut(self.legs, self.inset_legs, self.definitions), run_time=1)
        self.narrate("Its limit is the tangent line, with slope df/dx = f′(x₀): the derivative.",
                     Create(tangent), Create(inset_tangent), FadeIn(row), Write(limit), run_time=2)
        self.record("tangent_slope", value.get_value())
        self.record_box("tangent_readout", VGroup(row, limit))
        self.hold(3)

    def compare_sides(self) -> None:
        self.beat("no tangent")
        t, p = self.theme, self.point
        left, right = p.left_derivative, p.right_derivative
        # each slope in braces: a sign right after text is then a sign, not a subtraction ("left: − 1")
        sides = rf"\text{{left: }} {{{digits_tex(left, 4)}}} \neq \text{{right: }} {{{digits_tex(right, 4)}}}"
        verdict = MathTex(sides, font_size=LABEL_SIZE, color=t.text)
        claim = MathTex(r"f'(x_0) \text{ does not exist}", font_size=LABEL_SIZE, color=t.text)
        notes = VGroup(verdict, claim).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        notes.next_to(self.rows, DOWN, buff=0.4, aligned_edge=LEFT)
        self.narrate(f"From the right the secant slopes settle on {_signed(right)}, from the left on {_signed(left)}.",
                     FadeOut(self.legs, self.inset_legs, self.definitions), FadeIn(verdict), run_time=1.5)
        self.narrate("The two limits differ: f has a kink at x₀, no tangent line, and no derivative there.",
                     Write(claim), run_time=1.5)
        self.record("differentiable", False)
        self.record("left_slope", self.slope_values[-1].get_value())
        self.record("left_derivative", left)
        self.record("right_derivative", right)
        self.record_box("verdict", notes)
        self.hold(3)

    def step_caption(self) -> str:
        caption = "Take a second point a step h away: Δx = h, and Δf = f(x₀+h) − f(x₀) is how much f changes."
        w = self.window
        if self.kink:
            caption = "Take points a step h to either side: Δx = ±h, and Δf = f(x₀±h) − f(x₀) is how much f changes."
        if w.h_start < self.params.h_max:
            where = min(w.cuts, key=lambda c: abs(c - self.x0))
            caption += f" h starts at {w.h_start:.3g}, half way to x = {_signed(where)}, where f breaks."
        return caption

    # -- layout -----------------------------------------------------------------------------

    def lay_out(self) -> None:
        t, w = self.theme, self.window
        left, right, bottom, _ = usable_box()
        self.heading = title(self.title_text, t.text)
        self.formula = MathTex(rf"f(x) = {function_tex(self.fn.latex)},\quad x_0 = {number_tex(self.x0)}",
                               font_size=LABEL_SIZE)
        self.formula.to_corner(UP + RIGHT, buff=0.45)
        if self.formula.get_left()[0] < self.heading.get_right()[0] + 0.4:
            self.formula.next_to(self.heading, DOWN, buff=0.2, aligned_edge=LEFT)
        band = min(self.heading.get_bottom()[1], self.formula.get_bottom()[1]) - 0.3
        column = min(max(0.4 * (right - left), 4.2), 5.4)
        # on a narrow frame the formula goes under the title; the column beside it can start higher
        column_top = band if self.formula.get_right()[0] > right - column - 0.2 else self.heading.get_bottom()[1] - 0.3
        x_t = ticks(w.x_lo, w.x_hi, count=max(3, int((right - left - column) / 1.6)), origin=self.x0)
        y_t = ticks(w.y_lo, w.y_hi, count=5, origin=self.f0, origin_name="f(x_0)")
        probe = EdgeAxes(x_t, y_t, t.muted, 1, 1)  # labels' sizes decide the plotting area
        label_w = max(m.width for m in probe.y_axis.labels) + 0.35
        label_h = max(m.height for m in probe.x_axis.labels) + 0.35 + (0.45 if x_t.note else 0)
        overhang = probe.x_axis.labels[-1].width / 2  # the last x label reaches past the axis
        x_length = right - column - 0.4 - left - label_w - overhang
        y_length = band - bottom - label_h - (0.45 if y_t.note else 0)
        self.ax = EdgeAxes(x_t, y_t, t.muted, x_length, y_length)
        self.ax.move_to([left + label_w + x_length / 2, bottom + label_h + y_length / 2, 0])
        shift = np.array([left + label_w, bottom + label_h, 0]) - self.ax.c2p(0, 0)
        self.ax.shift(shift)
        text_below = 3.4 if self.kink else 3.3  # the readouts and the verdict under the inset
        side = min(column, 0.42 * (column_top - bottom), column_top - bottom - 0.75 - text_below)
        centre = np.array([right - column / 2, column_top - side / 2, 0])
        self.magnifier = Magnifier(self.ax, centre, side)
        self.column = (right - column, right, bottom, column_top - side - 0.75)

    def build_readouts(self, colors: dict[int, str]) -> None:
        t = self.theme
        h = 10 ** self.log_h.get_value()
        self.significant = self.digits_that_fit(min(max(5, math.ceil(-math.log10(self.window.h_end)) + 2), 9))
        self.h_value = NumberReadout(h, 3, font_size=READOUT_SIZE)
        h_row = VGroup(MathTex(r"h = \Delta x =", font_size=READOUT_SIZE), self.h_value)
        self.slope_values = {s: NumberReadout(self.slope(s), self.significant, font_size=READOUT_SIZE, color=colors[s])
                             for s in self.sides}
        names = {1: r"\Delta f / \Delta x =", -1: r"\text{left: } \Delta f / \Delta x ="}
        if self.kink:
            names[1] = r"\text{right: } \Delta f / \Delta x ="
        rows = [h_row] + [VGroup(MathTex(names[s], font_size=READOUT_SIZE, color=colors[s]), self.slope_values[s])
                          for s in self.sides]
        for label, value in rows:
            place_value(label, value)
        self.rows = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        self.rows.move_to([self.column[0], self.column[3], 0], aligned_edge=UP + LEFT)
        self.h_value.add_updater(lambda m: m.set_value(10 ** self.log_h.get_value()))
        for s, value in self.slope_values.items():
            value.add_updater(lambda m, s=s: m.set_value(self.slope(s)))
        self.definitions = VGroup(
            MathTex(r"\Delta x = \pm h" if self.kink else r"\Delta x = h", font_size=SMALL_SIZE, color=t.dx),
            MathTex(r"\Delta f = f(x_0 \pm h) - f(x_0)" if self.kink else r"\Delta f = f(x_0+h) - f(x_0)",
                    font_size=SMALL_SIZE, color=t.df),
        )
        self.definitions.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.definitions.next_to(self.rows, DOWN, buff=0.35, aligned_edge=LEFT)

    def digits_that_fit(self, wanted: int) -> int:
        """As many significant digits as the column has room for (a 4:3 frame has less), 4 at least."""
        width = self.column[1] - self.column[0]
        label = MathTex(r"\text{right: } \Delta f / \Delta x =", font_size=READOUT_SIZE)
        for digits in range(wanted, 4, -1):
            sample = NumberReadout(-8.8888888e-88, digits, font_size=READOUT_SIZE)
            if label.width + 0.2 + sample.width <= width:
                return digits
        return 4

    def magnifier_parts(self, colors: dict[int, str]) -> VGroup:
        t, mag = self.theme, self.magnifier
        self.record("inset_side", mag.side)

        def aim() -> None:
            reach = max(float(np.hypot(*(self.ax.screen(*self.q(s)) - self.ax.screen(self.x0, self.f0))[:2]))
                        for s in self.sides)
            if self.kink:  # both points on either side of x0: x0 in the middle
                mag.look_at(self.x0, self.f0, reach * mag.fill / 0.4)
            else:
                (xq, yq) = self.q(1)
                mag.look_at((self.x0 + xq) / 2, (self.f0 + yq) / 2, reach)

        def curve() -> VMobject:
            aim()
            return mag.curve(self.fn.f, self.window.cuts, t.curve)

        frame = mag.frame(t.muted)
        zoomed = always_redraw(curve)
        chords = VGroup(*[always_redraw(lambda s=s: mag.chord(self.x0, self.f0, self.slope(s), colors[s]))
                          for s in self.sides])
        self.inset_legs = always_redraw(lambda: self.triangle(mag.map, 4, labels=True))
        dots = always_redraw(lambda: VGroup(*[Dot(mag.map(*xy), color=t.point, radius=0.07)
                                              for xy in [(self.x0, self.f0)] + [self.q(s) for s in self.sides]]))
        indicator = always_redraw(lambda: mag.indicator(t.muted).set_stroke(opacity=1 if mag.zoom >= 2 else 0))
        zoom_label = MathTex(r"\text{zoom} \times", font_size=SMALL_SIZE, color=t.muted)
        zoom_value = NumberReadout(mag.zoom, 2, font_size=SMALL_SIZE, color=t.muted)
        zoom = VGroup(zoom_label, zoom_value.next_to(zoom_label, RIGHT, buff=0.1))
        zoom.next_to(frame, DOWN, buff=0.12, aligned_edge=RIGHT)
        zoom_value.add_updater(lambda m: m.set_value(mag.zoom))
        self.zoom_value = zoom_value
        return VGroup(frame, indicator, zoomed, chords, self.inset_legs, dots, zoom)

    # -- pieces drawn every frame ------------------------------------------------------------

    def q(self, side: int) -> tuple[float, float]:
        x = self.x0 + side * 10 ** self.log_h.get_value()
        return x, float(self.fn.f(np.float64(x)))

    def slope(self, side: int) -> float:
        h = 10 ** self.log_h.get_value()
        scheme = mathcore.secant_slope if side > 0 else mathcore.backward_difference
        return float(scheme(self.fn.f, self.x0, h))

    def main_chord(self, slope: float, color: str, width: float = 4) -> VMobject:
        ux, uy = self.ax.units()
        ends = line_through_box(self.ax.screen(self.x0, self.f0)[:2], np.array([ux, slope * uy]), self.ax.box)
        if ends is None:
            return VMobject()
        return Line(np.append(ends[0], 0), np.append(ends[1], 0), color=color, stroke_width=width)

    def triangle(self, to_screen, width: float, labels: bool = False) -> VGroup:
        """The legs Delta x and Delta f of each secant, in the plot or in the inset."""
        t = self.theme
        group = VGroup()
        for s in self.sides:
            xq, yq = self.q(s)
            p, corner, q = to_screen(self.x0, self.f0), to_screen(xq, self.f0), to_screen(xq, yq)
            group.add(Line(p, corner, color=t.dx, stroke_width=width), Line(corner, q, color=t.df, stroke_width=width))
        if labels:
            group.add(*self.leg_labels(to_screen))
        return group

    def leg_labels(self, to_screen) -> list[MathTex]:
        t = self.theme
        if not hasattr(self, "_leg_tex"):
            self._leg_tex = (MathTex(r"\Delta x", font_size=SMALL_SIZE, color=t.dx),
                             MathTex(r"\Delta f", font_size=SMALL_SIZE, color=t.df))
        dx_tex, df_tex = self._leg_tex
        xq, yq = self.q(1)
        p, corner, q = to_screen(self.x0, self.f0), to_screen(xq, self.f0), to_screen(xq, yq)
        below = DOWN if q[1] >= p[1] else UP
        dx_tex.next_to((p + corner) / 2, below, buff=0.1)
        df_tex.next_to((corner + q) / 2, RIGHT, buff=0.1)
        return [dx_tex, df_tex]

    def plot_curve(self) -> VGroup:
        w, t = self.window, self.theme
        xs = np.linspace(self.ax.x_ticks.lo, self.ax.x_ticks.hi, CURVE_SAMPLES)
        xs = np.union1d(xs, [c for c in w.cuts if xs[0] < c < xs[-1]])
        with np.errstate(all="ignore"):
            ys = np.asarray(self.fn.f(xs), dtype=float)
        for c in w.cuts:
            ys[xs == c] = np.nan
        group = VGroup()
        for run in clip_polyline(self.ax.screen(xs, ys)[:, :2], self.ax.box):
            group.add(VMobject(color=t.curve, stroke_width=4).set_points_as_corners(
                np.column_stack([run, np.zeros(len(run))])))
        return group


def _signed(value: float) -> str:
    """A number for a caption, with a true minus sign."""
    return f"{value:.4g}".replace("-", "\u2212")
