"""3-D overlays: beats, captions from strings tables, lint geometry, the CJK font, the montage's
one clock — each checked against what is actually drawn or computed."""

from __future__ import annotations

import numpy as np
import pytest

from gdengine.errors import GdengineError
from gdengine.lint.rules import Linter
from gdengine.render3d import colors, lint, play
from gdengine.render3d.fonts import NOTO_CAP, NOTO_CJK_BOX, house_font
from gdengine.render3d.script import Beat, Script

from .conftest import SCENES, CollectingSink, load_scene

W, H, FPS = 854, 480, 5  # lint geometry is judged at 480p; few frames per second keeps it quick


def lint_only_sink(name: str = "clip", language: str = "en", width: int = W, height: int = H):
    return CollectingSink(linter=Linter(name, language, width, height), needs_pixels=False)


def with_clip(module, entry: str, check, **params):
    """Run ``entry`` lint-only, calling ``check(clip)`` on the clip it plays (before it closes)."""
    real = module.play
    seen = {}

    def spy(sink, clip, *args, **kwargs):
        seen["result"] = check(clip)
        return real(sink, clip, *args, **kwargs)

    module.play = spy
    try:
        getattr(module, entry)(lint_only_sink(), width=W, height=H, fps=FPS, **params)
    finally:
        module.play = real
    return seen["result"]


# --- beats -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("surface, ids", [
    ("sphere", ["intro", "descend", "basins", "recap"]),
    ("easom", ["intro", "descend", "basins", "plain", "recap"]),
])
def test_descent_marks_its_beats_in_order(surface, ids):
    scene = load_scene("descent_3d")
    sink = lint_only_sink()
    scene.render_descent_3d(sink, width=W, height=H, fps=FPS, surface=surface)
    assert [b for b, _ in sink.beats] == ids
    starts = [k for _, k in sink.beats]
    assert starts[0] == 0 and starts == sorted(starts) and len(set(starts)) == len(starts)
    assert len(sink.frames) == sink.total  # one (blank) frame per frame of clip time


def test_race_and_montage_mark_their_beats():
    race = load_scene("surface_race_3d")
    sink = lint_only_sink()
    race.render_surface_race_3d(sink, width=W, height=H, fps=FPS)
    assert [b for b, _ in sink.beats] == ["intro", "race", "trap", "escape", "recap"]
    montage = load_scene("descent_3d")
    sink = lint_only_sink()
    montage.render_descent_montage_3d(sink, width=W, height=H, fps=FPS)
    assert [b for b, _ in sink.beats] == ["intro", "descend", "basins", "recap"]


def test_lint_only_keeps_the_timing_of_a_drawn_clip():
    scene = load_scene("descent_3d")
    drawn, linted = CollectingSink(), lint_only_sink(width=160, height=90)
    for sink in (drawn, linted):
        scene.render_descent_3d(sink, width=160, height=90, fps=FPS, surface="himmelblau_single")
    assert len(drawn.frames) == len(linted.frames) > 0
    assert drawn.beats == linted.beats
    assert not np.array_equal(drawn.frames[-1], np.zeros_like(drawn.frames[-1]))
    assert all(not f.any() for f in linted.frames)  # nothing was rendered


def test_beats_reach_the_sink_with_their_frame_through_the_writer_thread():
    class Clip:
        n_frames, fps, width, height = 12, 6.0, 8, 8
        script = Script([Beat("a", 0.5), Beat("b", 1.0), Beat("c", 0.5)], 6.0)

        def beats_at(self, k):
            return self.script.beats_at(k)

        def update(self, k):
            self.k = k

        def render(self):
            return np.full((8, 8, 3), self.k, np.uint8)

    sink = CollectingSink()
    play(sink, Clip())
    assert sink.beats == [("a", 0), ("b", 3), ("c", 9)]
    assert [int(f[0, 0, 0]) for f in sink.frames] == list(range(12))


def test_beat_ids_are_stable_identifiers_and_captions_never_overlap():
    script = Script([Beat("intro", 1.0, "one two three"), Beat("next", 1.0, "four five six")], 10)
    shown = [script.caption_at(k) for k in range(script.n_frames)]
    texts = [t for t, o, _ in shown if o > 0.05]
    swap = texts.index("four five six")
    assert all(t == "one two three" for t in texts[:swap]) and all(t == "four five six" for t in texts[swap:])
    # the old line is fully gone (opacity 0) before the new one appears
    k = int(script.start[1])
    assert shown[k + int(script._fade) - 1][1] == 0.0 and shown[k + int(script._fade)][0] == "four five six"
    with pytest.raises(GdengineError, match="unique"):
        Script([Beat("a"), Beat("a")], 10)


