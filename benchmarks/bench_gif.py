"""GIF encoders compared on the same frames: size and PSNR against the lossless frames.

Two clips, 640×360 at 15 fps:
* vector — a Manim clip (axes, a parabola, a ball, a changing Text read-out);
* shaded — a PyVista surface with smooth shading and a colour map, camera orbiting.

Three encoders:
* manim   — manim's own ``--format gif`` (the real CLI for the vector clip; for the shaded
            clip the same code path, ``SceneFileWriter.combine_files(create_gif=True)``, fed
            with a segment encoded as manim encodes its segments: libx264, CRF 23, yuv420p);
* pillow  — ``imageio.v3.imwrite(..., plugin="pillow")``: Pillow's default quantiser;
* ours    — gdengine's pipeline: lossless master → palettegen → paletteuse.

PSNR is over all frames (mean squared error of every RGB sample, then 10·log10(255²/MSE)).
Run: ``.venv/bin/python benchmarks/bench_gif.py`` (part of ``make bench``). Not a test.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gdengine.pipeline import encode  # noqa: E402
from gdengine.pipeline.sink import FrameSink  # noqa: E402

W, H, FPS = 640, 360, 15

VECTOR_SCENE = textwrap.dedent(
    '''
    from manim import *

    class VectorClip(Scene):
        def construct(self):
            axes = Axes(x_range=[-2, 2, 1], y_range=[0, 4, 1], x_length=7, y_length=5).shift(LEFT)
            curve = axes.plot(lambda x: x * x, color=BLUE_C)
            x = ValueTracker(1.8)
            ball = always_redraw(lambda: Dot(axes.c2p(x.get_value(), x.get_value() ** 2),
                                             radius=0.15, color=ORANGE))
            label = always_redraw(lambda: Text(f"x = {x.get_value():.3f}", font_size=36)
                                  .to_corner(UR))
            self.add(axes, curve, ball, label)
            self.play(x.animate.set_value(-1.2), run_time=2, rate_func=smooth)
            self.play(x.animate.set_value(0.0), run_time=2)
    '''
)


# --- the two clips -----------------------------------------------------------------------
def vector_frames(scene_file: Path, cache: Path) -> np.ndarray:
    """Render the Manim clip in a child process (fresh config) and return its frames."""
    code = textwrap.dedent(
        f"""
        import sys, numpy as np
        sys.path.insert(0, {str(scene_file.parent)!r})
        from gdengine.pipeline import capture
        from gdengine.pipeline.memory import MemorySink
        import vector_clip
        capture.configure(width={W}, height={H}, fps={FPS}, cache_dir=__import__('pathlib').Path({str(cache)!r}))
        rec = MemorySink()
        capture.render_scene(vector_clip.VectorClip, rec)
        np.save({str(cache / 'frames.npy')!r}, np.stack(rec.frames))
        """
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return np.load(cache / "frames.npy")


def shaded_frames(n: int = 60) -> np.ndarray:
    import pyvista as pv

    x = np.linspace(-3, 3, 200)
    X, Y = np.meshgrid(x, x)
    Z = np.sin(X) * np.cos(Y) + 0.1 * (X**2 + Y**2) / 3
    grid = pv.StructuredGrid(X, Y, Z)
    grid["height"] = Z.ravel(order="F")
    plotter = pv.Plotter(off_screen=True, window_size=(W, H))
    plotter.add_mesh(grid, scalars="height", cmap="viridis", smooth_shading=True,
                     specular=0.4, show_scalar_bar=False)  # fmt: skip
    plotter.set_background("#15171b")
    path = plotter.generate_orbital_path(n_points=n, shift=4.0, factor=2.5)
    frames = []
    plotter.show(auto_close=False)
    for point in path.points:
        plotter.camera.position = point
        plotter.camera.focal_point = (0, 0, 0)
        plotter.camera.up = (0, 0, 1)
        plotter.render()
        frames.append(plotter.screenshot(return_img=True)[:, :, :3].copy())
    plotter.close()
    return np.stack(frames)


# --- the three encoders ------------------------------------------------------------------
def manim_cli_gif(scene_file: Path, work: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "manim", "render", str(scene_file), "VectorClip", "--format", "gif",
         "-r", f"{W},{H}", "--fps", str(FPS), "--media_dir", str(work / "media"),
         "--disable_caching", "-o", "manim_vector", "-v", "WARNING", "--progress_bar", "none"],
        cwd=work, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return next((work / "media").rglob("manim_vector.gif"))


def manim_path_gif(frames: np.ndarray, work: Path) -> Path:
    """Manim's GIF code path on arbitrary frames (its segment settings, then combine_files)."""
    import av
    from manim.scene.scene_file_writer import SceneFileWriter

    segment = work / "manim_segment.mp4"
    with av.open(str(segment), "w") as container:
        stream = container.add_stream("libx264", rate=FPS, options={"crf": "23"})
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        for f in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(f, format="rgb24")))
        container.mux(stream.encode())
    writer = SimpleNamespace(
        _concat_manifest_bytes=SceneFileWriter._concat_manifest_bytes,
        output_spec=SimpleNamespace(transparent=False),
        video_encoder=SimpleNamespace(width=W, height=H, frame_rate=FPS),
    )
    out = work / "manim_shaded.gif"
    SceneFileWriter.combine_files(writer, [str(segment)], out, create_gif=True)
    return out


