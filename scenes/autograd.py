"""AutogradVersusFiniteDifferences: autograd is exact, a finite difference is not."""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, FadeIn, GrowFromEdge, LogBase, MathTex, NumberLine, Rectangle, VGroup, Write,
)

import mathcore
from scenes.base import LabScene
from scenes.pieces import legend, title
from scenes.style import SMALL_SIZE

BAR_HEIGHT = 0.14
EXPONENTS = (-18, -6)
"""The log axis of |difference|: from the drawing floor for exact zeros up to 1e-6."""


class AutogradVersusFiniteDifferences(LabScene):
    """For each catalog function, two bars: analytic minus autograd, analytic minus central
    difference, on one log axis. Autograd's bars sit at the floor (0 ULPs) or a hair above."""

    short_name = "autograd"

    def construct(self) -> None:
        self.rows = self.summarise(mathcore.check_autograd())
        self.functions = list(mathcore.CATALOG.values())
        self.show_axis()
        self.grow_bars()
        self.conclude()

    @staticmethod
    def summarise(checks: list[mathcore.AutogradCheck]) -> list[dict]:
        """The worst point of each function: what the chart shows."""
        rows: dict[str, dict] = {}
        for c in checks:
            row = rows.setdefault(c.function, {"function": c.function, "latex": c.latex, "ulps": 0,
                                               "autograd_diff": 0.0, "fd_error": 0.0, "gradcheck": True})
            row["ulps"] = max(row["ulps"], c.ulps)
            row["autograd_diff"] = max(row["autograd_diff"], abs(c.analytic - c.autograd))
            row["fd_error"] = max(row["fd_error"], c.fd_error)
            row["gradcheck"] = row["gradcheck"] and c.gradcheck
        return list(rows.values())

    def show_axis(self) -> None:
        self.beat("axis")
        t = self.theme
        heading = title(self.title_text, t.text)
        n = len(self.functions)
        self.row_gap = min(0.42, 5.45 / n)
        self.top = 2.55
        self.axis = NumberLine(x_range=[EXPONENTS[0], EXPONENTS[1], 2], length=7.2, color=t.muted,
                               scaling=LogBase(custom_labels=True), include_numbers=True, font_size=18,
                               include_tip=False)
        self.axis.move_to([1.9, self.top - n * self.row_gap - 0.12, 0])
        if hasattr(self.axis, "labels"):
            self.axis.labels.set_color(t.muted)
        caption = MathTex(r"|\,f'_{\text{analytic}} - \text{estimate}\,|", font_size=SMALL_SIZE, color=t.muted)
        caption.next_to(self.axis, LEFT, buff=0.5)
        names = VGroup()
        for i, fn in enumerate(self.functions):
            names.add(MathTex(fn.latex, font_size=SMALL_SIZE, color=t.text)
                      .move_to([0, self.y(i), 0]).align_to(self.axis.get_left() + LEFT * 0.4, RIGHT))
        self.names = names
        key = legend([("autograd (.backward)", t.tangent, False), ("central difference", t.secant, False)],
                     t.text)
        key[1].next_to(key[0], RIGHT, buff=0.6)
        key.next_to(heading, DOWN, buff=0.2).align_to(heading, LEFT)
        self.play(Write(heading), FadeIn(self.axis, caption, names, key), run_time=1.5,
                  subcaption="For each function: how far each method lands from the analytic derivative.")

    def y(self, i: int) -> float:
        return self.top - (i + 0.5) * self.row_gap

    def bar(self, value: float, i: int, offset: float, color: str) -> Rectangle:
        floor = 10.0 ** EXPONENTS[0]
        left = self.axis.n2p(floor)
        right = self.axis.n2p(min(max(value, floor), 10.0 ** EXPONENTS[1]))
        width = max(right[0] - left[0], 0.04)  # an exact zero still shows as a sliver at the floor
        bar = Rectangle(width=width, height=BAR_HEIGHT, stroke_width=0, fill_color=color, fill_opacity=1)
        return bar.move_to([left[0] + width / 2, self.y(i) + offset, 0])

    def grow_bars(self) -> None:
        self.beat("bars")
        t = self.theme
        auto, fd, ulp_labels = VGroup(), VGroup(), VGroup()
        for i, row in enumerate(self.rows):
            auto.add(self.bar(row["autograd_diff"], i, BAR_HEIGHT / 2 + 0.01, t.tangent))
            fd.add(self.bar(row["fd_error"], i, -BAR_HEIGHT / 2 - 0.01, t.secant))
            ulp_labels.add(MathTex(rf"{row['ulps']}\ \text{{ULP}}", font_size=SMALL_SIZE - 3, color=t.tangent)
                           .next_to(auto[-1], RIGHT, buff=0.1))
        self.play(*[GrowFromEdge(b, LEFT) for b in auto], FadeIn(ulp_labels), run_time=1.5,
                  subcaption="Autograd: zero to a few units in the last place.")
        self.play(*[GrowFromEdge(b, LEFT) for b in fd], run_time=2,
                  subcaption="Central difference: errors near 1e-10, set by truncation and round-off.")
        self.record("ulps", {r["function"]: r["ulps"] for r in self.rows})
        self.record("fd_error", {r["function"]: r["fd_error"] for r in self.rows})

    def conclude(self) -> None:
        self.beat("conclusion")
        t = self.theme
        worst = max(r["ulps"] for r in self.rows)
        typical = float(np.median([r["fd_error"] for r in self.rows]))
        note = MathTex(rf"\text{{autograd: at most {worst} ULP}}\qquad"
                       rf"\text{{finite difference: typically }}10^{{{math.floor(math.log10(typical))}}}",
                       font_size=SMALL_SIZE, color=t.text).to_edge(DOWN, buff=0.12)
        self.play(FadeIn(note, shift=UP * 0.2), run_time=1,
                  subcaption="Autograd applies exact derivative rules; it does not take differences.")
        self.record("worst_ulps", worst)
        self.wait(2)
