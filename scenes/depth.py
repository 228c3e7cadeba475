"""VanishingGradientWithDepth: the gradient reaching each layer of a deep network, on a log axis,
against the bound that max sigma' = 1/4 puts on it; tanh and ReLU beside the sigmoid.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

from manim import (
    DOWN, LEFT, RIGHT, UL, UP, Create, Dot, FadeIn, FadeOut, Indicate, Line, MathTex, ValueTracker, VGroup,
    Write, always_redraw, linear,
)

from scenes.charts import Chart, caption_number, digits_tex
from scenes.lesson import MARGIN, LessonScene, frame_width, heading
from scenes.readouts import SciReadout
from scenes.layout import nice_step
from scenes.pieces import Readout
from scenes.style import LABEL_SIZE, READOUT_SIZE, SMALL_SIZE

NAMES = {"sigmoid": r"\text{sigmoid}", "tanh": r"\tanh", "relu": r"\text{ReLU}"}
"""How each activation is written on screen."""
SPOKEN = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}
"""And in captions."""
WIDE_FRAME = 13.0
"""Frames at least this wide (16:9 is 14.2) get the readout and legend beside the chart."""
BOUND_HEADROOM = 4
"""Decades above the largest gradient the chart may stretch to show the lead network's bound."""


class VanishingGradientWithDepth(LessonScene):
    """Per-layer gradient norms of float64 nn.Sequential networks (mathcore.depth), sigmoid first."""

    short_name = "depth"

    def construct(self) -> None:
        # the sigmoid leads when it is there: it is the network the 1/4 bound speaks of
        self.profiles = sorted(self.data.profiles, key=lambda p: p.activation != "sigmoid")
        self.lead = self.profiles[0]
        self.layers = int(self.lead.layers)
        self.show_network()
        self.trace_lead()
        self.draw_bound()
        self.compare_activations()
        self.conclude()

    # -- storyboard -------------------------------------------------------------------------

    def show_network(self) -> None:
        self.beat("network")
        t = self.theme
        self.heading = heading(self.title_text, t.text)
        p = self.lead
        layers = f"{self.layers} layer" + ("" if self.layers == 1 else "s")
        setup = f"{layers} of width {p.width}, float64, seed {p.seed}"
        self.record("setup", setup)
        self.setup_line = self.fitted(MathTex(
            rf"\text{{{setup};\ }}"
            r"\delta_l = \partial\mathcal{L}/\partial z_l", font_size=SMALL_SIZE, color=t.muted)
            .next_to(self.heading, DOWN, buff=0.25).align_to(self.heading, LEFT))
        self.build_chart(top=self.setup_line.get_bottom()[1] - 0.75)
        self.play(Write(self.heading), FadeIn(self.setup_line), run_time=1)
        each = "a linear map and an activation" if self.layers == 1 else "each a linear map and an activation"
        self.narrate(f"A network of {layers}, {each}, in float64 with a fixed seed.", FadeIn(self.chart),
                     run_time=1.5)
        self.narrate("Backpropagation hands each layer the gradient of the layer above, times the "
                     "activation's slope and a weight matrix.")

    def trace_lead(self) -> None:
        self.beat(self.lead.activation)
        t = self.theme
        p = self.lead
        color = self.color(p.activation)
        norms = [float(v) for v in p.gradient_norms]
        layer = ValueTracker(self.layers)

        def current() -> int:
            return max(1, min(self.layers, round(layer.get_value())))

        def traced() -> VGroup:
            upto = current()
            drawn = VGroup(Dot(self.chart.clipped_point(upto, norms[upto - 1]), color=color, radius=0.08))
            if upto < self.layers:
                drawn.add(self.chart.polyline(range(upto, self.layers + 1), norms[upto - 1:], color))
            return drawn

        trace = always_redraw(traced)
        index = Readout(self.layers, num_decimal_places=0, font_size=READOUT_SIZE, color=t.text)
        value = SciReadout(norms[-1], color, digits=2)
        readout = VGroup(
            VGroup(MathTex(r"\text{layer } l =", font_size=READOUT_SIZE, color=t.text), index),
            VGroup(MathTex(r"\|\delta_l\| =", font_size=READOUT_SIZE, color=color), value))
        for label, number in readout:
            number.next_to(label, RIGHT, buff=0.15)
            number.shift(UP * (label.get_center()[1] - number[0].get_center()[1]))
        readout.arrange(DOWN, aligned_edge=LEFT, buff=0.25).move_to(self.readout_anchor, aligned_edge=UL)
        index.add_updater(lambda m: m.set_value(current()))
        value.add_updater(lambda m: m.set_value(norms[current() - 1]))
        self.readout = readout
        self.add(trace)
        self.play(FadeIn(readout), run_time=0.5)
        survived = norms[0] / norms[-1] if norms[-1] > 0 else 0.0
        self.narrate(f"The {SPOKEN[p.activation]} network: from layer {self.layers}, next to the loss, back to "
                     f"layer 1, the gradient shrinks to {caption_number(survived)} of its size.",
                     layer.animate.set_value(1), run_time=6, rate_func=linear)
        for m in (index, value, trace):
            m.clear_updaters()
        self.record("lead_activation", p.activation)
        self.record("shown_layer", index.get_value())
        self.record("shown_norm", value.get_value())
        self.record("gradient_norms", {q.activation: [float(v) for v in q.gradient_norms] for q in self.profiles})

    def draw_bound(self) -> None:
        self.beat("bound")
        p = self.lead
        slope = {0.25: r"\tfrac14", 1.0: "1"}.get(float(p.max_slope), digits_tex(float(p.max_slope)))
        prime = r"\sigma'" if p.activation == "sigmoid" else r"\phi'"
        formula = self.fitted(MathTex(
            rf"\text{{dashed: }}\|\delta_l\| \le \|\partial\mathcal{{L}}/\partial a_L\|\,\big({slope}\big)^{{L-l+1}}"
            rf"\textstyle\prod_{{k>l}} \|W_k\|_2,\quad \max {prime} = {slope}",
            font_size=SMALL_SIZE, color=self.color(p.activation)).move_to(self.setup_line, aligned_edge=LEFT))
        holds = sum(bool(g <= b * (1 + 1e-12)) for g, b in zip(p.gradient_norms, p.bounds))
        self.record("bound_holds", holds)
        self.record("bounds", {q.activation: [float(b) for b in q.bounds] for q in self.profiles})
        leaving = [self.setup_line] + ([] if self.wide else [self.readout])  # the readout sat in the chart
        self.play(*[FadeOut(m) for m in leaving], FadeIn(formula), run_time=1)
        slope_words = "1/4" if float(p.max_slope) == 0.25 else f"{float(p.max_slope):g}"
        self.narrate(f"Each layer multiplies by the activation's slope, at most {slope_words}, and by a weight "
                     "matrix: that gives the dashed bound.", Create(self.bound_line(p)), run_time=2)
        self.narrate(f"The measured gradient stays under it at {holds} of {self.layers} layers.")

    def compare_activations(self) -> None:
        self.legend = self.legend_rows()
        others = self.profiles[1:]
        if not others:
            return
        self.beat("compare")
        curves = [self.chart.polyline(range(self.layers, 0, -1), [float(v) for v in p.gradient_norms][::-1],
                                      self.color(p.activation)) for p in others]
        names = " and ".join(SPOKEN[p.activation] for p in others)
        self.narrate(f"The same network with {names}: their largest slope is 1, so the bound forces no decay.",
                     *[Create(c) for c in curves], FadeIn(self.legend), run_time=3)
        self.narrate("Their gradient reaches the first layer within a few factors of ten.")

    def conclude(self) -> None:
        self.beat("conclusion")
        if self.legend not in self.mobjects:
            self.play(FadeIn(self.legend), run_time=1)
        self.narrate("The sigmoid's slope, at most 1/4, is what makes its gradient vanish: the deeper the "
                     "layer, the smaller the share of the gradient that reaches it.",
                     Indicate(self.legend[1][0], color=self.color(self.lead.activation), scale_factor=1.05),
                     run_time=1.5)
        self.hold(1)

    def legend_rows(self) -> VGroup:
        """Each network's colour and the share of the gradient that reaches its first layer: a
        column beside the chart in a wide frame, one line under it in a narrow one.
        """
        header = MathTex(r"\|\delta_1\| / \|\delta_L\|\text{:}", font_size=SMALL_SIZE, color=self.theme.text)
        entries = VGroup()
        for p in self.profiles:
            norms = [float(v) for v in p.gradient_norms]
            ratio = norms[0] / norms[-1] if norms[-1] > 0 else 0.0
            color = self.color(p.activation)
            swatch = Line(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=6)
            name = MathTex(NAMES[p.activation], font_size=SMALL_SIZE, color=color).next_to(swatch, RIGHT, buff=0.15)
            value = MathTex(digits_tex(ratio, 2), font_size=SMALL_SIZE, color=color)
            entries.add(VGroup(swatch, name, value))
            self.record(f"survival_{p.activation}", ratio)
        if self.wide:  # a column, the values aligned on one line
            for i, (swatch, name, _) in enumerate(entries):
                VGroup(swatch, name).move_to([0, -0.55 * i, 0], aligned_edge=LEFT)
            column = max(name.get_right()[0] for _, name, _ in entries) + 0.35
            for _, name, value in entries:
                value.move_to([column, name.get_center()[1], 0], aligned_edge=LEFT)
        else:
            for swatch, name, value in entries:
                value.next_to(name, RIGHT, buff=0.2)
            entries.arrange(RIGHT, buff=0.5)
        legend = VGroup(header, entries)
        entries.next_to(header, DOWN, buff=0.25).align_to(header, LEFT)
        return self.fitted(legend.move_to(self.legend_anchor, aligned_edge=UL))

    # -- pieces -----------------------------------------------------------------------------

    def color(self, activation: str) -> str:
        t = self.theme
        return {"sigmoid": t.curve, "tanh": t.secant, "relu": t.tangent}[activation]

    def build_chart(self, top: float) -> None:
        """The chart under ``top``, with room left for the readout and legend (beside it in a wide
        frame, under it in a narrow one).
        """
        t = self.theme
        W = frame_width()
        wide = self.wide = W >= WIDE_FRAME
        low, high = self.decades()
        left_room = 1.0  # tick labels such as 10^{-20}
        legend_height = 0.0 if wide else 2 * 0.55
        width = W - 2 * MARGIN - left_room - (4.8 if wide else 0.3)
        height = top - (-4 + MARGIN) - 1.1 - legend_height
        x_step = max(1, int(nice_step(self.layers, 6))) if self.layers > 6 else 1
        # one layer still gets an axis of some length: from 0.5 to 1.5 around it
        x_range = (1, self.layers) if self.layers > 1 else (0.5, 1.5)
        chart = Chart(x_range, (low, high), width, height, t.muted, t.grid, x_log=False, x_step=x_step)
        chart.shift([-W / 2 + MARGIN + left_room + width / 2, top - height / 2, 0] - chart.ax.get_center())
        y_name = MathTex(r"\|\delta_l\|", font_size=LABEL_SIZE, color=t.text)
        y_name.next_to(chart.c2p(x_range[0], high), UP, buff=0.15).align_to(chart.y_labels, RIGHT)
        x_name = MathTex(r"\text{layer } l\quad(1 = \text{input},\ L = \text{next to the loss})",
                         font_size=SMALL_SIZE, color=t.muted).next_to(chart.x_labels, DOWN, buff=0.15)
        chart.add(y_name, x_name)
        self.chart = chart
        if wide:
            self.readout_anchor = [chart.ax.get_right()[0] + 0.6, top, 0]
            self.legend_anchor = [chart.ax.get_right()[0] + 0.6, top - 1.9, 0]
        else:
            self.readout_anchor = chart.c2p(x_range[0], high) + RIGHT * 0.3 + DOWN * 0.2
            self.legend_anchor = [-W / 2 + MARGIN + left_room, x_name.get_bottom()[1] - 0.25, 0]
        self.record("y_range", [low, high])

    def decades(self) -> tuple[int, int]:
        """The chart's powers of ten: every gradient, and the lead's bound if it is not far above."""
        values = [float(v) for p in self.profiles for v in p.gradient_norms if v > 0] or [1.0]
        low = math.floor(math.log10(min(values)))
        high = math.ceil(math.log10(max(values))) + 1
        bounds = [float(b) for b in self.lead.bounds if b > 0]
        if bounds and math.log10(max(bounds)) <= high + BOUND_HEADROOM:
            high = max(high, math.ceil(math.log10(max(bounds))))
        return low, high

    def bound_line(self, p: SimpleNamespace) -> VGroup:
        """A network's bound, dashed, over the layers where it lies inside the chart."""
        inside = [(layer, float(b)) for layer, b in enumerate(p.bounds, start=1)
                  if b > 0 and not self.chart.top_exponent_reached(float(b))]
        if len(inside) < 2:
            return VGroup()
        xs, ys = zip(*inside)
        return VGroup(self.chart.polyline(xs, ys, self.color(p.activation), dashed=True, stroke_width=4))

    @staticmethod
    def fitted(mob):
        """``mob`` moved left, if need be, to end inside the frame."""
        right = frame_width() / 2 - MARGIN
        return mob.shift(LEFT * max(0.0, mob.get_right()[0] - right))
