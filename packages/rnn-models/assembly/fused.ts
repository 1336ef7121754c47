// Time loops of the fused recurrent layers (SimpleRNN, LSTM, GRU), forward and backward, on raw
// f32 buffers in the imported memory. Compiled with SIMD by scripts/build-wasm.mjs; the JavaScript
// side (src/fused/wasm-kernel.ts) owns the memory layout and passes byte offsets.
//
// Layout: batch-major. xp [B, T, G] is the input projection x·W + b of every step; hs [B, T, H] the
// state after every step; mask [B, T] (1 = keep, 0 = carry the previous state), 0 when absent.
// Activations: 0 linear, 1 tanh, 2 sigmoid, 3 hardSigmoid (tfjs: clip(0.2x + 0.5, 0, 1)), 4 relu.

// ---------------------------------------------------------------------------------------------
// C[M, N] (+)= A[M, K] · B[K, N], row-major with leading dimensions in floats.
// ---------------------------------------------------------------------------------------------
export function gemm(
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  n: i32,
  accumulate: i32,
): void {
  if (!accumulate) {
    for (let i = 0; i < m; i++) memory.fill(c + ((<usize>(i * ldc)) << 2), 0, (<usize>n) << 2);
  }
  // Blocks of K keep the panel of B in cache when K is long (the weight gradients, K = B·T).
  for (let kk = 0; kk < k; kk += 256) {
    const kc = min(256, k - kk);
    gemmAcc(a + ((<usize>kk) << 2), lda, b + ((<usize>(kk * ldb)) << 2), ldb, c, ldc, m, kc, n);
  }
}

/** C[M, N] += A[M, K] · B[K, N]. */
function gemmAcc(
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  n: i32,
): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + ((<usize>(i * lda)) << 2);
    const a1 = a0 + ((<usize>lda) << 2);
    const a2 = a1 + ((<usize>lda) << 2);
    const a3 = a2 + ((<usize>lda) << 2);
    const c0 = c + ((<usize>(i * ldc)) << 2);
    const c1 = c0 + ((<usize>ldc) << 2);
    const c2 = c1 + ((<usize>ldc) << 2);
    const c3 = c2 + ((<usize>ldc) << 2);
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const jo = (<usize>j) << 2;
      let s00 = v128.load(c0 + jo);
      let s01 = v128.load(c0 + jo, 16);
      let s10 = v128.load(c1 + jo);
      let s11 = v128.load(c1 + jo, 16);
      let s20 = v128.load(c2 + jo);
      let s21 = v128.load(c2 + jo, 16);
      let s30 = v128.load(c3 + jo);
      let s31 = v128.load(c3 + jo, 16);
      let bp = b + jo;
      const bstep = (<usize>ldb) << 2;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const po = (<usize>p) << 2;
        const x0 = v128.load32_splat(a0 + po);
        const x1 = v128.load32_splat(a1 + po);
        const x2 = v128.load32_splat(a2 + po);
        const x3 = v128.load32_splat(a3 + po);
        s00 = f32x4.add(s00, f32x4.mul(x0, b0));
        s01 = f32x4.add(s01, f32x4.mul(x0, b1));
        s10 = f32x4.add(s10, f32x4.mul(x1, b0));
        s11 = f32x4.add(s11, f32x4.mul(x1, b1));
        s20 = f32x4.add(s20, f32x4.mul(x2, b0));
        s21 = f32x4.add(s21, f32x4.mul(x2, b1));
        s30 = f32x4.add(s30, f32x4.mul(x3, b0));
        s31 = f32x4.add(s31, f32x4.mul(x3, b1));
        bp += bstep;
      }
      v128.store(c0 + jo, s00);
      v128.store(c0 + jo, s01, 16);
      v128.store(c1 + jo, s10);
      v128.store(c1 + jo, s11, 16);
      v128.store(c2 + jo, s20);
      v128.store(c2 + jo, s21, 16);
      v128.store(c3 + jo, s30);
      v128.store(c3 + jo, s31, 16);
    }
    for (; j < n; j++) {
      for (let r = 0; r < 4; r++) {
        const ar = a0 + ((<usize>(r * lda)) << 2);
        const cr = c0 + ((<usize>(r * ldc + j)) << 2);
        let s = load<f32>(cr);
        for (let p = 0; p < k; p++)
          s += load<f32>(ar + ((<usize>p) << 2)) * load<f32>(b + ((<usize>(p * ldb + j)) << 2));
        store<f32>(cr, s);
      }
    }
  }
  for (; i < m; i++) {
    const ar = a + ((<usize>(i * lda)) << 2);
    const cr = c + ((<usize>(i * ldc)) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const jo = (<usize>j) << 2;
      let s = v128.load(cr + jo);
      for (let p = 0; p < k; p++) {
        s = f32x4.add(
          s,
          f32x4.mul(
            f32x4.splat(load<f32>(ar + ((<usize>p) << 2))),
            v128.load(b + ((<usize>(p * ldb)) << 2) + jo),
          ),
        );
      }
      v128.store(cr + jo, s);
    }
    for (; j < n; j++) {
      let s = load<f32>(cr + ((<usize>j) << 2));
      for (let p = 0; p < k; p++)
        s += load<f32>(ar + ((<usize>p) << 2)) * load<f32>(b + ((<usize>(p * ldb + j)) << 2));
      store<f32>(cr + ((<usize>j) << 2), s);
    }
  }
}

