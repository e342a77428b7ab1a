"""The layout rules as pure geometry: hand-made samples in, findings out (no manim)."""

from __future__ import annotations

import numpy as np
import pytest

from gdengine.lint.rules import (
    MAX_EMPTY_SECONDS, MIN_CAP_PX, MIN_CAPTION_CAP_PX, MIN_CJK_BOX_PX, RULES, Allowance, DataShape,
    Finding, Linter, Sample, TextBox, reading_seconds,
)  # fmt: skip

W, H = 854, 480  # the reference size: 1 px here is 1 px at 480p


def text(ident, box, words="label", cap=20.0, caption=False, group=None) -> TextBox:
    return TextBox(ident=ident, text=words, box=box, cap_px=cap, caption=caption, group=group)


def shape(ident, *points, name="ball") -> DataShape:
    return DataShape(ident=ident, name=name, points=np.array(points, dtype=float))


def run(*samples: Sample, end: float | None = None, width=W, height=H, pace=1.0, allow=()) -> list[Finding]:
    linter = Linter("clip", "en", width, height, pace, allow)
    for s in samples:
        linter.add(s)
    return linter.finish(samples[-1].t + 1.0 if end is None else end)


def rules_of(findings) -> list[str]:
    return [f.rule for f in findings]


def test_the_seven_rules():
    assert RULES == ("overlap", "offframe", "tiny", "two-captions", "covers-data", "empty", "reading-time")
    assert (MIN_CAP_PX, MIN_CAPTION_CAP_PX, MIN_CJK_BOX_PX, MAX_EMPTY_SECONDS) == (12.0, 16.0, 14.0, 0.3)


# --- reading time --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line, pace, seconds",
    [
        ("one two three", 1.0, 2.0),  # 1 s + 3 words / 3
        ("one two three", 2.0, 4.0),  # scaled by pace
        ("Start the ball at x = 1.8.", 1.0, 1 + 6 / 3),  # "=" is not a word, "1.8." is
        ("Step: move by −η·f′(x) = −0.36, downhill.", 1.0, 1 + 6 / 3),
        ("", 1.0, 1.0),
        ("梯度下降", 1.0, 1 + 4 / 6),  # Chinese: 1 s per 6 characters
        ("梯度，下降。", 1.0, 1 + 4 / 6),  # Chinese punctuation is not a character to read
        ("学习率 η = 0.1", 1.0, 1 + 3 / 6 + 2 / 3),  # mixed: CJK characters + the other words
        ("梯度下降沿着斜坡向下走一步", 0.5, (1 + 13 / 6) * 0.5),
    ],
)
def test_reading_seconds(line, pace, seconds):
    assert reading_seconds(line, pace) == pytest.approx(seconds)


def test_reading_time_judges_each_caption_from_first_to_last_sample_shown():
    six = "one two three four five six"  # needs 3 s
    short = [Sample(0.0, [text(1, (100, 400, 500, 430), six, caption=True)]), Sample(2.9, [])]
    found = run(*short, end=4.0)
    assert [(f.rule, f.t, f.objects) for f in found] == [("reading-time", 0.0, (six, "2.9 s < 3.0 s"))]
    long_enough = [Sample(0.0, [text(1, (100, 400, 500, 430), six, caption=True)]), Sample(3.0, [])]
    assert run(*long_enough, end=4.0) == []
    # a caption still up when the clip ends is judged up to the end
    assert rules_of(run(long_enough[0], end=2.0)) == ["reading-time"]
    assert run(long_enough[0], end=3.0) == []
    # pace 2 doubles what is needed
    assert [f.objects[1] for f in run(*long_enough, end=4.0, pace=2.0)] == ["3.0 s < 6.0 s"]


def test_a_reused_object_id_with_a_new_line_is_a_new_caption():
    a, b = "one two three", "four five six"  # 2 s each
    samples = [
        Sample(0.0, [text(7, (100, 400, 500, 430), a, caption=True)]),
        Sample(2.5, [text(7, (100, 400, 500, 430), b, caption=True)]),  # same id, next line
        Sample(3.0, []),
    ]
    found = run(*samples, end=4.0)
    assert [(f.t, f.objects) for f in found] == [(2.5, (b, "0.5 s < 2.0 s"))]


