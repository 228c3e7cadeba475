r"""Which colours a slide GIF shows: a palette fitted to the whole video, and what stays on screen.

- :func:`survey` weighs every colour by how long each pixel shows it and runs libavfilter's
  ``palettegen=stats_mode=diff`` (the ffmpeg recipe's palette) over the same frames.
- :func:`fit_palette` starts from that palette and runs Lloyd's k-means on the weighted colours,
  which lowers :math:`\\sum_{frames} \\sum_{pixels} \\lVert v - p(v) \\rVert^2`, the squared error PSNR
  measures. :class:`Nearest` maps a colour to its nearest palette entry in RGB, without dithering.
- :class:`Screen` decides which pixels a frame redraws: a pixel whose video colour moved keeps the
  colour on screen if that costs little, so codec noise does not repaint still pixels, and each
  frame's squared error stays within ``1 + ERROR_ALLOWANCE`` times that of the nearest colours
  (at most :math:`10 \\log_{10} 1.6 \\approx 2` dB below them).

Pixels are uint32 0xAARRGGBB (libav's ``bgra`` read as little-endian words); the alpha byte is ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import av
import av.filter
import numpy as np
from scipy.spatial import cKDTree

ERROR_ALLOWANCE = 0.6
"""How much more squared error than the nearest palette colours a frame may show to spare redraws."""
MAX_EXCESS = 32
"""The most squared RGB distance a kept pixel may lose against its nearest palette colour."""
KMEANS_ROUNDS = 10
"""Lloyd rounds that refine palettegen's palette (they converge in fewer on slides)."""
_RGB = 0xFFFFFF


@dataclass(frozen=True)
class Survey:
    """What the first pass learns: every colour shown, its weight, and a palette to start from."""

    colours: np.ndarray
    """(n, 3) float64 RGB, each distinct colour once."""
    weights: np.ndarray
    """(n,) float64: how many (pixel, centisecond) pairs show each colour."""
    start: np.ndarray
    """(m, 3) uint8: libavfilter's ``palettegen=stats_mode=diff`` palette."""


def survey(frames: Iterator[tuple[int, np.ndarray | None]], colors: int) -> Survey:
    r"""Weigh every colour by how long pixels show it, and run palettegen over the same frames.

    ``frames`` yields ``(start in cs, (h, w) uint32 pixels)`` and ends with ``(end, None)``. A pixel's
    colour is counted when it changes, for every centisecond it stayed: :math:`w_c = \\sum` durations.

    >>> black, white = 0xFF000000, 0xFFFFFFFF
    >>> first, second = np.array([[black, white]], np.uint32), np.array([[white, white]], np.uint32)
    >>> found = survey(iter([(0, first), (10, second), (30, None)]), 4)
    >>> found.colours.tolist(), found.weights.tolist()
    ([[0.0, 0.0, 0.0], [255.0, 255.0, 255.0]], [10.0, 50.0])
    """
    counts = np.zeros(1 << 24, np.int64)
    graph = source = sink = shown = since = None  # the graph must stay referenced while in use
    for start, pixels in frames:
        if pixels is None:
            np.add.at(counts, shown & _RGB, start - since)
            break
        if source is None:
            graph, source, sink = _palettegen(pixels.shape, colors)
            shown, since = pixels.ravel().copy(), np.full(pixels.size, start, np.int64)
        else:
            moved = np.flatnonzero(pixels.ravel() != shown)
            np.add.at(counts, shown[moved] & _RGB, start - since[moved])
            shown[moved] = pixels.ravel()[moved]
            since[moved] = start
        frame = av.VideoFrame.from_ndarray(pixels.view(np.uint8).reshape(*pixels.shape, 4), format="bgra")
        frame.pts = start
        source.push(frame)
        try:  # asking for output makes the graph take in the frame now instead of queueing it
            sink.pull()
        except av.error.BlockingIOError:
            pass
    source.push(None)
    palette = sink.pull().to_ndarray().reshape(-1, 4)[:, 2::-1]  # 16x16 bgra to rows of RGB
    keys = np.flatnonzero(counts)
    return Survey(_unpack(keys), counts[keys].astype(np.float64), np.unique(palette, axis=0))


def _palettegen(shape: tuple[int, ...], colors: int) -> tuple[av.filter.Graph, object, object]:
    """A graph ``buffer -> palettegen -> buffersink``; keep the graph referenced while using its ends."""
    graph = av.filter.Graph()
    source = graph.add_buffer(width=shape[1], height=shape[0], format="bgra", time_base=Fraction(1, 100))
    palettegen = graph.add("palettegen", f"max_colors={colors}:reserve_transparent=0:stats_mode=diff")
    sink = graph.add("buffersink")
    source.link_to(palettegen)
    palettegen.link_to(sink)
    graph.configure()
    return graph, source, sink


def _unpack(keys: np.ndarray) -> np.ndarray:
    return np.stack([(keys >> 16) & 255, (keys >> 8) & 255, keys & 255], axis=1).astype(np.float64)


