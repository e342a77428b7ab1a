"""The layout linter: text and data boxes sampled from a clip's frames, checked against the
house layout rules (overlap, offframe, tiny, two-captions, covers-data, empty, reading-time).

``rules`` is pure geometry over samples (no manim, no VTK); ``roles`` is the tag protocol
the kit and the 3-D renderer use to say what a mobject or actor is; ``manim_probe`` reads a
Manim scene graph into samples. The pipeline runs it (``gdengine lint``, ``make render``).
"""