# --- lint geometry -----------------------------------------------------------------------------------
def test_shipped_race_layout_is_lint_clean_with_real_samples():
    scene = load_scene("surface_race_3d")
    sink = lint_only_sink("surface_race_3d")
    scene.render_surface_race_3d(sink, width=W, height=H, fps=FPS)
    seconds = len(sink.frames) / FPS
    assert sink.linter.samples >= 4 * seconds
    assert sink.linter.finish(seconds) == []


def test_a_label_moved_over_a_ball_is_flagged_covers_data():
    scene = load_scene("surface_race_3d")

    def plant(clip):
        k = clip.script.frames("race")[0] + 6  # the balls are moving, the callouts are up
        clip.update(k)
        clean = clip.lint_sample(k)
        assert any(t.text.startswith("f = ") for t in clean.texts)  # callout lines are linted
        assert {"gradient descent ball", "gradient descent trail", "marker"} <= {d.name for d in clean.data}
        twin = Linter("race", "en", W, H)
        twin.add(clean)
        assert [f for f in twin.finish(k / FPS) if f.rule == "covers-data"] == []
        # move the first callout so its panel sits on the gradient-descent ball
        ball = next(d for d in clean.data if d.name == "gradient descent ball").points[0]
        callout = clip.callouts[0]
        anchor, _ = clip.stage.pixels(callout.anchor[None])
        callout.offset = ball - anchor[0]
        clip.update(k)
        planted = Linter("race", "en", W, H)
        planted.add(clip.lint_sample(k))
        return [f.objects for f in planted.finish(k / FPS) if f.rule == "covers-data"]

    found = with_clip(scene, "render_surface_race_3d", plant)
    assert any(objects[1] == "gradient descent ball" for objects in found)


def test_projected_balls_are_where_the_renderer_draws_them():
    scene = load_scene("descent_3d")

    def check(view):
        k = view.n_frames - 1
        view.update(k)
        frame = view.render()
        balls = next(d for d in view.data(k) if d.name == "balls").points
        centres = balls[:: lint.RING + 1]
        want = colors.rgb8(view.outcomes.group_colors[0]).astype(int)
        hits = 0
        for x, y in centres:
            patch = frame[int(y) - 1 : int(y) + 2, int(x) - 1 : int(x) + 2].reshape(-1, 3).astype(int)
            hits += np.abs(np.median(patch, axis=0) - want).sum() < 120
        return hits / len(centres)

    # the single Himmelblau ball: its projected centre is on the ball's colour
    assert with_clip(scene, "render_descent_3d", check, surface="himmelblau_single") == 1.0


def test_text_boxes_hold_the_rendered_ink():
    import pyvista as pv

    from gdengine.render3d.backend import select_backend
    from gdengine.render3d.hud import CAPTION, LABEL, Hud

    select_backend()
    plotter = pv.Plotter(off_screen=True, window_size=(W, H))
    plotter.set_background(colors.BACKGROUND)
    try:
        hud = Hud(plotter, W, H)
        slots = [hud.text("a", "global minimum (3, 2): 25 starts", at=(60, 40), size=LABEL),
                 hud.text("b", "Each ball steps downhill.", at=(427, 300), anchor="center", size=CAPTION),
                 hud.text("c", "每个球都逆着梯度走", at=(800, 440), anchor="bottom_right", size=LABEL)]
        frame = plotter.screenshot(return_img=True)
    finally:
        plotter.close()
    ink = np.abs(frame.astype(int) - colors.rgb8(colors.BACKGROUND)).sum(axis=2) > 90
    for slot in slots:
        x0, y0, x1, y1 = slot.box
        inside = ink[int(y0) - 1 : int(np.ceil(y1)) + 1, int(x0) - 1 : int(np.ceil(x1)) + 1].sum()
        near = ink[int(y0) - 8 : int(y1) + 8, int(x0) - 8 : int(x1) + 8].sum()
        assert inside > 50 and inside == near, slot.text  # all the ink, none outside the box
        ys, xs = np.nonzero(ink[int(y0) - 8 : int(y1) + 8, int(x0) - 8 : int(x1) + 8])
        assert ys.max() - ys.min() > 0.6 * (y1 - y0)  # the box is not much taller than the text


def test_3d_allowance_needs_a_reason_and_covers_one_finding():
    sink = lint_only_sink()
    with pytest.raises(ValueError, match="reason"):
        lint.allow(sink, "covers-data", reason=" ")
    lint.allow(sink, "offframe", reason="the formula is wider than a 4:3 frame")
    assert sink.linter.allow[0].rule == "offframe"


