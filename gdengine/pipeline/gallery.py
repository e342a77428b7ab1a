"""``index.html``: the gallery page of one output folder.

One page with no external resource: every link is relative, so it works opened from disk
(``file://``) and served over HTTP alike. One card per clip: the poster, an inline ``<video>``
(H.264 MP4) with a ``<track kind="subtitles">`` per language that has subtitles and a
``<track kind="chapters">`` per language, a link to the GIF, title, description, duration
(m:ss), the chapter list and parameters. Media URLs carry ``?v=<sha256 prefix>`` so a browser
never shows a cached older render.

The manifest lists one entry per (clip, language); the page groups them by clip. Without
script the page shows the first language (subtitles from the player's menu). A small inline
script adds the language switch (one button per language, remembered, or ``?lang=zh``): it
swaps every card's video, poster, title, description, duration, links and showing subtitle
track, lists the chapters, and swaps the optimizers' key. Opened from disk, Chromium refuses
to load ``file:`` text tracks ("unique security origins"), so the tracks' text is embedded in
the page (``out_dir`` given) and the script hands it to each ``<track>`` as a ``blob:`` URL.
The header carries the optimizers' key: each one's colour, line style and marker and its name,
from ``gdengine.look`` and the shared names table, exactly as the clips draw them.
"""

from __future__ import annotations

import json
import math
from html import escape
from pathlib import Path
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
.languages { display: flex; gap: 0.5rem; margin: 0.75rem 0 0; }
.languages button { font: inherit; color: inherit; background: var(--card); border: 1px solid var(--muted);
  border-radius: 6px; padding: 0.2rem 0.9rem; cursor: pointer; }
.languages button[aria-pressed="true"] { background: var(--fg); color: var(--bg); border-color: var(--fg); }
.head { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; }
.length { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.chapters { margin: 0.5rem 0 0; padding: 0; list-style: none; font-size: 0.9rem; }
[hidden] { display: none !important; }
.chapters button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer;
  text-align: left; text-decoration: underline dotted; }
.chapters .at { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 0.5rem; }
""".replace("BACKGROUND", look.BACKGROUND)

# The language switch. Plain DOM, no library; text goes in through textContent only.
_SCRIPT = """
(() => {
  "use strict";
  const KEY = "gdengine-gallery-language";
  const data = JSON.parse(document.getElementById("gallery-data").textContent);
  // From disk, Chromium treats every file: URL as its own origin and refuses <track> files;
  // the page carries their text, handed to each track as a blob: URL (the page's own origin).
  if (location.protocol === "file:") {
    for (const track of document.querySelectorAll("video track")) {
      const text = data.texts[track.getAttribute("src").split("?")[0]];
      if (text !== undefined) track.src = URL.createObjectURL(new Blob([text], {type: "text/vtt"}));
    }
  }
  const clock = s => { s = Math.floor(s + 0.5); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); };

  function listChapters(article, video, lang) {
    const list = article.querySelector(".chapters");
    const el = [...video.querySelectorAll('track[kind="chapters"]')].find(t => t.srclang === lang);
    const fill = () => {
      if (article.dataset.language !== lang) return;
      const cues = el && el.track.cues ? [...el.track.cues] : [];
      list.replaceChildren(...cues.map(cue => {
        const li = document.createElement("li"), button = document.createElement("button");
        const at = document.createElement("span");
        at.className = "at";
        at.textContent = clock(cue.startTime);
        button.type = "button";
        button.append(at, cue.text);
        button.addEventListener("click", () => { video.currentTime = cue.startTime; });
        li.append(button);
        return li;
      }));
      list.lang = lang;
      list.hidden = cues.length === 0;
    };
    if (!el) { list.replaceChildren(); list.hidden = true; return; }
    if (el.readyState === 2) fill(); else el.addEventListener("load", fill, {once: true});
  }

  function show(lang) {
    for (const button of document.querySelectorAll("[data-set-language]"))
      button.setAttribute("aria-pressed", String(button.dataset.setLanguage === lang));
    for (const key of document.querySelectorAll("ul.key[lang]")) key.hidden = key.lang !== lang;
    for (const article of document.querySelectorAll("main article[id]")) {
      const units = data.clips[article.id];
      if (!units) continue;
      const have = lang in units ? lang : data.languages.find(l => l in units);
      const unit = units[have], video = article.querySelector("video"), source = video.querySelector("source");
      article.dataset.language = have;
      if (source.getAttribute("src") !== unit.links.mp4) {
        const playing = !video.paused;
        source.setAttribute("src", unit.links.mp4);
        video.setAttribute("poster", unit.links.png);
        video.load();
        if (playing) video.play().catch(() => {});
      }
      for (const field of ["title", "description", "length", "stats", "mp4_size", "gif_note"]) {
        const el = article.querySelector(`[data-field="${field}"]`);
        if (el) el.textContent = unit[field];
      }
      for (const field of ["title", "description"]) article.querySelector(`[data-field="${field}"]`).lang = have;
      article.querySelector('[data-field="length"]').setAttribute("datetime", unit.datetime);
      for (const a of article.querySelectorAll("a[data-link]")) {
        const href = unit.links[a.dataset.link];
        a.hidden = !href;
        if (href) a.setAttribute("href", href);
      }
      article.querySelector('[data-field="subtitles"]').hidden = !unit.links.vtt && !unit.links.srt;
      for (const track of video.textTracks) {
        if (track.kind === "subtitles") track.mode = track.language === have ? "showing" : "disabled";
        else if (track.kind === "chapters") track.mode = track.language === have ? "hidden" : "disabled";
      }
      listChapters(article, video, have);
    }
    try { localStorage.setItem(KEY, lang); } catch (e) { /* storage off: the choice lasts this visit */ }
  }

  for (const button of document.querySelectorAll("[data-set-language]"))
    button.addEventListener("click", () => show(button.dataset.setLanguage));
  let saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { /* storage off */ }
  const asked = new URLSearchParams(location.search).get("lang");
  show([asked, saved].find(l => data.languages.includes(l)) || data.languages[0]);
})();
"""


def render(entries: list[dict[str, Any]], quality: Quality, *, languages: list[str] | None = None,
           out_dir: Path | None = None) -> str:  # fmt: skip
    """The page for manifest ``entries`` (one per (clip, language), catalog order). ``languages``
    is the manifest's list (default: as the entries name them; an entry without ``language``
    is in the first); ``out_dir`` holds the files, whose text tracks the page then embeds."""
    languages = _languages(entries, languages)
    clips = _by_clip(entries, languages)
    cards = "\n".join(_card(units, languages, out_dir) for units in clips.values())
    heading = f"{quality.width}×{quality.height} at {quality.fps} fps ({quality.name})"
    empty = "" if entries else "<p>No clips rendered yet: run <code>make render</code>.</p>"
    keys = "\n".join(optimizer_key(lang, hidden=i > 0) for i, lang in enumerate(languages))
    data = {"languages": languages, "clips": {name: {lang: _unit_data(e, out_dir) for lang, e in units.items()}
                                              for name, units in clips.items()},
            "texts": _track_texts(entries, out_dir)}  # fmt: skip
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
<p>{len(clips)} clip{"s" if len(clips) != 1 else ""}, {escape(heading)}. Made by <code>make render</code>.</p>
{_switch(languages)}
{keys}
{empty}
</header>
<main>
{cards}
</main>
<script type="application/json" id="gallery-data">{_json_in_script(data)}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""


LANGUAGE_NAMES = {"en": "English", "zh": "中文", "ja": "日本語", "ko": "한국어", "de": "Deutsch",
                  "fr": "Français", "es": "Español", "pt": "Português", "ru": "Русский"}  # fmt: skip


def language_name(code: str) -> str:
    """A language's name in itself (the switch's and the subtitle menu's label)."""
    return LANGUAGE_NAMES.get(code, code)


