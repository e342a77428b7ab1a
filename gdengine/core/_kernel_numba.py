"""The compiled half of ``kernels.py`` (imported on first use: importing numba is slow).

Module-level functions only, so numba's disk cache can key them by this file (closures would
carry per-process objects into the cache key and never hit). Arithmetic mirrors
``optimizers.py`` operation by operation; ``tests/core/test_kernels.py`` checks bit equality.
"""

import importlib
import math

import numba
import numpy as np
from numba import literally

L = importlib.import_module("gdengine.core.landscapes")  # (the package attribute is the function)
_jit = numba.njit(error_model="numpy")

parabola, cubic, xcos = _jit(L._parabola), _jit(L._cubic), _jit(L._xcos)
sphere, himmelblau, rosenbrock = _jit(L._sphere), _jit(L._himmelblau), _jit(L._rosenbrock)
beale, booth, matyas = _jit(L._beale), _jit(L._booth), _jit(L._matyas)
rastrigin, ackley, griewank = _jit(L._rastrigin), _jit(L._ackley), _jit(L._griewank)
six_hump, three_hump, easom = _jit(L._six_hump_camel), _jit(L._three_hump_camel), _jit(L._easom)
goldstein, styblinski, levi13 = _jit(L._goldstein_price), _jit(L._styblinski_tang), _jit(L._levi13)
saddle, monkey, ravine = _jit(L._saddle), _jit(L._monkey_saddle), _jit(L._ravine)
shallow, sin_saddle, plateau = _jit(L._shallow_local), _jit(L._sin_saddle), _jit(L._plateau)
elliptic = _jit(L._elliptic_bowl)

@_jit
def finite(v):
    """np.nan_to_num for one number: ±inf → ±max float, NaN → 0."""
    if math.isfinite(v):
        return v
    if v > 0:
        return 1.7976931348623157e308
    if v < 0:
        return -1.7976931348623157e308
    return 0.0


@_jit
def sgd_c(t, g, x, a, lr, mu, damp, wd, nest):
    """One coordinate of torch's SGD: (step, momentum_buffer)."""
    if wd != 0.0:
        g = g + wd * x
    if mu != 0.0:
        if t == 1:
            a = g
        else:
            a = a * mu + g * (1 - damp)
        if nest:
            g = g + a * mu
        else:
            g = a
    return g * -lr, a


@_jit
def rms_c(g, x, a, c, e, lr, al, eps, wd, mu, cen):
    """One coordinate of torch's RMSprop: (step, square_avg, grad_avg, momentum_buffer)."""
    if wd != 0.0:
        g = g + wd * x
    a = a * al + g * g * (1 - al)
    if cen:
        w = 1 - al
        if w < 0.5:
            c = c + w * (g - c)
        else:
            c = g - (g - c) * (1 - w)
        avg = math.sqrt(a + c * c * -1) + eps
    else:
        avg = math.sqrt(a) + eps
    if mu > 0.0:
        e = e * mu + g / avg
        return e * -lr, a, c, e
    return (-lr * g) / avg, a, c, e


@_jit
def adam_c(g, x, a, c, e, w, b2, eps, cw, dw, ams, bc, step_size, bc2s):
    """One coordinate of torch's Adam/AdamW: (step, exp_avg, exp_avg_sq, max_exp_avg_sq)."""
    if cw != 0.0:
        g = g + cw * x
    if w < 0.5:
        a = a + w * (g - a)
    else:
        a = g - (g - a) * (1 - w)
    c = c * b2 + g * g * (1 - b2)
    vv = c
    if ams:
        e = max(e, c)
        vv = e
    if bc:
        denom = math.sqrt(vv) / bc2s + eps
    else:
        denom = math.sqrt(vv) + eps
    u = (-step_size * a) / denom
    if dw != 0.0:
        u = u - dw * x
    return u, a, c, e


BLOCK = 256  # particles per block: each row of a block is one contiguous write