# --- font ----------------------------------------------------------------------------------------------
def _glyph(text: str, size: int = 120, bold: bool = False) -> np.ndarray:
    import pyvista as pv

    from gdengine.render3d.backend import select_backend
    from gdengine.render3d.hud import Hud

    select_backend()
    plotter = pv.Plotter(off_screen=True, window_size=(size * 2, int(size * 1.6)))
    plotter.set_background("black")
    try:
        hud = Hud(plotter, size * 2, int(size * 1.6), scale=480)
        hud.text("g", text, at=(size * 0.3, size * 0.3), size=size, color="#FFFFFF", bold=bold)
        return plotter.screenshot(return_img=True)[:, :, 0] > 127
    finally:
        plotter.close()


def test_cap_heights_match_the_rendered_glyphs():
    h_rows = np.nonzero(_glyph("H").any(axis=1))[0]
    assert (h_rows.max() - h_rows.min() + 1) / 120 == pytest.approx(NOTO_CAP, abs=0.02)
    zh_rows = np.nonzero(_glyph("中").any(axis=1))[0]
    assert (zh_rows.max() - zh_rows.min() + 1) / 120 == pytest.approx(NOTO_CJK_BOX, abs=0.03)


def test_chinese_draws_real_glyphs_not_boxes():
    assert house_font().has_cjk, "install fonts-noto-cjk"
    glyphs = [_glyph(c, 60) for c in "梯度下降"]
    for g in glyphs:
        assert 0.01 < g.mean() < 0.2  # ink, but not a filled block
    for i in range(len(glyphs)):
        for j in range(i + 1, len(glyphs)):
            assert (glyphs[i] ^ glyphs[j]).mean() > 0.01  # four different shapes, not one tofu box


def test_zh_clip_draws_its_words_from_the_chinese_table():
    scene = load_scene("descent_3d")

    def words(view):
        view.update(view.n_frames - 1)
        return [t.text for t in view.texts()]

    texts = with_clip(scene, "render_descent_3d", words, surface="sphere", language="zh")
    assert "球面函数" in texts
    assert any("个起点" in t for t in texts)
    assert any(t.endswith("。") for t in texts)  # the caption, with Chinese punctuation
    with pytest.raises(GdengineError, match="valid choices: en, zh"):
        scene.render_descent_3d(CollectingSink(), width=W, height=H, fps=FPS, surface="sphere", language="xx")