/** dst[cols, rows] = src[rows, cols]ᵀ. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(
        dst + ((<usize>(c * rows + r)) << 2),
        load<f32>(src + ((<usize>(r * cols + c)) << 2)),
      );
    }
  }
}

function activate(x: f32, kind: i32): f32 {
  if (kind === 1) return Mathf.tanh(x);
  if (kind === 2) return <f32>1 / (<f32>1 + Mathf.exp(-x));
  if (kind === 3) return Mathf.min(Mathf.max(<f32>0.2 * x + <f32>0.5, 0), 1);
  if (kind === 4) return Mathf.max(x, 0);
  return x;
}

/** Derivative of the activation, from its output y. */
function derivative(y: f32, kind: i32): f32 {
  if (kind === 1) return <f32>1 - y * y;
  if (kind === 2) return y * (<f32>1 - y);
  if (kind === 3) return y > 0 && y < 1 ? <f32>0.2 : 0;
  if (kind === 4) return y > 0 ? <f32>1 : 0;
  return 1;
}

function f(p: usize, i: i32): f32 {
  return load<f32>(p + ((<usize>i) << 2));
}
function put(p: usize, i: i32, v: f32): void {
  store<f32>(p + ((<usize>i) << 2), v);
}
function keep(mask: usize, i: i32): bool {
  return mask === 0 || load<f32>(mask + ((<usize>i) << 2)) !== 0;
}

// ---------------------------------------------------------------------------------------------
// Vectorised activations: exp by range reduction and the Cephes expf polynomial (about 1 ulp).
// ---------------------------------------------------------------------------------------------
function vexp(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(<f32>Math.LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.1219444e-4)));
  let y = f32x4.splat(1.98756915e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(r, r)), r), f32x4.splat(1.0));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, e);
}

function vactivate(x: v128, kind: i32): v128 {
  const one = f32x4.splat(1.0);
  if (kind === 1) {
    // tanh(x) = 1 - 2 / (1 + exp(2x))
    return f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(one, vexp(f32x4.add(x, x)))));
  }
  if (kind === 2) return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
  if (kind === 3) {
    return f32x4.min(
      f32x4.max(f32x4.add(f32x4.mul(x, f32x4.splat(0.2)), f32x4.splat(0.5)), f32x4.splat(0.0)),
      one,
    );
  }
  if (kind === 4) return f32x4.max(x, f32x4.splat(0.0));
  return x;
}

