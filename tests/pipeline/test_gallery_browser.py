"""The gallery page in a real browser: Debian's Chromium, headless, driven by Selenium through
Debian's chromedriver; served over HTTP and opened from disk.

Two sites: the pipeline's own output (two tiny clips, one language) and a hand-built
two-language gallery (tiny H.264 MP4s made here with the bundled ffmpeg, WebVTT subtitles and
chapters whose cue times are known), so the language switch and the text tracks are tested
without rendering a scene.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest

from gdengine import look
from gdengine.pipeline import gallery
from gdengine.pipeline.quality import Quality

from browser_harness import chromium

from .helpers import make_project, manifest, out_dir, render

# --- the hand-built two-language gallery ---------------------------------------------------
FAKE_Q = Quality("tiny", 64, 48, 10)
LANGS = ["en", "zh"]
# (clip, language) -> (seconds, colour, subtitle cues, chapter cues); cues are (start, end, text)
FAKE = {
    ("alpha", "en"): (2.0, "red",
                      [(0.0, 0.9, "The ball starts at the top."), (1.0, 1.9, "It rolls downhill.")],
                      [(0.0, 1.0, "Start"), (1.0, 2.0, "Downhill")]),
    ("alpha", "zh"): (3.0, "blue",
                      [(0.0, 1.4, "小球从山顶出发。"), (1.5, 2.9, "它沿着坡往下滚。")],
                      [(0.0, 1.5, "起点"), (1.5, 3.0, "下坡")]),
    ("beta", "en"): (1.0, "green", [], []),  # a silent clip: no subtitles, no chapters
    ("beta", "zh"): (1.0, "yellow", [], []),
}  # fmt: skip
TITLES = {("alpha", "en"): "Alpha & the <ball>", ("alpha", "zh"): "阿尔法：小球",
          ("beta", "en"): "Beta", ("beta", "zh"): "贝塔"}  # fmt: skip


def _stamp(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _vtt(cues: list[tuple[float, float, str]]) -> str:
    return "WEBVTT\n\n" + "".join(f"{i}\n{_stamp(a)} --> {_stamp(b)}\n{text}\n\n"
                                   for i, (a, b, text) in enumerate(cues, 1))  # fmt: skip


def _srt(cues: list[tuple[float, float, str]]) -> str:
    return "".join(f"{i}\n{_stamp(a).replace('.', ',')} --> {_stamp(b).replace('.', ',')}\n{text}\n\n"
                   for i, (a, b, text) in enumerate(cues, 1))  # fmt: skip


def _record(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"file": path.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def build_fake_gallery(root: Path) -> list[dict[str, Any]]:
    """MP4 (with an AAC track when narrated), GIF, poster and the text tracks of every (clip,
    language) unit, their manifest entries, manifest.json and index.html."""
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for (name, lang), (seconds, colour, subs, chapters) in FAKE.items():
        stem = name if lang == LANGS[0] else f"{name}.{lang}"
        video = ["-f", "lavfi", "-i", f"color=c={colour}:s={FAKE_Q.width}x{FAKE_Q.height}:d={seconds}:r={FAKE_Q.fps}"]
        audio = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}:sample_rate=48000"] if subs else []
        codecs = ["-c:v", "libx264", "-pix_fmt", "yuv420p"] + (["-c:a", "aac", "-shortest"] if subs else [])
        run = functools.partial(subprocess.run, check=True, capture_output=True)
        run([ffmpeg, "-y", *video, *audio, *codecs, "-movflags", "+faststart", str(root / f"{stem}.mp4")])
        run([ffmpeg, "-y", "-i", str(root / f"{stem}.mp4"), "-vf", "scale=32:24", "-an", str(root / f"{stem}.gif")])
        run([ffmpeg, "-y", "-i", str(root / f"{stem}.mp4"), "-frames:v", "1", str(root / f"{stem}.png")])
        files = {k: _record(root / f"{stem}.{k}") for k in ("mp4", "gif", "png")}
        if subs:
            (root / f"{name}.{lang}.vtt").write_text(_vtt(subs), encoding="utf-8")
            (root / f"{name}.{lang}.srt").write_text(_srt(subs), encoding="utf-8")
            (root / f"{name}.{lang}.chapters.vtt").write_text(_vtt(chapters), encoding="utf-8")
            files |= {"vtt": _record(root / f"{name}.{lang}.vtt"), "srt": _record(root / f"{name}.{lang}.srt"),
                      "chapters": _record(root / f"{name}.{lang}.chapters.vtt")}  # fmt: skip
        entries.append({
            "name": name, "language": lang, "unit": stem,
            "title": TITLES[name, lang], "description": f"{TITLES[name, lang]} — {lang} description.",
            "source": f"scenes/{name}.py", "entry": name.title(), "kind": "manim", "quality": FAKE_Q.name,
            "width": FAKE_Q.width, "height": FAKE_Q.height, "fps": FAKE_Q.fps,
            "duration": seconds, "frames": round(seconds * FAKE_Q.fps), "params": {"voice": "auto"},
            "beats": [["start", 0.0]], "lines": [["start", text, a, b] for a, b, text in subs],
            "files": files, "gif": {"width": 32, "height": 24, "fps": FAKE_Q.fps},
        })  # fmt: skip
    doc = {"format": 1, "engine_version": "test", "quality": FAKE_Q.as_dict(), "languages": LANGS, "clips": entries}
    (root / "manifest.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (root / "index.html").write_text(gallery.render(entries, FAKE_Q, languages=LANGS, out_dir=root), encoding="utf-8")
    return entries


# --- browser-side probes (execute_async_script: the last argument is the callback) ---------
WAIT_FOR_VIDEOS = """const done = arguments[arguments.length - 1];
(async () => {
  const videos = [...document.querySelectorAll('video')];
  const start = Date.now();
  while (videos.some(v => v.readyState < 2 && !v.error) && Date.now() - start < 30000)
    await new Promise(r => setTimeout(r, 50));
  const gifs = await Promise.all([...document.querySelectorAll('a[data-link="gif"], a[href*=".gif"]')].map(a =>
    new Promise(ok => { const img = new Image();
      img.onload = () => ok({href: a.getAttribute('href'), width: img.naturalWidth});
      img.onerror = () => ok({href: a.getAttribute('href'), width: 0});
      img.src = a.href; })));
  return {
    videos: videos.map(v => ({id: v.closest('article').id, readyState: v.readyState, src: v.currentSrc,
                              duration: v.duration, width: v.videoWidth, error: v.error && v.error.code})),
    gifs,
    titles: [...document.querySelectorAll('article h2')].map(h => h.textContent),
  };
})().then(done, e => done({failed: String(e)}));"""

# Every enabled track loaded (or failed), then what each card shows.
PAGE_STATE = """const done = arguments[arguments.length - 1];
(async () => {
  const start = Date.now();
  const busy = () => [...document.querySelectorAll('track')].some(t => t.track.mode !== 'disabled' && t.readyState < 2)
    || [...document.querySelectorAll('video')].some(v => v.readyState < 2 && !v.error);
  while (busy() && Date.now() - start < 20000) await new Promise(r => setTimeout(r, 50));
  const seen = el => el !== null && getComputedStyle(el).display !== 'none';
  const text = (a, sel) => { const el = a.querySelector(sel); return seen(el) ? el.textContent : null; };
  return [...document.querySelectorAll('main article')].map(a => {
    const v = a.querySelector('video');
    return {
      id: a.id, language: a.dataset.language, src: v.currentSrc, poster: v.getAttribute('poster'),
      duration: v.duration, readyState: v.readyState,
      title: text(a, 'h2'), titleLang: a.querySelector('h2').lang, description: text(a, '[data-field="description"]'),
      length: text(a, 'time.length'), stats: text(a, '[data-field="stats"]'),
      links: Object.fromEntries([...a.querySelectorAll('a[data-link]')].filter(l => seen(l) && seen(l.parentElement))
                                .map(l => [l.dataset.link, l.getAttribute('href')])),
      chapters: [...a.querySelectorAll('.chapters li')].map(li => li.textContent),
      chaptersShown: seen(a.querySelector('.chapters')),
      tracks: [...a.querySelectorAll('track')].map(t => ({
        kind: t.kind, srclang: t.srclang, label: t.label, readyState: t.readyState, mode: t.track.mode,
        cues: t.track.cues ? [...t.track.cues].map(c => [c.startTime, c.endTime, c.text]) : null})),
    };
  });
})().then(done, e => done({failed: String(e)}));"""

# Seek one card's video to a time; the showing subtitle track's active cues there.
ACTIVE_CUE = """const [id, time, done] = arguments;
(async () => {
  const v = document.getElementById(id).querySelector('video');
  const start = Date.now();
  while (v.readyState < 1 && Date.now() - start < 20000) await new Promise(r => setTimeout(r, 50));
  const seeked = new Promise(r => v.addEventListener('seeked', r, {once: true}));
  v.currentTime = time;
  await seeked;
  const track = [...v.textTracks].find(t => t.kind === 'subtitles' && t.mode === 'showing');
  while (track && (!track.activeCues || track.activeCues.length === 0) && Date.now() - start < 5000)
    await new Promise(r => setTimeout(r, 50));
  return {language: track ? track.language : null, time: v.currentTime,
          active: track && track.activeCues ? [...track.activeCues].map(c => c.text) : []};
})().then(done, e => done({failed: String(e)}));"""

KEY_DISPLAY = "return [...document.querySelectorAll('ul.key')].map(k => getComputedStyle(k).display)"

# Play a card's video (muted, as a headless page may) for a moment: the clock moves.
PLAYS = """const [id, done] = arguments;
const v = document.getElementById(id).querySelector('video');
v.muted = true;
v.currentTime = 0;
v.play().then(() => setTimeout(() => { v.pause(); done({time: v.currentTime, error: v.error && v.error.code}); }, 600),
              e => done({failed: String(e)}));"""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("src", "href", "poster") and value and not value.startswith("data:"):
                self.urls.append(value.split("?")[0])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Python's file server, plus byte ranges as every real web server answers them: without
    them a browser cannot seek in a video it has not buffered."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".vtt": "text/vtt"}

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        spec = self.headers.get("Range", "")
        path = Path(self.translate_path(self.path))
        if not spec.startswith("bytes=") or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first, _, last = spec[len("bytes="):].split(",")[0].partition("-")
        start = int(first) if first else max(0, size - int(last))
        end = min(int(last), size - 1) if first and last else size - 1
        if start >= size:
            self.send_error(416)
            return None
        f = path.open("rb")
        f.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Slice(f, end - start + 1)


class _Slice:
    """The first ``n`` bytes of an open file, for ``copyfile``."""

    def __init__(self, f, n: int) -> None:
        self.f, self.left = f, n

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.f.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.f.close()


def _serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


# --- fixtures -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("site"), ["moving_dot", "sweep"])
    code, log = render(root, jobs=2)
    assert code == 0, log
    return out_dir(root)


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    root = tmp_path_factory.mktemp("fake") / "renders"
    return root, build_fake_gallery(root)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def servers(site, fake):
    running = {"site": _serve(site), "fake": _serve(fake[0])}
    yield {k: f"http://127.0.0.1:{h.server_port}" for k, h in running.items()}
    for h in running.values():
        h.shutdown()


def _open(browser, url: str) -> None:
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get(url)


def _errors(browser) -> list[str]:
    """Console errors, uncaught exceptions and failed loads the page reported."""
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def _page_url(servers, where: str, which: str, root: Path, query: str = "") -> str:
    return f"{servers[which]}/index.html{query}" if where == "served" else (root / "index.html").as_uri() + query


def _state(browser) -> dict[str, dict[str, Any]]:
    page = browser.execute_async_script(PAGE_STATE)
    assert isinstance(page, list), page
    return {card["id"]: card for card in page}


def _switch_to(browser, lang: str) -> None:
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, f'button[data-set-language="{lang}"]').click()


def _cues(cues: list[tuple[float, float, str]]) -> list[list[Any]]:
    return [[pytest.approx(a, abs=1e-3), pytest.approx(b, abs=1e-3), text] for a, b, text in cues]


def _unit(entries: list[dict[str, Any]], name: str, lang: str) -> dict[str, Any]:
    return next(e for e in entries if e["name"] == name and e["language"] == lang)


def _href(entry: dict[str, Any], key: str) -> str:
    return f"{entry['files'][key]['file']}?v={entry['files'][key]['sha256'][:12]}"


# --- the pipeline's own page --------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("which", ["site", "fake"])
def test_every_link_points_at_a_published_file(site, fake, which):
    root = site if which == "site" else fake[0]
    parser = _Links()
    parser.feed((root / "index.html").read_text())
    assert parser.urls and all((root / url).is_file() for url in parser.urls)
    assert all(not url.startswith(("/", "http")) for url in parser.urls)  # relative only


@pytest.mark.slow
@pytest.mark.parametrize("where", ["served", "from disk"])
def test_videos_play_with_the_manifest_duration_and_no_errors(site, browser, servers, where):
    _open(browser, _page_url(servers, where, "site", site))
    page = browser.execute_async_script(WAIT_FOR_VIDEOS)
    clips = {c["name"]: c for c in manifest(site.parents[1])["clips"]}
    assert [v["id"] for v in page["videos"]] == list(clips)
    for video in page["videos"]:
        clip = clips[video["id"]]
        assert video["error"] is None and video["readyState"] >= 2, video
        assert abs(video["duration"] - clip["duration"]) <= 0.1, video
        assert video["width"] == clip["width"]
    assert [g["width"] for g in page["gifs"]] == [c["gif"]["width"] for c in clips.values()]
    assert page["titles"] == [c["title"] for c in clips.values()]
    played = browser.execute_async_script(PLAYS, next(iter(clips)))
    assert played.get("error") is None and played.get("time", 0) > 0.1, played  # H.264 decodes headless
    assert _errors(browser) == []


# --- the two-language page ----------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("where", ["served", "from disk"])
def test_first_language_tracks_load_with_the_files_cues(fake, browser, servers, where):
    root, entries = fake
    _open(browser, _page_url(servers, where, "fake", root))
    cards = _state(browser)
    assert list(cards) == ["alpha", "beta"]  # one card per clip, not per language
    alpha = cards["alpha"]
    assert [(t["kind"], t["srclang"], t["label"]) for t in alpha["tracks"]] == [
        ("subtitles", "en", "English"), ("subtitles", "zh", "中文"),
        ("chapters", "en", "English"), ("chapters", "zh", "中文")]  # fmt: skip
    by = {(t["kind"], t["srclang"]): t for t in alpha["tracks"]}
    assert by["subtitles", "en"]["mode"] == "showing" and by["subtitles", "en"]["readyState"] == 2
    assert by["subtitles", "en"]["cues"] == _cues(FAKE["alpha", "en"][2])
    assert by["chapters", "en"]["mode"] == "hidden" and by["chapters", "en"]["readyState"] == 2
    assert by["chapters", "en"]["cues"] == _cues(FAKE["alpha", "en"][3])
    assert by["subtitles", "zh"]["mode"] == "disabled" and by["chapters", "zh"]["mode"] == "disabled"
    assert alpha["chapters"] == ["0:00Start", "0:01Downhill"] and alpha["chaptersShown"]
    assert cards["beta"]["tracks"] == [] and not cards["beta"]["chaptersShown"]  # silent clip
    assert _errors(browser) == []


@pytest.mark.slow
@pytest.mark.parametrize("where", ["served", "from disk"])
def test_the_showing_cue_is_the_line_at_that_time(fake, browser, servers, where):
    _open(browser, _page_url(servers, where, "fake", fake[0]))
    for time, line in [(0.5, "The ball starts at the top."), (1.5, "It rolls downhill.")]:
        shown = browser.execute_async_script(ACTIVE_CUE, "alpha", time)
        assert shown == {"language": "en", "time": pytest.approx(time), "active": [line]}
    assert _errors(browser) == []


@pytest.mark.slow
@pytest.mark.parametrize("where", ["served", "from disk"])
def test_switching_language_switches_video_text_links_and_track(fake, browser, servers, where):
    root, entries = fake
    _open(browser, _page_url(servers, where, "fake", root))
    before = _state(browser)
    en = _unit(entries, "alpha", "en")
    assert before["alpha"]["src"].endswith("/" + _href(en, "mp4"))
    assert before["alpha"]["duration"] == pytest.approx(2.0, abs=0.1)
    assert before["alpha"]["title"] == "Alpha & the <ball>" and before["alpha"]["length"] == "0:02"
    assert browser.execute_script(KEY_DISPLAY) == ["flex", "none"]

    _switch_to(browser, "zh")
    cards = _state(browser)
    for name in ("alpha", "beta"):
        zh, card = _unit(entries, name, "zh"), cards[name]
        assert card["language"] == "zh" and card["readyState"] >= 2
        assert card["src"].endswith("/" + _href(zh, "mp4")) and card["poster"] == _href(zh, "png")
        assert card["duration"] == pytest.approx(zh["duration"], abs=0.1)
        assert card["title"] == zh["title"] and card["titleLang"] == "zh"
        assert card["description"] == zh["description"]
        assert card["stats"] == f"Duration {zh['duration']:.1f} s · {zh['frames']} frames"
        assert card["links"] == {k: _href(zh, k) for k in ("mp4", "gif", "png", "vtt", "srt") if k in zh["files"]}
    alpha = cards["alpha"]
    assert alpha["length"] == "0:03"
    modes = {(t["kind"], t["srclang"]): t["mode"] for t in alpha["tracks"]}
    assert modes == {("subtitles", "en"): "disabled", ("subtitles", "zh"): "showing",
                     ("chapters", "en"): "disabled", ("chapters", "zh"): "hidden"}  # fmt: skip
    zh_subs = next(t for t in alpha["tracks"] if t["kind"] == "subtitles" and t["srclang"] == "zh")
    assert zh_subs["readyState"] == 2 and zh_subs["cues"] == _cues(FAKE["alpha", "zh"][2])
    assert alpha["chapters"] == ["0:00起点", "0:02下坡"]  # 1.5 s shows as 0:02
    shown = browser.execute_async_script(ACTIVE_CUE, "alpha", 2.0)
    assert shown == {"language": "zh", "time": pytest.approx(2.0), "active": ["它沿着坡往下滚。"]}
    assert browser.execute_script(
        "return [...document.querySelectorAll('ul.key')].map(k => [k.lang, k.textContent])"
    ) == [["en", "".join(look.optimizer_names("en").values())], ["zh", "".join(look.optimizer_names("zh").values())]]
    assert browser.execute_script(KEY_DISPLAY) == ["none", "flex"]
    assert browser.execute_script(
        "return [...document.querySelectorAll('[data-set-language]')].map(b => b.getAttribute('aria-pressed'))"
    ) == ["false", "true"]

    _switch_to(browser, "en")  # and back
    again = _state(browser)["alpha"]
    assert again["src"].endswith("/" + _href(en, "mp4")) and again["title"] == en["title"]
    assert {(t["kind"], t["srclang"]): t["mode"] for t in again["tracks"]}[("subtitles", "en")] == "showing"
    assert _errors(browser) == []


@pytest.mark.slow
@pytest.mark.parametrize("where", ["served", "from disk"])
def test_the_language_is_remembered_and_can_be_linked(fake, browser, servers, where):
    root, _ = fake
    _open(browser, _page_url(servers, where, "fake", root))
    _switch_to(browser, "zh")
    browser.refresh()
    assert _state(browser)["alpha"]["language"] == "zh"
    _switch_to(browser, "en")
    _open(browser, _page_url(servers, where, "fake", root, "?lang=zh"))
    assert _state(browser)["alpha"]["title"] == "阿尔法：小球"
    _switch_to(browser, "en")  # leave the stored choice as a fresh profile has it
    assert _errors(browser) == []


# --- the page's HTML, without a browser ---------------------------------------------------
def test_tracks_and_durations_in_the_html(tmp_path):
    entries = [_entry("alpha", "en", 61.4, subtitles=True), _entry("alpha", "zh", 75.0, subtitles=True),
               _entry("beta", "en", 1.0), _entry("beta", "zh", 1.0)]  # fmt: skip
    html = gallery.render(entries, FAKE_Q, languages=LANGS)
    assert html.count("<article ") == 2
    assert ('<track kind="subtitles" srclang="en" label="English" src="alpha.en.vtt?v=aaaaaaaaaaaa">\n'
            '<track kind="subtitles" srclang="zh" label="中文" src="alpha.zh.vtt?v=aaaaaaaaaaaa">\n'
            '<track kind="chapters" srclang="en" label="English" src="alpha.en.chapters.vtt?v=aaaaaaaaaaaa">\n'
            '<track kind="chapters" srclang="zh" label="中文" src="alpha.zh.chapters.vtt?v=aaaaaaaaaaaa">\n'
            '</video>') in html  # fmt: skip
    assert 'datetime="PT61.4S" title="duration">1:01</time>' in html
    assert '<button type="button" lang="zh" data-set-language="zh" aria-pressed="false">中文</button>' in html
    assert [gallery.clock(s) for s in (0.4, 1.0, 59.4, 59.6, 61.4, 600.0)] == [
        "0:00", "0:01", "0:59", "1:00", "1:01", "10:00"]
    data = json.loads(html.split('<script type="application/json" id="gallery-data">')[1].split("</script>")[0])
    assert data["languages"] == LANGS and list(data["clips"]) == ["alpha", "beta"]
    assert data["clips"]["alpha"]["zh"]["length"] == "1:15" and data["texts"] == {}


def test_a_manifest_from_before_languages_still_shows(tmp_path):
    old = _entry("alpha", "en", 2.0)
    del old["language"], old["unit"]
    html = gallery.render([old], FAKE_Q)
    assert html.count("<article ") == 1 and '<nav class="languages"' not in html  # one language: no switch
    assert '<source src="alpha.mp4?v=aaaaaaaaaaaa" type="video/mp4">' in html and "0:02</time>" in html


def test_embedded_text_cannot_close_the_script(tmp_path):
    entry = _entry("alpha", "en", 2.0, subtitles=True)
    entry["title"] = "</script><script>alert(1)</script>"
    (tmp_path / "alpha.en.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n</script> <!-- x\n")
    html = gallery.render([entry], FAKE_Q, out_dir=tmp_path)
    assert html.count("</script>") == 2  # the data block's and the switch's own
    data = json.loads(html.split('id="gallery-data">')[1].split("</script>")[0])
    assert data["clips"]["alpha"]["en"]["title"] == entry["title"]
    assert data["texts"] == {"alpha.en.vtt": "WEBVTT\n\n00:00.000 --> 00:01.000\n</script> <!-- x\n"}


def _entry(name: str, lang: str, seconds: float, subtitles: bool = False) -> dict[str, Any]:
    stem = name if lang == LANGS[0] else f"{name}.{lang}"
    files = {k: {"file": f"{stem}.{k}", "bytes": 1000, "sha256": "a" * 64} for k in ("mp4", "gif", "png")}
    if subtitles:
        files |= {k: {"file": f"{name}.{lang}.{ext}", "bytes": 10, "sha256": "a" * 64}
                  for k, ext in (("vtt", "vtt"), ("srt", "srt"), ("chapters", "chapters.vtt"))}  # fmt: skip
    return {"name": name, "language": lang, "unit": stem, "title": f"{name} {lang}", "description": "d",
            "source": f"scenes/{name}.py", "entry": "E", "kind": "manim", "width": 64, "height": 48, "fps": 10,
            "duration": seconds, "frames": round(seconds * 10), "params": {}, "files": files,
            "gif": {"width": 32, "height": 24, "fps": 10}}  # fmt: skip