@numba.njit(cache=True, nogil=True, error_model="numpy")
def run(lid, kind, p0, p1, h, X0, steps, tol, stop_loss, lo, hi,
        pos, val, grd, upd, r0, r1, r2, status, stopped, Xf, Ff):
    # lid (landscape) and kind (update rule) are compile-time constants: one specialised
    # kernel per pair, the other branches pruned. Particles go in blocks of BLOCK, stored
    # column-wise; per step, branch-free loops compute every candidate update and the
    # landscape there (these vectorise), then one scalar pass accepts or freezes each
    # particle, records row t and applies the stop rules.
    literally(lid)
    literally(kind)
    B, D = X0.shape
    rp, rv, rg, ru = pos.shape[0] > 0, val.shape[0] > 0, grd.shape[0] > 0, upd.shape[0] > 0
    rs0, rs1, rs2 = r0.shape[0] > 0, r1.shape[0] > 0, r2.shape[0] > 0
    use_tol = tol > 0.0
    use_loss = not math.isnan(stop_loss)
    lr = h[0]
    init0 = h[3] if kind == 1 else 0.0  # Adagrad's initial_accumulator_value
    nblk = (B + BLOCK - 1) // BLOCK
    Tblk = np.empty(nblk, dtype=np.int64)
    # committed state (rows: x, g, buffers a/c/e per coordinate) and candidates
    st = np.zeros((10, BLOCK))
    cd = np.zeros((13, BLOCK))
    fv = np.zeros(BLOCK)
    act = np.ones(BLOCK, dtype=np.bool_)
    for k in range(nblk):
        b0 = k * BLOCK
        n = min(B, b0 + BLOCK) - b0
        x0, x1, g0, g1 = st[0], st[1], st[2], st[3]
        a0, c0, e0, a1, c1, e1 = st[4], st[5], st[6], st[7], st[8], st[9]
        cx0, cx1, cu0, cu1, cf, cg0, cg1 = cd[0], cd[1], cd[2], cd[3], cd[4], cd[5], cd[6]
        ca0, cc0, ce0, ca1, cc1, ce1 = cd[7], cd[8], cd[9], cd[10], cd[11], cd[12]
        Tk = steps
        for t in range(steps + 1):
            # --- candidates: one update of every particle of the block -------------
            if t == 0:
                for i in range(n):
                    cx0[i] = X0[b0 + i, 0]
                    cx1[i] = X0[b0 + i, 1] if D == 2 else 0.0
                    cu0[i] = cu1[i] = 0.0
                    ca0[i] = ca1[i] = init0
                    cc0[i] = cc1[i] = ce0[i] = ce1[i] = 0.0
            elif kind == 0:  # SGD (momentum_buffer in a)
                mu, damp, wd, nest = h[1], h[2], h[3], h[4] != 0.0
                for i in range(n):
                    u, a = sgd_c(t, g0[i], x0[i], a0[i], lr, mu, damp, wd, nest)
                    cu0[i], ca0[i], cx0[i] = u, a, x0[i] + u
                    u, a = sgd_c(t, g1[i], x1[i], a1[i], lr, mu, damp, wd, nest)
                    cu1[i], ca1[i], cx1[i] = u, a, x1[i] + u
            elif kind == 1:  # Adagrad (sum in a)
                clr = lr / (1 + (t - 1) * h[1])
                wd, eps = h[2], h[4]
                for i in range(n):
                    g = g0[i] + wd * x0[i] if wd != 0.0 else g0[i]
                    a = a0[i] + g * g
                    u = (-clr * g) / (math.sqrt(a) + eps)
                    cu0[i], ca0[i], cx0[i] = u, a, x0[i] + u
                    g = g1[i] + wd * x1[i] if wd != 0.0 else g1[i]
                    a = a1[i] + g * g
                    u = (-clr * g) / (math.sqrt(a) + eps)
                    cu1[i], ca1[i], cx1[i] = u, a, x1[i] + u
            elif kind == 2:  # RMSprop (square_avg a, grad_avg c, momentum_buffer e)
                al, eps, wd, mu, cen = h[1], h[2], h[3], h[4], h[5] != 0.0
                for i in range(n):
                    u, a, c, e = rms_c(g0[i], x0[i], a0[i], c0[i], e0[i], lr, al, eps, wd, mu, cen)
                    cu0[i], ca0[i], cc0[i], ce0[i], cx0[i] = u, a, c, e, x0[i] + u
                    u, a, c, e = rms_c(g1[i], x1[i], a1[i], c1[i], e1[i], lr, al, eps, wd, mu, cen)
                    cu1[i], ca1[i], cc1[i], ce1[i], cx1[i] = u, a, c, e, x1[i] + u
            else:  # Adam / AdamW (exp_avg a, exp_avg_sq c, max_exp_avg_sq e)
                b1, b2, eps, wd = h[1], h[2], h[3], h[4]
                ams, bc, dec = h[5] != 0.0, h[6] != 0.0, h[7] != 0.0
                step_size, bc2s = lr, 1.0
                if bc:
                    step_size = lr / (1 - b1 ** float(t))
                    bc2s = (1 - b2 ** float(t)) ** 0.5
                w = 1 - b1
                cw = wd if (wd != 0.0 and not dec) else 0.0
                dw = lr * wd if (wd != 0.0 and dec) else 0.0
                if w < 0.5 and not ams and bc and cw == 0.0 and dw == 0.0:
                    # the common case, branch-free so that it vectorises
                    for i in range(n):
                        g = g0[i]
                        a = a0[i] + w * (g - a0[i])
                        c = c0[i] * b2 + g * g * (1 - b2)
                        u = (-step_size * a) / (math.sqrt(c) / bc2s + eps)
                        cu0[i], ca0[i], cc0[i], cx0[i] = u, a, c, x0[i] + u
                        g = g1[i]
                        a = a1[i] + w * (g - a1[i])
                        c = c1[i] * b2 + g * g * (1 - b2)
                        u = (-step_size * a) / (math.sqrt(c) / bc2s + eps)
                        cu1[i], ca1[i], cc1[i], cx1[i] = u, a, c, x1[i] + u
                else:
                    for i in range(n):
                        u, a, c, e = adam_c(g0[i], x0[i], a0[i], c0[i], e0[i], w, b2, eps, cw, dw,
                                            ams, bc, step_size, bc2s)
                        cu0[i], ca0[i], cc0[i], ce0[i], cx0[i] = u, a, c, e, x0[i] + u
                        u, a, c, e = adam_c(g1[i], x1[i], a1[i], c1[i], e1[i], w, b2, eps, cw, dw,
                                            ams, bc, step_size, bc2s)
                        cu1[i], ca1[i], cc1[i], ce1[i], cx1[i] = u, a, c, e, x1[i] + u
            # --- the landscape at every candidate ------------------------------------
            for i in range(n):
                x = cx0[i]
                y = cx1[i]
                gy = 0.0
                if lid == 0:
                    f, gx = parabola(x)
                elif lid == 1:
                    f, gx = cubic(x)
                elif lid == 2:
                    f, gx = xcos(x)
                elif lid == 3:
                    f, gx, gy = sphere(x, y)
                elif lid == 4:
                    f, gx, gy = himmelblau(x, y)
                elif lid == 5:
                    f, gx, gy = rosenbrock(x, y, p0, p1)
                elif lid == 6:
                    f, gx, gy = beale(x, y)
                elif lid == 7:
                    f, gx, gy = booth(x, y)
                elif lid == 8:
                    f, gx, gy = matyas(x, y)
                elif lid == 9:
                    f, gx, gy = rastrigin(x, y)
                elif lid == 10:
                    f, gx, gy = ackley(x, y)
                elif lid == 11:
                    f, gx, gy = griewank(x, y)
                elif lid == 12:
                    f, gx, gy = six_hump(x, y)
                elif lid == 13:
                    f, gx, gy = three_hump(x, y)
                elif lid == 14:
                    f, gx, gy = easom(x, y)
                elif lid == 15:
                    f, gx, gy = goldstein(x, y)
                elif lid == 16:
                    f, gx, gy = styblinski(x, y)
                elif lid == 17:
                    f, gx, gy = levi13(x, y)
                elif lid == 18:
                    f, gx, gy = saddle(x, y)
                elif lid == 19:
                    f, gx, gy = monkey(x, y)
                elif lid == 20:
                    f, gx, gy = ravine(x, y, p0)
                elif lid == 21:
                    f, gx, gy = shallow(x, y)
                elif lid == 22:
                    f, gx, gy = sin_saddle(x, y)
                elif lid == 23:
                    f, gx, gy = plateau(x, y)
                else:
                    f, gx, gy = elliptic(x, y, p0, p1)
                cf[i] = f
                cg0[i] = gx
                cg1[i] = gy
            # --- accept or freeze, record row t, stop rules --------------------------
            n_act = 0
            for i in range(n):
                b = b0 + i
                if t == 0:
                    act[i] = True
                    status[b] = 0
                    stopped[b] = steps
                if act[i]:
                    ok = (math.isfinite(cf[i]) and math.isfinite(cg0[i])
                          and math.isfinite(cg1[i]) and math.isfinite(cx0[i])
                          and lo[0] <= cx0[i] <= hi[0] and math.isfinite(ca0[i])
                          and math.isfinite(cc0[i]) and math.isfinite(ce0[i]))
                    if D == 2:
                        ok = (ok and math.isfinite(cx1[i]) and lo[1] <= cx1[i] <= hi[1]
                              and math.isfinite(ca1[i]) and math.isfinite(cc1[i])
                              and math.isfinite(ce1[i]))
                    if ok or t == 0:
                        fv[i] = finite(cf[i])
                        g0[i] = finite(cg0[i])
                        x0[i], a0[i], c0[i], e0[i] = cx0[i], ca0[i], cc0[i], ce0[i]
                        if D == 2:
                            g1[i] = finite(cg1[i])
                            x1[i], a1[i], c1[i], e1[i] = cx1[i], ca1[i], cc1[i], ce1[i]
                        else:
                            g1[i] = x1[i] = a1[i] = c1[i] = e1[i] = 0.0
                    if not ok:
                        status[b] = 3
                        stopped[b] = max(t - 1, 0)
                        act[i] = False
                    if ru and t > 0:
                        upd[t - 1, b, 0] = cu0[i] if ok else 0.0
                        if D == 2:
                            upd[t - 1, b, 1] = cu1[i] if ok else 0.0
                elif ru and t > 0:
                    upd[t - 1, b, 0] = 0.0
                    if D == 2:
                        upd[t - 1, b, 1] = 0.0
                # row t
                if rv:
                    val[t, b] = fv[i]
                if rp:
                    pos[t, b, 0] = x0[i]
                    if D == 2:
                        pos[t, b, 1] = x1[i]
                if rg:
                    grd[t, b, 0] = g0[i]
                    if D == 2:
                        grd[t, b, 1] = g1[i]
                if rs0:
                    r0[t, b, 0] = a0[i]
                    if D == 2:
                        r0[t, b, 1] = a1[i]
                if rs1:
                    r1[t, b, 0] = c0[i]
                    if D == 2:
                        r1[t, b, 1] = c1[i]
                if rs2:
                    r2[t, b, 0] = e0[i]
                    if D == 2:
                        r2[t, b, 1] = e1[i]
                if not act[i]:
                    continue
                # the stop rules at row t
                if use_tol and math.sqrt(g0[i] * g0[i] + g1[i] * g1[i]) < tol:
                    status[b] = 2
                    stopped[b] = t
                    act[i] = False
                elif use_loss and fv[i] < stop_loss:
                    status[b] = 1
                    stopped[b] = t
                    act[i] = False
                else:
                    n_act += 1
            if n_act == 0:
                Tk = t
                break
        Tblk[k] = Tk
        for i in range(n):
            Ff[b0 + i] = fv[i]
            Xf[b0 + i, 0] = x0[i]
            if D == 2:
                Xf[b0 + i, 1] = x1[i]
    # blocks that finished early repeat their last row up to the global T
    T = Tblk.max()
    for k in range(nblk):
        b0 = k * BLOCK
        b1 = min(B, b0 + BLOCK)
        for t in range(Tblk[k] + 1, T + 1):
            for b in range(b0, b1):
                if rv:
                    val[t, b] = val[t - 1, b]
                for d in range(D):
                    if rp:
                        pos[t, b, d] = pos[t - 1, b, d]
                    if rg:
                        grd[t, b, d] = grd[t - 1, b, d]
                    if ru:
                        upd[t - 1, b, d] = 0.0
                    if rs0:
                        r0[t, b, d] = r0[t - 1, b, d]
                    if rs1:
                        r1[t, b, d] = r1[t - 1, b, d]
                    if rs2:
                        r2[t, b, d] = r2[t - 1, b, d]
    return T