function vderivative(y: v128, kind: i32): v128 {
  const one = f32x4.splat(1.0);
  if (kind === 1) return f32x4.sub(one, f32x4.mul(y, y));
  if (kind === 2) return f32x4.mul(y, f32x4.sub(one, y));
  if (kind === 3) {
    const inside = v128.and(f32x4.gt(y, f32x4.splat(0.0)), f32x4.lt(y, one));
    return v128.and(inside, f32x4.splat(0.2));
  }
  if (kind === 4) return v128.and(f32x4.gt(y, f32x4.splat(0.0)), one);
  return one;
}

// ---------------------------------------------------------------------------------------------
// Flush to zero. Gradients carried back through many steps shrink towards the subnormal range
// (below 1.2e-38), where x86 arithmetic is up to a hundred times slower, and WebAssembly cannot
// switch on the processor's flush-to-zero mode. The backward loops set magnitudes below 2^-96
// (about 1.3e-29, far below anything a float32 update can use) to zero in what they carry from
// one step to the next and in the gate gradients they write, as src/kernels/flush-denormals.ts
// does for the stock layers' products. Integer compares, so subnormal inputs cost nothing here.
// ---------------------------------------------------------------------------------------------
const FLUSH_BELOW: i32 = (127 - 96) << 23;

/** x, or 0 where |x| < 2^-96. */
function flush(x: f32): f32 {
  return (reinterpret<i32>(x) & 0x7fffffff) < FLUSH_BELOW ? 0 : x;
}

/** v lane by lane, with 0 where |v| < 2^-96. */
function vflush(v: v128): v128 {
  const magnitude = v128.and(v, i32x4.splat(0x7fffffff));
  return v128.and(v, i32x4.ge_s(magnitude, i32x4.splat(FLUSH_BELOW)));
}

function vl(p: usize, i: i32): v128 {
  return v128.load(p + ((<usize>i) << 2));
}

function vs(p: usize, i: i32, v: v128): void {
  v128.store(p + ((<usize>i) << 2), v);
}

/** In place: p[0..n) = act(p[0..n)). */
function actRange(p: usize, n: i32, kind: i32): void {
  if (kind === 0) return;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const q = p + ((<usize>j) << 2);
    v128.store(q, vactivate(v128.load(q), kind));
  }
  for (; j < n; j++) put(p, j, activate(f(p, j), kind));
}

// ---------------------------------------------------------------------------------------------
// SimpleRNN: h = act(xp + h_prev·U). Gates are hs itself.
// ---------------------------------------------------------------------------------------------
export function rnnForward(
  xp: usize,
  u: usize,
  hs: usize,
  mask: usize,
  T: i32,
  B: i32,
  H: i32,
  act: i32,
): void {
  for (let t = 0; t < T; t++) {
    const pre = xp + ((<usize>(t * H)) << 2);
    if (t > 0) gemm(hs + ((<usize>((t - 1) * H)) << 2), T * H, u, H, pre, T * H, B, H, H, 1);
    for (let b = 0; b < B; b++) {
      const row = b * T * H + t * H;
      const on = keep(mask, b * T + t);
      const dst = hs + ((<usize>row) << 2);
      if (on) {
        memory.copy(dst, xp + ((<usize>row) << 2), (<usize>H) << 2);
        actRange(dst, H, act);
      } else if (t > 0) memory.copy(dst, dst - ((<usize>H) << 2), (<usize>H) << 2);
      else memory.fill(dst, 0, (<usize>H) << 2);
    }
  }
}

