"""A magnifying inset: a square that shows a neighbourhood of a plot, enlarged by the same factor
in x and y, so that slopes look the same as in the plot while the points stay apart.

Geometry only (numpy and Manim shapes); the scene decides what to look at and asks mathcore
for every number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import Line, Rectangle, VGroup, VMobject

from scenes.layout import Box, clip_polyline, line_through_box
from scenes.pieces import EdgeAxes

SAMPLES = 121
"""Points of the curve inside the inset, each frame."""


class Magnifier:
    """A square inset of side ``side`` centred at ``centre`` looking at a plot ``ax``.

    ``look_at(x, y, reach)`` centres the view on data point (x, y) and picks the zoom so that a
    frame distance ``reach`` (measured in the plot) fills ``fill`` of the side.
    """

    def __init__(self, ax: EdgeAxes, centre: np.ndarray, side: float, fill: float = 0.55) -> None:
        self.ax, self.centre, self.side, self.fill = ax, np.asarray(centre, dtype=float), side, fill
        self.focus = (0.0, 0.0)
        self.zoom = 1.0
        pad = 0.04 * side
        self.box: Box = (self.centre[0] - side / 2 + pad, self.centre[0] + side / 2 - pad,
                         self.centre[1] - side / 2 + pad, self.centre[1] + side / 2 - pad)

    def frame(self, color: str) -> Rectangle:
        return Rectangle(width=self.side, height=self.side, color=color, stroke_width=2.5).move_to(self.centre)

    def look_at(self, x: float, y: float, reach: float) -> None:
        self.focus = (x, y)
        # below 1 at a large first step: the inset then shows more than the plot, and both points
        self.zoom = self.fill * self.side / reach if reach > 0 and np.isfinite(reach) else 1.0

    def map(self, x: object, y: object) -> np.ndarray:
        """Inset points of data (x, y), computed from differences to the focus so that nothing
        is lost to rounding at a large x0.
        """
        ux, uy = self.ax.units()
        dx = np.asarray(x, dtype=float) - self.focus[0]
        dy = np.asarray(y, dtype=float) - self.focus[1]
        out = np.zeros(np.broadcast(dx, dy).shape + (3,))
        out[..., 0] = self.centre[0] + self.zoom * ux * dx
        out[..., 1] = self.centre[1] + self.zoom * uy * dy
        return out

    def map_offsets(self, dx: float, dy: float) -> np.ndarray:
        """The inset point at data offsets (dx, dy) from the focus."""
        ux, uy = self.ax.units()
        return np.array([self.centre[0] + self.zoom * ux * dx, self.centre[1] + self.zoom * uy * dy, 0.0])

    def half_width(self) -> float:
        """Half the data width the inset shows."""
        return self.side / 2 / (self.zoom * self.ax.units()[0])

    def curve(self, f: Callable[[np.ndarray], np.ndarray], cuts: Sequence[float], color: str,
              width: float = 4) -> VMobject:
        """F inside the inset, broken at ``cuts`` (poles, jumps) and clipped to the square."""
        half = self.half_width()
        xs = np.linspace(self.focus[0] - half, self.focus[0] + half, SAMPLES)
        with np.errstate(all="ignore"):
            ys = np.asarray(f(xs), dtype=float)
        for c in cuts:  # never join the two sides of a pole
            ys[np.argmin(np.abs(xs - c))] = np.nan
        points = self.map(xs, ys)
        group = VGroup()
        for run in clip_polyline(points[:, :2], self.box):
            group.add(VMobject(color=color, stroke_width=width).set_points_as_corners(
                np.column_stack([run, np.zeros(len(run))])))
        return group

    def chord(self, x: float, y: float, slope: float, color: str, width: float = 4) -> VMobject:
        """The line through data point (x, y) with data ``slope``, across the inset."""
        ux, uy = self.ax.units()
        p = self.map(x, y)[:2]
        ends = line_through_box(p, np.array([ux, slope * uy]), self.box)
        if ends is None:
            return VMobject()
        return Line(np.append(ends[0], 0), np.append(ends[1], 0), color=color, stroke_width=width)

    def indicator(self, color: str, smallest: float = 0.35) -> Rectangle:
        """The region the inset shows, outlined on the plot (never smaller than ``smallest``)."""
        side = max(self.side / self.zoom, smallest)  # the inset's side, divided by the zoom
        centre = self.ax.screen(*self.focus)
        return Rectangle(width=side, height=side, color=color, stroke_width=2).move_to(centre)
