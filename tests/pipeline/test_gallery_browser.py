"""The gallery page in a real browser (Debian's Chromium, headless), served and from disk."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from html.parser import HTMLParser

import pytest

from .cdp import Browser
from .helpers import make_project, manifest, out_dir, render

pytestmark = pytest.mark.slow

WAIT_FOR_VIDEOS = """(async () => {
  const videos = [...document.querySelectorAll('video')];
  const start = Date.now();
  while (videos.some(v => v.readyState < 2 && !v.error) && Date.now() - start < 30000)
    await new Promise(r => setTimeout(r, 50));
  const gifs = await Promise.all([...document.querySelectorAll('a[href*=".gif"]')].map(a =>
    new Promise(done => { const img = new Image();
      img.onload = () => done({href: a.getAttribute('href'), width: img.naturalWidth});
      img.onerror = () => done({href: a.getAttribute('href'), width: 0});
      img.src = a.href; })));
  return {
    videos: videos.map(v => ({id: v.closest('article').id, readyState: v.readyState,
                              duration: v.duration, width: v.videoWidth, error: v.error && v.error.code})),
    gifs,
    titles: [...document.querySelectorAll('article h2')].map(h => h.textContent),
  };
})()"""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("src", "href", "poster") and value and not value.startswith("data:"):
                self.urls.append(value.split("?")[0])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("site"), ["moving_dot", "sweep"])
    code, log = render(root, jobs=2)
    assert code == 0, log
    return out_dir(root)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("chromium is missing: `make test` installs it (scripts/system-packages test)")
    b = Browser(exe, tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_every_link_points_at_a_published_file(site):
    parser = _Links()
    parser.feed((site / "index.html").read_text())
    assert parser.urls and all((site / url).is_file() for url in parser.urls)
    assert all(not url.startswith(("/", "http")) for url in parser.urls)  # relative only


@pytest.mark.parametrize("where", ["served", "from disk"])
def test_videos_play_with_the_manifest_duration_and_no_errors(site, browser, server, where):
    url = f"{server}/index.html" if where == "served" else (site / "index.html").as_uri()
    session = browser.open(url)
    page = browser.evaluate(session, WAIT_FOR_VIDEOS)
    clips = {c["name"]: c for c in manifest(site.parents[1])["clips"]}
    assert [v["id"] for v in page["videos"]] == list(clips)
    for video in page["videos"]:
        clip = clips[video["id"]]
        assert video["error"] is None and video["readyState"] >= 2, video
        assert abs(video["duration"] - clip["duration"]) <= 0.1, video
        assert video["width"] == clip["width"]
    assert [g["width"] for g in page["gifs"]] == [c["gif"]["width"] for c in clips.values()]
    assert page["titles"] == [c["title"] for c in clips.values()]
    assert browser.errors(session) == []
