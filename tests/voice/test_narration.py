"""Narrated clips end to end: a tiny two-beat scene in English and Chinese, rendered by the
pipeline, with its audio, subtitles and chapters checked against the recorded line times."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import webvtt

from gdengine.errors import GdengineError
from gdengine.pipeline import run
from gdengine.pipeline.inputs import InputHasher
from gdengine.pipeline.quality import Quality
from gdengine.voice import track

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent
TINY = Quality("tiny", 320, 180, 10)


def _project(tmp: Path) -> Path:
    shutil.copytree(HERE / "scenes", tmp / "scenes")
    return tmp


def _render(root: Path, **kw) -> tuple[int, str]:
    req = run.Request(scenes_dir=root / "scenes", renders_dir=root / "renders",
                      cache_dir=root / ".cache", quality=TINY, **kw)  # fmt: skip
    out = io.StringIO()
    return run.render(req, out), out.getvalue()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("narrated"))
    code, log = _render(root)
    assert code == 0, log
    out = root / "renders" / "tiny"
    doc = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return root, out, {c["unit"]: c for c in doc["clips"]}, doc


def _seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def _streams(path: Path) -> str:
    return subprocess.run([track._ffmpeg(), "-i", str(path)], capture_output=True, text=True).stderr


def test_every_language_gets_its_own_files(rendered):
    _, out, units, doc = rendered
    assert doc["languages"] == ["en", "zh"]
    assert set(units) == {"narrated", "narrated.zh"}
    assert units["narrated.zh"]["title"] == "旁白" and units["narrated"]["title"] == "Narrated"
    for unit, lang in (("narrated", "en"), ("narrated.zh", "zh")):
        files = {k: v["file"] for k, v in units[unit]["files"].items()}
        assert files == {"mp4": f"{unit}.mp4", "gif": f"{unit}.gif", "png": f"{unit}.png",
                         "vtt": f"narrated.{lang}.vtt", "srt": f"narrated.{lang}.srt",
                         "chapters": f"narrated.{lang}.chapters.vtt"}  # fmt: skip
        for name in files.values():
            assert (out / name).stat().st_size > 0
        assert "Audio: aac" in _streams(out / f"{unit}.mp4") and "48000 Hz" in _streams(out / f"{unit}.mp4")
        assert "Audio" not in _streams(out / f"{unit}.gif")


def test_lines_start_with_their_beat_and_never_overlap(rendered):
    _, _, units, _ = rendered
    for entry in units.values():
        frame = 1 / entry["fps"]
        beats = dict(entry["beats"])
        lines = entry["lines"]
        assert [b for b, *_ in lines] == ["first", "second", "second"]
        assert abs(lines[0][2] - beats["first"]) <= frame and abs(lines[1][2] - beats["second"]) <= frame
        for (_, _, _, end), (_, _, start, _) in zip(lines, lines[1:]):
            assert end < start
        assert lines[-1][3] <= entry["duration"]  # the clip waits for its voice
        assert "27" in lines[-1][1]  # the engine value filled into the narration


def test_the_track_is_loudness_normalised(rendered):
    _, out, units, _ = rendered
    for unit in units:
        integrated, peak = track.loudness(out / f"{unit}.mp4")
        assert -17.0 <= integrated <= -15.0, (unit, integrated)
        assert peak <= -1.0, (unit, peak)


def test_voice_starts_at_each_line_time(rendered):
    """The decoded audio is silent before each line and loud just after it starts."""
    _, out, units, _ = rendered
    entry = units["narrated"]
    samples = track.decode(out / "narrated.mp4")
    rms = lambda a, b: float(np.sqrt(np.mean(samples[int(a * track.RATE):int(b * track.RATE)] ** 2)))  # noqa: E731
    gap_end = entry["lines"][1][2]
    gap_start = entry["lines"][0][3]
    assert rms(gap_start + 0.05, gap_end - 0.05) < 1e-3
    assert rms(gap_end, gap_end + 0.6) > 0.02


def test_subtitles_and_chapters_match_the_render(rendered):
    _, out, units, _ = rendered
    for unit, lang in (("narrated", "en"), ("narrated.zh", "zh")):
        entry = units[unit]
        cues = webvtt.read(str(out / f"narrated.{lang}.vtt"))
        assert [c.text.replace("\n", " ") for c in cues] == [text for _, text, _, _ in entry["lines"]]
        for cue, (_, _, start, end) in zip(cues, entry["lines"]):
            assert abs(_seconds(cue.start) - start) < 0.002 and abs(_seconds(cue.end) - end) < 0.002
        chapters = webvtt.read(str(out / f"narrated.{lang}.chapters.vtt"))
        assert [round(_seconds(c.start), 3) for c in chapters] == [round(t, 3) for _, t in entry["beats"]]
        srt = (out / f"narrated.{lang}.srt").read_text(encoding="utf-8")
        assert srt.startswith("1\n00:00:00,000 --> ")


def test_a_recording_or_a_chinese_edit_changes_only_that_unit(tmp_path):
    root = _project(tmp_path)
    scene = root / "scenes" / "narrated.py"
    rec = root / "voice" / "narrated" / "zh"

    def keys():
        h = InputHasher()
        return {lang: h.clip_inputs(scene, "Narrated", {}, TINY.as_dict(), language=lang,
                                    recordings=root / "voice" / "narrated" / lang).key for lang in ("en", "zh")}  # fmt: skip

    before = keys()
    rec.mkdir(parents=True)
    shutil.copy(HERE / "scenes" / "strings" / "narrated.toml", rec / "ignored.txt")
    after_rec = keys()
    assert after_rec["en"] == before["en"] and after_rec["zh"] != before["zh"]
    strings = root / "scenes" / "strings" / "narrated.toml"
    strings.write_text(strings.read_text(encoding="utf-8").replace("正方形向右滑动。", "正方形往右滑。"), encoding="utf-8")
    after_edit = keys()
    assert after_edit["en"] == after_rec["en"] and after_edit["zh"] != after_rec["zh"]


def test_a_recording_replaces_the_synthetic_line(tmp_path):
    root = _project(tmp_path)
    rec = root / "voice" / "narrated" / "en"
    rec.mkdir(parents=True)
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(int(2.5 * track.RATE)) / track.RATE)).astype(np.float32)
    raw = tmp_path / "tone.f32"
    raw.write_bytes(tone.tobytes())
    subprocess.run([track._ffmpeg(), "-v", "error", *track._raw_input(raw), str(rec / "first.flac")], check=True)
    assert _render(root)[0] == 0
    entry = json.loads((root / "renders" / "tiny" / "manifest.json").read_text())["clips"][0]
    first = entry["lines"][0]
    assert first[1] == "The square slides to the right." and abs((first[3] - first[2]) - 2.5) < 0.01


def test_an_unreadable_recording_is_one_line_naming_the_file(tmp_path):
    root = _project(tmp_path)
    rec = root / "voice" / "narrated" / "en"
    rec.mkdir(parents=True)
    (rec / "second.wav").write_bytes(b"not a wave file")
    code, log = _render(root)
    assert code == 1
    line = next(ln for ln in log.splitlines() if ln.startswith("narrated ") and "failed" in ln)
    assert "second.wav" in line and "unreadable" in line


def test_voice_none_renders_silent_clips_without_subtitles(tmp_path):
    root = _project(tmp_path)
    assert _render(root, voice="none")[0] == 0
    out = root / "renders" / "tiny"
    assert "Audio" not in _streams(out / "narrated.mp4")
    assert not (out / "narrated.en.vtt").exists() and (out / "narrated.en.chapters.vtt").exists()


def test_a_missing_chinese_voice_is_one_line_with_the_fix(monkeypatch):
    from gdengine.voice import voices

    monkeypatch.setattr(voices.shutil, "which", lambda name: None)
    with pytest.raises(GdengineError, match="espeak-ng.*apt-get install espeak-ng"):
        voices.voice_for("zh").synthesize("你好")


def test_synthesis_is_deterministic():
    from gdengine.voice.voices import voice_for

    for lang, text in (("en", "Step against the slope."), ("zh", "逆着斜率走一步。")):
        voice = voice_for(lang)
        assert voice.synthesize(text) == voice.synthesize(text)


def test_recording_script_lists_each_beat_with_its_lines_and_times(rendered):
    from gdengine.pipeline import script

    root, out, units, _ = rendered
    text = io.StringIO()
    assert script.print_script("narrated", "zh", "hd", root / "scenes", root / "renders", text, out_dir=out) == 0
    lines = text.getvalue().splitlines()
    assert lines[0].startswith("narrated [zh]: record each beat as voice/narrated/zh/<beat>.wav")
    entry = units["narrated.zh"]
    second_at = dict(entry["beats"])["second"]
    head = next(ln for ln in lines if ln.startswith("second  "))
    assert head.startswith(f"second  at {second_at:.1f} s, beat {entry['duration'] - second_at:.1f} s")
    assert "    一共用了27步。" in lines
    with pytest.raises(GdengineError, match="not rendered yet; run `make render SCENES=narrated`"):
        script.print_script("narrated", "zh", "hd", root / "scenes", root / "renders", io.StringIO(), out_dir=out / "nope")


def test_a_new_espeak_release_re_renders_only_the_chinese_unit(tmp_path, monkeypatch):
    """espeak-ng is a Debian package, outside the pinned Python distributions: its version is
    part of the key of the units it speaks, so an upgrade re-renders exactly those."""
    from gdengine.voice import voices

    root = _project(tmp_path)
    scene = root / "scenes" / "narrated.py"

    def keys(params=None):
        h = InputHasher()
        return {lang: h.clip_inputs(scene, "Narrated", params or {}, TINY.as_dict(), language=lang)
                for lang in ("en", "zh")}  # fmt: skip

    before = keys()
    assert before["zh"].parts["voice"].startswith("espeak-cmn: eSpeak NG")
    assert before["en"].parts["voice"].startswith("joe: piper-tts")
    monkeypatch.setattr(voices, "_espeak_version", lambda: "eSpeak NG text-to-speech: 9.9.9")
    after = keys()
    assert after["en"].key == before["en"].key and after["zh"].key != before["zh"].key
    assert after["zh"].changed(before["zh"].parts) == ["voice"]
    silent = keys({"voice": "none"})
    assert "voice" not in silent["zh"].parts and silent["zh"].key != before["zh"].key