def fit_palette(found: Survey, size: int) -> np.ndarray:
    r"""At most ``size`` colours lowering the weighted squared error: palettegen's, refined by Lloyd.

    Each round moves every palette colour to the weighted mean of the colours nearest to it,
    :math:`p_j \\leftarrow \\sum_{c \\to j} w_c c / \\sum_{c \\to j} w_c`. A video with no more than
    ``size`` colours gets exactly its own.

    >>> colours = np.array([[0.0, 0, 0], [10, 0, 0], [200, 200, 200]])
    >>> start = np.array([[0, 0, 0], [255, 255, 255]], np.uint8)
    >>> fit_palette(Survey(colours, np.array([3.0, 1, 2]), start), 2).tolist()
    [[2, 0, 0], [200, 200, 200]]
    """
    colours, weights = found.colours, found.weights
    if len(colours) <= size:
        return colours.astype(np.uint8)
    centres = found.start[:size].astype(np.float64)
    labels = None
    for _ in range(KMEANS_ROUNDS):
        new_labels = cKDTree(centres).query(colours)[1]
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        mass = np.bincount(labels, weights, minlength=len(centres))
        filled = mass > 0
        for channel in range(3):
            total = np.bincount(labels, weights * colours[:, channel], minlength=len(centres))
            centres[filled, channel] = total[filled] / mass[filled]
    return np.unique(np.clip(np.rint(centres), 0, 255).astype(np.uint8), axis=0)


class Nearest:
    """Index of the nearest palette colour by squared RGB distance, remembered for every colour met.

    >>> nearest = Nearest(np.array([[0, 0, 0], [255, 255, 255]], np.uint8))
    >>> nearest(np.array([0xFF101010, 0xFFF0F0F0], np.uint32)).tolist()
    [0, 1]
    """

    def __init__(self, palette: np.ndarray) -> None:
        self.palette = palette.astype(np.int32)
        self._tree = cKDTree(palette.astype(np.float64))
        self._known = np.full(1 << 24, -1, np.int16)

    def __call__(self, pixels: np.ndarray) -> np.ndarray:
        keys = (pixels & _RGB).astype(np.int64)
        found = self._known[keys]
        missing = found < 0
        if missing.any():
            new = np.unique(keys[missing])
            self._known[new] = self._tree.query(_unpack(new))[1]
            found = self._known[keys]
        return found.astype(np.uint8)

    def error(self, pixels: np.ndarray, indices: np.ndarray) -> np.ndarray:
        """Squared RGB distance between each pixel and the palette colour at its index."""
        rgb = _unpack((pixels & _RGB).astype(np.int64)).astype(np.int32)
        return ((rgb - self.palette[indices]) ** 2).sum(axis=1)


class Screen:
    """The palette indices on screen, kept close to the video with as few redraws as that allows.

    Per pixel it tracks ``best``, the squared error of the nearest palette colour to the video's
    colour, and ``excess``, how much worse the colour on screen is. A frame may carry a total excess
    of at most :data:`ERROR_ALLOWANCE` times its total ``best``. Pixels whose video colour moved keep
    the colour on screen, smallest excess first (none above :data:`MAX_EXCESS`), while that budget
    lasts; the rest are redrawn. If colours kept earlier overrun the budget (the frame grew
    cleaner), the worst of them are redrawn too.

    >>> nearest = Nearest(np.array([[0, 0, 0], [100, 100, 100]], np.uint8))
    >>> screen = Screen(np.array([[0xFF000000, 0xFF646464]], np.uint32), nearest)
    >>> changed, colours = screen.update(np.array([[0xFF010101, 0xFF000000]], np.uint32))
    >>> changed.tolist(), colours.tolist()  # a hair's change keeps its colour; a real one is redrawn
    ([1], [0])
    """

    def __init__(self, pixels: np.ndarray, nearest: Nearest) -> None:
        self.nearest = nearest
        self.video = pixels.ravel().copy()
        self.shown = nearest(self.video)
        self.best = nearest.error(self.video, self.shown)
        self.excess = np.zeros(self.video.size, np.int64)
        self.best_total, self.excess_total = int(self.best.sum()), 0

    def update(self, pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Take the next video frame; return the flat indices of the pixels redrawn and their colours."""
        moved = np.flatnonzero(pixels.ravel() != self.video)
        self.video[moved] = pixels.ravel()[moved]
        values = self.video[moved]
        nearest = self.nearest(values)
        best = self.nearest.error(values, nearest)
        excess = self.nearest.error(values, self.shown[moved]) - best
        self.best_total += int(best.sum()) - int(self.best[moved].sum())
        self.excess_total -= int(self.excess[moved].sum())
        self.best[moved] = best
        budget = ERROR_ALLOWANCE * self.best_total - self.excess_total
        order = np.argsort(excess, kind="stable")
        kept = np.zeros(moved.size, bool)
        kept[order] = (np.cumsum(excess[order]) <= budget) & (excess[order] <= MAX_EXCESS)
        redraw = ~kept & (excess > 0)
        self.excess[moved] = np.where(redraw, 0, excess)
        self.excess_total += int(self.excess[moved].sum())
        changed, colours = moved[redraw], nearest[redraw]
        overrun = self.excess_total - ERROR_ALLOWANCE * self.best_total
        if overrun > 0:
            stale = np.flatnonzero(self.excess)
            worst = stale[np.argsort(-self.excess[stale], kind="stable")]
            worst = worst[: int(np.searchsorted(np.cumsum(self.excess[worst]), overrun)) + 1]
            self.excess_total -= int(self.excess[worst].sum())
            self.excess[worst] = 0
            changed = np.concatenate([changed, worst])
            colours = np.concatenate([colours, self.nearest(self.video[worst])])
        self.shown[changed] = colours
        return changed, colours
