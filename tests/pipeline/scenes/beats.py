"""Test 'PyVista-protocol' entry with beats: three beats of 1, 2 and 3 s, each its own background
colour, and a white bar that moves one step per frame (so every frame differs from the next).

Like sweep.py it imports nothing from gdengine.
"""

import numpy as np

BEATS = (("intro", 1.0, (200, 40, 40)), ("middle", 2.0, (40, 160, 60)), ("result", 3.0, (40, 70, 200)))


def render_beats(sink, *, width, height, fps):
    total = sum(round(seconds * fps) for _, seconds, _ in BEATS)
    sink.set_total(total)
    i = 0
    for name, seconds, color in BEATS:
        sink.beat(name)
        for _ in range(round(seconds * fps)):
            frame = np.empty((height, width, 3), np.uint8)
            frame[:] = color
            x = int(i * (width - 8) / max(1, total - 1))
            frame[:, x : x + 8] = 255
            sink.write(frame)
            if name == "result":
                sink.mark_poster()
            i += 1
