"""Test scene: a white dot crosses the frame, then a red frame marked as the poster."""

from manim import LEFT, RED, RIGHT, WHITE, Dot, Scene, Square


class MovingDot(Scene):
    seconds = 1.0  # length of the crossing (a catalog param in the tests)

    def construct(self):
        dot = Dot(radius=0.6, color=WHITE).shift(LEFT * 4)
        self.add(dot)
        self.play(dot.animate.shift(RIGHT * 8), run_time=self.seconds)
        red = Square(side_length=30, fill_color=RED, fill_opacity=1, stroke_width=0)
        self.add(red)
        self.wait(0.2)
        self.renderer.file_writer.mark_poster()  # what GdScene.mark_poster() does
        self.remove(red)
        self.wait(0.2)


class Broken(Scene):
    def construct(self):
        self.play(Dot().animate.shift(RIGHT), run_time=0.2)
        raise RuntimeError("boom at beat 2")