def _languages(entries: list[dict[str, Any]], given: list[str] | None) -> list[str]:
    langs = list(given or [])
    if not langs:
        langs = [look.BASE_LANGUAGE]
    for e in entries:
        if e.get("language") and e["language"] not in langs:
            langs.append(e["language"])
    return langs


def _by_clip(entries: list[dict[str, Any]], languages: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """name -> {language: entry}, clips in manifest order, languages in ``languages`` order."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for e in entries:
        found.setdefault(e["name"], {})[e.get("language") or languages[0]] = e
    return {name: {lang: units[lang] for lang in languages if lang in units} for name, units in found.items()}


def _switch(languages: list[str]) -> str:
    if len(languages) < 2:
        return ""
    buttons = "".join(
        f'<button type="button" lang="{escape(lang)}" data-set-language="{escape(lang)}" '
        f'aria-pressed="{"true" if i == 0 else "false"}">{escape(language_name(lang))}</button>'
        for i, lang in enumerate(languages)
    )
    return f'<nav class="languages" aria-label="language">{buttons}</nav>'


def optimizer_key(language: str = look.BASE_LANGUAGE, *, hidden: bool = False) -> str:
    """The optimizers' key: a swatch (colour, line style, marker, on the clips' background)
    and the display name of each optimizer in the identity table."""
    names = look.optimizer_names(language)
    items = "".join(f"<li>{_swatch(o)}{escape(names[key])}</li>" for key, o in look.OPTIMIZERS.items())
    return (f'<ul class="key" lang="{escape(language)}" aria-label="optimizers"{" hidden" if hidden else ""}>'
            f"{items}</ul>")


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


def _deck(e: dict[str, Any], out_dir: Path | None) -> str | None:
    """The unit's presenter deck (``gdengine slides``), relative to the page, if it exists."""
    path = f"slides/{e.get('unit', e['name'])}.html"
    return path if out_dir is not None and (out_dir / path).is_file() else None


