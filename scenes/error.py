"""ErrorVersusStep: |error| against h on log-log axes, where truncation meets round-off."""

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
    FadeTransform,
    MathTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

import mathcore
from scenes.base import LabScene
from scenes.error_labels import (
    FLOOR,
    MODEL_ONLY,
    NO_TRUNCATION,
    OPTIMUM,
    OptimumStatement,
    slope_note,
)
from scenes.error_data import ErrorData
from scenes.error_layout import ErrorLayout
from scenes.framing import (
    EXPONENT_SCALE,
    ScientificReadout,
    box,
    fit_width,
)
from scenes.logplot import LineStyle, legend_rows
from scenes.pieces import number_tex


class ErrorVersusStep(LabScene):
    """exp at x = 1 by default: forward, central, complex step, then forward in float32."""

    short_name = "error"

    def construct(self) -> None:
        self.measure()
        self.lay_out()
        self.show_axes()
        self.trace_forward()
        self.explain("forward")
        self.add_series("central")
        self.add_series("complex-step")
        self.add_series("other")
        self.sum_up()

    # -- the numbers, all from mathcore ------------------------------------------------------

    def measure(self) -> None:
        p, t = self.params, self.theme
        self.measured = data = ErrorData.measure(p.function, p.x0, p.h_min, p.h_max, p.precision)
        self.fn, self.x0, self.steps, self.derivatives = data.fn, data.x0, data.steps, data.derivatives
        self.series, self.sweeps, self.statements = data.series, data.sweeps, data.statements
        wide, medium, thin = 6.5, 4.5, 2.0  # a later curve rides on an earlier one, both seen
        self.styles = {
            "forward": LineStyle(t.forward, wide, z=1), "central": LineStyle(t.central, medium, z=2),
            "complex-step": LineStyle(t.complex_step, thin, z=3), "other": LineStyle(t.float32, thin + 0.5, z=4),
        }
        self.model_style = LineStyle(t.model, 3.0, dashed=True, z=6)
        self.record("point_kind", data.point_kind)
        self.record("statements", {k: v.record() for k, v in self.statements.items()})

    # -- storyboard -------------------------------------------------------------------------

    def lay_out(self) -> None:
        formula = rf"f(x) = {self.fn.latex},\quad x_0 = {number_tex(self.x0)}"
        self.layout = ErrorLayout(self, self.steps, self.measured.top_error, formula)
        self.legend_entries = [(s.label, self.styles[s.key]) for s in self.series.values() if s.key in self.sweeps]
        self.legend_entries.insert(1, ("error model", self.model_style))
        lay = self.layout
        self.legend = legend_rows(self.legend_entries, self.theme.text, lay.text_size, lay.unit)
        fit_width(self.legend, lay.panel_width).move_to(lay.panel_top_left, aligned_edge=UP + LEFT)
        self.legend_row = {label: row for (label, _), row in zip(self.legend_entries, self.legend)}
        self.note_top = self.legend.get_bottom()[1] - 0.35 * lay.unit
        self.model_lines = VGroup()
        self.note = VGroup()
        self.marks: list[VGroup] = []  # the statement of each marked series, in order
        self.markers = VGroup()  # the h* lines
        self.tags: list[tuple[MathTex, int]] = []  # the h* tags at the top of the plot, and their rows

    def show_axes(self) -> None:
        self.beat("axes")
        lay = self.layout
        self.narrate("Log-log axes: the step h across, the size of the error up. "
                     "Exact zeros sit on the bottom row.",
                     Write(lay.heading), FadeIn(lay.formula), Create(lay.plot), FadeIn(lay.x_label, lay.y_label),
                     run_time=2)
        self.record("floor", mathcore.ERROR_FLOOR)

    def trace_forward(self) -> None:
        self.beat("forward")
        s, sweep, lay = self.series["forward"], self.sweeps["forward"], self.layout
        style = self.styles["forward"]
        points = lay.plot.positions(sweep.h, sweep.plotted_error)
        index = ValueTracker(1)
        last = len(points) - 1

        def at() -> int:  # the step the trace has reached
            return min(last, max(0, int(index.get_value()) - 1))

        curve = VMobject(stroke_color=style.color, stroke_width=style.width).set_z_index(style.z)
        curve.add_updater(lambda m: m.set_points_as_corners(points[: max(2, at() + 1)]))
        dot = Dot(color=style.color, radius=0.07 * lay.unit).set_z_index(9)
        dot.add_updater(lambda m: m.move_to(points[at()]))
        h_row = ScientificReadout("h =", float(sweep.h[0]), self.theme.text, lay.text_size)
        e_row = ScientificReadout(r"|\text{error}| =", float(sweep.error[0]), style.color, lay.text_size)
        rows = VGroup(h_row, e_row).arrange(DOWN, aligned_edge=LEFT, buff=0.3 * lay.unit)
        rows.move_to([lay.panel_left, self.note_top, 0], aligned_edge=UP + LEFT)
        h_row.add_updater(lambda m: m.set_value(float(sweep.h[at()])))
        e_row.add_updater(lambda m: m.set_value(float(sweep.error[at()])))
        self.add(curve, dot)
        self.narrate("The forward difference, traced from the smallest step to the largest.",
                     FadeIn(rows), FadeIn(self.legend_row[s.label]), run_time=1)
        self.narrate("At tiny steps round-off dominates; at large steps, truncation.",
                     index.animate.set_value(len(points)), run_time=7, rate_func=linear)
        for m in (curve, dot, h_row, e_row):
            m.clear_updaters()
        self.record("trace_readouts", [box(h_row), box(e_row)])
        self.remove(dot, curve)
        self.curves = {"forward": lay.plot.series(sweep.h, sweep.plotted_error, sweep.at_floor, style, lay.unit)}
        self.add(self.curves["forward"])
        self.play(FadeOut(rows), run_time=0.5)

    def explain(self, key: str) -> None:
        """The model of series ``key``: its two dashed terms, how they scale, its best step."""
        self.beat(f"{key}-model")
        s, lay = self.series[key], self.layout
        model = mathcore.error_model(self.fn.f, self.fn.df, self.x0, h=self.steps, scheme=s.scheme,
                                     dtype=s.precision, derivatives=self.derivatives)
        lines = VGroup(*[line for values in (model.truncation, model.roundoff)
                         if (line := lay.plot.line(model.h, values, self.model_style, lay.unit)) is not None])
        note = VGroup(*[MathTex(tex, font_size=lay.text_size, color=self.theme.model) for tex in slope_note(s.scheme)])
        note.arrange(DOWN, aligned_edge=LEFT, buff=0.12 * lay.unit)
        fit_width(note, lay.panel_width).move_to([lay.panel_left, self.note_top, 0], aligned_edge=UP + LEFT)
        model_row = self.legend_row["error model"]
        anims = [FadeOut(self.model_lines), Create(lines), FadeOut(self.note), FadeIn(note)]
        if model_row not in self.mobjects:
            anims.append(FadeIn(model_row))
        caption = {
            "forward": "The error model: truncation falls like h, round-off grows like epsilon over h.",
            "central": "For the central difference, truncation falls like h squared.",
            "complex-step": "The complex step subtracts nothing: its round-off stays flat at epsilon times |f'|.",
            "other": f"In {s.precision} epsilon is {self.epsilon_change()}, so round-off "
                     f"{'rises' if self.epsilon_change() == 'larger' else 'falls'} and the best step moves.",
        }[key]
        self.narrate(caption, *anims, run_time=2)
        self.model_lines, self.note = lines, note
        self.record(f"model_{key}", {"has_model": model.has_model, "lines": len(lines)})
        if s.marked:
            self.state_best_step(key)

    def state_best_step(self, key: str) -> None:
        s, lay, statement = self.series[key], self.layout, self.statements[key]
        color = self.styles[s.key].color
        anims = []
        if self.marks:  # the previous statement fades into its result (the earlier ones already did);
            # a cross-fade: a point-by-point morph between two different formulas scrambles their glyphs
            previous = self.marks[-1]
            anims.append(FadeTransform(previous, previous.compact_form, stretch=False, dim_to_match=0))
            self.marks[-1] = previous.compact_form
        full = VGroup(*[MathTex(tex, font_size=lay.text_size, color=color) for tex in statement.lines()])
        full.arrange(DOWN, aligned_edge=LEFT, buff=0.12 * lay.unit)
        fit_width(full, lay.panel_width)
        full.move_to([lay.panel_left, self.statement_top(len(self.marks)), 0], aligned_edge=UP + LEFT)
        full.compact_form = fit_width(MathTex(statement.compact(), font_size=lay.text_size, color=color),
                                      lay.panel_width).move_to(full, aligned_edge=UP + LEFT)
        anims.append(Write(full))
        if statement.kind in (OPTIMUM, FLOOR, MODEL_ONLY) and statement.inside:
            marker = lay.plot.vertical(statement.value, LineStyle(color, 2.5, z=5), lay.unit)
            self.markers.add(marker)
            tag = MathTex("h^*", font_size=lay.text_size, color=color)
            top = lay.plot.c2p(math.log10(statement.value), lay.plot.y_range[1])
            tag.next_to(top, UP + RIGHT, buff=0.06 * lay.unit).set_z_index(7)
            row = self.tag_row(tag)  # row 0 sits above the plot; a crowded tag goes inside it
            if row:
                tag.next_to(top, DOWN + RIGHT, buff=0.06 * lay.unit)
                tag.shift(DOWN * (row - 1) * (tag.height + 0.1 * lay.unit))
            anims += [Create(marker), FadeIn(tag)]
            self.tags.append((tag, row))
            self.record(f"tag_{key}", box(tag))
        caption = self.statement_caption(key, statement)
        self.narrate(caption, *anims, run_time=2)
        self.marks.append(full)
        self.record(f"statement_{key}", box(full))
        self.hold(1.5)

    def add_series(self, key: str) -> None:
        self.beat(key)
        s, lay = self.series[key], self.layout
        if key not in self.sweeps:
            note = MathTex(r"\text{complex step: } f \text{ is not analytic}", font_size=lay.text_size,
                           color=self.theme.muted)
            fit_width(note, lay.panel_width).move_to([lay.panel_left, lay.panel_bottom, 0], aligned_edge=DOWN + LEFT)
            self.narrate("This f is not analytic, so the complex step does not apply.", FadeIn(note), run_time=1)
            self.record("complex_step_at_floor", None)
            return
        sweep = self.sweeps[key]
        curve = lay.plot.series(sweep.h, sweep.plotted_error, sweep.at_floor, self.styles[s.key], lay.unit)
        self.curves[key] = curve
        captions = {
            "central": "The central difference: the same round-off, and a far smaller truncation error.",
            "complex-step": "The complex step: no subtraction, so no round-off blow-up at small h.",
            "other": f"The forward difference again, now in {s.precision}.",
        }
        self.narrate(captions[key], Create(curve), FadeIn(self.legend_row[s.label]), run_time=3,
                     rate_func=linear)
        if key == "complex-step":
            self.record("complex_step_at_floor", int(np.count_nonzero(sweep.at_floor)))
        self.explain(key)

    def sum_up(self) -> None:
        self.beat("summary")
        self.narrate("The best step balances truncation against round-off, and it scales with "
                     "machine epsilon.", run_time=1)
        self.record_layout()
        self.hold(2)

    # -- pieces -----------------------------------------------------------------------------

    def tag_row(self, tag: MathTex) -> int:
        """The first row (0 above the plot, then downwards inside it) where an h* tag touches no
        earlier tag.
        """
        gap = 0.05 * self.layout.unit
        taken = {row for earlier, row in self.tags
                 if abs(earlier.get_center()[0] - tag.get_center()[0]) < (earlier.width + tag.width) / 2 + gap}
        row = 0
        while row in taken:
            row += 1
        return row

    def statement_top(self, slot: int) -> float:
        """Where statement ``slot`` starts: below the note's two lines and the earlier results."""
        lay = self.layout
        line = MathTex(r"h^*\approx 1.0\times10^{-8}", font_size=lay.text_size).height
        return self.note_top - 2 * (line + 0.12 * lay.unit) - 0.35 * lay.unit - slot * (line + 0.2 * lay.unit)

    def epsilon_change(self) -> str:
        """Whether the second precision's epsilon is larger or smaller than the first's."""
        eps = {key: float(np.finfo(self.series[key].precision).eps) for key in ("forward", "other")}
        return "larger" if eps["other"] > eps["forward"] else "smaller"

    def statement_caption(self, key: str, s: OptimumStatement) -> str:
        name = self.series[key].label
        if s.kind == OPTIMUM:
            return f"For the {name}, the model's best step is h* = {s.value:.1e}: it grows as epsilon grows."
        if s.kind == FLOOR:
            return (f"For the {name}, nothing cancels: below h* = {s.value:.1e} the error stays "
                    "at its floor.")
        if s.kind == MODEL_ONLY:
            return f"For the {name}, the model fitted from f' puts the best step near {s.value:.1e}."
        why = "the truncation term vanishes." if s.kind == NO_TRUNCATION else "there is no error model at x0."
        return f"For the {name} there is no best step to mark here: {why}"

    def record_layout(self) -> None:
        lay = self.layout
        self.record("frame_box", lay.frame.record())
        self.record("layout_boxes", {
            "heading": box(lay.heading), "formula": box(lay.formula), "y_label": box(lay.y_label),
            "x_label": box(lay.x_label), "plot": box(lay.plot), "legend": box(self.legend), "note": box(self.note),
            **{f"statement_{i}": box(m) for i, m in enumerate(self.marks)},
            **{f"tag_{i}": box(m) for i, (m, _) in enumerate(self.tags)},
            **{f"tick_{i}": box(m) for i, m in enumerate([*lay.plot.x_labels, *lay.plot.y_labels])},
        })
        drawn = [*self.curves.values(), self.model_lines, self.markers]
        self.record("plot_area", box(lay.plot.axes))
        self.record("drawn_lines", {name: box(m) for name, m in zip([*self.curves, "model", "markers"], drawn)
                                    if m.has_points() or m.submobjects})
        self.record("font_sizes", {"text": lay.text_size, "tick": lay.tick_size, "frame_height": lay.frame.height,
                                   "exponent_scale": EXPONENT_SCALE})
