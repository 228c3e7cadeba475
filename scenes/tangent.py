"""SecantToTangent: the secant through x0 and x0 + h turns into the tangent as h shrinks."""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, UR, Create, DecimalNumber, Dot, FadeIn, Line, MathTex,
    ValueTracker, VGroup, Write, always_redraw, smooth,
)

import mathcore

from scenes.base import LabScene
from scenes.layout import clip_line, finite_interval, nice_range
from scenes.pieces import Readout, linear_axes, title
from scenes.style import LABEL_SIZE, READOUT_SIZE, SMALL_SIZE


class SecantToTangent(LabScene):
    """f(x) = x² at x0 = 1 by default; h shrinks on a log scale from 1 toward 1e-3."""

    short_name = "tangent"

    def construct(self) -> None:
        p = self.params
        self.fn = mathcore.parse_function(p.function)
        self.x0, self.h_min, self.h_max = p.x0, p.h_min, p.h_max
        self.show_curve()
        self.show_secant()
        self.shrink_step()
        self.reveal_tangent()

    # -- storyboard -------------------------------------------------------------------------

    def show_curve(self) -> None:
        self.beat("curve")
        t = self.theme
        self.f = lambda x: float(self.fn.f(x))
        width = max(1.0, self.h_max)
        # the scale of f where the secant lives, [x0, x0 + h_max]; the curve is drawn while it stays
        # within a few times that, so a pole nearby (1/x, say) does not flatten the picture
        near = np.abs(self.fn.f(np.linspace(self.x0, self.x0 + self.h_max, 50)))
        bound = 4 * float(np.max(near)) + 1
        lo, hi = finite_interval(self.fn.f, self.x0 - width, self.x0 + 1.6 * width, self.x0, bound=bound)
        xs = np.linspace(lo, hi, 200)
        ys = self.fn.f(xs)
        y_lo, y_hi, y_step = nice_range(min(0.0, float(np.min(ys))), float(np.max(ys)))
        x_lo, x_hi, x_step = nice_range(lo, hi)
        self.x_box, self.y_box = (x_lo, x_hi), (y_lo, y_hi)
        self.ax = linear_axes((x_lo, x_hi, x_step), (y_lo, y_hi, y_step), t.muted, 7.6, 5.6)
        self.ax.to_corner(DOWN + LEFT, buff=0.5)
        self.curve = self.ax.plot(self.f, x_range=[lo, hi, (hi - lo) / 200], color=t.curve)
        heading = title(self.title_text, t.text)
        formula = MathTex(rf"f(x) = {self.fn.latex},\quad x_0 = {self.x0:g}",
                          font_size=LABEL_SIZE).to_corner(UR, buff=0.45)
        self.p_dot = Dot(self.ax.c2p(self.x0, self.f(self.x0)), color=t.point)
        self.play(Write(heading), FadeIn(formula), Create(self.ax), run_time=1.5,
                  subcaption="The curve f and the point x0 where we want its slope.")
        self.play(Create(self.curve), FadeIn(self.p_dot), run_time=1.5)

    def show_secant(self) -> None:
        self.beat("secant")
        t = self.theme
        self.log_h = ValueTracker(math.log10(self.h_max))
        h = lambda: 10 ** self.log_h.get_value()  # noqa: E731 - the tracker paces h on a log scale

        self.q_dot = always_redraw(lambda: Dot(self.ax.c2p(self.x0 + h(), self.f(self.x0 + h())),
                                               color=t.point, radius=0.06))
        # Manim's own secant would turn dx=0 into its default step and rescale a tiny line by
        # 1/length; its legs are fine, the secant itself comes from mathcore.secant_line.
        self.legs = always_redraw(lambda: self.ax.get_secant_slope_group(
            x=self.x0, graph=self.curve, dx=h(), include_secant_line=False,
            dx_line_color=t.dx, dy_line_color=t.df))
        self.secant = always_redraw(lambda: self.line(*mathcore.secant_line(self.fn.f, self.x0, h()),
                                                      color=t.secant))

        decimals = max(4, math.ceil(-math.log10(self.h_min)) + 1)
        h_label = MathTex("h =", font_size=READOUT_SIZE)
        self.h_value = Readout(h(), num_decimal_places=decimals, font_size=READOUT_SIZE)
        s_label = MathTex(r"\frac{f(x_0+h)-f(x_0)}{h} =", font_size=READOUT_SIZE, color=t.secant)
        self.s_value = Readout(self.slope(h()), num_decimal_places=decimals,
                               font_size=READOUT_SIZE, color=t.secant)
        rows = VGroup(VGroup(h_label, self.h_value), VGroup(s_label, self.s_value))
        for label, value in rows:
            value.next_to(label, RIGHT, buff=0.2)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        rows.next_to(self.ax, RIGHT, buff=0.5).align_to(self.ax, UP).shift(DOWN * 0.3)
        self.readouts = rows
        self.h_value.add_updater(lambda m: m.set_value(h()))
        self.s_value.add_updater(lambda m: m.set_value(self.slope(h())))
        legend = VGroup(MathTex("dx = h", color=t.dx, font_size=SMALL_SIZE),
                        MathTex("df = f(x_0+h) - f(x_0)", color=t.df, font_size=SMALL_SIZE))
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.15).align_to(rows, LEFT).align_to(self.ax, DOWN)
        self.play(FadeIn(self.q_dot), Create(self.legs), Create(self.secant), FadeIn(rows),
                  FadeIn(legend), run_time=1.5,
                  subcaption="The secant through x0 and x0 + h has slope df / dx.")
        self.record("initial_h", self.h_value.get_value())
        self.record("initial_slope", self.s_value.get_value())

    def shrink_step(self) -> None:
        self.beat("shrink")
        self.play(self.log_h.animate.set_value(math.log10(self.h_min)), run_time=6, rate_func=smooth,
                  subcaption="As h shrinks, the secant slope settles on the derivative.")
        self.wait(0.5)
        for m in (self.h_value, self.s_value):
            m.clear_updaters()
        self.record("final_h", self.h_value.get_value())
        self.record("final_slope", self.s_value.get_value())

    def reveal_tangent(self) -> None:
        self.beat("tangent")
        t = self.theme
        slope, intercept = mathcore.tangent_line(self.fn.f, self.fn.df, self.x0)
        tangent = self.line(slope, intercept, color=t.tangent, stroke_width=5)
        value = DecimalNumber(float(slope), num_decimal_places=4, font_size=READOUT_SIZE, color=t.tangent)
        label = MathTex("f'(x_0) =", font_size=READOUT_SIZE, color=t.tangent)
        value.next_to(label, RIGHT, buff=0.2)
        row = VGroup(label, value).next_to(self.readouts, DOWN, buff=0.35, aligned_edge=LEFT)
        equation = MathTex(r"y = f(x_0) + f'(x_0)(x - x_0)", font_size=SMALL_SIZE + 2, color=t.tangent)
        equation.next_to(row, DOWN, buff=0.3, aligned_edge=LEFT)
        self.remove(self.secant, self.legs, self.q_dot)
        self.add(self.secant, self.legs, self.q_dot)
        self.play(Create(tangent), FadeIn(row), Write(equation), run_time=2,
                  subcaption="The limit is the tangent line, with slope f'(x0).")
        self.record("tangent_slope", value.get_value())
        self.wait(1.5)

    # -- helpers ----------------------------------------------------------------------------

    def slope(self, h: float) -> float:
        return float(mathcore.secant_slope(self.fn.f, self.x0, h))

    def line(self, slope: float, intercept: float, **style: object) -> Line:
        (xa, ya), (xb, yb) = clip_line(float(slope), float(intercept), self.x_box, self.y_box)
        return Line(self.ax.c2p(xa, ya), self.ax.c2p(xb, yb), **style)
