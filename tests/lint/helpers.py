"""Run a Manim scene class for the layout linter alone, in this process (no pixels drawn)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from manim import config, tempconfig

from gdengine.lint.manim_probe import LintProbe
from gdengine.lint.rules import Finding, Linter
from gdengine.pipeline import capture
from gdengine.pipeline.memory import MemorySink

HERE = Path(__file__).resolve().parent
PLANTED = HERE / "planted.py"


class RecordingLinter(Linter):
    """A ``Linter`` that also keeps each sample's time and settledness."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.times: list[tuple[float, bool]] = []

    def add(self, sample) -> None:
        self.times.append((sample.t, sample.settled))
        super().add(sample)


@dataclass
class Linted:
    findings: list[Finding]
    scene: object
    sink: MemorySink
    linter: RecordingLinter
    end: float  # scene time at the end of the clip

    @property
    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def lines(self) -> list[str]:
        return [f.line() for f in self.findings]


def lint_scene(scene_class: type, media_dir: Path, width: int = 320, height: int = 180, fps: float = 5,
               draw: bool = False) -> Linted:  # fmt: skip
    """Lint ``scene_class`` as the worker's lint-only path does (``render_frames(draw=False)``):
    a ``LintProbe`` on the renderer, frames counted by a ``MemorySink`` that keeps none."""
    settings = {
        "pixel_width": width, "pixel_height": height, "frame_rate": fps,
        "frame_width": config.frame_height * width / height, "disable_caching": True,
        "write_to_movie": True, "save_last_frame": False, "preview": False,
        "progress_bar": "none", "verbosity": "WARNING", "media_dir": str(media_dir),
    }  # fmt: skip
    linter = RecordingLinter(scene_class.__name__, str(getattr(scene_class, "language", "en")), width, height,
                          float(getattr(scene_class, "pace", 1.0)))  # fmt: skip
    sink = MemorySink(fps=fps, keep=draw)
    with tempconfig(settings):
        scene = capture.render_scene(scene_class, sink, LintProbe(linter), draw=draw)
    linter.allow.extend(getattr(scene, "lint_allowances", []))
    end = float(scene.renderer.time)
    return Linted(linter.finish(end), scene, sink, linter, end)