def pillow_gif(frames: np.ndarray, out: Path) -> Path:
    import imageio.v3 as iio

    iio.imwrite(out, list(frames), plugin="pillow", extension=".gif", duration=1000 / FPS, loop=0)
    return out


def our_gif(frames: np.ndarray, work: Path, name: str) -> Path:
    master = work / f"{name}_master.mov"
    sink = FrameSink(width=W, height=H, fps=FPS, mp4=work / f"{name}.mp4", gif_master=master)
    for f in frames:
        sink.write(f)
    sink.close()
    out = work / f"{name}_ours.gif"
    encode.encode_gif(master, out, work / f"{name}_palette.png")
    return out


# --- measuring ---------------------------------------------------------------------------
def decode_gif(path: Path) -> np.ndarray:
    import imageio_ffmpeg

    gen = imageio_ffmpeg.read_frames(str(path), output_params=["-fps_mode", "passthrough"])
    meta = next(gen)
    w, h = meta["size"]
    return np.stack([np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in gen])


def psnr(reference: np.ndarray, path: Path) -> tuple[float, int]:
    decoded = decode_gif(path)
    n = min(len(decoded), len(reference))
    mse = np.mean((decoded[:n].astype(np.float64) - reference[:n]) ** 2)
    return (float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)), len(decoded)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench_gif_") as tmp:
        work = Path(tmp)
        scene_file = work / "vector_clip.py"
        scene_file.write_text(VECTOR_SCENE)
        clips = {"vector (Manim)": vector_frames(scene_file, work), "shaded (PyVista)": shaded_frames()}
        rows = []
        for clip, frames in clips.items():
            tag = clip.split()[0]
            encoders = {
                "manim --format gif": (lambda f=frames: manim_cli_gif(scene_file, work))
                if tag == "vector" else (lambda f=frames: manim_path_gif(f, work)),
                "imageio + Pillow": lambda f=frames, t=tag: pillow_gif(f, work / f"pillow_{t}.gif"),
                "gdengine": lambda f=frames, t=tag: our_gif(f, work, t),
            }
            for encoder, make in encoders.items():
                t0 = time.perf_counter()
                path = make()
                seconds = time.perf_counter() - t0
                db, n = psnr(frames, path)
                rows.append((clip, encoder, path.stat().st_size, db, n, len(frames), seconds))
        print(f"GIF encoders at {W}x{H}, {FPS} fps (PSNR against the lossless frames)\n")
        print(f"{'clip':<18} {'encoder':<20} {'size':>9} {'PSNR':>8} {'frames':>9} {'time':>7}")
        for clip, encoder, size, db, n, ref, seconds in rows:
            print(f"{clip:<18} {encoder:<20} {size / 1e3:>6.0f} kB {db:>5.1f} dB {n:>4}/{ref:<4} "
                  f"{seconds:>5.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
