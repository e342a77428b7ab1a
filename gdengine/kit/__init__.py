"""Manim building blocks shared by the gdengine scenes.

Base modules (1-D kit): ``palette`` (Okabe–Ito colours), ``text`` (labels, Typst maths,
numbers, axis labels, live read-outs), ``captions`` (strings tables and the caption strip),
``params`` (declared, validated scene parameters), ``scene`` (``GdScene``). The 1-D explainer
pieces (curve axes, replay ball, tangent, step arrow, HUD, update-rule panel, diverged badge)
live in ``gdengine.kit.curve``/``replay``/``widgets``. Import modules directly, e.g.
``from gdengine.kit.scene import GdScene``.
"""
