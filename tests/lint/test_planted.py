"""Each rule catches its planted defect in a real Manim scene (lint-only path), at the moment
it happens; the clean twin of each planted scene has no finding at all.

If a rule is removed from ``gdengine/lint/rules.py`` (or the probe stops feeding it), its
planted scene is no longer flagged and these tests fail.
"""

from __future__ import annotations

import pytest
from manim import Scene

from gdengine.kit.scene import GdScene
from gdengine.lint.rules import RULES

from . import planted
from .helpers import lint_scene

# planted scene → (rule, objects named by the finding, earliest and latest plausible time)
PLANTED = {
    planted.Overlap: ("overlap", ("alpha", "beta"), 1.0, 2.0),  # "beta" slides onto "alpha" in 1 → 2 s
    planted.Offframe: ("offframe", ("slope",), 1.0, 2.0),
    planted.Tiny: ("tiny", ("step 3",), 1.4, 1.7),  # when its growing animation ends (1.5 s + a frame)
    planted.TinyCaption: ("tiny", ("Look here.",), 0.0, 0.0),
    planted.TinyChinese: ("tiny", ("学习率",), 0.0, 0.0),
    planted.TinyMath: ("tiny", ("$ x_(t+1) $",), 0.0, 0.0),
    planted.TwoCaptions: ("two-captions", ("Look here.", "Now there."), 2.8, 3.6),  # cross-fade from ~3 s
    planted.CoversData: ("covers-data", ("start", "ball"), 1.0, 2.0),
    planted.CoversCurve: ("covers-data", ("f(x)", "curve"), 1.0, 1.6),  # fades in at 1 s
    planted.Empty: ("empty", None, 1.0, 1.4),  # the square is gone from ~1.2 s for 1 s
    planted.ReadingTime: ("reading-time", ("one two three four five six", "1.4 s < 3.0 s"), 0.4, 0.5),
    planted.ReadingTimeChinese: ("reading-time", ("梯度下降沿着斜坡向下走一步", "2.0 s < 3.2 s"), 0.4, 0.5),
    planted.ReadingTimeSlow: ("reading-time", ("one two three four five six", "3.4 s < 6.0 s"), 0.4, 0.5),
}
CLEAN = [
    planted.OverlapClean, planted.OverlapGroup, planted.OffframeClean, planted.TinyClean,
    planted.TinyCaptionClean, planted.TinyChineseClean, planted.TinyMathClean, planted.TwoCaptionsClean,
    planted.KitCaptions, planted.CoversDataClean, planted.CoversCurveClean, planted.EmptyClean,
    planted.ReadingTimeClean, planted.ReadingTimeChineseClean,
]  # fmt: skip


def test_every_rule_has_a_planted_scene_and_a_clean_twin():
    assert {rule for rule, *_ in PLANTED.values()} == set(RULES)
    for scene in PLANTED:
        twin = getattr(planted, f"{scene.__name__}Clean", None) or scene.__bases__[0]
        assert twin in CLEAN and twin.planted is False, scene


@pytest.mark.parametrize("scene", list(PLANTED), ids=lambda c: c.__name__)
def test_planted_defect_is_found_once_at_its_time(scene, media_dir):
    rule, objects, earliest, latest = PLANTED[scene]
    linted = lint_scene(scene, media_dir)
    assert [f.rule for f in linted.findings] == [rule], linted.lines()
    (finding,) = linted.findings
    assert (finding.clip, finding.language) == (scene.__name__, "en")
    assert earliest - 1e-9 <= finding.t <= latest + 1e-9, linted.lines()
    if objects is not None:
        assert finding.objects == objects
    assert finding.line().startswith(f"{scene.__name__}[en]  t={finding.t:.2f}s  {rule}  ")


def test_empty_names_how_long_the_frame_was_empty(media_dir):
    (finding,) = lint_scene(planted.Empty, media_dir).findings
    seconds = float(finding.objects[0].removesuffix(" s"))
    assert 1.0 <= seconds <= 1.4  # 1 s wait + the fade tails, at 5 fps


@pytest.mark.parametrize("scene", CLEAN, ids=lambda c: c.__name__)
def test_clean_twin_has_no_finding(scene, media_dir):
    linted = lint_scene(scene, media_dir)
    assert linted.findings == [], linted.lines()


