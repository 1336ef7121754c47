// Conv1D kernels (wasm SIMD): forward, filter gradient, input gradient (col2im) and the gradient
// of a 1-D max pooling, on raw f32 buffers in the imported memory; pointers are byte offsets.
//
// Layout: channels last. x [batch, tin, f] is the input already padded along time (so every
// convolution here is 'valid' with stride 1): tout = tin - k + 1 and the im2col matrix of sample
// b is free, row t being the kf = k·f consecutive floats at x + (b·tin + t)·f (a matrix with
// leading dimension f). Every kernel takes a batch range through `batch` and its pointers, so a
// caller can hand disjoint ranges to several threads (filter gradients then sum partial buffers).

import { madd } from './lib/madd';

// ---------------------------------------------------------------------------------------------
// y[b, t, 0..c) = Σ_q x[b, t·f + q] · w[q, 0..c), q < kf. w is [kf, ldw] and y [batch·tout, ldw]
// with ldw a multiple of 8 (columns from c to ldw are computed from w's padding and left as is).
// ---------------------------------------------------------------------------------------------
export function conv1dForward(
  x: usize,
  w: usize,
  y: usize,
  batch: i32,
  tin: i32,
  tout: i32,
  f: i32,
  kf: i32,
  ldw: i32,
): void {
  conv1dForwardBiasAct(x, w, y, batch, tin, tout, f, kf, ldw, 0, 0, 0);
}