def _card(units: dict[str, dict[str, Any]], languages: list[str], out_dir: Path | None = None) -> str:
    """One clip's card, showing its first rendered language; the script swaps in the others."""
    lang, e = next(iter(units.items()))
    deck = _deck(e, out_dir)
    deck_link = f' · <a href="{escape(deck)}" data-link="slides">slides</a>' if deck else ""
    files = e["files"]
    mp4, gif, png = (_url(files[k]) for k in ("mp4", "gif", "png"))
    name = escape(e["name"])
    return f"""<article id="{name}" data-language="{escape(lang)}">
<video controls loop playsinline preload="metadata" width="{e['width']}" height="{e['height']}" poster="{png}" data-duration="{e['duration']}">
<source src="{mp4}" type="video/mp4">
{_tracks(units)}</video>
<div class="text">
<div class="head"><h2 lang="{escape(lang)}" data-field="title">{escape(e['title'])}</h2> <time class="length" data-field="length" datetime="{_iso_duration(e['duration'])}" title="duration">{clock(e['duration'])}</time></div>
<p lang="{escape(lang)}" data-field="description">{escape(e['description'])}</p>
<ol class="chapters" aria-label="chapters" hidden></ol>
<p class="meta"><span data-field="stats">{_stats(e)}</span> · {e['width']}×{e['height']} at {e['fps']} fps · <code>{escape(e['source'])}</code> ({escape(e['entry'])})</p>
{_params(e.get('params') or {})}
<p class="links"><a href="{mp4}" data-link="mp4" download>MP4</a> (<span data-field="mp4_size">{_size(files['mp4']['bytes'])}</span>) · <a href="{gif}" data-link="gif">GIF</a> (<span data-field="gif_note">{_gif_note(e)}</span>) · <a href="{png}" data-link="png">poster</a>{_subtitle_links(e)}{deck_link}</p>
</div>
</article>"""


def _tracks(units: dict[str, dict[str, Any]]) -> str:
    """A subtitles track per language that has one, and a chapters track per language. None
    is ``default``: the script turns the shown language's on, after pointing the tracks at
    their embedded text when the page is opened from disk (a default track would start loading
    its ``file:`` URL before that, and fail)."""
    out = []
    for kind, key in (("subtitles", "vtt"), ("chapters", "chapters")):
        for lang, e in units.items():
            record = e["files"].get(key)
            if record:
                out.append(f'<track kind="{kind}" srclang="{escape(lang)}" label="{escape(language_name(lang))}" '
                           f'src="{_url(record)}">\n')
    return "".join(out)


def _subtitle_links(e: dict[str, Any]) -> str:
    files = e["files"]
    vtt, srt = files.get("vtt"), files.get("srt")
    links = [f'<a href="{_url(vtt)}" data-link="vtt">VTT</a>'] if vtt else []
    links += [f'<a href="{_url(srt)}" data-link="srt">SRT</a>'] if srt else []
    hidden = "" if links else " hidden"
    return f'<span data-field="subtitles"{hidden}> · subtitles {" · ".join(links)}</span>'


def _unit_data(e: dict[str, Any], out_dir: Path | None = None) -> dict[str, Any]:
    """What the script needs to show one (clip, language) unit."""
    files = e["files"]
    links = {k: _raw_url(files[k]) for k in ("mp4", "gif", "png", "vtt", "srt") if files.get(k)}
    if _deck(e, out_dir):
        links["slides"] = _deck(e, out_dir)
    return {
        "title": e["title"], "description": e["description"],
        "length": clock(e["duration"]), "datetime": _iso_duration(e["duration"]), "stats": _stats(e),
        "mp4_size": _size(files["mp4"]["bytes"]), "gif_note": _gif_note(e),
        "links": links,
    }  # fmt: skip


def _track_texts(entries: list[dict[str, Any]], out_dir: Path | None) -> dict[str, str]:
    """File name -> text of every subtitles/chapters file, for pages opened from disk."""
    texts: dict[str, str] = {}
    if out_dir is None:
        return texts
    for e in entries:
        for key in ("vtt", "chapters"):
            record = e["files"].get(key)
            if record:
                try:
                    texts[record["file"]] = (out_dir / record["file"]).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    pass  # served pages still load it; a missing file is the manifest's problem
    return texts


def _json_in_script(data: Any) -> str:
    """JSON safe inside <script>: no "</script" or "<!--" can appear."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def clock(seconds: float) -> str:
    """A duration as a player shows it: m:ss (rounded to the second)."""
    s = int(math.floor(seconds + 0.5))
    return f"{s // 60}:{s % 60:02d}"


def _iso_duration(seconds: float) -> str:
    return f"PT{seconds:.1f}S"


def _stats(e: dict[str, Any]) -> str:
    return f"Duration {e['duration']:.1f} s · {e['frames']} frames"


def _gif_note(e: dict[str, Any]) -> str:
    g = e.get("gif", {})
    note = f"{g.get('width')}×{g.get('height')}, {g.get('fps')} fps, " if g else ""
    return note + _size(e["files"]["gif"]["bytes"])


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
    return escape(_raw_url(record))


def _raw_url(record: dict[str, Any]) -> str:
    return f"{record['file']}?v={record['sha256'][:12]}"


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} kB"