/** dhs [B,T,H] in: gradient on every output state; overwritten. dg [B,T,H] out. uT [H,H]. */
export function rnnBackward(
  hs: usize,
  dhs: usize,
  uT: usize,
  dg: usize,
  mask: usize,
  T: i32,
  B: i32,
  H: i32,
  act: i32,
): void {
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const row = b * T * H + t * H;
      const on = keep(mask, b * T + t);
      let j0 = 0;
      if (on) {
        for (; j0 + 4 <= H; j0 += 4) {
          const dh = vl(dhs, row + j0);
          vs(dg, row + j0, vflush(f32x4.mul(dh, vderivative(vl(hs, row + j0), act))));
        }
      }
      for (let j = j0; j < H; j++) {
        const idx = row + j;
        const dh = flush(f(dhs, idx));
        if (on) put(dg, idx, flush(dh * derivative(f(hs, idx), act)));
        else {
          put(dg, idx, 0);
          if (t > 0) put(dhs, idx - H, f(dhs, idx - H) + dh);
        }
      }
    }
    if (t > 0)
      gemm(
        dg + ((<usize>(t * H)) << 2),
        T * H,
        uT,
        H,
        dhs + ((<usize>((t - 1) * H)) << 2),
        T * H,
        B,
        H,
        H,
        1,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// LSTM, Keras gate order i, f, c, o: xp [B,T,4H] becomes the activated gates in place.
// cs [B,T,H] cell states, ac [B,T,H] act(c), hs [B,T,H].
// ---------------------------------------------------------------------------------------------
export function lstmForward(
  xp: usize,
  u: usize,
  hs: usize,
  cs: usize,
  ac: usize,
  mask: usize,
  T: i32,
  B: i32,
  H: i32,
  act: i32,
  ract: i32,
): void {
  const G = 4 * H;
  for (let t = 0; t < T; t++) {
    if (t > 0)
      gemm(
        hs + ((<usize>((t - 1) * H)) << 2),
        T * H,
        u,
        G,
        xp + ((<usize>(t * G)) << 2),
        T * G,
        B,
        H,
        G,
        1,
      );
    for (let b = 0; b < B; b++) {
      const grow = b * T * G + t * G;
      const row = b * T * H + t * H;
      const on = keep(mask, b * T + t);
      if (on) {
        const gp = xp + ((<usize>grow) << 2);
        actRange(gp, 2 * H, ract);
        actRange(gp + ((<usize>(2 * H)) << 2), H, act);
        actRange(gp + ((<usize>(3 * H)) << 2), H, ract);
        let j0 = 0;
        for (; j0 + 4 <= H; j0 += 4) {
          const cPrev = t > 0 ? vl(cs, row + j0 - H) : f32x4.splat(0.0);
          const c = f32x4.add(
            f32x4.mul(vl(xp, grow + H + j0), cPrev),
            f32x4.mul(vl(xp, grow + j0), vl(xp, grow + 2 * H + j0)),
          );
          vs(cs, row + j0, c);
          vs(ac, row + j0, c);
        }
        for (let j = j0; j < H; j++) {
          const cPrev: f32 = t > 0 ? f(cs, row + j - H) : 0;
          const c = f(xp, grow + H + j) * cPrev + f(xp, grow + j) * f(xp, grow + 2 * H + j);
          put(cs, row + j, c);
          put(ac, row + j, c);
        }
        actRange(ac + ((<usize>row) << 2), H, act);
        for (let j = 0; j < H; j++) put(hs, row + j, f(xp, grow + 3 * H + j) * f(ac, row + j));
        // (scalar: a short loop the engine handles well)
        continue;
      }
      for (let j = 0; j < H; j++) {
        const idx = row + j;
        const cPrev: f32 = t > 0 ? f(cs, idx - H) : 0;
        put(cs, idx, cPrev);
        put(ac, idx, 0);
        put(hs, idx, t > 0 ? f(hs, idx - H) : 0);
      }
    }
  }
}

/**
 * dhs [B,T,H] in (overwritten), dc [B,H] in: gradient on the last cell state (overwritten).
 * dg [B,T,4H] out: gradient on the pre-activation gates. uT [4H,H].
 */
export function lstmBackward(
  gates: usize,
  cs: usize,
  ac: usize,
  dhs: usize,
  dc: usize,
  uT: usize,
  dg: usize,
  mask: usize,
  T: i32,
  B: i32,
  H: i32,
  act: i32,
  ract: i32,
): void {
  const G = 4 * H;
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const grow = b * T * G + t * G;
      const row = b * T * H + t * H;
      const on = keep(mask, b * T + t);
      let j0 = 0;
      if (on) {
        const zero = f32x4.splat(0.0);
        for (; j0 + 4 <= H; j0 += 4) {
          const idx = row + j0;
          const dh = vflush(vl(dhs, idx));
          const gi = vl(gates, grow + j0);
          const gf = vl(gates, grow + H + j0);
          const gc = vl(gates, grow + 2 * H + j0);
          const go = vl(gates, grow + 3 * H + j0);
          const a = vl(ac, idx);
          const cPrev = t > 0 ? vl(cs, idx - H) : zero;
          const dct = vflush(
            f32x4.add(vl(dc, b * H + j0), f32x4.mul(f32x4.mul(dh, go), vderivative(a, act))),
          );
          vs(dg, grow + j0, vflush(f32x4.mul(f32x4.mul(dct, gc), vderivative(gi, ract))));
          vs(dg, grow + H + j0, vflush(f32x4.mul(f32x4.mul(dct, cPrev), vderivative(gf, ract))));
          vs(dg, grow + 2 * H + j0, vflush(f32x4.mul(f32x4.mul(dct, gi), vderivative(gc, act))));
          vs(dg, grow + 3 * H + j0, vflush(f32x4.mul(f32x4.mul(dh, a), vderivative(go, ract))));
          vs(dc, b * H + j0, vflush(f32x4.mul(dct, gf)));
        }
      }
      for (let j = j0; j < H; j++) {
        const idx = row + j;
        const dh = flush(f(dhs, idx));
        if (on) {
          const gi = f(gates, grow + j);
          const gf = f(gates, grow + H + j);
          const gc = f(gates, grow + 2 * H + j);
          const go = f(gates, grow + 3 * H + j);
          const a = f(ac, idx);
          const cPrev: f32 = t > 0 ? f(cs, idx - H) : 0;
          const dct = flush(f(dc, b * H + j) + dh * go * derivative(a, act));
          put(dg, grow + j, flush(dct * gc * derivative(gi, ract)));
          put(dg, grow + H + j, flush(dct * cPrev * derivative(gf, ract)));
          put(dg, grow + 2 * H + j, flush(dct * gi * derivative(gc, act)));
          put(dg, grow + 3 * H + j, flush(dh * a * derivative(go, ract)));
          put(dc, b * H + j, flush(dct * gf));
        } else {
          put(dg, grow + j, 0);
          put(dg, grow + H + j, 0);
          put(dg, grow + 2 * H + j, 0);
          put(dg, grow + 3 * H + j, 0);
          if (t > 0) put(dhs, idx - H, f(dhs, idx - H) + dh);
        }
      }
    }
    if (t > 0)
      gemm(
        dg + ((<usize>(t * G)) << 2),
        T * G,
        uT,
        H,
        dhs + ((<usize>((t - 1) * H)) << 2),
        T * H,
        B,
        G,
        H,
        1,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// GRU, Keras gate order z, r, h. resetAfter = 1: n = act(xp_h + r * (h_prev·U_h + brec_h)), the
// Keras 2 / PyTorch form; resetAfter = 0: n = act(xp_h + (r * h_prev)·U_h). h = z h_prev + (1-z) n.
// xp [B,T,3H] becomes the activated gates (z, r, n) in place. aux [B,T,H]: h_prev·U_h + brec_h
// (resetAfter) or r * h_prev (not). rec [B,3H] scratch.
// ---------------------------------------------------------------------------------------------
export function gruForward(
  xp: usize,
  u: usize,
  brec: usize,
  hs: usize,
  aux: usize,
  rec: usize,
  mask: usize,
  T: i32,
  B: i32,
  H: i32,
  act: i32,
  ract: i32,
  resetAfter: i32,
): void {
  const G = 3 * H;
  for (let t = 0; t < T; t++) {
    const hPrev = hs + ((<usize>((t - 1) * H)) << 2);
    if (resetAfter) {
      for (let b = 0; b < B; b++) memory.copy(rec + ((<usize>(b * G)) << 2), brec, (<usize>G) << 2);
      if (t > 0) gemm(hPrev, T * H, u, G, rec, G, B, H, G, 1);
    } else if (t > 0) {
      gemm(hPrev, T * H, u, G, xp + ((<usize>(t * G)) << 2), T * G, B, H, 2 * H, 1);
    }
    for (let b = 0; b < B; b++) {
      const grow = b * T * G + t * G;
      const row = b * T * H + t * H;
      for (let j = 0; j < H; j++) {
        let pz = f(xp, grow + j);
        let pr = f(xp, grow + H + j);
        if (resetAfter) {
          pz += f(rec, b * G + j);
          pr += f(rec, b * G + H + j);
        }
        put(xp, grow + j, pz);
        put(xp, grow + H + j, pr);
      }
      actRange(xp + ((<usize>grow) << 2), 2 * H, ract);
      for (let j = 0; j < H; j++) {
        const r = f(xp, grow + H + j);
        const hp: f32 = t > 0 ? f(hs, row + j - H) : 0;
        if (resetAfter) put(aux, row + j, f(rec, b * G + 2 * H + j));
        else put(aux, row + j, r * hp);
      }
    }
    if (!resetAfter && t > 0) {
      gemm(
        aux + ((<usize>(t * H)) << 2),
        T * H,
        u + ((<usize>(2 * H)) << 2),
        G,
        xp + ((<usize>(t * G + 2 * H)) << 2),
        T * G,
        B,
        H,
        H,
        1,
      );
    }
    for (let b = 0; b < B; b++) {
      const grow = b * T * G + t * G;
      const row = b * T * H + t * H;
      const on = keep(mask, b * T + t);
      if (on) {
        if (resetAfter) {
          for (let j = 0; j < H; j++) {
            put(
              xp,
              grow + 2 * H + j,
              f(xp, grow + 2 * H + j) + f(xp, grow + H + j) * f(aux, row + j),
            );
          }
        }
        actRange(xp + ((<usize>(grow + 2 * H)) << 2), H, act);
      }
      for (let j = 0; j < H; j++) {
        const idx = row + j;
        const hp: f32 = t > 0 ? f(hs, idx - H) : 0;
        if (on) {
          const z = f(xp, grow + j);
          const n = f(xp, grow + 2 * H + j);
          put(hs, idx, z * hp + (<f32>1 - z) * n);
        } else {
          put(hs, idx, hp);
        }
      }
    }
  }
}

/**
 * dhs [B,T,H] in (overwritten). dgx [B,T,3H] out: gradient on xp. dgr [B,T,3H] out: gradient on
 * the recurrent pre-activations (h_prev·U + brec for resetAfter; for not, the z and r columns of
 * h_prev·U and the h columns of (r h_prev)·U_h). dtmp [B,H] scratch. uT [3H,H].
 */
export function gruBackward(
  gates: usize,
  hs: usize,
  aux: usize,
  dhs: usize,
  uT: usize,
  dgx: usize,
  dgr: usize,
  dtmp: usize,
  mask: usize,
  T: i32,
  B: i32,
  H: i32,
  act: i32,
  ract: i32,
  resetAfter: i32,
): void {
  const G = 3 * H;
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const grow = b * T * G + t * G;
      const row = b * T * H + t * H;
      const on = keep(mask, b * T + t);
      let j0 = 0;
      if (on) {
        const one = f32x4.splat(1.0);
        for (; j0 + 4 <= H; j0 += 4) {
          const idx = row + j0;
          const dh = vflush(vl(dhs, idx));
          const z = vl(gates, grow + j0);
          const r = vl(gates, grow + H + j0);
          const n = vl(gates, grow + 2 * H + j0);
          const hp = t > 0 ? vl(hs, idx - H) : f32x4.splat(0.0);
          const dpn = vflush(f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), vderivative(n, act)));
          const dpz = vflush(f32x4.mul(f32x4.mul(dh, f32x4.sub(hp, n)), vderivative(z, ract)));
          vs(dgx, grow + j0, dpz);
          vs(dgr, grow + j0, dpz);
          vs(dgx, grow + 2 * H + j0, dpn);
          if (resetAfter) {
            const dpr = vflush(f32x4.mul(f32x4.mul(dpn, vl(aux, idx)), vderivative(r, ract)));
            vs(dgx, grow + H + j0, dpr);
            vs(dgr, grow + H + j0, dpr);
            vs(dgr, grow + 2 * H + j0, vflush(f32x4.mul(dpn, r)));
          } else {
            vs(dgr, grow + 2 * H + j0, dpn);
          }
          if (t > 0) vs(dhs, idx - H, f32x4.add(vl(dhs, idx - H), f32x4.mul(dh, z)));
        }
      }
      for (let j = j0; j < H; j++) {
        const idx = row + j;
        const dh = flush(f(dhs, idx));
        if (on) {
          const z = f(gates, grow + j);
          const r = f(gates, grow + H + j);
          const n = f(gates, grow + 2 * H + j);
          const hp: f32 = t > 0 ? f(hs, idx - H) : 0;
          const dpn = flush(dh * (<f32>1 - z) * derivative(n, act));
          const dpz = flush(dh * (hp - n) * derivative(z, ract));
          put(dgx, grow + j, dpz);
          put(dgr, grow + j, dpz);
          put(dgx, grow + 2 * H + j, dpn);
          if (resetAfter) {
            const dpr = flush(dpn * f(aux, idx) * derivative(r, ract));
            put(dgx, grow + H + j, dpr);
            put(dgr, grow + H + j, dpr);
            put(dgr, grow + 2 * H + j, flush(dpn * r));
          } else {
            put(dgr, grow + 2 * H + j, dpn);
          }
          if (t > 0) put(dhs, idx - H, f(dhs, idx - H) + dh * z);
        } else {
          for (let q = 0; q < 3; q++) {
            put(dgx, grow + q * H + j, 0);
            put(dgr, grow + q * H + j, 0);
          }
          if (t > 0) put(dhs, idx - H, f(dhs, idx - H) + dh);
        }
      }
    }
    if (!resetAfter) {
      // d(r h_prev) = dpn · U_hᵀ, then dr and the direct path to h_prev.
      gemm(
        dgr + ((<usize>(t * G + 2 * H)) << 2),
        T * G,
        uT + ((<usize>(2 * H * H)) << 2),
        H,
        dtmp,
        H,
        B,
        H,
        H,
        0,
      );
      for (let b = 0; b < B; b++) {
        const grow = b * T * G + t * G;
        const row = b * T * H + t * H;
        const on = keep(mask, b * T + t);
        for (let j = 0; j < H; j++) {
          if (!on) continue;
          const drh = flush(f(dtmp, b * H + j));
          const hp: f32 = t > 0 ? f(hs, row + j - H) : 0;
          const r = f(gates, grow + H + j);
          const dpr = flush(drh * hp * derivative(r, ract));
          put(dgx, grow + H + j, dpr);
          put(dgr, grow + H + j, dpr);
          if (t > 0) put(dhs, row + j - H, f(dhs, row + j - H) + drh * r);
        }
      }
      if (t > 0)
        gemm(
          dgr + ((<usize>(t * G)) << 2),
          T * G,
          uT,
          H,
          dhs + ((<usize>((t - 1) * H)) << 2),
          T * H,
          B,
          2 * H,
          H,
          1,
        );
    } else if (t > 0) {
      gemm(
        dgr + ((<usize>(t * G)) << 2),
        T * G,
        uT,
        H,
        dhs + ((<usize>((t - 1) * H)) << 2),
        T * H,
        B,
        G,
        H,
        1,
      );
    }
  }
}