// ---------------------------------------------------------------------------------------------
// conv1dForward with a Conv1D layer's epilogue folded into its register blocks:
// y = act(Σ_q x · w + bias), bias [ldw] (read when hasBias is 1; columns from c on are only
// computed, so any finite padding does), act max(·, 0) when relu is 1, else the identity.
// ---------------------------------------------------------------------------------------------
export function conv1dForwardBiasAct(
  x: usize,
  w: usize,
  y: usize,
  batch: i32,
  tin: i32,
  tout: i32,
  f: i32,
  kf: i32,
  ldw: i32,
  bias: usize,
  hasBias: i32,
  relu: i32,
): void {
  const xrow = (<usize>f) << 2;
  const wrow = (<usize>ldw) << 2;
  const zero = f32x4.splat(0);
  // max(·, -Infinity) is the identity (NaN stays NaN), so the store needs no branch
  const lo = relu ? zero : f32x4.splat(-Infinity);
  for (let b = 0; b < batch; b++) {
    const xb = x + ((<usize>(b * tin * f)) << 2);
    const yb = y + ((<usize>(b * tout * ldw)) << 2);
    let t = 0;
    for (; t + 4 <= tout; t += 4) {
      const a0 = xb + <usize>t * xrow;
      const a1 = a0 + xrow;
      const a2 = a1 + xrow;
      const a3 = a2 + xrow;
      const c0 = yb + <usize>t * wrow;
      for (let j = 0; j < ldw; j += 8) {
        const jo = (<usize>j) << 2;
        const i0 = hasBias ? v128.load(bias + jo) : zero;
        const i1 = hasBias ? v128.load(bias + jo, 16) : zero;
        let s00 = i0;
        let s01 = i1;
        let s10 = i0;
        let s11 = i1;
        let s20 = i0;
        let s21 = i1;
        let s30 = i0;
        let s31 = i1;
        let bp = w + jo;
        for (let q = 0; q < kf; q++) {
          const b0 = v128.load(bp);
          const b1 = v128.load(bp, 16);
          const qo = (<usize>q) << 2;
          const x0 = v128.load32_splat(a0 + qo);
          const x1 = v128.load32_splat(a1 + qo);
          const x2 = v128.load32_splat(a2 + qo);
          const x3 = v128.load32_splat(a3 + qo);
          s00 = madd(x0, b0, s00);
          s01 = madd(x0, b1, s01);
          s10 = madd(x1, b0, s10);
          s11 = madd(x1, b1, s11);
          s20 = madd(x2, b0, s20);
          s21 = madd(x2, b1, s21);
          s30 = madd(x3, b0, s30);
          s31 = madd(x3, b1, s31);
          bp += wrow;
        }
        const o0 = c0 + jo;
        const o1 = o0 + wrow;
        const o2 = o1 + wrow;
        const o3 = o2 + wrow;
        v128.store(o0, f32x4.max(s00, lo));
        v128.store(o0, f32x4.max(s01, lo), 16);
        v128.store(o1, f32x4.max(s10, lo));
        v128.store(o1, f32x4.max(s11, lo), 16);
        v128.store(o2, f32x4.max(s20, lo));
        v128.store(o2, f32x4.max(s21, lo), 16);
        v128.store(o3, f32x4.max(s30, lo));
        v128.store(o3, f32x4.max(s31, lo), 16);
      }
    }
    for (; t < tout; t++) {
      const a0 = xb + <usize>t * xrow;
      const c0 = yb + <usize>t * wrow;
      for (let j = 0; j < ldw; j += 8) {
        const jo = (<usize>j) << 2;
        let s0 = hasBias ? v128.load(bias + jo) : zero;
        let s1 = hasBias ? v128.load(bias + jo, 16) : zero;
        let bp = w + jo;
        for (let q = 0; q < kf; q++) {
          const x0 = v128.load32_splat(a0 + ((<usize>q) << 2));
          s0 = madd(x0, v128.load(bp), s0);
          s1 = madd(x0, v128.load(bp, 16), s1);
          bp += wrow;
        }
        v128.store(c0 + jo, f32x4.max(s0, lo));
        v128.store(c0 + jo, f32x4.max(s1, lo), 16);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// dw[q, j] += Σ_{b, t} x[b, t·f + q] · dy[b, t, j]: the filter gradient (im2colᵀ · dy, the
// im2col matrix read in place), in 4 × 8 register blocks of dw [kfp, ldw], kfp = kf rounded up
// to 4 and ldw = c rounded up to 8. Rows q ≥ kf and columns j ≥ c get garbage (they read a few
// floats past rows of x and of dy: the buffers need 4 and 8 floats of finite padding at the end).
// A share of the batch can run on each thread, each into its own dw, summed afterwards.
// ---------------------------------------------------------------------------------------------
export function conv1dFilterGrad(
  x: usize,
  dy: usize,
  dw: usize,
  batch: i32,
  tin: i32,
  tout: i32,
  f: i32,
  kf: i32,
  c: i32,
  ldw: i32,
): void {
  const xrow = (<usize>f) << 2;
  const grow = (<usize>c) << 2;
  const wrow = (<usize>ldw) << 2;
  for (let b = 0; b < batch; b++) {
    const xb = x + ((<usize>(b * tin * f)) << 2);
    const gb = dy + ((<usize>(b * tout * c)) << 2);
    for (let q = 0; q < kf; q += 4) {
      const d0 = dw + <usize>q * wrow;
      const d1 = d0 + wrow;
      const d2 = d1 + wrow;
      const d3 = d2 + wrow;
      for (let j = 0; j < c; j += 8) {
        const jo = (<usize>j) << 2;
        let s00 = v128.load(d0 + jo);
        let s01 = v128.load(d0 + jo, 16);
        let s10 = v128.load(d1 + jo);
        let s11 = v128.load(d1 + jo, 16);
        let s20 = v128.load(d2 + jo);
        let s21 = v128.load(d2 + jo, 16);
        let s30 = v128.load(d3 + jo);
        let s31 = v128.load(d3 + jo, 16);
        let ap = xb + ((<usize>q) << 2);
        let gp = gb + jo;
        for (let t = 0; t < tout; t++) {
          const g0 = v128.load(gp);
          const g1 = v128.load(gp, 16);
          const x0 = v128.load32_splat(ap);
          const x1 = v128.load32_splat(ap, 4);
          const x2 = v128.load32_splat(ap, 8);
          const x3 = v128.load32_splat(ap, 12);
          s00 = madd(x0, g0, s00);
          s01 = madd(x0, g1, s01);
          s10 = madd(x1, g0, s10);
          s11 = madd(x1, g1, s11);
          s20 = madd(x2, g0, s20);
          s21 = madd(x2, g1, s21);
          s30 = madd(x3, g0, s30);
          s31 = madd(x3, g1, s31);
          ap += xrow;
          gp += grow;
        }
        v128.store(d0 + jo, s00);
        v128.store(d0 + jo, s01, 16);
        v128.store(d1 + jo, s10);
        v128.store(d1 + jo, s11, 16);
        v128.store(d2 + jo, s20);
        v128.store(d2 + jo, s21, 16);
        v128.store(d3 + jo, s30);
        v128.store(d3 + jo, s31, 16);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The input gradient's second half: given g [batch·tout, ldg] = dy · wᵀ (row t holding the k
// filter taps' [f] slices), dx[b, t + i, 0..f) += g[b, t, i·f .. (i+1)·f) into dx [batch, tin, f]
// (zeroed first here).
// ---------------------------------------------------------------------------------------------
export function conv1dCol2Im(
  g: usize,
  dx: usize,
  batch: i32,
  tin: i32,
  tout: i32,
  f: i32,
  k: i32,
  ldg: i32,
): void {
  memory.fill(dx, 0, (<usize>(batch * tin * f)) << 2);
  const kf = k * f;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < tout; t++) {
      // The taps of row t cover dx rows t .. t+k-1 of sample b: kf consecutive floats.
      const src = g + ((<usize>((b * tout + t) * ldg)) << 2);
      const dst = dx + ((<usize>((b * tin + t) * f)) << 2);
      let q = 0;
      for (; q + 4 <= kf; q += 4) {
        const o = (<usize>q) << 2;
        v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
      }
      for (; q < kf; q++) {
        const o = (<usize>q) << 2;
        store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The gradient of a 1-D max pooling over x [batch, tin, c] (windows of `pool` rows every `stride`
// rows, the first starting at row -pad; rows outside x are skipped): dx [batch, tin, c] is zeroed
// and gets dy [batch, tout, c] added at the first maximum of each window, channel by channel.
// ---------------------------------------------------------------------------------------------
export function maxPool1dGrad(
  x: usize,
  dy: usize,
  dx: usize,
  batch: i32,
  tin: i32,
  tout: i32,
  c: i32,
  pool: i32,
  stride: i32,
  pad: i32,
): void {
  // Windows that tile x exactly (MaxPooling1D's default on an even length) write every row once.
  const tiled = stride === pool && pad === 0 && tout * stride === tin;
  if (!tiled) memory.fill(dx, 0, (<usize>(batch * tin * c)) << 2);
  const row = (<usize>c) << 2;
  const ninf = f32x4.splat(-Infinity);
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>(b * tin) * row;
    const db = dx + <usize>(b * tin) * row;
    for (let o = 0; o < tout; o++) {
      const r0 = max(o * stride - pad, 0);
      const r1 = min(o * stride - pad + pool, tin);
      if (r1 <= r0) continue;
      const gp = dy + <usize>(b * tout + o) * row;
      if (r1 - r0 === 2) {
        // The common case (MaxPooling1D's default pool of 2): a select, no index.
        const p0 = xb + <usize>r0 * row;
        const p1 = p0 + row;
        const q0 = db + <usize>r0 * row;
        const q1 = q0 + row;
        let j = 0;
        for (; j + 4 <= c; j += 4) {
          const jo = (<usize>j) << 2;
          // As the cpu backend: a NaN never wins, so compare with max(first, -Infinity).
          const v0 = v128.load(p0 + jo);
          const first = v128.bitselect(v0, ninf, f32x4.gt(v0, ninf));
          const second = f32x4.gt(v128.load(p1 + jo), first);
          const g = v128.load(gp + jo);
          if (tiled) {
            v128.store(q0 + jo, v128.andnot(g, second));
            v128.store(q1 + jo, v128.and(g, second));
          } else {
            v128.store(q0 + jo, f32x4.add(v128.load(q0 + jo), v128.andnot(g, second)));
            v128.store(q1 + jo, f32x4.add(v128.load(q1 + jo), v128.and(g, second)));
          }
        }
        for (; j < c; j++) {
          const jo = (<usize>j) << 2;
          const g = load<f32>(gp + jo);
          const a0: f32 = tiled ? 0 : load<f32>(q0 + jo);
          const a1: f32 = tiled ? 0 : load<f32>(q1 + jo);
          const v0 = load<f32>(p0 + jo);
          if (load<f32>(p1 + jo) > (v0 > -Infinity ? v0 : -Infinity)) {
            store<f32>(q0 + jo, a0);
            store<f32>(q1 + jo, a1 + g);
          } else {
            store<f32>(q0 + jo, a0 + g);
            store<f32>(q1 + jo, a1);
          }
        }
        continue;
      }
      let j = 0;
      for (; j + 4 <= c; j += 4) {
        const jo = (<usize>j) << 2;
        let best = v128.load(xb + <usize>r0 * row + jo);
        let at = i32x4.splat(r0);
        for (let r = r0 + 1; r < r1; r++) {
          const v = v128.load(xb + <usize>r * row + jo);
          const m = f32x4.gt(v, best);
          best = v128.bitselect(v, best, m);
          at = v128.bitselect(i32x4.splat(r), at, m);
        }
        const g = v128.load(gp + jo);
        for (let r = r0; r < r1; r++) {
          const p = db + <usize>r * row + jo;
          v128.store(p, f32x4.add(v128.load(p), v128.and(g, i32x4.eq(at, i32x4.splat(r)))));
        }
      }
      for (; j < c; j++) {
        const jo = (<usize>j) << 2;
        let best = load<f32>(xb + <usize>r0 * row + jo);
        let at = r0;
        for (let r = r0 + 1; r < r1; r++) {
          const v = load<f32>(xb + <usize>r * row + jo);
          if (v > best) {
            best = v;
            at = r;
          }
        }
        const p = db + <usize>at * row + jo;
        store<f32>(p, load<f32>(p) + load<f32>(gp + jo));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// out[o, 0..cols) = Σ_r x[o, r, 0..cols) for o < outer: a sum over a run of middle axes (the bias
// gradient of a convolution with outer = 1, GlobalAveragePooling1D's mean). Overwrites out.
// ---------------------------------------------------------------------------------------------
export function sumRows(x: usize, out: usize, outer: i32, rows: i32, cols: i32): void {
  const row = (<usize>cols) << 2;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>rows * row;
    const oo = out + <usize>o * row;
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      const jo = (<usize>j) << 2;
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let s2 = f32x4.splat(0);
      let s3 = f32x4.splat(0);
      let p = xo + jo;
      for (let r = 0; r < rows; r++) {
        s0 = f32x4.add(s0, v128.load(p));
        s1 = f32x4.add(s1, v128.load(p, 16));
        s2 = f32x4.add(s2, v128.load(p, 32));
        s3 = f32x4.add(s3, v128.load(p, 48));
        p += row;
      }
      v128.store(oo + jo, s0);
      v128.store(oo + jo, s1, 16);
      v128.store(oo + jo, s2, 32);
      v128.store(oo + jo, s3, 48);
    }
    for (; j + 4 <= cols; j += 4) {
      const jo = (<usize>j) << 2;
      let s = f32x4.splat(0);
      let p = xo + jo;
      for (let r = 0; r < rows; r++) {
        s = f32x4.add(s, v128.load(p));
        p += row;
      }
      v128.store(oo + jo, s);
    }
    for (; j < cols; j++) {
      const jo = (<usize>j) << 2;
      let s: f32 = 0;
      let p = xo + jo;
      for (let r = 0; r < rows; r++) {
        s += load<f32>(p);
        p += row;
      }
      store<f32>(oo + jo, s);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// y [batch, tout, c] = the maximum of each window of x [batch, tin, c] (windows as in
// maxPool1dGrad; a window with no row inside x gives -Infinity).
// ---------------------------------------------------------------------------------------------
export function maxPool1d(
  x: usize,
  y: usize,
  batch: i32,
  tin: i32,
  tout: i32,
  c: i32,
  pool: i32,
  stride: i32,
  pad: i32,
): void {
  const row = (<usize>c) << 2;
  const ninf = f32x4.splat(-Infinity);
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>(b * tin) * row;
    for (let o = 0; o < tout; o++) {
      const r0 = max(o * stride - pad, 0);
      const r1 = min(o * stride - pad + pool, tin);
      const yp = y + <usize>(b * tout + o) * row;
      let j = 0;
      if (r1 - r0 === 2) {
        const p0 = xb + <usize>r0 * row;
        const p1 = p0 + row;
        for (; j + 4 <= c; j += 4) {
          const jo = (<usize>j) << 2;
          const v0 = v128.load(p0 + jo);
          const first = v128.bitselect(v0, ninf, f32x4.gt(v0, ninf));
          const v1 = v128.load(p1 + jo);
          v128.store(yp + jo, v128.bitselect(v1, first, f32x4.gt(v1, first)));
        }
      }
      for (; j + 4 <= c; j += 4) {
        const jo = (<usize>j) << 2;
        let best = f32x4.splat(-Infinity);
        for (let r = r0; r < r1; r++) {
          const v = v128.load(xb + <usize>r * row + jo);
          best = v128.bitselect(v, best, f32x4.gt(v, best));
        }
        v128.store(yp + jo, best);
      }
      for (; j < c; j++) {
        const jo = (<usize>j) << 2;
        let best: f32 = -Infinity;
        for (let r = r0; r < r1; r++) {
          const v = load<f32>(xb + <usize>r * row + jo);
          if (v > best) best = v;
        }
        store<f32>(yp + jo, best);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Zeroes the values of x [n] whose magnitude is below 2^-96, in place, as the wasm BatchMatMul of
// the direct kernels does to its operands: products of subnormal numbers are up to a hundred
// times slower on x86, and vanishing gradients reach that range.
// ---------------------------------------------------------------------------------------------
export function conv1dFlush(x: usize, n: i32): void {
  const below = i32x4.splat((127 - 96) << 23);
  const magnitude = i32x4.splat(0x7fffffff);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = x + ((<usize>i) << 2);
    const v = v128.load(p);
    v128.store(p, v128.and(v, i32x4.ge_s(v128.and(v, magnitude), below)));
  }
  for (; i < n; i++) {
    const p = x + ((<usize>i) << 2);
    const v = load<f32>(p);
    if (Mathf.abs(v) < <f32>1.2621774483536189e-29) store<f32>(p, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// The first half of a Conv1D backward pass, in place over dy [rows, c] given the forward output
// y [rows, c]: dy = dy · act'(y) (relu 1: dy where y > 0, else 0; relu 0: dy), values of magnitude
// below 2^-96 zeroed as conv1dFlush does, and db [c] = Σ_r dy[r, ·] (written when hasBias is 1):
// the masked dy is the pre-activation gradient that the filter and input gradients take.
// ---------------------------------------------------------------------------------------------
export function conv1dActGrad(
  dy: usize,
  y: usize,
  db: usize,
  rows: i32,
  c: i32,
  hasBias: i32,
  relu: i32,
): void {
  conv1dActGradTo(dy, y, dy, db, rows, c, hasBias, relu);
}

// ---------------------------------------------------------------------------------------------
// conv1dActGrad into another buffer: dz [rows, c] = dy · act'(y), flushed, dy left as it is (for
// inputs that are not the kernel's to overwrite: a tensor of the tfjs wasm backend).
// ---------------------------------------------------------------------------------------------
export function conv1dActGradTo(
  dy: usize,
  y: usize,
  dz: usize,
  db: usize,
  rows: i32,
  c: i32,
  hasBias: i32,
  relu: i32,
): void {
  const row = (<usize>c) << 2;
  const zero = f32x4.splat(0);
  const below = i32x4.splat((127 - 96) << 23);
  const magnitude = i32x4.splat(0x7fffffff);
  const c4 = c & ~3;
  if (hasBias) memory.fill(db, 0, row);
  for (let r = 0; r < rows; r++) {
    const g = dy + <usize>r * row;
    const o = y + <usize>r * row;
    const z = dz + <usize>r * row;
    let j = 0;
    for (; j < c4; j += 4) {
      const jo = (<usize>j) << 2;
      let v = v128.load(g + jo);
      if (relu) v = v128.and(v, f32x4.gt(v128.load(o + jo), zero));
      v = v128.and(v, i32x4.ge_s(v128.and(v, magnitude), below));
      v128.store(z + jo, v);
      if (hasBias) v128.store(db + jo, f32x4.add(v128.load(db + jo), v));
    }
    for (; j < c; j++) {
      const jo = (<usize>j) << 2;
      let v = load<f32>(g + jo);
      if (relu && !(load<f32>(o + jo) > 0)) v = 0;
      if (Mathf.abs(v) < <f32>1.2621774483536189e-29) v = 0;
      store<f32>(z + jo, v);
      if (hasBias) store<f32>(db + jo, load<f32>(db + jo) + v);
    }
  }
}
