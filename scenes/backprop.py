"""BackwardPassGraph: the graph torch records for f, each node's value and exact local derivative,
and the backward pass multiplying them node by node back to x (mathcore.backprop).
"""

from __future__ import annotations

import math

from manim import (
    DOWN, LEFT, RIGHT, UP, ArcBetweenPoints, Create, FadeIn, FadeOut, Indicate, MathTex,
    LaggedStart, RoundedRectangle, TransformMatchingShapes, VGroup, Write,
)

from scenes.charts import caption_number, digits_tex
from scenes.pieces import function_tex, number_tex
from scenes.lesson import MARGIN, LessonScene, frame_width, heading
from scenes.style import SMALL_SIZE

DIGITS = 5
"""Significant digits in the table; the conclusion shows every bit."""
GAP = 0.35
"""Frame units between the table's columns."""
ROW_PITCH = (0.42, 0.95)
"""The smallest and largest distance between the table's rows."""
ARC_ANGLE = 0.6 * math.pi
"""How far an edge's arc bends: it bulges left of the row labels by about a third of its length."""
CHARS_PER_UNIT = 6.5
"""Characters of text at SMALL_SIZE per frame unit of width, for breaking a sentence into lines."""


class BackwardPassGraph(LessonScene):
    """One row per recorded node (x's leaf first, f's node last): its value, its local
    derivatives and, in the backward pass, the gradient that reaches it.
    """

    short_name = "backprop"

    def construct(self) -> None:
        self.graph = self.data.graph
        self.nodes = list(self.graph.nodes)
        self.edges = list(self.graph.edges)
        self.show_graph()
        self.forward_pass()
        self.local_derivatives()
        self.backward_pass()
        self.conclude()

    # -- storyboard -------------------------------------------------------------------------

    def show_graph(self) -> None:
        self.beat("graph")
        t = self.theme
        g = self.graph
        self.heading = heading(self.title_text, t.text)
        self.subtitle = MathTex(rf"f(x) = {function_tex(self.data.latex)},\quad x_0 = {number_tex(g.x0)}",
                                font_size=SMALL_SIZE, color=t.text)
        self.subtitle.next_to(self.heading, DOWN, buff=0.2).align_to(self.heading, LEFT)
        self.room = frame_width() - 2 * MARGIN
        self.statement = self.paragraph(
            "Autograd is neither symbolic differentiation nor a finite difference: it applies the chain rule "
            "to the operations it recorded, each with its exact local derivative.", t.text)
        self.results = self.result_lines()
        self.build_table(top=self.subtitle.get_bottom()[1] - 0.3)
        self.play(Write(self.heading), FadeIn(self.subtitle), run_time=1)
        names = ", ".join(n.name for n in self.nodes[1:])
        self.narrate(f"Evaluating f on a tensor that requires a gradient, torch records one node per operation: "
                     f"{names}, linked back to x.", FadeIn(self.headers[0], self.boxes, self.labels),
                     *[Create(a) for a in self.arcs], run_time=2)
        self.record("node_names", [n.name for n in self.nodes])

    def forward_pass(self) -> None:
        self.beat("forward")
        self.narrate("The forward pass: each node's value, from x down to f.", FadeIn(self.headers[1]),
                     LaggedStart(*[FadeIn(c, shift=RIGHT * 0.2) for c in self.value_cells], lag_ratio=0.4),
                     run_time=2)
        self.record("values", [float(n.value) for n in self.nodes])

    def local_derivatives(self) -> None:
        self.beat("local derivatives")
        self.narrate("Each node also knows its local derivative, an exact formula evaluated at its input: "
                     "for example cos u for sin u, 2u for u squared.",
                     FadeIn(self.headers[2]), *[FadeIn(c) for c in self.local_cells if len(c)], run_time=2)
        self.record("local_derivatives", [[e.source, e.target, float(e.local_derivative)] for e in self.edges])

    def backward_pass(self) -> None:
        self.beat("backward")
        t = self.theme
        last = len(self.nodes) - 1
        leaving = [self.headers[1], self.value_cells[last]] if self.merged else []
        self.play(*[FadeOut(m) for m in leaving], FadeIn(self.headers[3], self.gradient_cells[last]), run_time=0.8)
        self.narrate("The backward pass starts at f with gradient 1.", Indicate(self.gradient_cells[last]),
                     run_time=1)
        working = None
        for i in range(last - 1, -1, -1):
            line = self.working_line(i).move_to(self.work_anchor, aligned_edge=LEFT)
            arcs = [self.arcs[k] for k, e in enumerate(self.edges) if e.source == i]
            step = [FadeIn(line) if working is None else TransformMatchingShapes(working, line),
                    *[Indicate(a, color=t.secant, scale_factor=1.0) for a in arcs]]
            words = ("Each node multiplies the gradient that reaches it by its local derivative and passes "
                     "the product back to its input; where paths meet, the products add up." if working is None else
                     f"{self.spoken(i)}: the same rule.")
            self.narrate(words, *step, run_time=1.5)
            leaving = [FadeOut(self.value_cells[i])] if self.merged else []
            self.play(*leaving, FadeIn(self.gradient_cells[i], shift=LEFT * 0.2), run_time=0.6)
            working = line
        self.working = working
        self.record("gradients", [float(n.gradient) for n in self.nodes])
        self.record("edge_gradients", [[e.source, e.target, float(e.gradient)] for e in self.edges])

    def conclude(self) -> None:
        self.beat("conclusion")
        g = self.graph
        ulps = int(g.analytic_ulps)
        shown = self.results
        shown.move_to(self.work_anchor, aligned_edge=UP + LEFT).shift(UP * 0.25)
        statement = self.statement
        leaving = [self.working] if self.working is not None else []
        if shown.get_bottom()[1] - 0.25 - statement.height >= -4 + MARGIN:  # room under the numbers
            statement.next_to(shown, DOWN, buff=0.25).align_to(shown, LEFT)
        else:  # else in the heading's place
            statement.move_to(self.heading, aligned_edge=UP + LEFT)
            leaving.append(self.heading)
            if statement.get_bottom()[1] < self.subtitle.get_top()[1]:
                leaving.append(self.subtitle)
        agreement = ("equals the analytic derivative to the last bit" if ulps == 0 else
                     f"is within {ulps} unit{'s' if ulps > 1 else ''} in the last place of the analytic "
                     "derivative")
        self.narrate(f"x.grad {agreement}; a central difference is off by {caption_number(g.central_error)}.",
                     *[FadeOut(m) for m in leaving], FadeIn(shown), run_time=1.5)
        self.narrate("Autograd is neither symbolic differentiation nor a finite difference: it applies the "
                     "chain rule to the operations it recorded, each with its exact local derivative.",
                     FadeIn(statement), run_time=1.5)
        self.record("autograd", float(g.gradient))
        self.record("analytic", float(g.analytic))
        self.record("analytic_ulps", ulps)
        self.record("central_difference", float(g.central_difference))
        self.record("central_error", float(g.central_error))
        self.hold(1.5)

    # -- pieces -----------------------------------------------------------------------------

    def result_lines(self) -> VGroup:
        """x.grad, the analytic derivative and a central difference, each to the last bit."""
        t = self.theme
        g = self.graph
        ulps = int(g.analytic_ulps)
        derivative = rf"f'(x_0) = {function_tex(self.data.derivative_latex)} = {digits_tex(g.analytic, 17)}"
        rows = [  # (colour, what it is, a note that moves under it when the line is too long)
            (t.secant, [rf"\texttt{{x.grad}} = {digits_tex(g.gradient, 17)}"], None),
            (t.text, [derivative, rf"f'(x_0) = {digits_tex(g.analytic, 17)}"], rf"\text{{({ulps} ULP apart)}}"),
            (t.df, [rf"\text{{central difference}} = {digits_tex(g.central_difference, 17)}"],
             rf"\text{{(off by }}{digits_tex(g.central_error, 2)}\text{{)}}"),
        ]
        shown = VGroup()
        for color, forms, note in rows:
            for form in forms:  # a long derivative: its value without its formula
                main = MathTex(form, font_size=SMALL_SIZE, color=color)
                if main.width <= self.room:
                    break
            row = VGroup(main)
            if note is not None:
                row.add(MathTex(note, font_size=SMALL_SIZE, color=color).next_to(main, RIGHT, buff=0.35))
                if row.width > self.room:
                    row[1].next_to(main, DOWN, buff=0.1).align_to(main, LEFT).shift(RIGHT * 0.6)
            shown.add(row)
        return shown.arrange(DOWN, aligned_edge=LEFT, buff=0.14)


    def name(self, i: int) -> str:
        """How node i is written: x for the leaf, v_i for the others."""
        return "x" if i == 0 else f"v_{{{i}}}"

    def spoken(self, i: int) -> str:
        return "x" if i == 0 else f"v{i}"

    def build_table(self, top: float) -> None:
        """The rows and columns, sized by their contents, and the arcs of the graph's edges."""
        t = self.theme
        W = frame_width()
        self.room = W - 2 * MARGIN
        n = len(self.nodes)
        self.headers = VGroup(
            MathTex(r"\text{node torch recorded}", font_size=SMALL_SIZE, color=t.muted),
            MathTex(r"\text{value}", font_size=SMALL_SIZE, color=t.muted),
            MathTex(r"\text{local derivative}", font_size=SMALL_SIZE, color=t.muted),
            MathTex(r"\bar v = \partial f/\partial v", font_size=SMALL_SIZE, color=t.muted))
        self.labels = VGroup(*[MathTex(self.name(i), font_size=SMALL_SIZE, color=t.text) for i in range(n)])
        names = VGroup(*[MathTex(rf"\texttt{{{node.name}}}", font_size=SMALL_SIZE, color=t.text)
                         for node in self.nodes])
        box_width = max(m.width for m in names) + 0.3
        label_width = max(self.labels.width, 0.5)
        arc_room = 0.25 + 0.16 * max([e.target - e.source for e in self.edges], default=1)
        base = arc_room + label_width + 0.15 + box_width + GAP
        # the most the frame allows, tried in turn: local derivatives side by side, then stacked,
        # then the gradients taking the values' column, then fewer digits, then a shorter notation
        for digits, compact, stacked, merged in ((DIGITS, False, False, False), (DIGITS, False, True, False),
                                                 (DIGITS, False, True, True), (3, False, True, True),
                                                 (3, True, True, True)):
            self.make_cells(digits, compact, stacked)
            value_width = max(self.headers[1].width, max(c.width for c in self.value_cells))
            gradient_width = max(self.headers[3].width, max(c.width for c in self.gradient_cells))
            local_width = max([self.headers[2].width] + [c.width for c in self.local_cells if len(c)])
            numbers = max(value_width, gradient_width) if merged else value_width + GAP + gradient_width
            if base + numbers + GAP + local_width <= self.room:
                break
        self.merged, self.digits = merged, digits
        self.record("table_layout", {"digits": digits, "compact": compact, "stacked": stacked, "merged": merged})
        units = [max(1, len(c)) if stacked else 1 for c in self.local_cells]
        # below the table: the working line, later the three lines of the conclusion and, if the rows
        # can stay well apart, the closing statement (else it takes the heading's place)
        rows_room = top - 0.65 - self.results.height - (-4 + MARGIN)  # the rows take (units + 1/2) pitches
        pitch = (rows_room - 0.25 - self.statement.height) / (sum(units) + 0.5)
        if pitch < 0.6:
            pitch = rows_room / (sum(units) + 0.5)
        pitch = min(max(pitch, ROW_PITCH[0]), ROW_PITCH[1])
        label_x = -W / 2 + MARGIN + arc_room
        box_x = label_x + label_width + 0.15
        value_x = box_x + box_width + GAP
        number_width = max(value_width, gradient_width) if self.merged else value_width
        local_x = value_x + number_width + GAP
        gradient_x = value_x if self.merged else local_x + local_width + GAP
        header_y = top - 0.2
        for header, x in zip(self.headers, (label_x, value_x, local_x, gradient_x)):
            header.move_to([x, header_y, 0], aligned_edge=LEFT)
        xs = [label_x, box_x, value_x, local_x, gradient_x]
        self.rows_y, y = [], header_y - 0.3 - pitch / 2
        self.boxes = VGroup()
        for i in range(n):
            row_y = y - (units[i] - 1) * pitch / 2
            self.rows_y.append(row_y)
            self.labels[i].move_to([xs[0], row_y, 0], aligned_edge=LEFT)
            box = RoundedRectangle(width=box_width, height=min(0.46, pitch - 0.04), corner_radius=0.1,
                                   stroke_color=t.muted, stroke_width=2, fill_color=t.panel, fill_opacity=1)
            box.move_to([xs[1] + box_width / 2, row_y, 0])
            self.boxes.add(VGroup(box, names[i].move_to(box)))
            self.value_cells[i].move_to([xs[2], row_y, 0], aligned_edge=LEFT)
            self.local_cells[i].move_to([xs[3], row_y, 0], aligned_edge=LEFT)
            self.gradient_cells[i].move_to([xs[4], row_y, 0], aligned_edge=LEFT)
            y -= units[i] * pitch
        self.arcs = VGroup()
        for e in self.edges:
            start = self.labels[e.source].get_left() + LEFT * 0.08
            end = self.labels[e.target].get_left() + LEFT * 0.08
            self.arcs.add(ArcBetweenPoints(start, end, angle=ARC_ANGLE, color=t.muted, stroke_width=3)
                          .add_tip(tip_length=0.14, tip_width=0.14))
        self.work_anchor = [-W / 2 + MARGIN, y - 0.15 - 0.25, 0]
        self.table_bottom = y

    def make_cells(self, digits: int, compact: bool, stacked: bool) -> None:
        """The value, local-derivative and gradient cells with ``digits`` significant digits; a
        compact local derivative is written with the input as a subscript, d_x.
        """
        t = self.theme
        self.value_cells = VGroup(*[MathTex(self.value_tex(node.value, digits), font_size=SMALL_SIZE,
                                            color=t.curve) for node in self.nodes])
        self.gradient_cells = VGroup(*[MathTex(digits_tex(node.gradient, digits), font_size=SMALL_SIZE,
                                               color=t.secant) for node in self.nodes])
        self.local_cells = VGroup()
        for i in range(len(self.nodes)):
            entries = []
            for e in (e for e in self.edges if e.target == i):
                name = (rf"\partial_{{{self.name(e.source)}}}" if compact else
                        rf"\partial {self.name(e.target)}/\partial {self.name(e.source)}")
                entries.append(MathTex(rf"{name} = {digits_tex(e.local_derivative, digits)}",
                                       font_size=SMALL_SIZE, color=t.tangent))
            cell = VGroup(*entries)
            if entries:
                cell.arrange(DOWN, aligned_edge=LEFT, buff=0.12) if stacked else cell.arrange(RIGHT, buff=0.4)
            self.local_cells.add(cell)

    @staticmethod
    def value_tex(value: float, digits: int) -> str:
        return digits_tex(value, digits) if math.isfinite(value) else r"\text{--}"

    def working_line(self, i: int) -> MathTex:
        """The chain rule at node i: its gradient as the sum, over the nodes it feeds, of their
        gradient times their local derivative; the products are torch's own.
        """
        t = self.theme
        out = [e for e in self.edges if e.source == i]
        me = rf"\bar{{{self.name(i)}}}" if i == 0 else rf"\bar v_{{{i}}}"
        symbols = " + ".join(rf"\bar v_{{{e.target}}}\,\partial v_{{{e.target}}}/\partial {self.name(i)}"
                             for e in out)
        numbers = " + ".join(rf"({digits_tex(self.nodes[e.target].gradient, self.digits)})"
                             rf"({digits_tex(e.local_derivative, self.digits)})" for e in out)
        result = digits_tex(self.nodes[i].gradient, self.digits)
        for tex in (rf"{me} = {symbols} = {numbers} = {result}", rf"{me} = {numbers} = {result}",
                    rf"{me} = \textstyle\sum_{{{len(out)}\ \text{{paths}}}} = {result}"):
            line = MathTex(tex, font_size=SMALL_SIZE, color=t.secant)
            if line.width <= self.room:
                return line
        return line

    def paragraph(self, text: str, color: str) -> VGroup:
        """``text`` broken into as few lines as fit the frame's width, left-aligned."""
        per_line = max(int(self.room * CHARS_PER_UNIT), 20)
        while True:
            lines, current = [], ""
            for word in text.split():
                if current and len(current) + 1 + len(word) > per_line:
                    lines.append(current)
                    current = word
                else:
                    current = f"{current} {word}".strip()
            lines.append(current)
            shown = VGroup(*[MathTex(rf"\text{{{line}}}", font_size=SMALL_SIZE, color=color) for line in lines])
            if shown.width <= self.room or per_line <= 20:
                return shown.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
            per_line = int(per_line * 0.9)
