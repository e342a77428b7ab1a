"""Test 'PyVista-protocol' entry without PyVista: numpy frames with a moving bright bar.

It imports nothing from gdengine on purpose, so the tests' incremental checks do not see
edits other engineers make to the library while the tests run.
"""

import time

import numpy as np


def render_sweep(sink, *, width, height, fps, seconds=1.0, delay=0.0):
    if seconds <= 0:
        raise ValueError(f"seconds must be > 0, got {seconds}")
    n = round(seconds * fps)
    sink.set_total(n)
    ramp = np.linspace(40, 200, width, dtype=np.float64)[None, :]
    for i in range(n):
        frame = np.empty((height, width, 3), np.uint8)
        frame[:] = np.stack([ramp, ramp[:, ::-1], np.full_like(ramp, 90)], axis=-1).astype(np.uint8)
        x = int(i * (width - 8) / max(1, n - 1))
        frame[:, x : x + 8] = 255
        sink.write(frame)
        if i == n // 2:
            sink.mark_poster()
        time.sleep(delay)
