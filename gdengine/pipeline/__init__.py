"""The render pipeline: ``scenes/catalog.toml`` in, a web-ready gallery in ``renders/`` out.

Modules, in processing order:

* ``quality``   — the quality presets (size, frame rate, output folder);
* ``catalog``   — read and check the catalog, select clips (``SCENES=``);
* ``inputs``    — the fingerprint of everything a clip's pixels depend on (incremental builds);
* ``encode``    — ffmpeg command lines: H.264 MP4, lossless GIF master, palette GIF;
* ``sink``      — the frame sink a renderer writes into (Manim writer or PyVista function);
* ``capture``   — the Manim ``SceneFileWriter`` that feeds the sink (imports manim);
* ``worker``    — renders one clip in its own process, writes outputs atomically;
* ``manifest``  — ``manifest.json``; ``gallery`` — ``index.html``;
* ``progress``  — live progress on a terminal, log lines otherwise;
* ``run``       — the orchestration behind ``gdengine render`` / ``make render``.

Nothing here imports manim, pyvista or torch at import time except ``capture`` and the
worker's render step, so an up-to-date ``make render`` stays fast.
"""
