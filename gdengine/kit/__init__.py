"""Manim building blocks shared by the gdengine scenes. Import modules directly, e.g.
``from gdengine.kit.scene import GdScene``.

Base (every scene): ``palette`` (colours and roles, from ``gdengine.look``), ``text`` (labels, Typst maths,
numbers, axis labels, live read-outs), ``captions`` (strings tables keyed by language and
the caption strip), ``params`` (declared, validated scene parameters), ``scene``
(``GdScene``: validation at class definition, captions, pacing, beats, poster).

1-D explainers: ``curve`` (``PlotWindow``/``CurvePlot``: axes, a landscape's curve, engine
numbers → screen), ``replay`` (``Replay``: a ValueTracker over the step index, per-step
timing), ``ball`` (resting ball, off-plot marker, iterate trail), ``slope`` (tangent line,
step arrow), ``hud`` (read-out panel, update-rule panel, diverged badge).

2-D explainers (their own modules): ``plane``, ``contour``, ``playback``, ``traces`` and the
other panels. ``testing`` renders a scene to in-memory frames for tests.
"""
