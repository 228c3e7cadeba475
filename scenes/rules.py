"""DifferentiationRules: the power, product and chain rules, each checked by mathcore.verify_rules.

The rules name the parts f and g; the worked example is a whole function h built from them, so
no letter means two things on one screen.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, FadeIn, Line, MathTex, VGroup

import mathcore
from scenes.base import LabScene
from scenes.pieces import SceneText, sci_tex, sci_text, title, usable_box
from scenes.style import LABEL_SIZE, SMALL_SIZE

EXAMPLES = {
    "power": ("x^3", r"(x^n)' = n\,x^{n-1}", r"n = 3"),
    "product": ("x^2*sin(x)", r"(f g)' = f' g + f g'", r"h = f\,g,\ \ f(x) = x^2,\ g(x) = \sin x"),
    "chain": ("sin(x^2)", r"\big(f(g(x))\big)' = f'(g(x))\,g'(x)", r"h = f \circ g,\ \ f(u) = \sin u,\ g(x) = x^2"),
}
"""Each rule: the catalog function that exercises it, the rule in f and g, and how h is built."""
POINT = 1.5
"""Where each worked example is evaluated."""
HEADERS = (r"h'(x)\ \text{by the rule}", r"\text{central difference}", r"|\text{difference}|")
DIGITS = 9
"""Decimals shown: enough to see the two agree to about 1e-10."""


class DifferentiationRules(LabScene):
    """One block per rule: the rule, the worked example h, analytic against numerical, a verdict."""

    short_name = "rules"

    def construct(self) -> None:
        rows = {(r.function, r.x): r for r in mathcore.verify_rules()}
        self.show_header()
        for i, (rule, (name, formula, parts)) in enumerate(EXAMPLES.items()):
            self.check_rule(i, rule, formula, parts, rows[(name, POINT)])
        self.narrate("All three rules agree with the numerical estimate, to about ten digits.", run_time=1)
        self.hold(2)

    def show_header(self) -> None:
        self.beat("header")
        t = self.theme
        self.box = usable_box()
        left, right, _, _ = self.box
        heading = title(self.title_text, t.text)
        point = MathTex(rf"\text{{each at }} x = {POINT:g}", font_size=SMALL_SIZE, color=t.muted)
        point.to_corner(UP + RIGHT, buff=0.45)
        sample = [f"{-1.234567891:.{DIGITS}f}"] * 2 + [r"8.5\times10^{-11} \le 1.9\times10^{-7}"]
        cells = [VGroup(MathTex(h, font_size=SMALL_SIZE), MathTex(s, font_size=SMALL_SIZE))
                 for h, s in zip(HEADERS, sample)]
        widths = [c.width for c in cells]
        gap = max(0.3, (right - left - 0.6 - sum(widths) - 0.7) / 3)
        self.columns, x = [], left + 0.4
        for w in widths:
            self.columns.append(x)
            x += w + gap
        self.mark_x = min(x + 0.1, right - 0.35)
        heads = VGroup(*[MathTex(h, font_size=SMALL_SIZE, color=t.muted) for h in HEADERS])
        y_heads = heading.get_bottom()[1] - 0.3
        for head, x in zip(heads, self.columns):
            head.move_to([x, y_heads, 0], aligned_edge=UP + LEFT)
        self.cursor = heads.get_bottom()[1] - 0.3
        self.narrate("For each rule: the derivative it gives, against a central difference at x = 1.5.",
                     FadeIn(heading), FadeIn(point), FadeIn(heads), run_time=1.5)

    def check_rule(self, i: int, rule: str, formula: str, parts: str, row: mathcore.RuleCheck) -> None:
        self.beat(rule)
        t = self.theme
        left, right, _, _ = self.box
        top = self.cursor
        name = SceneText(f"{rule.capitalize()} rule", font_size=LABEL_SIZE, color=t.curve, weight="BOLD")
        law = MathTex(formula, font_size=LABEL_SIZE, color=t.text)
        line = VGroup(name, law).arrange(RIGHT, buff=0.5)
        example = MathTex(rf"h(x) = {row.latex},\quad {parts}", font_size=SMALL_SIZE, color=t.muted)
        text = VGroup(line, example).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        text.move_to([left, top - 0.12, 0], aligned_edge=UP + LEFT)
        verdict = r"\le" if row.passed else ">"
        values = [f"{row.analytic:.{DIGITS}f}", f"{row.numerical:.{DIGITS}f}",
                  rf"{sci_tex(row.abs_error)} {verdict} {sci_tex(row.tolerance)}"]
        numbers = VGroup(*[MathTex(v, font_size=SMALL_SIZE, color=t.text) for v in values])
        y_numbers = text.get_bottom()[1] - 0.2
        for number, x in zip(numbers, self.columns):
            number.move_to([x, y_numbers, 0], aligned_edge=UP + LEFT)
        mark = MathTex(r"\checkmark" if row.passed else r"\times", font_size=56,
                       color=t.ok if row.passed else t.fail).move_to([self.mark_x, numbers.get_y(), 0])
        rule_line = Line([left, top, 0], [right, top, 0], color=t.grid, stroke_width=2)
        self.cursor = numbers.get_bottom()[1] - 0.3
        self.narrate(f"The {rule} rule, worked on h(x) = {row.function}, with f and g naming its parts.",
                     FadeIn(text, shift=RIGHT * 0.2), FadeIn(rule_line), run_time=1)
        self.narrate(f"The rule gives h′({row.x:g}) = {row.analytic:.{DIGITS}f}; the central difference agrees "
                     f"to {sci_text(row.abs_error)}.", FadeIn(numbers), run_time=1)
        self.narrate("Within tolerance: the rule checks out." if row.passed else "Outside tolerance: the check fails.",
                     FadeIn(mark, scale=1.6), run_time=0.6)
        self.record(rule, {"function": row.function, "x": row.x, "analytic": row.analytic,
                           "numerical": row.numerical, "abs_error": row.abs_error,
                           "passed": row.passed, "mark": "check" if row.passed else "cross"})
        self.record_box(rule, VGroup(text, numbers, mark))
