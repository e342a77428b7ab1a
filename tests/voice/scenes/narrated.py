"""Test scene: two beats with narration (en and zh), one short animation each."""

from manim import LEFT, RIGHT, Square

from gdengine.kit.scene import GdScene


class Narrated(GdScene):
    strings_file = "strings/narrated.toml"

    def construct(self):
        square = Square(side_length=2).shift(2 * LEFT)
        self.add(square)
        self.beat("first")
        self.caption("first")
        self.play(square.animate.shift(4 * RIGHT), run_time=0.4)
        self.pause(1.5)  # silent (voice = "none"), the caption still needs its reading time
        self.beat("second", count=27)
        self.caption("second")
        self.play(square.animate.shift(4 * LEFT), run_time=0.4)
        self.pause(1.5)
