"""Tiny Manim scenes with one planted layout defect each, and their clean twins.

Each ``<Rule>`` scene plants exactly one defect of one rule at a known moment; its
``<Rule>Clean`` twin runs the same script with the defect left out (``planted = False``),
so the only difference the linter can see is the defect. Every scene keeps a grey square
on screen (frames are never empty unless a scene means them to be), sizes labels well
above the ``tiny`` limits and holds captions longer than their reading time, so a planted
scene breaks its one rule and nothing else.

Plain ``manim.Scene`` with ``roles.mark`` tags, so the tests do not depend on the kit's
layout choices; only the house font comes from the kit (the cap-height constants are
measured for it). Also linted through the CLI: ``gdengine lint tests/lint/planted.py Overlap``.
"""

from __future__ import annotations

from manim import (
    GREY, LEFT, RIGHT, UP, WHITE, Dot, FadeIn, FadeOut, FunctionGraph, GrowFromCenter,
    MathTypst, Scene, Square, Text, VGroup,
)  # fmt: skip

from gdengine.kit.text import FONT
from gdengine.lint import roles

LABEL_SIZE = 36  # cap height 22 px at 480p (the limit is 12)
CAPTION_SIZE = 30  # 18 px (the caption limit is 16)
CAPTION_Y = -3.0  # caption baseline area: inside the title-safe band (|y| ≤ 3.6)


def label(text: str, size: float = LABEL_SIZE) -> Text:
    return Text(text, font=FONT, font_size=size, color=WHITE)


def caption(text: str, size: float = CAPTION_SIZE) -> Text:
    return roles.mark(label(text, size).move_to(CAPTION_Y * UP), roles.CAPTION)


class Planted(Scene):
    """Base: a grey square (scenery: it keeps frames busy) and the ``planted`` switch."""

    planted = True

    def setup(self) -> None:
        super().setup()
        self.scenery = Square(side_length=1.2, color=GREY).move_to(2.2 * UP + 4.5 * LEFT)
        self.add(self.scenery)


# --- overlap: label "beta" slides onto "alpha" during 1 s → 2 s -----------------------
class Overlap(Planted):
    def construct(self):
        a = label("alpha").move_to(3 * LEFT)
        b = label("beta").move_to(3 * RIGHT)
        self.add(a, b)
        self.wait(1)
        target = a.get_center() + (0.4 if self.planted else 2.6) * RIGHT
        self.play(b.animate.move_to(target), run_time=1)
        self.wait(1)


class OverlapClean(Overlap):
    planted = False


class OverlapGroup(Scene):
    """Parts of one label (a ``lint_group`` VGroup) may touch and overlap: never flagged."""

    def construct(self):
        name = label("loss")
        value = label("= 0.25").next_to(name, RIGHT, buff=-0.1)  # kerned into the name
        readout = VGroup(name, value)
        readout.lint_group = True
        self.add(Square(side_length=1.2, color=GREY).move_to(2.2 * UP), readout)
        self.wait(1)


# --- offframe: a label slides out of the title-safe area (5 % margin) during 1 s → 2 s -----
class Offframe(Planted):
    def construct(self):
        t = label("slope")
        self.add(t)
        self.wait(1)
        self.play(t.animate.move_to((6.7 if self.planted else 5.0) * RIGHT), run_time=1)
        self.wait(1)


class OffframeClean(Offframe):
    planted = False


# --- tiny: a label grows in at 1 s (0.5 s); planted: 8.6 px tall at 480p, clean: 18 px -------
class Tiny(Planted):
    """Grown from a point in both twins: mid-animation sizes are not judged (settled only)."""

    def construct(self):
        t = label("step 3", 14 if self.planted else 30)
        self.wait(1)
        self.play(GrowFromCenter(t), run_time=0.5)
        self.wait(1)


class TinyClean(Tiny):
    planted = False


class TinyCaption(Planted):
    """A caption needs 16 px: size 22 (13 px) would pass as a label but not as a caption."""

    def construct(self):
        self.add(caption("Look here.", 22 if self.planted else CAPTION_SIZE))
        self.wait(2.5)


class TinyCaptionClean(TinyCaption):
    planted = False


class TinyChinese(Planted):
    """Chinese is judged on the glyph box (14 px): size 16 → 12 px, size 22 → 17 px."""

    def construct(self):
        self.add(label("学习率", 16 if self.planted else 22))
        self.wait(1.5)


