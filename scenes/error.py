"""ErrorVersusStep: |error| against h on log-log axes, where truncation meets round-off."""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, UR, Axes, Create, DashedLine, DashedVMobject, Dot, FadeIn, FadeOut,
    LogBase, MathTex, ValueTracker, VGroup, VMobject, Write, linear,
)

import mathcore
from scenes.base import LabScene
from scenes.pieces import legend, readout, sci_tex, title
from scenes.style import LABEL_SIZE, SMALL_SIZE

SCALING_TEX = {"forward": r"\sqrt{\varepsilon}", "central": r"\varepsilon^{1/3}"}
"""How the optimal step scales with machine epsilon, as the label says it."""


class ErrorVersusStep(LabScene):
    """exp at x = 1 by default: forward, central, complex-step, then forward in float32."""

    short_name = "error"

    def construct(self) -> None:
        p = self.params
        self.fn = mathcore.parse_function(p.function)
        self.dtype = np.float32 if p.precision == "float32" else np.float64
        self.other = np.float64 if self.dtype is np.float32 else np.float32
        self.steps = mathcore.default_steps(p.h_min, p.h_max)
        self.sweeps = {
            "forward": self.sweep("forward", self.dtype),
            "central": self.sweep("central", self.dtype),
            "other": self.sweep("forward", self.other),
        }
        try:
            self.sweeps["complex-step"] = self.sweep("complex-step", self.dtype)
        except ValueError:  # abs(x) and friends are not analytic: no complex step to show
            pass
        self.marked: list[MathTex] = []  # the h* labels, stacked in the side panel
        self.show_axes()
        self.trace_forward()
        self.explain_forward()
        self.add_central()
        self.add_complex_step()
        self.add_other_precision()

    def sweep(self, scheme: str, dtype: type) -> mathcore.ErrorSweep:
        return mathcore.error_sweep(self.fn.f, self.fn.df, self.params.x0, h=self.steps,
                                    scheme=scheme, dtype=dtype)

    # -- storyboard -------------------------------------------------------------------------

    def show_axes(self) -> None:
        self.beat("axes")
        t = self.theme
        top = max(float(np.max(s.plotted_error)) for s in self.sweeps.values())
        floor = mathcore.ERROR_FLOOR
        x_lo, x_hi = math.floor(math.log10(self.steps[0])), math.ceil(math.log10(self.steps[-1]))
        y_lo, y_hi = math.floor(math.log10(floor)), max(math.ceil(math.log10(top)), 1)
        x_step = 2 if x_hi - x_lo > 8 else 1
        y_step = 2 if y_hi - y_lo > 8 else 1
        y_lo -= (y_hi - y_lo) % y_step
        self.ax = Axes(
            x_range=[x_lo, x_hi, x_step], y_range=[y_lo, y_hi, y_step], x_length=8.4, y_length=5.6,
            axis_config={"color": t.muted, "include_numbers": True, "font_size": 20,
                         "scaling": LogBase(custom_labels=True)},
            tips=False,
        ).to_corner(DOWN + LEFT, buff=0.55).shift(RIGHT * 0.35)
        for axis in (self.ax.x_axis, self.ax.y_axis):
            for attr in ("numbers", "labels"):
                if hasattr(axis, attr):
                    getattr(axis, attr).set_color(t.muted)
        x_label = MathTex("h", font_size=LABEL_SIZE, color=t.text).next_to(self.ax.x_axis, RIGHT, buff=0.2)
        y_label = MathTex(r"|\,\text{error}\,|", font_size=LABEL_SIZE, color=t.text)
        y_label.next_to(self.ax.y_axis, UP, buff=0.15)
        heading = title(self.title_text, t.text)
        formula = MathTex(rf"f(x) = {self.fn.latex},\quad x_0 = {self.params.x0:g}",
                          font_size=LABEL_SIZE).to_corner(UR, buff=0.45)
        floor_line = DashedLine(self.ax.c2p(self.steps[0], floor), self.ax.c2p(self.steps[-1], floor),
                                color=t.grid, stroke_width=2)
        floor_note = MathTex(r"\text{exactly } 0", font_size=SMALL_SIZE - 2, color=t.muted)
        floor_note.next_to(floor_line, UP, buff=0.06).align_to(floor_line, RIGHT)
        self.panel_anchor = self.ax.get_corner(UR) + RIGHT * 0.45
        self.play(Write(heading), FadeIn(formula), Create(self.ax), FadeIn(x_label, y_label),
                  FadeIn(floor_line, floor_note), run_time=2,
                  subcaption="Log-log axes: the step h across, the absolute error up.")
        self.record("floor", floor)

    def trace_forward(self) -> None:
        self.beat("forward")
        t = self.theme
        s = self.sweeps["forward"]
        points = self.points(s)
        index = ValueTracker(1)
        curve = VMobject(color=t.forward, stroke_width=3)
        curve.add_updater(lambda m: m.set_points_as_corners(points[: max(2, int(index.get_value()))]))
        dot = Dot(color=t.forward, radius=0.06)
        dot.add_updater(lambda m: m.move_to(points[max(0, int(index.get_value()) - 1)]))
        rows = self.trace_readouts(s, index, t.forward)
        self.add(curve, dot)
        self.play(FadeIn(rows), run_time=0.5)
        self.play(index.animate.set_value(len(points)), run_time=6, rate_func=linear,
                  subcaption="Forward difference, traced from the smallest step to the largest.")
        curve.clear_updaters()
        dot.clear_updaters()
        # the traced polyline joins everything; the finished curve puts exact zeros on the floor line
        self.remove(dot, curve)
        curve = self.curve(s, t.forward)
        self.add(curve)
        self.play(FadeOut(rows), run_time=0.5)
        self.forward_curve = curve
        self.legend_entries = [("forward, " + self.precision_name(self.dtype), t.forward, False)]
        self.update_legend()

    def explain_forward(self) -> None:
        self.beat("model")
        t = self.theme
        self.legend_entries.append(("error model", t.model, True))
        self.update_legend()
        self.mark_model("forward", self.sweeps["forward"], t.forward, "forward")

    def add_central(self) -> None:
        self.beat("central")
        t = self.theme
        s = self.sweeps["central"]
        curve = self.curve(s, t.central)
        self.play(Create(curve), run_time=3, rate_func=linear,
                  subcaption="Central difference: truncation falls like h squared.")
        self.legend_entries.append(("central, " + self.precision_name(self.dtype), t.central, False))
        self.update_legend()
        self.mark_model("central", s, t.central, "central", lines=False)

    def add_complex_step(self) -> None:
        self.beat("complex-step")
        t = self.theme
        if "complex-step" not in self.sweeps:
            note = MathTex(r"\text{complex step: } f \text{ is not analytic here}", font_size=SMALL_SIZE,
                           color=t.muted).move_to(self.panel_anchor + DOWN * 5.0, aligned_edge=LEFT)
            self.play(FadeIn(note), run_time=1, subcaption="This f is not analytic, so the complex step "
                                                           "does not apply.")
            self.record("complex_step_at_floor", None)
            return
        s = self.sweeps["complex-step"]
        curve = self.curve(s, t.complex_step)
        self.play(Create(curve), run_time=3, rate_func=linear,
                  subcaption="Complex step: no subtraction, so no round-off blow-up at small h.")
        self.legend_entries.append(("complex step", t.complex_step, False))
        self.update_legend()
        self.record("complex_step_at_floor", int(np.count_nonzero(s.at_floor)))
        self.wait(1)

    def add_other_precision(self) -> None:
        self.beat(self.precision_name(self.other))
        t = self.theme
        s = self.sweeps["other"]
        curve = self.curve(s, t.float32)
        self.play(Create(curve), run_time=3, rate_func=linear,
                  subcaption=f"Forward difference in {self.precision_name(self.other)}: "
                             "a larger epsilon moves the best step.")
        self.legend_entries.append(("forward, " + self.precision_name(self.other), t.float32, False))
        self.update_legend()
        self.mark_model("other", s, t.float32, "forward", lines=False)
        self.wait(2)

    # -- pieces -----------------------------------------------------------------------------

    def points(self, s: mathcore.ErrorSweep) -> np.ndarray:
        return np.asarray(self.ax.c2p(s.h.astype(np.float64), s.plotted_error)).T

    def curve(self, s: mathcore.ErrorSweep, color: str) -> VMobject:
        """The sweep as a polyline; a run of exact zeros becomes a segment on the floor line,
        unjoined to its neighbours, so zeros read as zeros and not as spikes."""
        points = self.points(s)
        runs = np.flatnonzero(np.diff(s.at_floor.astype(np.int8))) + 1
        pieces = VGroup()
        for chunk in np.split(np.arange(len(points)), runs):
            if len(chunk) == 1:
                pieces.add(Dot(points[chunk[0]], radius=0.03, color=color))
            else:
                pieces.add(VMobject(color=color, stroke_width=3).set_points_as_corners(points[chunk]))
        return pieces

    def trace_readouts(self, s: mathcore.ErrorSweep, index: ValueTracker, color: str) -> VGroup:
        t = self.theme
        exponent = readout(r"\log_{10} h =", math.log10(float(s.h[0])), t.text, decimals=2, font_size=26)
        error = readout(r"\log_{10}|\text{error}| =", math.log10(float(s.plotted_error[0])), color,
                        decimals=2, font_size=26)
        last = len(s.h) - 1
        exponent.number.add_updater(lambda m: m.set_value(
            math.log10(float(s.h[min(last, max(0, int(index.get_value()) - 1))]))))
        error.number.add_updater(lambda m: m.set_value(
            math.log10(float(s.plotted_error[min(last, max(0, int(index.get_value()) - 1))]))))
        rows = VGroup(exponent, error).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        return rows.move_to(self.panel_anchor, aligned_edge=UP + LEFT).shift(DOWN * 2.6)

    def mark_model(self, key: str, s: mathcore.ErrorSweep, color: str, scheme: str,
                   lines: bool = True) -> None:
        t = self.theme
        best = s.model_best_h
        anims = []
        if lines:
            model = mathcore.error_model(self.fn.f, self.fn.df, self.params.x0, h=self.steps,
                                         scheme=scheme, dtype=s.dtype)
            for values, name in ((model.truncation, "truncation"), (model.roundoff, "round-off")):
                visible = (values >= mathcore.ERROR_FLOOR) & (values <= 10 ** self.ax.y_range[1])
                if np.count_nonzero(visible) < 2:  # a term that vanishes (f'' = 0, or f = 0)
                    continue
                pts = np.asarray(self.ax.c2p(model.h[visible], values[visible])).T
                line = VMobject(color=t.model, stroke_width=2.5).set_points_as_corners(pts)
                anims.append(Create(DashedVMobject(line, num_dashes=40)))
            power = "h" if model.truncation_order == 1 else f"h^{{{model.truncation_order}}}"
            slope_note = VGroup(
                MathTex(rf"\text{{truncation}} \propto {power}", font_size=SMALL_SIZE, color=t.model),
                MathTex(r"\text{round-off} \propto \varepsilon / h", font_size=SMALL_SIZE, color=t.model),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            # below where the legend ends once all five entries are in
            full = legend([("forward, float64", t.text, False)] * 5, t.text)
            slope_note.move_to(self.panel_anchor + DOWN * (full.height + 0.35), aligned_edge=UP + LEFT)
            self.panel_bottom = slope_note
            anims.append(FadeIn(slope_note))
        marker = DashedLine(self.ax.c2p(best, 10 ** self.ax.y_range[0]),
                            self.ax.c2p(best, 10 ** self.ax.y_range[1]), color=color, stroke_width=2)
        scaling = SCALING_TEX.get(scheme, "")
        interior = float(self.steps[0]) < best < float(self.steps[-1])  # not clipped: a real optimum
        eps_note = rf"\sim {scaling}" if scaling and key != "other" and interior else ""
        label = MathTex(rf"h^*{eps_note} = {sci_tex(best)}", font_size=SMALL_SIZE + 2, color=color)
        label.next_to(self.marked[-1] if self.marked else self.panel_bottom, DOWN, buff=0.25,
                      aligned_edge=LEFT)
        tag = MathTex("h^*", font_size=SMALL_SIZE, color=color).next_to(marker, UP, buff=0.05)
        self.marked.append(label)
        anims += [Create(marker), Write(label), FadeIn(tag)]
        self.play(*anims, run_time=2, subcaption=f"The model's best step for {key if key != 'other' else 'this precision'}: "
                                                 f"h* = {best:.1e}.")
        self.record(f"h_star_{key}", best)
        self.record(f"measured_best_h_{key}", s.best_h)
        self.wait(1)

    def update_legend(self) -> None:
        t = self.theme
        new = legend(self.legend_entries, t.text).move_to(self.panel_anchor, aligned_edge=UP + LEFT)
        if hasattr(self, "legend_group"):
            self.play(self.legend_group.animate.become(new), run_time=0.5)
        else:
            self.legend_group = new
            self.play(FadeIn(new), run_time=0.5)

    @staticmethod
    def precision_name(dtype: type) -> str:
        return np.dtype(dtype).name
