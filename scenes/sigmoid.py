"""SigmoidGradientZones: sigma and sigma' side by side, with the vanishing-gradient zones shaded."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Line,
    MathTex,
    Rectangle,
    Square,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    smooth,
)

import mathcore
from scenes.base import LabScene
from scenes.layout import Ticks
from scenes.pieces import EdgeAxes, readout, title, usable_box
from scenes.style import LABEL_SIZE, SMALL_SIZE, ZONE_OPACITY

X_TICKS = Ticks(-10.0, 10.0, 5.0, (-10.0, -5.0, 0.0, 5.0, 10.0), ("-10", "-5", "0", "5", "10"))
SIGMA_TICKS = Ticks(0.0, 1.0, 0.25, (0.0, 0.5, 1.0), ("0", "0.5", "1"))
PRIME_TICKS = Ticks(0.0, 0.3, 0.1, (0.0, 0.1, 0.2, 0.3), ("0", "0.1", "0.2", "0.3"))
SAMPLES = 400


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
        self.lay_out()
        self.sigma = self.plot(self.left, mathcore.sigmoid, t.curve)
        self.prime = self.plot(self.right, mathcore.sigmoid_prime, t.tangent)
        self.narrate("The sigmoid on the left, its derivative on the right, on the same x axis.",
                     FadeIn(self.heading), Create(self.left), Create(self.right), run_time=1.5)
        self.narrate("σ′ is built from σ itself: σ′(x) = σ(x)(1 − σ(x)).",
                     Create(self.sigma), Create(self.prime), FadeIn(self.names), run_time=2)

    def lay_out(self) -> None:
        t = self.theme
        left, right, bottom, _ = usable_box()
        self.heading = title(self.title_text, t.text)
        self.rows = VGroup(readout("x =", -9.0, t.text, decimals=2),
                           readout(r"\sigma(x) =", float(mathcore.sigmoid(-9.0)), t.curve, decimals=5),
                           readout(r"\sigma'(x) =", float(mathcore.sigmoid_prime(-9.0)), t.tangent, decimals=5))
        self.rows.arrange(RIGHT, buff=0.6).next_to(self.heading, DOWN, buff=0.3).set_x(0)
        self.footer_space = 0.75  # the zone note under the panels
        gap = 1.0
        probe = EdgeAxes(X_TICKS, SIGMA_TICKS, t.muted, 1, 1)
        label_w = max(m.width for m in probe.y_axis.labels) + 0.35
        panel_w = (right - left - gap - 2 * label_w - 0.3) / 2
        names_h = 0.9 + 0.55  # the curve's formula, and room for the peak's label over the right panel
        panel_h = self.rows.get_bottom()[1] - 0.35 - names_h - bottom - self.footer_space - 0.7
        self.left = EdgeAxes(X_TICKS, SIGMA_TICKS, t.muted, panel_w, panel_h)
        self.right = EdgeAxes(X_TICKS, PRIME_TICKS, t.muted, panel_w, panel_h)
        base_y = bottom + self.footer_space + 0.7
        for ax, x in ((self.left, left + label_w), (self.right, left + 2 * label_w + panel_w + gap)):
            ax.shift(np.array([x, base_y, 0]) - ax.c2p(0, 0))
        self.names = VGroup(
            MathTex(r"\sigma(x) = \frac{1}{1+e^{-x}}", font_size=LABEL_SIZE, color=t.curve)
            .next_to(self.left, UP, buff=0.25),
            MathTex(r"\sigma'(x) = \sigma(x)\,(1-\sigma(x))", font_size=LABEL_SIZE, color=t.tangent)
            .next_to(self.right, UP, buff=0.25 + 0.55))

    def plot(self, ax: EdgeAxes, f, color: str) -> VMobject:
        xs = np.linspace(X_TICKS.lo, X_TICKS.hi, SAMPLES)
        return VMobject(color=color, stroke_width=4).set_points_smoothly(ax.screen(xs, np.asarray(f(xs))))

    def mark_peak(self) -> None:
        self.beat("peak")
        t = self.theme
        peak = float(mathcore.sigmoid_prime(0.0))
        dot = Dot(self.right.screen(0, peak), color=t.text, radius=0.07)
        label = MathTex(rf"\sigma'(0) = {peak:g}", font_size=SMALL_SIZE, color=t.text)
        top = self.right.box[3]
        label.move_to([dot.get_x(), top + 0.1 + label.height / 2, 0])  # above the panel: never in a zone
        leader = Line(label.get_bottom() + DOWN * 0.05, dot.get_top() + UP * 0.05, color=t.muted, stroke_width=2)
        self.narrate(f"The gradient peaks at x = 0, where it is only {peak:g}.",
                     FadeIn(dot, scale=1.5), Write(label), Create(leader), run_time=1)
        self.record("peak", peak)
        self.record_box("peak_label", label)
        self.hold(1)

    def shade_zones(self) -> None:
        self.beat("zones")
        t = self.theme
        shades = VGroup()
        # a threshold below sigma'(10) puts the zones off the axes: nothing to shade then
        zones = [] if self.edge >= X_TICKS.hi else [(X_TICKS.lo, -self.edge), (self.edge, X_TICKS.hi)]
        for ax, ticks in ((self.left, SIGMA_TICKS), (self.right, PRIME_TICKS)):
            for lo, hi in zones:
                a, b = ax.screen(lo, ticks.lo), ax.screen(hi, ticks.hi)
                shades.add(Rectangle(width=b[0] - a[0], height=b[1] - a[1], stroke_width=0, fill_color=t.zone,
                                     fill_opacity=ZONE_OPACITY).move_to((a + b) / 2))
        limit = DashedLine(self.right.screen(X_TICKS.lo, self.threshold), self.right.screen(X_TICKS.hi, self.threshold),
                           color=t.zone, stroke_width=2.5)
        swatch = Square(0.32, stroke_width=0, fill_color=t.zone, fill_opacity=min(1.0, 3 * ZONE_OPACITY))
        words = MathTex(r"\text{vanishing gradient:}", font_size=SMALL_SIZE, color=t.text)
        rule = MathTex(rf"\sigma'(x) < {self.threshold:g} \iff |x| > x^* = {self.edge:.3f}",
                       font_size=SMALL_SIZE, color=t.zone)
        note = VGroup(swatch, words, rule).arrange(RIGHT, buff=0.2)
        left, right, bottom, _ = usable_box()
        if note.width > right - left:
            VGroup(words, rule).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            note.arrange(RIGHT, buff=0.2)
        note.move_to([0, bottom + note.height / 2, 0])
        self.narrate(f"Where σ′ < {self.threshold:g}, the gradient is effectively zero: learning stalls there.",
                     FadeIn(shades), Create(limit), run_time=1.5)
        self.narrate(f"That happens exactly when |x| > {self.edge:.3f}, on both sides.", Write(note), run_time=1.5)
        self.bring_to_front(self.sigma, self.prime)
        self.record("zone_edge", self.edge)
        self.record("threshold", self.threshold)
        self.record_box("zone_note", note)
        self.hold(1)

    def sweep_dot(self) -> None:
        self.beat("sweep")
        t = self.theme
        x = ValueTracker(-9.0)
        on_sigma = always_redraw(lambda: Dot(self.left.screen(x.get_value(), float(mathcore.sigmoid(x.get_value()))),
                                             color=t.curve, radius=0.08))
        on_prime = always_redraw(lambda: Dot(self.right.screen(x.get_value(),
                                                               float(mathcore.sigmoid_prime(x.get_value()))),
                                             color=t.tangent, radius=0.08))
        rows = self.rows
        rows[0].number.add_updater(lambda m: m.set_value(x.get_value()))
        rows[1].number.add_updater(lambda m: m.set_value(float(mathcore.sigmoid(x.get_value()))))
        rows[2].number.add_updater(lambda m: m.set_value(float(mathcore.sigmoid_prime(x.get_value()))))
        self.narrate("Follow one input x across the range.", FadeIn(on_sigma, on_prime, rows), run_time=1)
        self.narrate("In the shaded zones σ barely moves and σ′ is nearly 0; only near 0 does the gradient matter.",
                     x.animate.set_value(9.0), run_time=9, rate_func=smooth)
        for row in rows:
            row.number.clear_updaters()
        self.record("final_x", rows[0].number.get_value())
        self.record("final_sigma", rows[1].number.get_value())
        self.record("final_sigma_prime", rows[2].number.get_value())
        self.record_box("readouts", rows)
        self.hold(2)
