"""Presenter decks: each rendered clip cut at its recorded beats into reveal.js slides that play
from disk; exact cuts, incremental rebuilds, the gallery's links, bad input, and the deck driven
by the keyboard in headless Chromium."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import numpy as np
import pytest
from browser_harness import chromium
from pipeline.helpers import TINY, decode, make_project, out_dir, render
from pipeline.scenes.beats import BEATS

from gdengine.errors import GdengineError
from gdengine.pipeline.quality import Quality
from gdengine.slides import build, segments


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("decks"), ["beats", "moving_dot"])
    code, log = render(root)
    assert code == 0, log
    return root


def decks(root: Path, names=(), quality=TINY, language=None) -> tuple[int, str]:
    out = io.StringIO()
    code = build.write_decks(list(names), quality, root / "scenes", root / "renders", language=language, stream=out)
    return code, out.getvalue()


def test_one_segment_per_beat_cut_exactly_at_the_recorded_times(project):
    code, log = decks(project, ["beats"])
    assert code == 0 and "beats: " in log and "(3 slides)" in log
    folder = out_dir(project) / "slides" / "beats"
    files = sorted(p.name for p in folder.glob("*.mp4"))
    assert files == ["01-intro.mp4", "02-middle.mp4", "03-result.mp4"]
    fps = TINY.fps
    whole = []
    for name, (beat, seconds, colour) in zip(files, BEATS):
        meta, frames = decode(folder / name)
        assert len(frames) == round(seconds * fps)  # the beat's frames, none lost or repeated
        typical = np.median(frames.reshape(-1, 3), axis=0)  # the beat's background colour
        assert np.allclose(typical, colour, atol=8), (name, typical, colour)
        whole.append(frames)
    # the moving bar continues across the cuts: the segments together are the clip's frames
    _, clip = decode(out_dir(project) / "beats.mp4")
    joined = np.concatenate(whole)
    total, width = len(clip), clip.shape[2]
    expected = np.array([int(i * (width - 8) / (total - 1)) + 3.5 for i in range(total)])
    white = joined.min(axis=3).mean(axis=1) > 200  # (frames, columns): where the bar is
    found = np.array([np.flatnonzero(row).mean() for row in white])
    assert joined.shape == clip.shape and np.max(np.abs(found - expected)) <= 1.0
    assert np.abs(joined.astype(int) - clip).mean() < 2.0  # and look like them
    page = (out_dir(project) / "slides" / "beats.html").read_text()
    assert page.count("<section ") == 3 and 'src="reveal/reveal.js"' in page
    assert (out_dir(project) / "slides" / "reveal" / "LICENSE").is_file()


def test_unchanged_clips_keep_their_decks_and_a_changed_one_is_rebuilt(project):
    decks(project, ["beats"])
    page = out_dir(project) / "slides" / "beats.html"
    before = page.stat().st_mtime_ns
    code, log = decks(project, ["beats"])
    assert code == 0 and "up to date" in log and page.stat().st_mtime_ns == before
    record = out_dir(project) / "slides" / "beats" / "deck.json"
    key = json.loads(record.read_text())
    record.write_text(json.dumps({**key, "mp4": "0" * 64}))  # as if the clip had changed
    code, log = decks(project, ["beats"])
    assert code == 0 and "up to date" not in log and json.loads(record.read_text()) == key
    assert not list((out_dir(project) / "slides").glob(".*tmp*"))  # no half-built deck left


def test_a_clip_without_beats_gets_one_slide_and_a_notice(project):
    code, log = decks(project, ["moving_dot"])
    assert code == 0 and "no beats recorded, so one slide for the whole clip" in log
    page = (out_dir(project) / "slides" / "moving_dot.html").read_text()
    assert page.count("<section ") == 1
    _, frames = decode(out_dir(project) / "slides" / "moving_dot" / "01-clip.mp4")
    _, clip = decode(out_dir(project) / "moving_dot.mp4")
    assert len(frames) == len(clip)


def test_the_gallery_links_each_deck(project):
    decks(project)
    index = (out_dir(project) / "index.html").read_text()
    assert 'href="slides/beats.html" data-link="slides"' in index
    assert 'href="slides/moving_dot.html" data-link="slides"' in index


def test_unrendered_clips_and_unknown_languages_say_so(project, capsys):
    code, _ = decks(project, ["beats"], quality=Quality("other", 64, 48, 5))
    err = capsys.readouterr().err
    assert code == 2 and "beats is not rendered at other yet; run `make render SCENES=beats QUALITY=other`" in err
    with pytest.raises(GdengineError, match="unknown language 'fr'"):
        decks(project, ["beats"], language="fr")


def test_beat_subtitles_are_the_cues_said_in_the_beat_on_its_own_clock():
    entry = {"fps": 10, "frames": 50, "language": "en",
             "beats": [["a", 0.0], ["b", 2.0]],
             "lines": [["a", "First line.", 0.2, 1.5], ["b", "Second line.", 2.3, 3.9],
                       ["b", "Third.", 4.0, 4.8]]}  # fmt: skip
    first, second = segments.segments_for(entry)
    assert (first.frames, second.first, second.frames) == (20, 20, 30)
    assert segments.beat_lines(entry, second) == ["Second line.", "Third."]
    text = segments.beat_subtitles(entry, second)
    assert "00:00:00.300 --> 00:00:01.900\nSecond line." in text
    assert "00:00:02.000 --> 00:00:02.800\nThird." in text and "First" not in text


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def test_the_deck_plays_from_disk_and_the_right_arrow_moves_to_the_next_beat(project, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    decks(project, ["beats"])
    browser.get((out_dir(project) / "slides" / "beats.html").resolve().as_uri())
    state = ("const s = Reveal.getCurrentSlide(), v = s.querySelector('video');"
             "return [Reveal.getTotalSlides(), Reveal.getIndices().h, v.currentSrc.split('/').pop(),"
             " v.paused, v.currentTime, [...document.querySelectorAll('video')].filter(x => !x.paused).length];")
    for _ in range(50):  # reveal.js initialises asynchronously
        if browser.execute_script("return !!(window.Reveal && Reveal.isReady())"):
            break
        time.sleep(0.1)
    total, index, src, _, _, _ = browser.execute_script(state)
    assert (total, index, src) == (3, 0, "01-intro.mp4")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    time.sleep(0.8)
    total, index, src, paused, at, playing = browser.execute_script(state)
    assert (index, src) == (1, "02-middle.mp4")
    assert not paused and at > 0.1 and playing == 1  # the new beat plays, the old one stopped
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
