"""SigmoidGradientZones: sigma and sigma' side by side, with the vanishing-gradient zones shaded."""

from __future__ import annotations

from manim import (
    DOWN, LEFT, RIGHT, UP, Create, DashedLine, Dot, FadeIn, MathTex, Rectangle, Text,
    ValueTracker, VGroup, Write, always_redraw, smooth,
)

import mathcore
from scenes.base import LabScene
from scenes.pieces import linear_axes, readout, title
from scenes.style import LABEL_SIZE, SMALL_SIZE, ZONE_OPACITY

X_RANGE = (-10.0, 10.0, 5.0)


class SigmoidGradientZones(LabScene):
    """sigma(x) on the left, sigma'(x) on the right, both on x in [-10, 10]."""

    short_name = "sigmoid"

    def construct(self) -> None:
        self.threshold = self.params.threshold
        self.edge = float(mathcore.vanishing_zone(self.threshold))
        self.show_curves()
        self.mark_peak()
        self.shade_zones()
        self.sweep_dot()

    def show_curves(self) -> None:
        self.beat("curves")
        t = self.theme
        self.left = self.panel((0, 1, 0.25))
        self.right = self.panel((0, 0.3, 0.05))
        # side by side, x axes on one line and at one scale
        VGroup(self.left, self.right).arrange(RIGHT, buff=1.6).to_edge(DOWN, buff=1.25).shift(RIGHT * 0.3)
        self.right.align_to(self.left, DOWN)
        ticks = VGroup(self.y_numbers(self.left, (0, 0.25, 0.5, 0.75, 1.0)),
                       self.y_numbers(self.right, (0, 0.1, 0.2, 0.3)))
        self.sigma = self.left.plot(lambda x: float(mathcore.sigmoid(x)), x_range=[-10, 10, 0.05],
                                    color=t.curve)
        self.prime = self.right.plot(lambda x: float(mathcore.sigmoid_prime(x)),
                                     x_range=[-10, 10, 0.05], color=t.tangent)
        heading = self.heading = title(self.title_text, t.text)
        left_name = MathTex(r"\sigma(x) = \frac{1}{1+e^{-x}}", font_size=LABEL_SIZE, color=t.curve)
        right_name = MathTex(r"\sigma'(x) = \sigma(x)\,(1-\sigma(x))", font_size=LABEL_SIZE, color=t.tangent)
        left_name.next_to(self.left, UP, buff=0.25)
        right_name.next_to(self.right, UP, buff=0.25)
        self.play(Write(heading), Create(self.left), Create(self.right), FadeIn(ticks), run_time=1.5,
                  subcaption="The sigmoid on the left, its derivative on the right, on the same x axis.")
        self.play(Create(self.sigma), Create(self.prime), FadeIn(left_name, right_name), run_time=2)

    def panel(self, y_range: tuple[float, float, float]):
        """One panel: x from -10 to 10 with numbers; y numbers go at the left edge (y_numbers)."""
        ax = linear_axes(X_RANGE, y_range, self.theme.muted, 5.4, 3.7)
        ax.y_axis.numbers.set_opacity(0) if hasattr(ax.y_axis, "numbers") else None
        return ax

    def y_numbers(self, ax, values: tuple[float, ...]) -> VGroup:
        """Tick labels at the left edge, where no curve runs through them."""
        labels = VGroup()
        for v in values:
            text = MathTex(f"{v:g}", font_size=20, color=self.theme.muted)
            labels.add(text.next_to(ax.c2p(X_RANGE[0], v), LEFT, buff=0.15))
        return labels

    def mark_peak(self) -> None:
        self.beat("peak")
        t = self.theme
        peak = float(mathcore.sigmoid_prime(0.0))
        dot = Dot(self.right.c2p(0, peak), color=t.text, radius=0.07)
        label = MathTex(rf"\sigma'(0) = {peak:g}", font_size=SMALL_SIZE + 2, color=t.text)
        label.next_to(dot, LEFT, buff=0.15).shift(UP * 0.1)
        self.play(FadeIn(dot, scale=1.5), Write(label), run_time=1,
                  subcaption=f"The gradient peaks at x = 0, where it is only {peak:g}.")
        self.record("peak", peak)
        self.wait(0.5)

    def shade_zones(self) -> None:
        self.beat("zones")
        t = self.theme
        shades, labels = VGroup(), VGroup()
        # a threshold below sigma'(10) puts the zones off the axes: nothing to shade then
        zones = [] if self.edge >= X_RANGE[1] else [(X_RANGE[0], -self.edge), (self.edge, X_RANGE[1])]
        for ax, top in ((self.left, 1.0), (self.right, 0.3)):
            for lo, hi in zones:
                corner_a, corner_b = ax.c2p(lo, 0), ax.c2p(hi, top)
                box = Rectangle(width=abs(corner_b[0] - corner_a[0]), height=abs(corner_b[1] - corner_a[1]),
                                stroke_width=0, fill_color=t.zone, fill_opacity=ZONE_OPACITY)
                box.move_to((corner_a + corner_b) / 2)
                shades.add(box)
                words = Text("vanishing\ngradient", font_size=SMALL_SIZE - 4, color=t.text,
                             line_spacing=0.8)
                if words.width > box.width * 0.95:  # a narrow zone: a smaller label
                    words.scale_to_fit_width(max(box.width * 0.95, 0.05))
                labels.add(words.move_to(box))
        limit = DashedLine(self.right.c2p(-10, self.threshold), self.right.c2p(10, self.threshold),
                           color=t.zone, stroke_width=2)
        edge = MathTex(rf"|x| > x^* = {self.edge:.3f}", font_size=SMALL_SIZE + 2, color=t.zone)
        rule = MathTex(rf"\sigma'(x) < {self.threshold:g}", font_size=SMALL_SIZE + 2, color=t.zone)
        notes = VGroup(rule, edge).arrange(RIGHT, buff=0.5).to_edge(DOWN, buff=0.3)
        self.play(FadeIn(shades), Create(limit), run_time=1.5,
                  subcaption=f"Where sigma' < {self.threshold:g}, the gradient is effectively zero.")
        self.play(FadeIn(labels), Write(notes), run_time=1.5)
        self.bring_to_front(self.sigma, self.prime)
        self.record("zone_edge", self.edge)
        self.record("threshold", self.threshold)
        self.wait(0.5)

    def sweep_dot(self) -> None:
        self.beat("sweep")
        t = self.theme
        x = ValueTracker(-9.0)
        on_sigma = always_redraw(lambda: Dot(self.left.c2p(x.get_value(), float(mathcore.sigmoid(x.get_value()))),
                                             color=t.curve, radius=0.07))
        on_prime = always_redraw(lambda: Dot(self.right.c2p(x.get_value(),
                                                            float(mathcore.sigmoid_prime(x.get_value()))),
                                             color=t.tangent, radius=0.07))
        rows = VGroup(readout("x =", -9.0, t.text, decimals=2, font_size=26),
                      readout(r"\sigma(x) =", float(mathcore.sigmoid(-9.0)), t.curve, decimals=5, font_size=26),
                      readout(r"\sigma'(x) =", float(mathcore.sigmoid_prime(-9.0)), t.tangent, decimals=5,
                              font_size=26))
        rows.arrange(RIGHT, buff=0.7).next_to(self.heading, DOWN, buff=0.3).set_x(0)
        rows[0].number.add_updater(lambda m: m.set_value(x.get_value()))
        rows[1].number.add_updater(lambda m: m.set_value(float(mathcore.sigmoid(x.get_value()))))
        rows[2].number.add_updater(lambda m: m.set_value(float(mathcore.sigmoid_prime(x.get_value()))))
        self.play(FadeIn(on_sigma, on_prime, rows), run_time=0.5)
        self.play(x.animate.set_value(9.0), run_time=7, rate_func=smooth,
                  subcaption="Sweeping x: in the shaded zones sigma barely moves and sigma' is nearly 0.")
        for row in rows:
            row.number.clear_updaters()
        self.record("final_x", rows[0].number.get_value())
        self.record("final_sigma", rows[1].number.get_value())
        self.record("final_sigma_prime", rows[2].number.get_value())
        self.wait(1)
