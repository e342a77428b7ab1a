"""3-D clips are narrated like the Manim ones: a beat lasts as long as its voice plus a breath,
and each line reaches the sink, timed, right after its beat and before the beat's frames."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from gdengine.render3d import play
from gdengine.render3d.script import Beat, Script, caption_seconds
from gdengine.voice.lines import BREATH, LINE_GAP

from .conftest import CollectingSink, load_scene


@dataclass(frozen=True)
class Audio:
    text: str
    path: Path
    seconds: float


VOICES = {"intro": [Audio("one", Path("a.wav"), 2.0), Audio("two", Path("b.wav"), 1.5)],
          "recap": [Audio("three", Path("c.wav"), 0.5)]}  # fmt: skip


def test_a_beat_lasts_as_long_as_its_voice_and_lines_follow_each_other():
    beats = [Beat("intro", 1.0, "Hi."), Beat("descend", 2.0, None), Beat("recap", 1.0, "Bye.")]
    script = Script(beats, 10, voices=VOICES)
    silent = Script(beats, 10)
    intro, descend, recap = (script.frames(b.name) for b in beats)
    assert intro == (0, round((2.0 + LINE_GAP + 1.5 + BREATH) * 10))  # 41 frames, not 10
    assert descend[1] - descend[0] == silent.frames("descend")[1] - silent.frames("descend")[0]
    assert abs(recap[1] - recap[0] - max(1.0, caption_seconds("Bye."), 0.5 + BREATH) * 10) <= 1  # frame rounding
    assert script.lines == [
        ("intro", "one", "a.wav", 0.0, 2.0),
        ("intro", "two", "b.wav", 2.0 + LINE_GAP, 2.0 + LINE_GAP + 1.5),
        ("recap", "three", "c.wav", recap[0] / 10, recap[0] / 10 + 0.5),
    ]


def test_an_imposed_duration_never_cuts_a_voice_short():
    beats = [Beat("intro", 1.0, None), Beat("recap", 1.0, None)]
    script = Script(beats, 10, duration=0.5, voices=VOICES)
    assert script.frames("intro")[1] - script.frames("intro")[0] == round((3.5 + LINE_GAP + BREATH) * 10)


class Lines(CollectingSink):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple] = []

    def beat(self, name: str) -> None:
        super().beat(name)
        self.events.append(("beat", name, len(self.frames)))

    def line(self, beat, text, audio, start, end) -> None:
        self.events.append(("line", beat, len(self.frames), start, end))


def test_lines_reach_the_sink_with_their_beat_before_its_frames():
    class Clip:
        fps, width, height = 10, 8, 6
        script = Script([Beat("intro", 0.2, None), Beat("recap", 0.2, None)], 10, voices=VOICES)
        n_frames = script.n_frames

        def beats_at(self, k):
            return self.script.beats_at(k)

        def lines_of(self, name):
            return self.script.lines_of(name)

        def update(self, k):
            pass

        def render(self):
            return np.zeros((6, 8, 3), np.uint8)

    sink = Lines()
    play(sink, Clip())
    lines = [e for e in sink.events if e[0] == "line"]
    assert [e[1] for e in lines] == ["intro", "intro", "recap"]
    for _, beat, frame, start, _ in lines:
        assert frame == dict(sink.beats)[beat]  # no frame of the beat written before its lines
        assert frame == pytest.approx(np.ceil(start * 10 - 1e-9)) or start > frame / 10  # later lines start later
    assert lines[-1][2] == sink.beats[-1][1] and lines[-1][3] == pytest.approx(sink.beats[-1][1] / 10)


def test_a_narrated_surface_clip_speaks_every_beat_in_time(tmp_path):
    from gdengine.voice import lines as voice_lines

    voice_lines.configure(cache_dir=tmp_path / "voice")
    scene = load_scene("descent_3d")
    sink = Lines()
    scene.render_descent_3d(sink, width=160, height=90, fps=5, surface="easom", voice="auto")
    said = [e for e in sink.events if e[0] == "line"]
    beats = dict(sink.beats)
    assert [b for b, _ in sink.beats] == ["intro", "descend", "basins", "plain", "recap"]
    assert {e[1] for e in said} == set(beats)  # every beat has its voice
    starts = [b for _, b in sink.beats] + [len(sink.frames)]
    for (name, first), end in zip(sink.beats, starts[1:]):
        mine = [e for e in said if e[1] == name]
        assert mine[0][3] == pytest.approx(first / 5)
        assert mine[-1][4] + BREATH <= end / 5 + 1 / 5  # the beat outlasts its voice
    silent = Lines()
    scene.render_descent_3d(silent, width=160, height=90, fps=5, surface="easom", voice="none", language="zh")
    assert not [e for e in silent.events if e[0] == "line"] and len(silent.frames) < len(sink.frames) * 2
