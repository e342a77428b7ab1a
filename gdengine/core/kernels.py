"""Fused numba kernels (placeholder until the compiled path lands; numpy is used)."""

AUTO_THRESHOLD = 200_000


def unsupported(land, opt, batch_size):
    return "numba kernel not available yet"