# --- per-sample rules ------------------------------------------------------------------------
def test_overlap_needs_more_than_touching():
    a = text(1, (100, 100, 200, 130), "alpha")
    touching = text(2, (200.5, 100, 300, 130), "beta")  # within 1 px: touching
    crossing = text(2, (195, 100, 300, 130), "beta")
    assert run(Sample(0, [a, touching])) == []
    found = run(Sample(0, [a, crossing]))
    assert [(f.rule, f.objects) for f in found] == [("overlap", ("alpha", "beta"))]


def test_overlap_exempts_two_captions_and_parts_of_one_group():
    a = text(1, (100, 100, 200, 130), "loss", group=9)
    b = text(2, (150, 100, 300, 130), "= 0.25", group=9)
    assert run(Sample(0, [a, b])) == []
    c1 = text(3, (100, 400, 500, 430), "old", caption=True)
    c2 = text(4, (100, 400, 500, 430), "new", caption=True)
    assert rules_of(run(Sample(0, [c1, c2]), end=5)) == ["two-captions"]  # not "overlap"


def test_a_defect_is_reported_when_it_starts_and_again_when_it_returns():
    a = text(1, (100, 100, 200, 130), "alpha")
    on, off = text(2, (150, 100, 300, 130), "beta"), text(2, (400, 100, 500, 130), "beta")
    found = run(Sample(0, [a, on]), Sample(0.5, [a, on]), Sample(1, [a, off]), Sample(1.5, [a, on]))
    assert [(f.rule, f.t) for f in found] == [("overlap", 0.0), ("overlap", 1.5)]


def test_offframe_is_the_5_percent_title_safe_margin():
    # safe area at 854×480: x 42.7 … 811.3, y 24 … 456
    inside = text(1, (42.7, 24, 811.3, 456), "edge to edge")
    assert run(Sample(0, [inside])) == []
    for box in [(40, 100, 200, 130), (600, 100, 813, 130), (100, 22, 200, 60), (100, 400, 200, 458)]:
        found = run(Sample(0, [text(1, box, "slope")]))
        assert [(f.rule, f.objects) for f in found] == [("offframe", ("slope",))], box


@pytest.mark.parametrize(
    "words, caption, limit",
    [("step 3", False, MIN_CAP_PX), ("Look here.", True, MIN_CAPTION_CAP_PX), ("学习率", False, MIN_CJK_BOX_PX)],
)
@pytest.mark.parametrize("height", [480, 720, 180])
def test_tiny_is_judged_at_480p(words, caption, limit, height):
    width = round(height * 16 / 9)
    scale = height / 480  # output px per 480p px
    box = (0.3 * width, 0.3 * height, 0.6 * width, 0.4 * height)

    def found(cap_at_480):
        t = text(1, box, words, cap=cap_at_480 * scale, caption=caption)
        return rules_of(run(Sample(0, [t]), end=5, width=width, height=height, pace=0.01))

    assert found(limit - 0.1) == ["tiny"]
    assert found(limit) == []


def test_tiny_is_judged_on_settled_samples_only():
    growing = text(1, (100, 100, 110, 103), "step 3", cap=2.0)
    assert run(Sample(0, [growing], settled=False)) == []
    assert rules_of(run(Sample(0, [growing], settled=True))) == ["tiny"]


def test_covers_data_needs_a_point_strictly_inside_the_box():
    box = (100, 100, 200, 130)
    for points in [[(150, 115)], [(0, 0), (300, 300), (101.5, 128.5)]]:  # a ball; a curve through a corner
        found = run(Sample(0, [text(1, box, "x0")], [shape(5, *points, name="curve")]))
        assert [(f.rule, f.objects) for f in found] == [("covers-data", ("x0", "curve"))]
    for points in [[(99.5, 115)], [(150, 130.5)], [(0, 0), (300, 0)]]:  # on the edge, or around it
        assert run(Sample(0, [text(1, box, "x0")], [shape(5, *points)])) == []
    assert run(Sample(0, [text(1, box, "x0")], [DataShape(5, "empty", np.zeros((0, 2)))])) == []


