"""The deck page: one reveal.js slide per beat, its segment as the slide's video with the
beat's subtitles and, as speaker notes, what the voice says. Each slide plays once and
pauses on its last frame (manim-slides' convention for slides that do not loop); → or space
moves on. The page works from disk: Chromium refuses <track> files on file: URLs, so the
page carries the subtitle texts and hands them to the tracks as blob: URLs (over HTTP, the
files themselves)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from gdengine.slides.segments import Segment

_STYLE = """
html, body { background: #111; }
.reveal .slides section { padding: 0; height: 100%; }
.reveal .slides section video { display: block; width: 100%; height: 100%; object-fit: contain; margin: 0; }
.reveal .slides section video::cue { font-size: 70%; }
.reveal .controls { color: #ddd; }
"""

# Plays the current slide's video from its start and pauses every other one; a browser that
# refuses sound before the viewer's first key press gets a muted start, unmuted by that press.
_SCRIPT = """
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("deck-data").textContent);
  for (const track of document.querySelectorAll("video track[data-src]")) {
    const text = data.texts[track.dataset.src];
    track.src = location.protocol === "file:" && text !== undefined
      ? URL.createObjectURL(new Blob([text], {type: "text/vtt"})) : track.dataset.src;
  }
  const unmute = () => document.querySelectorAll("video").forEach(v => { v.muted = false; });
  document.addEventListener("keydown", unmute, {once: true});
  document.addEventListener("pointerdown", unmute, {once: true});
  function show(slide) {
    for (const v of document.querySelectorAll("video")) {
      if (!slide.contains(v)) { v.pause(); v.currentTime = 0; }
    }
    const video = slide.querySelector("video");
    if (!video) return;
    video.currentTime = 0;
    video.play().catch(() => { video.muted = true; video.play().catch(() => {}); });
  }
  Reveal.initialize({
    hash: true, width: data.width, height: data.height, margin: 0, minScale: 0.1, maxScale: 4,
    center: false, controls: true, progress: true, slideNumber: "c/t", transition: "none",
    backgroundTransition: "none", autoPlayMedia: false,
  }).then(() => show(Reveal.getCurrentSlide()));
  Reveal.on("slidechanged", event => show(event.currentSlide));
})();
"""


def render(entry: dict[str, Any], segments: list[Segment], folder: str, lines: dict[int, list[str]],
           texts: dict[str, str], language_name: str) -> str:
    """The HTML of one deck; ``folder`` holds the segments (relative to the page), ``texts``
    maps each subtitle file's relative path to its text, ``lines`` each segment's words."""
    lang = escape(str(entry.get("language") or "en"))
    width, height = int(entry["width"]), int(entry["height"])
    slides = []
    for s in segments:
        base = f"{folder}/{s.stem}"
        notes = "".join(f"<p>{escape(x)}</p>" for x in lines.get(s.index, []))
        track = (f'<track kind="subtitles" srclang="{lang}" label="{escape(language_name)}" '
                 f'data-src="{escape(base)}.vtt" default>') if f"{base}.vtt" in texts else ""
        slides.append(
            f'<section data-beat="{escape(s.beat)}" data-start="{s.start:.3f}">\n'
            f'<video playsinline preload="auto" width="{width}" height="{height}" src="{escape(base)}.mp4">{track}</video>\n'
            f'<aside class="notes"><p><b>{escape(s.beat)}</b> · {s.start:.1f} s</p>{notes}</aside>\n'
            f"</section>")
    data = {"width": width, "height": height, "texts": texts}
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(str(entry.get('title') or entry['name']))} · slides</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="reveal/reveal.css">
<link rel="stylesheet" href="reveal/theme/black.css">
<style>{_STYLE}</style>
</head>
<body>
<div class="reveal"><div class="slides">
{chr(10).join(slides)}
</div></div>
<script src="reveal/reveal.js"></script>
<script type="application/json" id="deck-data">{payload}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""
