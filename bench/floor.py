"""The floor a scene's per-frame cost is measured against: plain Manim with one Axes, one
plotted curve and one changing DecimalNumber, for as many frames as the scene it is compared to."""

from __future__ import annotations

import os

from manim import UP, Axes, DecimalNumber, Scene, ValueTracker, linear

DURATION_VAR = "DIP_FLOOR_SECONDS"


class FloorScene(Scene):
    def construct(self) -> None:
        seconds = float(os.environ.get(DURATION_VAR, "10"))
        ax = Axes(x_range=[0, 3, 1], y_range=[0, 9, 3], x_length=7, y_length=5)
        curve = ax.plot(lambda x: x**2)
        value = ValueTracker(0.0)
        number = DecimalNumber(0, num_decimal_places=4).to_edge(UP)
        number.add_updater(lambda m: m.set_value(value.get_value()))
        self.add(ax, curve, number)
        self.play(value.animate.set_value(1.0), run_time=seconds, rate_func=linear)
