"""Subtitles and chapters: narration lines at their rendered times → WebVTT and SRT cues
(at most 2 lines, ≤ 42 characters a line in English, ≤ 20 in Chinese), and one WebVTT
chapter per beat."""

from gdengine.subtitles.cues import Cue, chapters, cues_for, srt, vtt

__all__ = ["Cue", "chapters", "cues_for", "srt", "vtt"]
