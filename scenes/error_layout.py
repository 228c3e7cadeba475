"""Where the error scene puts things, for any frame: the plot on the left and a panel on the
right when the frame is wide enough (16:9 and 4:3), the panel under the plot when it is not.

Every size is relative to the frame (``Frame.unit``); nothing is placed by pixel arithmetic.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, MathTex

import mathcore
from scenes.framing import (
    TEXT_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    Frame,
    HeadingText,
    fit_width,
    power_of_ten,
)
from scenes.logplot import LogLogAxes

SIDE_PANEL_MIN_ASPECT = 1.2
"""Frames at least this wide for their height get a side panel; narrower ones a panel below."""


class ErrorLayout:
    """The heading, the formula, the log-log plot and its labels, and the panel's rectangle."""

    def __init__(self, scene: Any, steps: np.ndarray, top_error: float, formula_tex: str) -> None:
        t = scene.theme
        self.frame = frame = Frame.of(scene)
        u = self.unit = frame.unit
        self.text_size, self.tick_size = frame.size(TEXT_SIZE), frame.size(TICK_SIZE)
        margin = 0.35 * u

        self.heading = HeadingText(scene.title_text, font_size=frame.size(TITLE_SIZE), color=t.text)
        self.heading.move_to([frame.left + margin, frame.top - margin, 0], aligned_edge=UP + LEFT)
        side = frame.aspect >= SIDE_PANEL_MIN_ASPECT
        self.panel_width = (min(max(0.33 * frame.width, 3.8 * u), 4.8 * u) if side
                            else frame.width - 2 * margin)
        self.formula = MathTex(formula_tex, font_size=self.text_size, color=t.text)
        room = frame.width - 2 * margin - self.heading.width - 0.6 * u
        panel_top = self.heading.get_bottom()[1] - 0.3 * u
        if self.formula.width <= room:
            self.formula.move_to([frame.right - margin, self.heading.get_center()[1], 0], aligned_edge=RIGHT)
            plot_header_bottom = self.heading.get_bottom()[1]
        else:  # a long f: under the heading, over the plot only, so the panel keeps its height
            plot_side = frame.width - 2 * margin - (self.panel_width + 0.45 * u if side else 0)
            fit_width(self.formula, plot_side)
            self.formula.next_to(self.heading, DOWN, buff=0.2 * u, aligned_edge=LEFT)
            plot_header_bottom = self.formula.get_bottom()[1]
            if not side:
                panel_top = plot_header_bottom - 0.3 * u

        self.y_label = MathTex(r"|\text{error}|", font_size=self.text_size, color=t.text)
        self.x_label = MathTex("h", font_size=self.text_size, color=t.text)
        tick_width = power_of_ten(-16, self.tick_size, t.muted).width
        tick_height = power_of_ten(-16, self.tick_size, t.muted).height
        plot_left = frame.left + margin + tick_width + 0.2 * u
        # the top tick label reaches half its height above the plot; the y label sits above it
        plot_top = plot_header_bottom - 0.3 * u - self.y_label.height - 0.12 * u - tick_height / 2
        if side:
            plot_right = frame.right - margin - self.panel_width - 0.45 * u - self.x_label.width - 0.15 * u
            plot_bottom = frame.bottom + margin + tick_height + 0.2 * u
        else:
            plot_right = frame.right - margin - self.x_label.width - 0.15 * u
            plot_bottom = plot_top - 0.45 * (plot_top - frame.bottom)

        x_range = (math.floor(math.log10(steps[0]) + 1e-9), math.ceil(math.log10(steps[-1]) - 1e-9))
        floor = round(math.log10(mathcore.ERROR_FLOOR))
        y_range = (floor, max(math.ceil(math.log10(top_error) - 1e-9), floor + 4))
        self.plot = LogLogAxes(x_range, y_range, plot_right - plot_left, plot_top - plot_bottom, t.muted, t.muted,
                               self.tick_size, u, floor=floor)
        target = np.array([(plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2, 0.0])
        self.plot.shift(target - self.plot.axes.get_center())  # the axes, their labels and marks
        axes = self.plot.axes
        self.x_label.next_to(axes.x_axis.get_right(), RIGHT, buff=0.15 * u)
        self.y_label.next_to(self.plot.c2p(x_range[0], y_range[1]), UP, buff=0.12 * u + tick_height / 2)
        self.y_label.align_to([plot_left - 0.1 * u, 0, 0], RIGHT)

        if side:
            self.panel_left = frame.right - margin - self.panel_width
            self.panel_top = panel_top
        else:
            self.panel_left = frame.left + margin
            self.panel_top = min(self.plot.x_labels.get_bottom()[1], axes.get_bottom()[1]) - 0.3 * u
        self.panel_bottom = frame.bottom + margin

    @property
    def panel_top_left(self) -> np.ndarray:
        return np.array([self.panel_left, self.panel_top, 0.0])