@pytest.mark.parametrize("size", [(854, 480, 15), (1280, 720, 30)], ids=["preview", "hd"])
@pytest.mark.parametrize("scene", [planted.Tiny, planted.TinyCaption, planted.Overlap, planted.TwoCaptions], ids=lambda c: c.__name__)
def test_sizes_are_judged_as_at_480p(scene, size, media_dir):
    width, height, fps = size
    rule, objects, earliest, latest = PLANTED[scene]
    linted = lint_scene(scene, media_dir, width, height, fps)
    assert [(f.rule, f.objects if objects else None) for f in linted.findings] == [(rule, objects)], linted.lines()
    assert earliest - 0.2 <= linted.findings[0].t <= latest + 0.1
    clean = getattr(planted, f"{scene.__name__}Clean")
    assert lint_scene(clean, media_dir, width, height, fps).findings == []


@pytest.mark.parametrize("fps", [5, 15, 30])
def test_animations_are_sampled_at_least_4_times_a_second(fps, media_dir):
    """Overlap: a 1 s wait (one frozen frame: one sample), a 1 s move, a 1 s wait."""
    linted = lint_scene(planted.Overlap, media_dir, 854, 480, fps)
    moving = [t for t, settled in linted.linter.times if 1.0 <= t < 2.0 and not settled]
    assert len(moving) >= 4 and max(b - a for a, b in zip([1.0, *moving], [*moving, 2.0])) <= 0.25 + 1e-9
    settled = [t for t, s in linted.linter.times if s]
    for when in (0.0, 1.0, 2.0):  # the frozen first wait, the end of the wait, the end of the move
        assert min(abs(t - when) for t in settled) < 1e-6, (when, settled)
    assert [t for t, _ in linted.linter.times] == sorted(t for t, _ in linted.linter.times)


def test_lint_only_runs_the_same_clock_as_a_drawn_render(media_dir):
    """draw=False skips the pixels but writes as many frames, ends at the same time and finds
    the same defects at the same times as the full render."""
    for scene in (planted.Overlap, planted.Empty, planted.ReadingTime):
        quick, drawn = lint_scene(scene, media_dir), lint_scene(scene, media_dir, draw=True)
        assert quick.sink.count == drawn.sink.count == len(drawn.sink.frames) > 0
        assert quick.end == pytest.approx(drawn.end)
        assert quick.lines() == drawn.lines()


def test_a_static_change_between_animations_counts_from_when_it_is_made(media_dir):
    """A caption added between two waits is on screen from the second wait's start."""
    linted = lint_scene(planted.ReadingTimeClean, media_dir)
    ((_, text), (first, until)) = next(iter(linted.linter._captions.items()))
    assert text == "one two three four five six"
    assert first == pytest.approx(0.4) and until == pytest.approx(3.8)  # 0.5 s and 3.5 s at 5 fps


# --- lint_allow on a GdScene -------------------------------------------------------------------
class AllowOneOverlap(GdScene):
    def construct(self):
        self.lint_allow("overlap", reason="the value is meant to sit on its name", about="beta")
        a, b = planted.label("alpha"), planted.label("beta")
        c, d = planted.label("gamma").shift(2 * planted.UP), planted.label("delta").shift(2 * planted.UP)
        self.add(a, b.next_to(a, planted.RIGHT, buff=-0.3), c, d.next_to(c, planted.RIGHT, buff=-0.3))
        self.wait(1)


class AllowWithoutReason(GdScene):
    def construct(self):
        self.lint_allow("overlap")


class AllowEmptyReason(GdScene):
    def construct(self):
        self.lint_allow("overlap", reason=" ")


def test_lint_allow_covers_one_finding_with_a_reason(media_dir):
    linted = lint_scene(AllowOneOverlap, media_dir)
    assert [f.objects for f in linted.findings] == [("gamma", "delta")]
    (allowance,) = linted.scene.lint_allowances
    assert (allowance.rule, allowance.about) == ("overlap", "beta")


def test_lint_allow_without_a_reason_is_refused(media_dir):
    with pytest.raises(TypeError, match="reason"):
        lint_scene(AllowWithoutReason, media_dir)
    with pytest.raises(ValueError, match="give the reason"):
        lint_scene(AllowEmptyReason, media_dir)


def test_planted_scenes_are_plain_manim(media_dir):
    """The planted scenes use only manim and the lint tags: what they test is the linter."""
    for scene in [*PLANTED, *CLEAN]:
        assert issubclass(scene, Scene) and not issubclass(scene, GdScene)
