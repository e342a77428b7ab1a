"""Several descent views tiled into one frame, under one legend, one clock and one caption.

Every tile is a ``DescentView`` (its own surface, title only) driven by the same step clock,
so at any frame all tiles show the same step. Below the tiles a banner — a text-only
offscreen plotter of the frame's width — holds the shared legend, the shared step counter
and the caption strip. ``lint_sample`` merges the tiles' and the banner's texts and data,
shifted to where each sits in the frame.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from gdengine.errors import GdengineError
from gdengine.lint.rules import DataShape, Sample
from gdengine.render3d import colors, hud as hud_sizes, lint
from gdengine.render3d.backend import select_backend
from gdengine.render3d.capture import Grabber
from gdengine.render3d.clip import tile, tile_sizes
from gdengine.render3d.descent import DescentView, show_caption
from gdengine.render3d.hud import Hud, type_scale
from gdengine.render3d.script import Script


class Banner:
    """Text over the background in a ``width``×``height`` strip of a larger frame."""

    def __init__(self, width: int, height: int, scale: float) -> None:
        select_backend()
        self.width, self.height = width, height
        self.plotter = pv.Plotter(off_screen=True, window_size=(width, height), lighting="none")
        self.plotter.render_window.SetMultiSamples(0)
        self.plotter.set_background(colors.BACKGROUND)
        self.hud = Hud(self.plotter, width, height, scale=scale)
        self._grabber: Grabber | None = None

    def grab(self) -> np.ndarray:
        if self._grabber is None:
            self.plotter.show(auto_close=False)
            self._grabber = Grabber(self.plotter.render_window)
        else:
            self.plotter.render()
        return self._grabber.grab()

    def close(self) -> None:
        self.plotter.close()


def banner_height(width: int, height: int, *, caption: bool = True) -> int:
    """Pixels under the tiles: a legend line, the caption strip and the title-safe margin."""
    scale = type_scale(width, height)
    px = lambda size: max(6, round(size * scale / hud_sizes.REFERENCE))  # noqa: E731
    tall = hud_sizes.SAFE * height + hud_sizes.LINE_GAP * px(hud_sizes.LABEL) + 0.5 * px(hud_sizes.LABEL)
    if caption:
        tall += 1.75 * px(hud_sizes.CAPTION) + 0.4 * px(hud_sizes.LABEL)
    return int(np.ceil(tall / 2) * 2)


class Montage:
    """``views`` (row by row) tiled over a banner; ``clock``: the shared step per frame."""

    def __init__(self, views: list[DescentView], *, rows: int, columns: int, width: int,
                 height: int, gap: int, banner: int, script: Script, fps: float,
                 legend: list[tuple], clock_text, clock: np.ndarray) -> None:
        if len(views) > rows * columns:
            raise GdengineError(f"{len(views)} tiles do not fit {rows}x{columns}")
        self.views, self.rows, self.columns = views, rows, columns
        self.width, self.height, self.gap, self.fps = width, height, gap, float(fps)
        self.script, self.clock, self.clock_text = script, np.asarray(clock), clock_text
        self.n_frames = script.n_frames
        self.top = height - banner  # the banner's first row in the frame
        self.ws, self.hs = tile_sizes(width, columns, gap), tile_sizes(self.top, rows, gap)
        self.banner = Banner(width, banner, type_scale(width, height))
        h = self.banner.hud
        mx = hud_sizes.SAFE * width
        bottom = banner - hud_sizes.SAFE * height  # in banner pixels
        tall = 1.75 * h.px(hud_sizes.CAPTION)
        self.panel = (mx, bottom - tall, width - mx, bottom)
        legend_y = self.panel[1] - 0.4 * h.px(hud_sizes.LABEL)
        self._legend = legend
        h.legend("legend", legend, at=(mx, legend_y), anchor="bottom_left", columns=len(legend))
        self._clock_at = (width - mx, legend_y)
        self._set_clock(0)

    def origin(self, i: int) -> tuple[int, int]:
        """Top-left pixel of tile ``i`` in the frame."""
        r, c = divmod(i, self.columns)
        return sum(self.ws[:c]) + self.gap * c, sum(self.hs[:r]) + self.gap * r

    def _set_clock(self, k: int) -> None:
        self.banner.hud.text("clock", self.clock_text(int(np.floor(self.clock[k] + 1e-9))),
                             at=self._clock_at, anchor="bottom_right")

    # --- the Clip protocol ------------------------------------------------------------------
    def beats_at(self, k: int) -> list[str]:
        return self.script.beats_at(k)

    def lines_of(self, name: str) -> list:
        return self.script.lines_of(name)

    def update(self, k: int) -> None:
        for v in self.views:
            v.update(k)
        self._set_clock(k)
        show_caption(self.banner.hud, self.script, k, self.panel)

    def render(self) -> np.ndarray:
        frame = tile([v.render() for v in self.views], self.rows, self.columns, self.width, self.top,
                     gap=self.gap)
        return np.concatenate([frame, self.banner.grab()], axis=0)

    def lint_sample(self, k: int) -> Sample:
        texts, data = [], []
        for i, v in enumerate(self.views):
            dx, dy = self.origin(i)
            texts += v.texts(dx, dy)
            data += [DataShape(d.ident + 10_000_000 * (i + 1), f"{v.words.title}: {d.name}", d.points)
                     for d in v.data(k, dx, dy)]
        texts += self.banner.hud.boxes(0.0, self.top)
        return lint.sample(k / self.fps, texts, data, settled=self.script.caption_at(k)[2])

    def close(self) -> None:
        for v in self.views:
            v.close()
        self.banner.close()
