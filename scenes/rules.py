"""DifferentiationRules: the power, product and chain rules, each checked by mathcore.verify_rules."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, FadeIn, Line, MathTex, Text, VGroup, Write

import mathcore
from scenes.base import LabScene
from scenes.pieces import sci_tex, title
from scenes.style import SMALL_SIZE

EXAMPLES = {
    "power": ("x^3", r"\frac{d}{dx}\,x^n = n\,x^{n-1}"),
    "product": ("x^2*sin(x)", r"(f g)' = f' g + f g'"),
    "chain": ("sin(x^2)", r"\big(f(g(x))\big)' = f'(g(x))\,g'(x)"),
}
"""Each rule, the catalog function that exercises it, and the rule's formula."""
POINT = 1.5
"""Where each worked example is evaluated."""
HEADERS = (r"\text{analytic}", r"\text{central difference}", r"|\text{difference}|")


class DifferentiationRules(LabScene):
    """One row per rule: formula, worked example, analytic vs numerical, and a verdict."""

    short_name = "rules"

    def construct(self) -> None:
        rows = {(r.function, r.x): r for r in mathcore.verify_rules()}
        self.show_header()
        for i, (rule, (name, formula)) in enumerate(EXAMPLES.items()):
            self.check_rule(i, rule, formula, rows[(name, POINT)])
        self.wait(2)

    def show_header(self) -> None:
        self.beat("header")
        t = self.theme
        heading = title(self.title_text, t.text)
        self.columns = [-0.2, 2.3, 4.9]  # x of the three number columns
        self.row_y = [1.35, -0.55, -2.45]
        heads = VGroup(*[MathTex(h, font_size=SMALL_SIZE, color=t.muted).move_to([x, 2.55, 0])
                         for h, x in zip(HEADERS, self.columns)])
        point = MathTex(rf"\text{{at }} x = {POINT:g}", font_size=SMALL_SIZE, color=t.muted)
        point.move_to([-4.6, 2.55, 0]).align_to([-6.7, 0, 0], LEFT)
        rule_line = Line([-6.8, 2.25, 0], [6.8, 2.25, 0], color=t.grid, stroke_width=2)
        self.play(Write(heading), FadeIn(heads, point, rule_line), run_time=1.5,
                  subcaption="For each rule: the analytic derivative against a central difference.")

    def check_rule(self, i: int, rule: str, formula: str, row: mathcore.RuleCheck) -> None:
        self.beat(rule)
        t = self.theme
        y = self.row_y[i]
        name = Text(f"{rule} rule", font_size=SMALL_SIZE + 2, color=t.curve, weight="BOLD")
        law = MathTex(formula, font_size=SMALL_SIZE + 2, color=t.text)
        example = MathTex(rf"f = {row.latex},\ f' = {row.derivative_latex}", font_size=SMALL_SIZE,
                          color=t.muted)
        left = VGroup(name, law, example).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        if left.width > 4.6:
            left.scale_to_fit_width(4.6)
        left.move_to([-4.45, y, 0]).align_to([-6.7, 0, 0], LEFT)
        values = [f"{row.analytic:.12f}", f"{row.numerical:.12f}", sci_tex(row.abs_error)]
        numbers = VGroup(*[MathTex(v, font_size=SMALL_SIZE + 2, color=t.text).move_to([x, y, 0])
                           for v, x in zip(values, self.columns)])
        mark = MathTex(r"\checkmark" if row.passed else r"\times", font_size=48,
                       color=t.ok if row.passed else t.fail).move_to([6.45, y, 0])
        tolerance = MathTex(rf"\text{{tol }} {sci_tex(row.tolerance)}", font_size=SMALL_SIZE - 4,
                            color=t.muted).next_to(numbers[2], DOWN, buff=0.12)
        self.play(FadeIn(left, shift=RIGHT * 0.2), run_time=1,
                  subcaption=f"The {rule} rule, worked for {row.function} at x = {row.x:g}.")
        self.play(FadeIn(numbers), FadeIn(tolerance), run_time=1)
        self.play(FadeIn(mark, scale=1.6), run_time=0.6,
                  subcaption="Agreement within tolerance." if row.passed else "Disagreement: check failed.")
        self.record(rule, {"function": row.function, "x": row.x, "analytic": row.analytic,
                           "numerical": row.numerical, "abs_error": row.abs_error,
                           "passed": row.passed, "mark": "check" if row.passed else "cross"})
        self.wait(0.5)
