"""Voices and audio: narration lines synthesised offline (or the author's recordings), cached,
and laid into a clip's loudness-normalised AAC track."""
