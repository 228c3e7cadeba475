"""GradientCostAtScale: what one gradient costs as the number of parameters n grows, by finite
differences (n + 1 or 2n calls of f) and by autograd (one forward and one backward pass).
"""

from __future__ import annotations

import math

from manim import (
    DOWN, LEFT, RIGHT, UP, Create, DashedLine, Dot, FadeIn, Line, MathTex, ValueTracker, VGroup,
    Write, always_redraw, linear,
)

from scenes.charts import Chart, caption_number, digits_tex
from scenes.lesson import MARGIN, LessonScene, frame_width, heading
from scenes.readouts import TimeReadout, human_time
from scenes.pieces import Readout
from scenes.style import SMALL_SIZE

METHODS = ("forward", "central", "autograd")
LEFT_ROOM = 0.95
"""Frame units left of each chart for its tick labels (10^{-3})."""
ROW_HEIGHT = 0.46
"""Height of one row of the table under the charts."""


class GradientCostAtScale(LessonScene):
    """Counts and seconds per gradient of a logistic-regression loss (mathcore.scale), n = 1..max."""

    short_name = "scale"

    def construct(self) -> None:
        self.cost = self.data
        self.points = list(self.cost.points)
        self.sizes = [int(p.n) for p in self.points]
        self.show_counts()
        self.show_timings()
        self.sweep_parameters()
        self.show_accuracy()

    # -- storyboard -------------------------------------------------------------------------

    def show_counts(self) -> None:
        self.beat("counts")
        t = self.theme
        self.heading = heading(self.title_text, t.text)
        self.layout()
        counts = {m: [self.calls(p, m) for p in self.points] for m in METHODS}
        lines = VGroup(*[self.counts_chart.polyline(self.sizes, counts[m], self.color(m)) for m in METHODS])
        # each count's formula beside its line, where the lines (rising at 45 degrees) leave room
        n_tag = 10 ** (0.7 * math.log10(self.sizes[-1]))
        chart = self.counts_chart
        tags = VGroup(
            MathTex("2n", font_size=SMALL_SIZE, color=t.central)
            .next_to(chart.point(n_tag, 2 * n_tag), UP + LEFT, buff=0.1),
            MathTex("n + 1", font_size=SMALL_SIZE, color=t.forward)
            .next_to(chart.point(n_tag, n_tag + 1), DOWN + RIGHT, buff=0.1),
            MathTex("1 + 1", font_size=SMALL_SIZE, color=t.tangent)
            .next_to(chart.point(self.sizes[-1], 2), UP + LEFT, buff=0.12))
        self.play(Write(self.heading), FadeIn(self.counts_chart, self.table_frame), run_time=1.5)
        self.narrate("A forward-difference gradient calls f once per parameter, plus once at the point: "
                     "n + 1 calls. A central one needs 2n.", *[Create(line) for line in lines[:2]], run_time=2)
        self.narrate("Autograd needs one forward and one backward pass, whatever n is.", Create(lines[2]),
                     FadeIn(tags), run_time=1.5)
        self.record("sizes", self.sizes)
        self.record("counts", counts)

    def show_timings(self) -> None:
        self.beat("timings")
        measured, extrapolated, key = self.time_lines, self.time_dashes, self.time_key
        c = self.cost
        self.play(FadeIn(self.time_chart, key), run_time=1)
        self.narrate(f"Timed on this machine, one thread, for a logistic-regression loss on {c.samples} samples: "
                     f"solid where measured (differences up to n = {c.max_fd_timed:,}, autograd up to "
                     f"{c.max_pass_timed:,}).", *[Create(line) for line in measured], run_time=2)
        self.narrate("Dashed beyond: each difference gradient costs its count of calls times the measured "
                     "time of one call, and that time is extrapolated along its measured trend.",
                     *[Create(line) for line in extrapolated], run_time=2)
        self.record("seconds", {m: [self.seconds(p, m) for p in self.points] for m in METHODS})
        self.record("measured", {m: [self.measured(p, m) for p in self.points] for m in METHODS})

    def sweep_parameters(self) -> None:
        self.beat("sweep")
        t = self.theme
        step = ValueTracker(0)

        def point():
            return self.points[max(0, min(len(self.points) - 1, round(step.get_value())))]

        def markers() -> VGroup:
            p = point()
            shown = VGroup()
            for chart, value in ((self.counts_chart, self.calls), (self.time_chart, self.seconds)):
                x = chart.point(p.n, 1.0)[0]
                shown.add(Line([x, chart.ax.get_bottom()[1], 0], [x, chart.ax.get_top()[1], 0],
                               color=t.muted, stroke_width=2))
                shown.add(*[Dot(chart.clipped_point(p.n, value(p, m)), color=self.color(m), radius=0.07)
                            for m in METHODS])
            return shown

        marker = always_redraw(markers)
        self.n_readout.add_updater(lambda m: m.set_value(point().n))
        for m in ("forward", "central"):
            self.call_readouts[m].add_updater(lambda r, m=m: r.set_value(self.calls(point(), m)))
        for m in METHODS:
            self.time_readouts[m].add_updater(lambda r, m=m: r.set_time(self.seconds(point(), m),
                                                                        not self.measured(point(), m)))
        # what changes goes in front: Manim redraws every frame only what lies above a moving mobject
        self.bring_to_front(self.table_frame)
        self.add(marker)
        last = self.points[-1]
        self.narrate(f"From n = 1 to {last.n:,} parameters: at the end, central differences would take "
                     f"about {human_time(last.central_seconds)} per gradient, autograd about "
                     f"{human_time(last.autograd_seconds)}.",
                     step.animate.set_value(len(self.points) - 1), run_time=8, rate_func=linear)
        for mob in [self.n_readout, marker, *self.call_readouts.values(), *self.time_readouts.values()]:
            mob.clear_updaters()
        self.record("shown_n", self.n_readout.get_value())
        self.record("shown_calls", {m: r.get_value() for m, r in self.call_readouts.items()})
        self.record("shown_seconds", {m: r.seconds for m, r in self.time_readouts.items()})
        self.record("shown_extrapolated", {m: r.extrapolated for m, r in self.time_readouts.items()})

    def show_accuracy(self) -> None:
        self.beat("accuracy")
        if not self.error_cells:
            self.hold(1)
            return
        at, errors = self.accuracy_point, self.errors
        self.narrate(f"And those calls buy an approximation: at n = {at.n:,} the forward-difference gradient is "
                     f"off from autograd's by {caption_number(errors['forward'])} relative, the central one by "
                     f"{caption_number(errors['central'])}.", FadeIn(self.error_group), run_time=1.5)
        self.record("accuracy_n", at.n)
        self.record("relative_errors", errors)
        self.hold(1.5)

    # -- pieces -----------------------------------------------------------------------------

    def color(self, method: str) -> str:
        t = self.theme
        return {"forward": t.forward, "central": t.central, "autograd": t.tangent}[method]

    @staticmethod
    def calls(p, method: str) -> int:
        """Calls of f (passes through it, for autograd) per gradient, as mathcore counted them."""
        if method == "autograd":
            return int(p.autograd_forward_passes + p.autograd_backward_passes)
        return int(p.forward_evaluations if method == "forward" else p.central_evaluations)

    @staticmethod
    def seconds(p, method: str) -> float:
        return float({"forward": p.forward_seconds, "central": p.central_seconds,
                      "autograd": p.autograd_seconds}[method])

    @staticmethod
    def measured(p, method: str) -> bool:
        return bool(p.pass_measured if method == "autograd" else p.fd_measured)

    def layout(self) -> None:
        """Two charts side by side (counts, seconds) above the table of readouts."""
        t = self.theme
        W = frame_width()
        self.build_table()
        top = self.heading.get_bottom()[1] - 0.85
        bottom = -4 + MARGIN + self.table.height + 0.25 + 0.95  # the table, then the x labels
        gap = 0.5
        width = (W - 2 * MARGIN - 2 * LEFT_ROOM - gap) / 2
        height = top - bottom
        x_range = (0.0, math.log10(self.sizes[-1]))
        count_top = max(self.calls(p, "central") for p in self.points)
        seconds = [self.seconds(p, m) for p in self.points for m in METHODS]
        self.counts_chart = Chart(x_range, (0, math.ceil(math.log10(count_top))), width, height, t.muted, t.grid)
        left = -W / 2 + MARGIN + LEFT_ROOM
        self.counts_chart.shift([left + width / 2, bottom + height / 2, 0] - self.counts_chart.ax.get_center())
        low, high = math.floor(math.log10(min(seconds))), math.ceil(math.log10(max(seconds)))
        for headroom in range(4):  # decades above the data, added until the key has a free corner
            self.time_chart = Chart(x_range, (low, high + headroom), width, height, t.muted, t.grid)
            self.time_chart.shift([left + 1.5 * width + gap + LEFT_ROOM, bottom + height / 2, 0]
                                  - self.time_chart.ax.get_center())
            self.draw_times(self.time_chart)
            if self.time_chart.free_corner(self.time_key, [*self.time_lines, *self.time_dashes]):
                break
        for chart, name in ((self.counts_chart, r"\text{calls of } f \text{ per gradient}"),
                            (self.time_chart, r"\text{seconds per gradient}")):
            chart.add(MathTex(name, font_size=SMALL_SIZE, color=t.text)
                      .next_to(chart.ax, UP, buff=0.25).align_to(chart.y_labels, LEFT))
            chart.add(MathTex(r"\text{parameters } n", font_size=SMALL_SIZE, color=t.muted)
                      .next_to(chart.x_labels, DOWN, buff=0.12))
        self.table.move_to([0, -4 + MARGIN, 0], aligned_edge=DOWN)
        self.table.set_x(max(self.table.get_x(), -W / 2 + MARGIN + self.table.width / 2))

    def draw_times(self, chart: Chart) -> None:
        """Each method's seconds per gradient: solid where measured, dashed where extrapolated; and
        the key that says so.
        """
        t = self.theme
        self.time_lines, self.time_dashes = VGroup(), VGroup()
        for m in METHODS:
            seconds = [self.seconds(p, m) for p in self.points]
            last = max((i for i, p in enumerate(self.points) if self.measured(p, m)), default=-1)
            if last >= 1:
                self.time_lines.add(chart.polyline(self.sizes[:last + 1], seconds[:last + 1], self.color(m)))
            if last < len(self.points) - 1:
                start = max(last, 0)
                self.time_dashes.add(chart.polyline(self.sizes[start:], seconds[start:], self.color(m), dashed=True))
        self.time_key = VGroup(
            VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=t.muted, stroke_width=5),
                   MathTex(r"\text{measured}", font_size=SMALL_SIZE, color=t.muted)),
            VGroup(DashedLine(LEFT * 0.25, RIGHT * 0.25, color=t.muted, stroke_width=5, dash_length=0.1),
                   MathTex(r"\text{extrapolated}", font_size=SMALL_SIZE, color=t.muted)))
        for swatch, text in self.time_key:
            text.next_to(swatch, RIGHT, buff=0.15)
        self.time_key.arrange(DOWN, aligned_edge=LEFT, buff=0.15)

    def build_table(self) -> None:
        """Rows forward, central, autograd; columns: calls of f, time, and (shown last) the error
        against autograd, which moves to a line of its own when the frame is too narrow for it.
        """
        t = self.theme
        first = self.points[0]
        self.n_readout = Readout(1, num_decimal_places=0, group_with_commas=True, font_size=SMALL_SIZE, color=t.text)
        n_cell = VGroup(MathTex("n =", font_size=SMALL_SIZE, color=t.text), self.n_readout)
        self.n_readout.next_to(n_cell[0], RIGHT, buff=0.15)
        self.call_readouts, self.time_readouts = {}, {}
        names, calls, times = [n_cell], [MathTex(r"\text{calls of } f", font_size=SMALL_SIZE)], \
            [MathTex(r"\text{time}", font_size=SMALL_SIZE)]
        for m in METHODS:
            color = self.color(m)
            swatch = Line(LEFT * 0.22, RIGHT * 0.22, color=color, stroke_width=6)
            name = MathTex(rf"\text{{{m}}}", font_size=SMALL_SIZE, color=color).next_to(swatch, RIGHT, buff=0.18)
            names.append(VGroup(swatch, name))
            if m == "autograd":
                calls.append(MathTex(r"1 + 1 \text{ passes}", font_size=SMALL_SIZE, color=color))
            else:
                calls.append(self.call_readouts.setdefault(m, Readout(
                    self.calls(first, m), num_decimal_places=0, group_with_commas=True, font_size=SMALL_SIZE,
                    color=color)))
            times.append(self.time_readouts.setdefault(m, TimeReadout(self.seconds(first, m), color, t.muted)))
        columns = [names, calls, times]
        widths = [max(c.width for c in column) for column in columns]
        most_calls = max(self.calls(p, "central") for p in self.points)
        widths[1] = max(widths[1], Readout(most_calls, num_decimal_places=0, group_with_commas=True,
                                           font_size=SMALL_SIZE).width)
        widths[2] = max(widths[2], 2.3)  # the widest duration, "≈ 88.8 years"
        self.error_cells = self.error_cells_for()
        error_width = max(c.width for c in self.error_cells) if self.error_cells else 0.0
        room = frame_width() - 2 * MARGIN
        gap = 0.6
        inline = bool(self.error_cells) and sum(widths) + error_width + 3 * gap <= room
        if inline:
            columns.append(self.error_cells)
            widths.append(error_width)
        x = 0.0
        for column, width in zip(columns, widths):
            for i, cell in enumerate(column):
                cell.move_to([x, -i * ROW_HEIGHT, 0], aligned_edge=LEFT)
                if i == 0:  # the header row on one line whatever its letters' descenders
                    cell.align_to([0, 0.16, 0], UP)
                if isinstance(cell, TimeReadout):  # the digits under the header; a "≈" hangs to their left
                    cell.shift(LEFT * (cell.number.get_left()[0] - x))
            x += width + gap
        self.table_frame = VGroup(*names, *calls[1:], *times)
        self.table_frame.add(calls[0])
        self.table = VGroup(self.table_frame, *([] if not inline else self.error_cells))
        if self.error_cells and not inline:  # one line: the header, then forward's and central's errors
            n_text = f"{self.accuracy_point.n:,}".replace(",", "{,}")
            self.error_cells[0] = MathTex(rf"\text{{rel. error vs autograd}},\ n = {n_text}\text{{:}}",
                                          font_size=SMALL_SIZE, color=t.text)
            self.error_cells = self.error_cells[:3]
            line = VGroup(*self.error_cells).arrange(RIGHT, buff=0.35)
            line.next_to(self.table_frame, DOWN, buff=0.2).align_to(self.table_frame, LEFT)
            self.table.add(line)
        self.error_group = VGroup(*self.error_cells)  # moves with the table; shown in the accuracy beat

    def error_cells_for(self) -> list:
        """The error column: its header and each method's relative error against autograd."""
        t = self.theme
        checked = [p for p in self.points if p.accuracy is not None]
        if not checked:
            return []
        at = self.accuracy_point = checked[-1]
        errors = {"forward": at.accuracy.forward_relative_error, "central": at.accuracy.central_relative_error}
        n_text = f"{at.n:,}".replace(",", "{,}")
        cells = [MathTex(rf"\text{{rel. error}},\ n = {n_text}", font_size=SMALL_SIZE, color=t.text)]
        for m in METHODS:
            text = digits_tex(errors[m], 2) if m in errors else r"\text{reference}"
            cells.append(MathTex(text, font_size=SMALL_SIZE, color=self.color(m) if m in errors else t.muted))
        self.errors = errors
        return cells
