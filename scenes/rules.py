"""DifferentiationRules: the power, product and chain rules, each checked by mathcore.verify_rules.

The rules name the parts f and g; the worked example is a whole function h built from them, so
no letter means two things on one screen.
"""

from __future__ import annotations

from dataclasses import dataclass

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
HEADERS = (rf"h'({POINT:g})\ \text{{by the rule}}", r"\text{central difference}", r"|\text{difference}|")
PASS_NOTE = r"\text{passes if} \le 10^{-7} \max(1, |h'|)"
DIGITS = 9
"""Decimals shown: enough to see the two agree to about 1e-10."""
GAP = (0.15, 0.45)
"""Smallest and largest space between two rules' blocks."""


@dataclass
class Block:
    """What one rule puts on screen."""

    text: VGroup
    numbers: VGroup
    mark: MathTex
    line: Line

    @property
    def group(self) -> VGroup:
        return VGroup(self.text, self.numbers, self.mark)


class DifferentiationRules(LabScene):
    """One block per rule: the rule, the worked example h, analytic against numerical, a verdict."""

    short_name = "rules"

    def construct(self) -> None:
        rows = {(r.function, r.x): r for r in mathcore.verify_rules()}
        self.checks = {rule: rows[(name, POINT)] for rule, (name, _, _) in EXAMPLES.items()}
        self.show_header()
        blocks = self.lay_out_blocks()
        for rule, block in blocks.items():
            self.check_rule(rule, block, self.checks[rule])
        self.narrate("All three rules agree with the numerical estimate, to about ten digits.", run_time=1)
        self.hold(2)

    def show_header(self) -> None:
        self.beat("header")
        t = self.theme
        left, right, _, _ = usable_box()
        self.heading = title(self.title_text, t.text)
        heads = VGroup(*[MathTex(h, font_size=SMALL_SIZE, color=t.muted) for h in HEADERS])
        sample = [MathTex(f"{-1.234567891:.{DIGITS}f}", font_size=SMALL_SIZE),
                  MathTex(f"{-1.234567891:.{DIGITS}f}", font_size=SMALL_SIZE),
                  MathTex(r"8.5\times10^{-11}", font_size=SMALL_SIZE)]
        widths = [max(h.width, s.width) for h, s in zip(heads, sample)]
        gap = max(0.3, (right - left - 0.4 - sum(widths) - 0.8) / 3)
        self.columns, x = [], left + 0.4
        for w in widths:
            self.columns.append(x)
            x += w + gap
        self.mark_x = min(x + 0.2, right - 0.35)
        y_heads = self.heading.get_bottom()[1] - 0.3
        for head, x in zip(heads, self.columns):
            head.move_to([x, y_heads, 0], aligned_edge=UP + LEFT)
        note = MathTex(PASS_NOTE, font_size=SMALL_SIZE, color=t.muted)
        note.next_to(heads[2], DOWN, buff=0.1, aligned_edge=LEFT)
        if note.get_right()[0] > right:
            note.align_to([right, 0, 0], RIGHT)
        self.header = VGroup(heads, note)
        self.narrate(f"For each rule: the derivative it gives, against a central difference at x = {POINT:g}.",
                     FadeIn(self.heading), FadeIn(self.header), run_time=1.5)

    def lay_out_blocks(self) -> dict[str, Block]:
        """Build every rule's block, then share the height left among them."""
        left, right, bottom, _ = usable_box()
        blocks = {rule: self.build_block(rule, formula, parts, self.checks[rule])
                  for rule, (_, formula, parts) in EXAMPLES.items()}
        top = self.header.get_bottom()[1] - 0.2
        content = sum(b.group.height for b in blocks.values())
        gap = min(max((top - bottom - content) / len(blocks), GAP[0]), GAP[1])
        for block in blocks.values():
            block.line.put_start_and_end_on([left, top, 0], [right, top, 0])
            block.group.shift([0, top - gap / 2 - block.group.get_top()[1], 0])
            top = block.group.get_bottom()[1] - gap / 2
        return blocks

    def build_block(self, rule: str, formula: str, parts: str, row: mathcore.RuleCheck) -> Block:
        t = self.theme
        left, _, _, _ = usable_box()
        name = SceneText(f"{rule.capitalize()} rule", font_size=LABEL_SIZE, color=t.curve, weight="BOLD")
        law = MathTex(formula, font_size=LABEL_SIZE, color=t.text)
        example = MathTex(rf"h(x) = {row.latex},\quad {parts}", font_size=SMALL_SIZE, color=t.muted)
        text = VGroup(VGroup(name, law).arrange(RIGHT, buff=0.5), example).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        text.move_to([left, 0, 0], aligned_edge=UP + LEFT)
        values = [f"{row.analytic:.{DIGITS}f}", f"{row.numerical:.{DIGITS}f}", sci_tex(row.abs_error)]
        numbers = VGroup(*[MathTex(v, font_size=SMALL_SIZE, color=t.text) for v in values])
        for number, x in zip(numbers, self.columns):
            number.move_to([x, text.get_bottom()[1] - 0.18, 0], aligned_edge=UP + LEFT)
        mark = MathTex(r"\checkmark" if row.passed else r"\times", font_size=56,
                       color=t.ok if row.passed else t.fail).move_to([self.mark_x, numbers.get_y(), 0])
        return Block(text, numbers, mark, Line(LEFT, RIGHT, color=t.grid, stroke_width=2))

    def check_rule(self, rule: str, block: Block, row: mathcore.RuleCheck) -> None:
        self.beat(rule)
        self.narrate(f"The {rule} rule, worked on h(x) = {row.function}, with f and g naming its parts.",
                     FadeIn(block.text, shift=RIGHT * 0.2), FadeIn(block.line), run_time=1)
        self.narrate(f"The rule gives h′({row.x:g}) = {row.analytic:.{DIGITS}f}; the central difference agrees "
                     f"to {sci_text(row.abs_error)}.", FadeIn(block.numbers), run_time=1)
        self.narrate(f"That is within the tolerance of {sci_text(row.tolerance)}: the rule checks out." if row.passed
                     else f"That is outside the tolerance of {sci_text(row.tolerance)}: the check fails.",
                     FadeIn(block.mark, scale=1.6), run_time=0.6)
        self.record(rule, {"function": row.function, "x": row.x, "analytic": row.analytic,
                           "numerical": row.numerical, "abs_error": row.abs_error,
                           "passed": row.passed, "mark": "check" if row.passed else "cross"})
        self.record_box(rule, block.group)