class TinyChineseClean(TinyChinese):
    planted = False


class TinyMath(Planted):
    """Typst maths has its own cap height: size 20 → 8.5 px, size 40 → 17 px."""

    def construct(self):
        self.add(MathTypst("x_(t+1)", font_size=20 if self.planted else 40))
        self.wait(1.5)


class TinyMathClean(TinyMath):
    planted = False


# --- two-captions: caption B fades in while A fades out (at 3 s) ----------------------------
class TwoCaptions(Planted):
    def construct(self):
        a, b = caption("Look here."), caption("Now there.")
        self.play(FadeIn(a), run_time=0.5)
        self.wait(2.5)
        if self.planted:
            self.play(FadeOut(a), FadeIn(b), run_time=0.6)
        else:
            self.play(FadeOut(a), run_time=0.3)
            self.play(FadeIn(b), run_time=0.3)
        self.wait(2.5)


class TwoCaptionsClean(TwoCaptions):
    planted = False


class KitCaptions(Scene):
    """The kit's caption strip swapping lines: one after the other, never two at once."""

    def construct(self):
        from gdengine.kit.captions import CaptionStrip

        self.add(Square(side_length=1.2, color=GREY).move_to(2.2 * UP))
        strip = CaptionStrip()
        self.add(strip)
        for line in ("Look here.", "Now there."):
            for step in strip.show(line):
                self.play(step, run_time=0.3)
            self.wait(2.5)


# --- covers-data: a label slides onto a ball (1 s → 2 s), or appears on a curve (1 s) ------
class CoversData(Planted):
    def construct(self):
        ball = roles.mark(Dot(2 * RIGHT, radius=0.15), roles.DATA)
        ball.lint_label = "ball"
        t = label("start").move_to(3 * LEFT)
        self.add(ball, t)
        self.wait(1)
        self.play(t.animate.move_to(ball.get_center() + (0 if self.planted else 0.7) * UP), run_time=1)
        self.wait(1)


class CoversDataClean(CoversData):
    planted = False


class CoversCurve(Planted):
    """Any point along a tagged curve counts, not just its ends or centre."""

    def construct(self):
        curve = roles.mark(FunctionGraph(lambda x: 0.25 * x**2 - 2, x_range=[-4, 4]), roles.DATA)
        curve.lint_label = "curve"
        self.add(curve)
        self.wait(1)
        # the curve passes through (3, 0.25): planted on it, clean well above it
        self.play(FadeIn(label("f(x)").move_to(3 * RIGHT + (0.25 if self.planted else 1.6) * UP)), run_time=0.5)
        self.wait(1)


class CoversCurveClean(CoversCurve):
    planted = False


# --- empty: the scenery fades out at 1 s; planted: 1 s with only the caption, clean: none ---
class Empty(Planted):
    def construct(self):
        self.add(caption("Look here."))
        self.wait(1)
        self.play(FadeOut(self.scenery), run_time=0.2)
        if self.planted:
            self.wait(1)
        self.play(FadeIn(self.scenery), run_time=0.2)
        self.wait(1.5)


class EmptyClean(Empty):
    planted = False


# --- reading-time: a 6-word caption (needs 3 s) up for 1.5 s, or 3.5 s ----------------------
class ReadingTime(Planted):
    def construct(self):
        self.wait(0.5)
        c = caption("one two three four five six")
        self.add(c)
        self.wait(1.5 if self.planted else 3.5)
        self.remove(c)
        self.wait(0.5)


class ReadingTimeClean(ReadingTime):
    planted = False


class ReadingTimeSlow(ReadingTimeClean):
    """The clean twin at pace 2: the same 3.5 s is now too short (it needs 6 s)."""

    pace = 2.0


class ReadingTimeChinese(Planted):
    """13 Chinese characters: 1 s + 13/6 s = 3.2 s; up for 2 s, or 3.5 s."""

    def construct(self):
        self.wait(0.5)
        c = caption("梯度下降沿着斜坡向下走一步")
        self.add(c)
        self.wait(2.0 if self.planted else 3.5)
        self.remove(c)
        self.wait(0.5)


class ReadingTimeChineseClean(ReadingTimeChinese):
    planted = False


# --- failure ----------------------------------------------------------------------------------
class Raises(Planted):
    def construct(self):
        self.wait(0.4)
        raise RuntimeError("planted failure")

