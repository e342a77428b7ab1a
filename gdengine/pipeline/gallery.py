"""``index.html``: the gallery page of one output folder.

A static page with no script and no external resource: every link is relative, so it works
opened from disk (``file://``) and served over HTTP alike. Per clip: the poster, an inline
``<video>`` (H.264 MP4), a link to the GIF, title, description, duration and parameters.
Media URLs carry ``?v=<sha256 prefix>`` so a browser never shows a cached older render.
The header carries the optimizers' key: each one's colour, line style and marker and its name,
from ``gdengine.look`` and the shared names table, exactly as the clips draw them.
"""

from __future__ import annotations

import json
import math
from html import escape
from typing import Any

from gdengine import look
from gdengine.pipeline.quality import Quality

INDEX_NAME = "index.html"

_CSS = """
:root { color-scheme: light dark; --fg: #1d1f24; --bg: #f6f6f4; --card: #fff; --muted: #5d6470; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e6; --bg: #15171b; --card: #1f2228; --muted: #a0a7b3; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1400px; margin: 0 auto; padding: 1rem 1.5rem; }
header p { color: var(--muted); margin: 0.25rem 0 0; }
main { display: grid; gap: 1.5rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 560px), 1fr)); }
article { background: var(--card); border-radius: 10px; overflow: hidden; box-shadow: 0 1px 4px #0002; }
video { display: block; width: 100%; height: auto; background: #000; }
.text { padding: 0.75rem 1rem 1rem; }
h2 { margin: 0 0 0.25rem; font-size: 1.2rem; }
.meta, .links { color: var(--muted); font-size: 0.9rem; margin: 0.5rem 0 0; }
table { border-collapse: collapse; font-size: 0.85rem; margin-top: 0.5rem; }
td, th { padding: 0.1rem 0.75rem 0.1rem 0; text-align: left; vertical-align: top; }
th { font-weight: 600; } code { font-size: 0.85rem; }
a { color: inherit; }
.key { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; list-style: none; padding: 0; margin: 0.6rem 0 0; font-size: 0.9rem; }
.key li { display: flex; align-items: center; gap: 0.4rem; }
.key svg { background: BACKGROUND; border-radius: 4px; }
""".replace("BACKGROUND", look.BACKGROUND)


def render(entries: list[dict[str, Any]], quality: Quality) -> str:
    cards = "\n".join(_card(e) for e in entries)
    heading = f"{quality.width}×{quality.height} at {quality.fps} fps ({quality.name})"
    empty = "" if entries else "<p>No clips rendered yet: run <code>make render</code>.</p>"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gdengine gallery</title>
<link rel="icon" href="data:,">
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>gdengine gallery</h1>
<p>{len(entries)} clip{"s" if len(entries) != 1 else ""}, {escape(heading)}. Made by <code>make render</code>.</p>
{optimizer_key()}
{empty}
</header>
<main>
{cards}
</main>
</body>
</html>
"""


def optimizer_key(language: str = look.BASE_LANGUAGE) -> str:
    """The optimizers' key: a swatch (colour, line style, marker, on the clips' background)
    and the display name of each optimizer in the identity table."""
    names = look.optimizer_names(language)
    items = "".join(f"<li>{_swatch(o)}{escape(names[key])}</li>" for key, o in look.OPTIMIZERS.items())
    return f'<ul class="key" aria-label="optimizers">{items}</ul>'


def _swatch(o: look.OptimizerLook, width: float = 3.0) -> str:
    dash = " ".join(f"{v * width:g}" for v in o.dashes)
    line = (f'<line x1="3" y1="8" x2="45" y2="8" stroke="{o.color}" stroke-width="{width:g}"'
            + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
    return (f'<svg width="48" height="16" viewBox="0 0 48 16" role="img" aria-label="{escape(o.line)} '
            f'{escape(o.marker)}">{line}{_marker(o.marker, o.color)}</svg>')


def _marker(shape: str, color: str, x: float = 24, y: float = 8, r: float = 4.5) -> str:
    """An SVG marker of one of ``look.MARKERS`` centred at (x, y)."""

    def poly(points):
        return " ".join(f"{x + px:.2f},{y + py:.2f}" for px, py in points)

    def ngon(n, radius, start, inner=None):
        """A regular n-gon (or, with ``inner``, an n-pointed star) starting at angle ``start``."""
        k = 2 * n if inner else n
        radii = [radius if inner is None or i % 2 == 0 else inner for i in range(k)]
        angles = [start + 2 * math.pi * i / k for i in range(k)]
        return [(rr * math.cos(t), -rr * math.sin(t)) for rr, t in zip(radii, angles)]

    a, b = 1.3 * r, 0.45 * r
    shapes = {
        "circle": f'<circle cx="{x}" cy="{y}" r="{r}"',
        "square": f'<rect x="{x - 0.9 * r:.2f}" y="{y - 0.9 * r:.2f}" width="{1.8 * r:.2f}" height="{1.8 * r:.2f}"',
        "diamond": f'<polygon points="{poly([(0, -1.2 * r), (1.2 * r, 0), (0, 1.2 * r), (-1.2 * r, 0)])}"',
        "triangle": f'<polygon points="{poly(ngon(3, 1.3 * r, math.pi / 2))}"',
        "triangle_down": f'<polygon points="{poly(ngon(3, 1.3 * r, -math.pi / 2))}"',
        "star": f'<polygon points="{poly(ngon(5, 1.5 * r, math.pi / 2, inner=0.65 * r))}"',
        "plus": f'<polygon points="{poly([(-a, -b), (-b, -b), (-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a), (-b, b), (-a, b)])}"',
    }
    return shapes[shape] + f' fill="{color}" stroke="{look.BACKGROUND}" stroke-width="1"/>'


def _card(e: dict[str, Any]) -> str:
    files = e["files"]
    mp4, gif, png = (_url(files[k]) for k in ("mp4", "gif", "png"))
    name = escape(e["name"])
    g = e.get("gif", {})
    gif_note = f"{g.get('width')}×{g.get('height')}, {g.get('fps')} fps, " if g else ""
    return f"""<article id="{name}">
<video controls muted loop playsinline preload="metadata" width="{e['width']}" height="{e['height']}" poster="{png}" data-duration="{e['duration']}">
<source src="{mp4}" type="video/mp4">
</video>
<div class="text">
<h2>{escape(e['title'])}</h2>
<p>{escape(e['description'])}</p>
<p class="meta">Duration {e['duration']:.1f} s · {e['frames']} frames · {e['width']}×{e['height']} at {e['fps']} fps · <code>{escape(e['source'])}</code> ({escape(e['entry'])})</p>
{_params(e.get('params') or {})}
<p class="links"><a href="{mp4}" download>MP4</a> ({_size(files['mp4']['bytes'])}) · <a href="{gif}">GIF</a> ({gif_note}{_size(files['gif']['bytes'])}) · <a href="{png}">poster</a></p>
</div>
</article>"""


def _params(params: dict[str, Any]) -> str:
    if not params:
        return '<p class="meta">No parameters.</p>'
    rows = "".join(
        f"<tr><th>{escape(str(k))}</th><td><code>{escape(_value(v))}</code></td></tr>"
        for k, v in params.items()
    )
    return f'<table aria-label="parameters">{rows}</table>'


def _value(v: Any) -> str:
    """Numbers short (0.1, 1e-08), nested values as compact JSON."""
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _url(record: dict[str, Any]) -> str:
    return escape(f"{record['file']}?v={record['sha256'][:12]}")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} kB"
