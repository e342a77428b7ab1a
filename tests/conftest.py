"""Fixtures shared by the scene tests: tiny renders, once per class per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    """One Typst/Text glyph cache for every tiny render of the session."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def render(media_dir):
    """``render(cls)`` → ``Rendered`` at 320×180, 5 fps; each class is rendered once."""
    from scene_harness import render_frames

    done: dict[type, object] = {}

    def _render(cls: type):
        if cls not in done:
            done[cls] = render_frames(cls, 320, 180, 5, media_dir=media_dir)
        return done[cls]

    return _render