def test_two_captions_while_one_fades_in_over_the_other():
    old = text(1, (100, 400, 500, 430), "one two", caption=True)
    new = text(2, (100, 400, 500, 430), "three four", caption=True)
    samples = [Sample(0, [old]), Sample(3, [old, new]), Sample(3.2, [new]), Sample(6, [])]
    found = run(*samples)
    assert [(f.rule, f.t, f.objects) for f in found] == [("two-captions", 3.0, ("one two", "three four"))]
    one_after_other = [Sample(0, [old]), Sample(3, []), Sample(3.2, [new]), Sample(6, [])]
    assert run(*one_after_other) == []


def test_empty_is_more_than_0_3_s_of_background_and_caption():
    cap = text(1, (100, 400, 500, 430), "one", caption=True)

    def gap(seconds):
        return run(Sample(0, [cap]), Sample(1, [cap], busy=False), Sample(1 + seconds, [cap]), end=10)
    assert gap(0.3) == []
    assert rules_of(gap(0.31)) == ["empty"]
    found = gap(0.4)
    assert [(f.rule, f.t, f.objects) for f in found] == [("empty", 1.0, ("0.4 s",))]
    # an empty stretch running into the end of the clip counts too
    assert [(f.rule, f.t) for f in run(Sample(0, [cap]), Sample(9, [cap], busy=False), end=10)] == [("empty", 9.0)]


def test_samples_must_come_in_time_order():
    linter = Linter("clip", "en", W, H)
    linter.add(Sample(1.0))
    with pytest.raises(ValueError, match="out of order"):
        linter.add(Sample(0.5))


def test_findings_come_in_time_then_rule_order():
    a = text(1, (20, 100, 200, 130), "alpha")  # off the frame and overlapping b
    b = text(2, (150, 100, 300, 130), "beta")
    found = run(Sample(0, [b]), Sample(1, [b, a]))
    assert [(f.t, f.rule) for f in found] == [(1.0, "overlap"), (1.0, "offframe")]


# --- findings and allowances ----------------------------------------------------------------
def test_finding_line_format():
    f = Finding("ball_downhill", "en", 12.3, "overlap", ("η = 0.1", "stop when |f′(x)| < 0.01"))
    assert f.line() == 'ball_downhill[en]  t=12.30s  overlap  "η = 0.1" × "stop when |f′(x)| < 0.01"'
    long = Finding("c", "zh", 1.0, "offframe", ("word " * 30,))
    assert long.line() == 'c[zh]  t=1.00s  offframe  "' + ("word " * 12).strip() + '…"'


def overlaps_alpha_beta_then_gamma_delta() -> list[Sample]:
    a, b = text(1, (100, 100, 200, 130), "alpha"), text(2, (150, 100, 300, 130), "beta")
    c, d = text(3, (100, 300, 200, 330), "gamma"), text(4, (150, 300, 300, 330), "delta")
    far = text(2, (400, 100, 500, 130), "beta")
    return [Sample(0, [a, b]), Sample(1, [a, far]), Sample(2, [a, b, c, d])]


def test_an_allowance_covers_one_finding_only():
    samples = overlaps_alpha_beta_then_gamma_delta()
    assert [(f.t, f.objects) for f in run(*samples)] == [
        (0.0, ("alpha", "beta")), (2.0, ("alpha", "beta")), (2.0, ("gamma", "delta")),
    ]  # fmt: skip
    one = Allowance("overlap", "alpha is pinned to beta on purpose")
    assert [(f.t, f.objects) for f in run(*samples, allow=[one])] == [(2.0, ("alpha", "beta")), (2.0, ("gamma", "delta"))]
    about = Allowance("overlap", "the delta label sits on gamma's box by design", about="delta")
    assert [(f.t, f.objects) for f in run(*samples, allow=[about])] == [(0.0, ("alpha", "beta")), (2.0, ("alpha", "beta"))]
    other_rule = Allowance("offframe", "not this one", about="alpha")
    assert len(run(*samples, allow=[other_rule])) == 3
    assert run(*samples, allow=[one, one, about]) == []  # each finding needs its own allowance


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_allowance_needs_a_reason(reason):
    with pytest.raises(ValueError, match="give the reason"):
        Allowance("overlap", reason)


def test_an_allowance_names_a_real_rule():
    with pytest.raises(ValueError, match="unknown rule 'overlaps'.*valid rules: overlap, offframe"):
        Allowance("overlaps", "typo")