# --- montage, camera, words vs picture ------------------------------------------------------------------
def test_montage_has_one_clock_one_legend_and_tiles_in_step():
    scene = load_scene("descent_3d")

    def check(montage):
        for k in range(0, montage.n_frames, 7):
            for v in montage.views:
                assert v.steps[k] == pytest.approx(min(montage.clock[k], v.total_steps))
        montage.update(montage.n_frames // 2)
        banner = montage.banner.hud.slots
        tiles = [set(v.stage.hud.slots) for v in montage.views]
        return banner, tiles

    banner, tiles = with_clip(scene, "render_descent_montage_3d", check)
    assert "clock" in banner and "legend.0.label" in banner and "caption" in banner
    assert all(t == {"title"} for t in tiles)  # no tile has its own clock or legend


@pytest.mark.parametrize("name", ["sphere", "griewank", "six_hump_camel", "himmelblau_single",
                                  "himmelblau", "easom"])
def test_default_orbits_keep_depth(name):
    scene = load_scene("descent_3d")
    path = scene.camera_path(scene.SURFACES[name], 60.0)
    lo, hi = scene.ELEVATIONS
    assert all(lo <= k.pose.elevation <= hi for k in path.keyframes)


def test_easom_caption_counts_what_moves():
    import gdengine as gd

    scene = load_scene("descent_3d")
    land, traj = scene.run(scene.SURFACES["easom"])

    def caption(view):
        return view.script.captions[view.script.index("plain")], view.outcomes

    text, outcomes = with_clip(scene, "render_descent_3d", caption, surface="easom")
    moved = np.linalg.norm(traj.positions[-1] - traj.positions[0], axis=1) > 1e-9
    stalled = outcomes.group == -1
    never, crept = int((stalled & ~moved).sum()), int((stalled & moved).sum())
    assert never > 0 and crept > 0  # some stalled balls do slide, and the words say so
    assert f"{never} starts never move" in text and f"{crept} starts creep" in text
    assert gd.landscape("easom").name == land.name


@pytest.mark.parametrize("surface", ["griewank", "six_hump_camel"])
def test_legend_has_one_row_per_colour_and_counts_every_start(surface):
    """More minima than colours: local minima share colours, and the legend says so (one row
    per colour drawn, never one colour in two rows or a global minimum sharing its colour)."""
    scene = load_scene("descent_3d")

    def rows(view):
        o = view.outcomes
        shown = view.legend_rows(True)
        global_colours = {o.group_colors[g] for g in range(len(o.points)) if o.is_global[g]}
        for g, c in enumerate(o.group_colors):
            if not o.is_global[g]:
                assert c not in global_colours
        return shown, view.trajectory.B

    shown, starts = with_clip(scene, "render_descent_3d", rows, surface=surface)
    colours = [c for c, _ in shown]
    assert len(colours) == len(set(colours))
    counted = [int(label.rsplit(": ", 1)[1].split()[0]) for _, label in shown]
    assert sum(counted) == starts


def test_scene_strings_tables_are_inputs_of_their_clips():
    from gdengine.pipeline.inputs import InputHasher

    for stem in ("descent_3d", "surface_race_3d"):
        files, _ = InputHasher().scene_closure((SCENES / f"{stem}.py").resolve())
        assert (SCENES / "strings" / f"{stem}.toml").resolve() in files


CAPTION_KEYS = {
    "descent_3d": ("intro_grid", "intro_single", "descend", "descend_single", "basins_", "plain_",
                   "recap_", "montage_"),
    "surface_race_3d": ("intro", "race", "trap", "escape_", "recap"),
}
# the longest values the engine gives these clips (counts of starts, points, values, names)
LONG = {"en": {"starts": "100 starts", "count": "100 starts", "global": "60 starts", "local": "96 starts",
               "reached": "36 starts", "never": "24 starts", "crept": "40 starts", "names": "momentum"},
        "zh": {"starts": "100 个起点", "count": "100 个起点", "global": "60 个起点", "local": "96 个起点",
               "reached": "36 个起点", "never": "24 个起点", "crept": "40 个起点", "names": "动量"}}
NUMBERS = {"point": "(−0.0898, −0.713)", "valleys": "4", "steps": "1121", "surfaces": "6", "f": "−0.0733",
           "trapped": "4"}


@pytest.mark.parametrize("stem", sorted(CAPTION_KEYS))
def test_every_caption_fits_the_strip_at_full_size(stem):
    """A caption never has to shrink (nor touch the strip's ends) in any language."""
    import pyvista as pv

    from gdengine.render3d.backend import select_backend
    from gdengine.render3d.hud import CAPTION, Hud
    from gdengine.strings import StringsTable

    select_backend()
    table = StringsTable.load(SCENES / "strings" / f"{stem}.toml")
    plotter = pv.Plotter(off_screen=True, window_size=(W, H))
    try:
        hud = Hud(plotter, W, H)
        room = W * 0.9 - 0.8 * hud.px(CAPTION)
        for language in table.languages:
            values = {**NUMBERS, **LONG[language]}
            if stem == "surface_race_3d":
                values["count"] = "5"
            for key in table.keys:
                if key.startswith(CAPTION_KEYS[stem]):
                    text = table.line(language, key, **values)
                    assert hud.measure(text, CAPTION)[0] <= room, f"[{language}] {key}: {text}"
    finally:
        plotter.close()


def test_house_font_is_the_simplified_chinese_face(tmp_path, monkeypatch):
    """VTK opens a collection's first face (Japanese); the SC face is copied out once."""
    from fontTools.ttLib import TTFont

    from gdengine.render3d import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    collection, index = fonts.NOTO_COLLECTIONS[False]
    if not collection.is_file():
        pytest.skip("fonts-noto-cjk is not installed")
    path = fonts.single_face(collection, index)
    assert path.parent == tmp_path / "gdengine" / "fonts"
    assert TTFont(str(path))["name"].getDebugName(1) == "Noto Sans CJK SC"
    assert fonts.single_face(collection, index) == path  # made once, then reused
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-such-dir")
    assert fonts.single_face(collection, index) == collection  # no cache: the collection itself


def test_superscripts_the_house_font_lacks_are_written_with_a_caret():
    from gdengine.render3d.fonts import code_points, drawable, house_font

    font = house_font(False)
    points = code_points(font.path)
    text = "η = 1.9×10⁻⁵ · x⁴ + y⁶"
    out = drawable(text, font)
    assert all(ord(c) in points for c in out)  # every character can be drawn
    if ord("⁶") not in points:  # Noto Sans CJK: ¹²³⁴ only
        assert out == "η = 1.9×10^-5 · x⁴ + y^6"
    assert drawable("x² + y³", font) == "x² + y³"
