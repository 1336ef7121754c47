// Time loops of the fused recurrent layers (SimpleRNN, LSTM, GRU), forward and backward, on raw
// f32 buffers in the imported memory. Compiled with SIMD by scripts/build-wasm.mjs; the JavaScript
// side (src/wasm/wasm-kernel.ts) owns the memory layout and passes byte offsets.
//
// Layout: batch-major. xp [B, T, G] is the input projection x·W + b of every step; hs [B, T, H] the
// state after every step; mask [B, T] (1 = keep, 0 = carry the previous state), 0 when absent.
// Activations: 0 linear, 1 tanh, 2 sigmoid, 3 hardSigmoid (tfjs: clip(0.2x + 0.5, 0, 1)), 4 relu.

import { madd, nmadd } from './lib/madd';

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

/**
 * C[M, N] = bias[N] + A[M, K] · B[K, N]: every row of C starts as the bias row (the input
 * projection x·W + b), copied inside the call so that each thread's share fills its own rows.
 */
export function gemmBias(
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  n: i32,
  bias: usize,
): void {
  if (k < 32) {
    // a short K (the input projection of a few features): the 4 × 8 blocks start from the bias
    // instead of reading C, which is then only written (for har-lstm, 8 MB a step not read)
    const n8 = n & ~7;
    rows4x8(a, lda, b, ldb, c, ldc, m, k, n8, bias);
    if (n8 < n) {
      const tail = (<usize>(n - n8)) << 2;
      const from = bias + ((<usize>n8) << 2);
      for (let i = 0; i < m; i++) memory.copy(c + ((<usize>(i * ldc + n8)) << 2), from, tail);
      gemmColumns(a, lda, b, ldb, c, ldc, m, k, n8, n);
    }
    return;
  }
  for (let i = 0; i < m; i++) memory.copy(c + ((<usize>(i * ldc)) << 2), bias, (<usize>n) << 2);
  gemm(a, lda, b, ldb, c, ldc, m, k, n, 1);
}

// The register blocks are sized for V8 on x64, which keeps 15 v128 values in xmm registers and
// issues a block's loads before its arithmetic: 2 rows × 16 columns (8 accumulators, 4 loads of B,
// 2 splats of A) is the largest block that runs without spills, and one pointer into B with
// immediate offsets keeps the address arithmetic short. Columns go in strips of 16 (all rows), so
// a strip of B (K ≤ 256 rows × 64 bytes) stays in L1 while the rows stream past; what is left goes
// in strips of 8, 4 and a masked strip of 1 to 3 columns. The strip of 16 is written out inside
// the loop over strips rather than called: a call per strip and block of rows costs about 3 %.

/**
 * C[M, N] += A[M, K] · B[K, N], in blocks of rows whose A (at most 16 KiB) stays in L1. A short K
 * (the input projection, K = features) goes row-block first instead, so C streams row by row.
 */
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
  if (k < 32) {
    const n8 = n & ~7;
    rows4x8(a, lda, b, ldb, c, ldc, m, k, n8, 0);
    if (n8 < n) gemmColumns(a, lda, b, ldb, c, ldc, m, k, n8, n);
    return;
  }
  gemmColumns(a, lda, b, ldb, c, ldc, m, k, 0, n);
}

/** Columns [j0, n) of C[M, N] += A[M, K] · B[K, N], strip by strip within blocks of rows. */
function gemmColumns(
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  j0: i32,
  n: i32,
): void {
  const mb = max(8, (4096 / max(k, 1)) & ~7);
  const astep = (<usize>lda) << 2;
  const bstep = (<usize>ldb) << 2;
  const cstep = (<usize>ldc) << 2;
  const kb = (<usize>k) << 2;
  for (let i = 0; i < m; i += mb) {
    const rows = min(mb, m - i);
    const ai = a + ((<usize>i * <usize>lda) << 2);
    const ci = c + ((<usize>i * <usize>ldc) << 2);
    let j = j0;
    // strips of 16 columns: blocks of 2 rows, then 1
    for (; j + 16 <= n; j += 16) {
      const bj = b + ((<usize>j) << 2);
      let a0 = ai;
      let c0 = ci + ((<usize>j) << 2);
      let r = 0;
      for (; r + 2 <= rows; r += 2) {
        const a1 = a0 + astep;
        const c1 = c0 + cstep;
        let s00 = v128.load(c0);
        let s01 = v128.load(c0, 16);
        let s02 = v128.load(c0, 32);
        let s03 = v128.load(c0, 48);
        let s10 = v128.load(c1);
        let s11 = v128.load(c1, 16);
        let s12 = v128.load(c1, 32);
        let s13 = v128.load(c1, 48);
        let bp = bj;
        for (let po: usize = 0; po < kb; po += 4) {
          const b0 = v128.load(bp);
          const b1 = v128.load(bp, 16);
          const b2 = v128.load(bp, 32);
          const b3 = v128.load(bp, 48);
          const x0 = v128.load32_splat(a0 + po);
          s00 = madd(x0, b0, s00);
          s01 = madd(x0, b1, s01);
          s02 = madd(x0, b2, s02);
          s03 = madd(x0, b3, s03);
          const x1 = v128.load32_splat(a1 + po);
          s10 = madd(x1, b0, s10);
          s11 = madd(x1, b1, s11);
          s12 = madd(x1, b2, s12);
          s13 = madd(x1, b3, s13);
          bp += bstep;
        }
        v128.store(c0, s00);
        v128.store(c0, s01, 16);
        v128.store(c0, s02, 32);
        v128.store(c0, s03, 48);
        v128.store(c1, s10);
        v128.store(c1, s11, 16);
        v128.store(c1, s12, 32);
        v128.store(c1, s13, 48);
        a0 = a1 + astep;
        c0 = c1 + cstep;
      }
      if (r < rows) {
        let s00 = v128.load(c0);
        let s01 = v128.load(c0, 16);
        let s02 = v128.load(c0, 32);
        let s03 = v128.load(c0, 48);
        let bp = bj;
        for (let po: usize = 0; po < kb; po += 4) {
          const x0 = v128.load32_splat(a0 + po);
          s00 = madd(x0, v128.load(bp), s00);
          s01 = madd(x0, v128.load(bp, 16), s01);
          s02 = madd(x0, v128.load(bp, 32), s02);
          s03 = madd(x0, v128.load(bp, 48), s03);
          bp += bstep;
        }
        v128.store(c0, s00);
        v128.store(c0, s01, 16);
        v128.store(c0, s02, 32);
        v128.store(c0, s03, 48);
      }
    }
    if (j + 8 <= n) {
      strip8(ai, lda, b + ((<usize>j) << 2), ldb, ci + ((<usize>j) << 2), ldc, rows, k);
      j += 8;
    }
    if (j + 4 <= n) {
      strip4(ai, lda, b + ((<usize>j) << 2), ldb, ci + ((<usize>j) << 2), ldc, rows, k);
      j += 4;
    }
    if (j < n) {
      stripTail(ai, lda, b + ((<usize>j) << 2), ldb, ci + ((<usize>j) << 2), ldc, rows, k, n - j);
    }
  }
}

/**
 * C[M, 0..n8) += A[M, K] · B[K, 0..n8), n8 a multiple of 8: blocks of 4 rows × 8 columns. With a
 * `bias` row (not 0), C[M, 0..n8) = bias + A · B instead: the blocks start from it, C is not read.
 */
function rows4x8(
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  n8: i32,
  bias: usize,
): void {
  const astep = (<usize>lda) << 2;
  const bstep = (<usize>ldb) << 2;
  const cstep = (<usize>ldc) << 2;
  const kb = (<usize>k) << 2;
  const nb = (<usize>n8) << 2;
  let a0 = a;
  let c0 = c;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a1 = a0 + astep;
    const a2 = a1 + astep;
    const a3 = a2 + astep;
    const c1 = c0 + cstep;
    const c2 = c1 + cstep;
    const c3 = c2 + cstep;
    // where the blocks start: C's own rows, or the bias row for all four
    const i0 = bias ? bias : c0;
    const i1 = bias ? bias : c1;
    const i2 = bias ? bias : c2;
    const i3 = bias ? bias : c3;
    for (let jo: usize = 0; jo < nb; jo += 32) {
      let s00 = v128.load(i0 + jo);
      let s01 = v128.load(i0 + jo, 16);
      let s10 = v128.load(i1 + jo);
      let s11 = v128.load(i1 + jo, 16);
      let s20 = v128.load(i2 + jo);
      let s21 = v128.load(i2 + jo, 16);
      let s30 = v128.load(i3 + jo);
      let s31 = v128.load(i3 + jo, 16);
      let bp = b + jo;
      for (let po: usize = 0; po < kb; po += 4) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = v128.load32_splat(a0 + po);
        s00 = madd(x0, b0, s00);
        s01 = madd(x0, b1, s01);
        const x1 = v128.load32_splat(a1 + po);
        s10 = madd(x1, b0, s10);
        s11 = madd(x1, b1, s11);
        const x2 = v128.load32_splat(a2 + po);
        s20 = madd(x2, b0, s20);
        s21 = madd(x2, b1, s21);
        const x3 = v128.load32_splat(a3 + po);
        s30 = madd(x3, b0, s30);
        s31 = madd(x3, b1, s31);
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
    a0 = a3 + astep;
    c0 = c3 + cstep;
  }
  for (; i < m; i++) {
    const i0 = bias ? bias : c0;
    for (let jo: usize = 0; jo < nb; jo += 32) {
      let s00 = v128.load(i0 + jo);
      let s01 = v128.load(i0 + jo, 16);
      let bp = b + jo;
      for (let po: usize = 0; po < kb; po += 4) {
        const x0 = v128.load32_splat(a0 + po);
        s00 = madd(x0, v128.load(bp), s00);
        s01 = madd(x0, v128.load(bp, 16), s01);
        bp += bstep;
      }
      v128.store(c0 + jo, s00);
      v128.store(c0 + jo, s01, 16);
    }
    a0 += astep;
    c0 += cstep;
  }
}

/** C[M, 0..8) += A[M, K] · B[K, 0..8): blocks of 4 rows, then 1. */
function strip8(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32): void {
  const astep = (<usize>lda) << 2;
  const bstep = (<usize>ldb) << 2;
  const cstep = (<usize>ldc) << 2;
  const kb = (<usize>k) << 2;
  let a0 = a;
  let c0 = c;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a1 = a0 + astep;
    const a2 = a1 + astep;
    const a3 = a2 + astep;
    const c1 = c0 + cstep;
    const c2 = c1 + cstep;
    const c3 = c2 + cstep;
    let s00 = v128.load(c0);
    let s01 = v128.load(c0, 16);
    let s10 = v128.load(c1);
    let s11 = v128.load(c1, 16);
    let s20 = v128.load(c2);
    let s21 = v128.load(c2, 16);
    let s30 = v128.load(c3);
    let s31 = v128.load(c3, 16);
    let bp = b;
    for (let po: usize = 0; po < kb; po += 4) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      const x0 = v128.load32_splat(a0 + po);
      s00 = madd(x0, b0, s00);
      s01 = madd(x0, b1, s01);
      const x1 = v128.load32_splat(a1 + po);
      s10 = madd(x1, b0, s10);
      s11 = madd(x1, b1, s11);
      const x2 = v128.load32_splat(a2 + po);
      s20 = madd(x2, b0, s20);
      s21 = madd(x2, b1, s21);
      const x3 = v128.load32_splat(a3 + po);
      s30 = madd(x3, b0, s30);
      s31 = madd(x3, b1, s31);
      bp += bstep;
    }
    v128.store(c0, s00);
    v128.store(c0, s01, 16);
    v128.store(c1, s10);
    v128.store(c1, s11, 16);
    v128.store(c2, s20);
    v128.store(c2, s21, 16);
    v128.store(c3, s30);
    v128.store(c3, s31, 16);
    a0 = a3 + astep;
    c0 = c3 + cstep;
  }
  for (; i < m; i++) {
    let s00 = v128.load(c0);
    let s01 = v128.load(c0, 16);
    let bp = b;
    for (let po: usize = 0; po < kb; po += 4) {
      const x0 = v128.load32_splat(a0 + po);
      s00 = madd(x0, v128.load(bp), s00);
      s01 = madd(x0, v128.load(bp, 16), s01);
      bp += bstep;
    }
    v128.store(c0, s00);
    v128.store(c0, s01, 16);
    a0 += astep;
    c0 += cstep;
  }
}

/** C[M, 0..4) += A[M, K] · B[K, 0..4): blocks of 4 rows, then 1. */
function strip4(a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, m: i32, k: i32): void {
  const astep = (<usize>lda) << 2;
  const bstep = (<usize>ldb) << 2;
  const cstep = (<usize>ldc) << 2;
  const kb = (<usize>k) << 2;
  let a0 = a;
  let c0 = c;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a1 = a0 + astep;
    const a2 = a1 + astep;
    const a3 = a2 + astep;
    const c1 = c0 + cstep;
    const c2 = c1 + cstep;
    const c3 = c2 + cstep;
    let s0 = v128.load(c0);
    let s1 = v128.load(c1);
    let s2 = v128.load(c2);
    let s3 = v128.load(c3);
    let bp = b;
    for (let po: usize = 0; po < kb; po += 4) {
      const b0 = v128.load(bp);
      s0 = madd(v128.load32_splat(a0 + po), b0, s0);
      s1 = madd(v128.load32_splat(a1 + po), b0, s1);
      s2 = madd(v128.load32_splat(a2 + po), b0, s2);
      s3 = madd(v128.load32_splat(a3 + po), b0, s3);
      bp += bstep;
    }
    v128.store(c0, s0);
    v128.store(c1, s1);
    v128.store(c2, s2);
    v128.store(c3, s3);
    a0 = a3 + astep;
    c0 = c3 + cstep;
  }
  for (; i < m; i++) {
    let s0 = v128.load(c0);
    let bp = b;
    for (let po: usize = 0; po < kb; po += 4) {
      s0 = madd(v128.load32_splat(a0 + po), v128.load(bp), s0);
      bp += bstep;
    }
    v128.store(c0, s0);
    a0 += astep;
    c0 += cstep;
  }
}

/** c[0..w) += the first w lanes of s (w = 1, 2 or 3). */
function addLanes(c: usize, s: v128, w: i32): void {
  store<f32>(c, load<f32>(c) + f32x4.extract_lane(s, 0));
  if (w > 1) store<f32>(c, load<f32>(c, 4) + f32x4.extract_lane(s, 1), 4);
  if (w > 2) store<f32>(c, load<f32>(c, 8) + f32x4.extract_lane(s, 2), 8);
}

/**
 * C[M, 0..w) += A[M, K] · B[K, 0..w) for w = 1, 2 or 3: 4 columns of B at a time with the lanes
 * past w masked to zero (they read the next floats of the row, or of the next row), and only w
 * lanes of C written. Scalar where the last row's 16 bytes would run past the end of memory.
 */
function stripTail(
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  m: i32,
  k: i32,
  w: i32,
): void {
  const astep = (<usize>lda) << 2;
  const bstep = (<usize>ldb) << 2;
  const cstep = (<usize>ldc) << 2;
  const kb = (<usize>k) << 2;
  if (k > 0 && b + <usize>(k - 1) * bstep + 16 > (<usize>memory.size()) << 16) {
    for (let i = 0; i < m; i++) {
      for (let q = 0; q < w; q++) {
        const cq = c + <usize>i * cstep + ((<usize>q) << 2);
        let s = load<f32>(cq);
        for (let p = 0; p < k; p++) {
          s +=
            load<f32>(a + <usize>i * astep + ((<usize>p) << 2)) *
            load<f32>(b + <usize>p * bstep + ((<usize>q) << 2));
        }
        store<f32>(cq, s);
      }
    }
    return;
  }
  const mask = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(w));
  const zero = f32x4.splat(0);
  let a0 = a;
  let c0 = c;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a1 = a0 + astep;
    const a2 = a1 + astep;
    const a3 = a2 + astep;
    let s0 = zero;
    let s1 = zero;
    let s2 = zero;
    let s3 = zero;
    let bp = b;
    for (let po: usize = 0; po < kb; po += 4) {
      const b0 = v128.and(v128.load(bp), mask);
      s0 = madd(v128.load32_splat(a0 + po), b0, s0);
      s1 = madd(v128.load32_splat(a1 + po), b0, s1);
      s2 = madd(v128.load32_splat(a2 + po), b0, s2);
      s3 = madd(v128.load32_splat(a3 + po), b0, s3);
      bp += bstep;
    }
    addLanes(c0, s0, w);
    addLanes(c0 + cstep, s1, w);
    addLanes(c0 + 2 * cstep, s2, w);
    addLanes(c0 + 3 * cstep, s3, w);
    a0 = a3 + astep;
    c0 += 4 * cstep;
  }
  for (; i < m; i++) {
    let s0 = zero;
    let bp = b;
    for (let po: usize = 0; po < kb; po += 4) {
      s0 = madd(v128.load32_splat(a0 + po), v128.and(v128.load(bp), mask), s0);
      bp += bstep;
    }
    addLanes(c0, s0, w);
    a0 += astep;
    c0 += cstep;
  }
}

/**
 * dst[cols, rows] = src[rows, cols]ᵀ, in 4 × 4 blocks transposed in registers; dst's rows are ldd
 * floats apart (ldd ≥ rows).
 */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32, ldd: i32): void {
  const rs = (<usize>ldd) << 2;
  const cs = (<usize>cols) << 2;
  const c4 = cols & ~3;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const s0 = src + <usize>r * cs;
    const d0 = dst + ((<usize>r) << 2);
    for (let c = 0; c < c4; c += 4) {
      const co = (<usize>c) << 2;
      const x0 = v128.load(s0 + co);
      const x1 = v128.load(s0 + cs + co);
      const x2 = v128.load(s0 + 2 * cs + co);
      const x3 = v128.load(s0 + 3 * cs + co);
      // [a0 b0 a1 b1], [a2 b2 a3 b3], [c0 d0 c1 d1], [c2 d2 c3 d3]
      const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
      const d = d0 + <usize>c * rs;
      v128.store(d, i64x2.shuffle(t0, t2, 0, 2));
      v128.store(d + rs, i64x2.shuffle(t0, t2, 1, 3));
      v128.store(d + 2 * rs, i64x2.shuffle(t1, t3, 0, 2));
      v128.store(d + 3 * rs, i64x2.shuffle(t1, t3, 1, 3));
    }
    for (let c = c4; c < cols; c++) {
      for (let q = r; q < r + 4; q++) {
        store<f32>(
          dst + ((<usize>(c * ldd + q)) << 2),
          load<f32>(src + ((<usize>(q * cols + c)) << 2)),
        );
      }
    }
  }
  for (; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(
        dst + ((<usize>(c * ldd + r)) << 2),
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
// Vectorised exp: range reduction and the Cephes expf polynomial (about 1 ulp).
// ---------------------------------------------------------------------------------------------
/**
 * The constants of {@link expAct}, splat from memory: V8 builds every v128 constant afresh at each
 * use, in 3 instructions, even inside loops. Static data sits below 64 KiB, which the JavaScript
 * side (src/wasm/wasm-kernel.ts, HEAP_BASE) leaves to the module.
 */
const EXP_CONSTANTS: usize = memory.data<f32>([
  -87.0,
  88.0,
  <f32>Math.LOG2E,
  12582912.0, // 1.5·2^23
  0.693359375,
  -2.1219444e-4,
  1.98756915e-4,
  1.3981999507e-3,
  8.3334519073e-3,
  4.1665795894e-2,
  1.6666665459e-1,
  5.0000001201e-1,
  1.0,
]);
/** The bits of 1.5·2^23 less the exponent bias. */
const EXP_BIAS: usize = memory.data<i32>([0x4b400000 - 127]);

/**
 * In place, for i < n4 (a multiple of 4): p[i] = a - b / (1 + exp(scale · p[i])). Sigmoid is
 * (0, -1, -1), tanh (1, 2, 2). One loop with the whole computation in its body and no branch: no
 * call per vector, and every constant one load.
 */
function expAct(p: usize, n4: i32, scale: f32, a: f32, b: f32): void {
  const k = EXP_CONSTANTS;
  const end = p + ((<usize>n4) << 2);
  for (let q = p; q < end; q += 16) {
    // pmin/pmax are one instruction each on x64; min/max need NaN and signed-zero fix-ups
    const x = f32x4.pmin(
      f32x4.pmax(f32x4.mul(v128.load(q), f32x4.splat(scale)), v128.load32_splat(k)),
      v128.load32_splat(k, 4),
    );
    // n = round(x·log2 e): adding 1.5·2^23 rounds to an integer and leaves it in the low bits
    const shifted = madd(x, v128.load32_splat(k, 8), v128.load32_splat(k, 12));
    const n = f32x4.sub(shifted, v128.load32_splat(k, 12));
    let r = nmadd(n, v128.load32_splat(k, 16), x);
    r = nmadd(n, v128.load32_splat(k, 20), r);
    let y = v128.load32_splat(k, 24);
    y = madd(y, r, v128.load32_splat(k, 28));
    y = madd(y, r, v128.load32_splat(k, 32));
    y = madd(y, r, v128.load32_splat(k, 36));
    y = madd(y, r, v128.load32_splat(k, 40));
    y = madd(y, r, v128.load32_splat(k, 44));
    const one = v128.load32_splat(k, 48);
    y = f32x4.add(madd(y, f32x4.mul(r, r), r), one);
    // 2^n: n + 127 in the exponent field
    const e = i32x4.shl(i32x4.sub(shifted, v128.load32_splat(EXP_BIAS)), 23);
    const d = madd(y, e, one);
    v128.store(q, f32x4.sub(f32x4.splat(a), f32x4.div(f32x4.splat(b), d)));
  }
}

function vderivative(y: v128, kind: i32): v128 {
  const one = vone();
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

/** Lane constants splat from memory (see EXP_CONSTANTS): |x| mask, FLUSH_BELOW, 1.0f. */
const LANE_CONSTANTS: usize = memory.data<i32>([0x7fffffff, FLUSH_BELOW, 0x3f800000]);

/** 1.0 in every lane, one load (V8 builds an f32x4.splat constant in 3 instructions per use). */
function vone(): v128 {
  return v128.load32_splat(LANE_CONSTANTS, 8);
}

/** x, or 0 where |x| < 2^-96. */
function flush(x: f32): f32 {
  return (reinterpret<i32>(x) & 0x7fffffff) < FLUSH_BELOW ? 0 : x;
}

/** v lane by lane, with 0 where |v| < 2^-96. */
function vflush(v: v128): v128 {
  const magnitude = v128.and(v, v128.load32_splat(LANE_CONSTANTS));
  return v128.and(v, i32x4.ge_s(magnitude, v128.load32_splat(LANE_CONSTANTS, 4)));
}

function vl(p: usize, i: i32): v128 {
  return v128.load(p + ((<usize>i) << 2));
}

function vs(p: usize, i: i32, v: v128): void {
  v128.store(p + ((<usize>i) << 2), v);
}

/**
 * Copies `rows` rows of `cols` floats from src (rows srcStride floats apart) to dst (rows
 * dstStride apart). The time loops gather the step's rows of the states, or of the gate
 * gradients, into a small contiguous buffer before a step's product: in place they lie a
 * sequence (T·H or T·ldg floats) apart, often a multiple of 4 KiB, and rows that far apart fall
 * into the same few L1 cache sets (the product's left operand ran 5-25% slower there).
 */
function gatherRows(
  src: usize,
  srcStride: i32,
  dst: usize,
  dstStride: i32,
  rows: i32,
  cols: i32,
): void {
  const bytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(
      dst + ((<usize>(r * dstStride)) << 2),
      src + ((<usize>(r * srcStride)) << 2),
      bytes,
    );
  }
}

/** In place: p[0..n) = act(p[0..n)). */
function actRange(p: usize, n: i32, kind: i32): void {
  if (kind === 0) return;
  const n4 = n & ~3;
  const end = p + ((<usize>n4) << 2);
  const one = f32x4.splat(1.0);
  if (kind === 2) {
    // sigmoid(x) = 1 / (1 + exp(-x))
    expAct(p, n4, -1.0, 0.0, -1.0);
  } else if (kind === 1) {
    // tanh(x) = 1 - 2 / (1 + exp(2x))
    expAct(p, n4, 2.0, 1.0, 2.0);
  } else if (kind === 3) {
    const zero = f32x4.splat(0.0);
    const slope = f32x4.splat(0.2);
    const half = f32x4.splat(0.5);
    for (let q = p; q < end; q += 16) {
      const y = f32x4.add(f32x4.mul(v128.load(q), slope), half);
      v128.store(q, f32x4.pmin(f32x4.pmax(y, zero), one));
    }
  } else if (kind === 4) {
    const zero = f32x4.splat(0.0);
    for (let q = p; q < end; q += 16) v128.store(q, f32x4.pmax(v128.load(q), zero));
  }
  for (let j = n4; j < n; j++) put(p, j, activate(f(p, j), kind));
}

// ---------------------------------------------------------------------------------------------
// SimpleRNN: h = act(xp + h_prev·U). Gates are hs itself. hbuf [B,H] scratch: the last step's
// states, gathered (see gatherRows); the backward's dgbuf [B,ldg] likewise holds a step's dg.
// ---------------------------------------------------------------------------------------------
export function rnnForward(
  xp: usize,
  u: usize,
  ldu: i32,
  hs: usize,
  hbuf: usize,
  mask: usize,
  T: i32,
  B: i32,
  H: i32,
  act: i32,
): void {
  for (let t = 0; t < T; t++) {
    const pre = xp + ((<usize>(t * H)) << 2);
    if (t > 0) gemm(hbuf, H, u, ldu, pre, T * H, B, H, H, 1);
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
    gatherRows(hs + ((<usize>(t * H)) << 2), T * H, hbuf, H, B, H);
  }
}

/**
 * dhs [B,T,H] in: gradient on every output state; overwritten. dg [B,T,H] out, rows ldg floats
 * apart. uT [H,H], rows lduT floats apart.
 */
export function rnnBackward(
  hs: usize,
  dhs: usize,
  uT: usize,
  lduT: i32,
  dg: usize,
  ldg: i32,
  dgbuf: usize,
  mask: usize,
  T: i32,
  B: i32,
  H: i32,
  act: i32,
): void {
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const row = b * T * H + t * H;
      const drow = (b * T + t) * ldg;
      const on = keep(mask, b * T + t);
      let j0 = 0;
      if (on) {
        for (; j0 + 4 <= H; j0 += 4) {
          const dh = vl(dhs, row + j0);
          vs(dg, drow + j0, vflush(f32x4.mul(dh, vderivative(vl(hs, row + j0), act))));
        }
      }
      for (let j = j0; j < H; j++) {
        const idx = row + j;
        const dh = flush(f(dhs, idx));
        if (on) put(dg, drow + j, flush(dh * derivative(f(hs, idx), act)));
        else {
          put(dg, drow + j, 0);
          if (t > 0) put(dhs, idx - H, f(dhs, idx - H) + dh);
        }
      }
    }
    if (t > 0) {
      gatherRows(dg + ((<usize>(t * ldg)) << 2), T * ldg, dgbuf, ldg, B, H);
      gemm(dgbuf, ldg, uT, lduT, dhs + ((<usize>((t - 1) * H)) << 2), T * H, B, H, H, 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// LSTM, Keras gate order i, f, c, o: xp [B,T,4H] becomes the activated gates in place.
// cs [B,T,H] cell states, ac [B,T,H] act(c), hs [B,T,H]; hbuf [B,H] scratch (see gatherRows).
// ---------------------------------------------------------------------------------------------
export function lstmForward(
  xp: usize,
  u: usize,
  ldu: i32,
  hs: usize,
  hbuf: usize,
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
    if (t > 0) gemm(hbuf, H, u, ldu, xp + ((<usize>(t * G)) << 2), T * G, B, H, G, 1);
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
        let j1 = 0;
        for (; j1 + 4 <= H; j1 += 4) {
          vs(hs, row + j1, f32x4.mul(vl(xp, grow + 3 * H + j1), vl(ac, row + j1)));
        }
        for (; j1 < H; j1++) put(hs, row + j1, f(xp, grow + 3 * H + j1) * f(ac, row + j1));
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
    gatherRows(hs + ((<usize>(t * H)) << 2), T * H, hbuf, H, B, H);
  }
}

/**
 * dhs [B,T,H] in (overwritten), dc [B,H] in: gradient on the last cell state (overwritten).
 * dg [B,T,4H] out: gradient on the pre-activation gates, rows ldg floats apart. uT [4H,H], rows
 * lduT floats apart. dgbuf [B,ldg] scratch (see gatherRows).
 */
export function lstmBackward(
  gates: usize,
  cs: usize,
  ac: usize,
  dhs: usize,
  dc: usize,
  uT: usize,
  lduT: i32,
  dg: usize,
  ldg: i32,
  dgbuf: usize,
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
      const drow = (b * T + t) * ldg;
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
          vs(dg, drow + j0, vflush(f32x4.mul(f32x4.mul(dct, gc), vderivative(gi, ract))));
          vs(dg, drow + H + j0, vflush(f32x4.mul(f32x4.mul(dct, cPrev), vderivative(gf, ract))));
          vs(dg, drow + 2 * H + j0, vflush(f32x4.mul(f32x4.mul(dct, gi), vderivative(gc, act))));
          vs(dg, drow + 3 * H + j0, vflush(f32x4.mul(f32x4.mul(dh, a), vderivative(go, ract))));
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
          put(dg, drow + j, flush(dct * gc * derivative(gi, ract)));
          put(dg, drow + H + j, flush(dct * cPrev * derivative(gf, ract)));
          put(dg, drow + 2 * H + j, flush(dct * gi * derivative(gc, act)));
          put(dg, drow + 3 * H + j, flush(dh * a * derivative(go, ract)));
          put(dc, b * H + j, flush(dct * gf));
        } else {
          put(dg, drow + j, 0);
          put(dg, drow + H + j, 0);
          put(dg, drow + 2 * H + j, 0);
          put(dg, drow + 3 * H + j, 0);
          if (t > 0) put(dhs, idx - H, f(dhs, idx - H) + dh);
        }
      }
    }
    if (t > 0) {
      gatherRows(dg + ((<usize>(t * ldg)) << 2), T * ldg, dgbuf, ldg, B, G);
      gemm(dgbuf, ldg, uT, lduT, dhs + ((<usize>((t - 1) * H)) << 2), T * H, B, G, H, 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// GRU, Keras gate order z, r, h. resetAfter = 1: n = act(xp_h + r * (h_prev·U_h + brec_h)), the
// Keras 2 / PyTorch form; resetAfter = 0: n = act(xp_h + (r * h_prev)·U_h). h = z h_prev + (1-z) n.
// xp [B,T,3H] becomes the activated gates (z, r, n) in place. aux [B,T,H]: h_prev·U_h + brec_h
// (resetAfter) or r * h_prev (not). rec [B,3H] and hbuf [B,H] scratch.
// ---------------------------------------------------------------------------------------------
export function gruForward(
  xp: usize,
  u: usize,
  ldu: i32,
  brec: usize,
  hs: usize,
  hbuf: usize,
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
  const zero = f32x4.splat(0.0);
  for (let t = 0; t < T; t++) {
    if (resetAfter) {
      for (let b = 0; b < B; b++) memory.copy(rec + ((<usize>(b * G)) << 2), brec, (<usize>G) << 2);
      if (t > 0) gemm(hbuf, H, u, ldu, rec, G, B, H, G, 1);
    } else if (t > 0) {
      gemm(hbuf, H, u, ldu, xp + ((<usize>(t * G)) << 2), T * G, B, H, 2 * H, 1);
    }
    for (let b = 0; b < B; b++) {
      const grow = b * T * G + t * G;
      const row = b * T * H + t * H;
      if (resetAfter) {
        // z and r pre-activations: xp + the recurrent part (both 2H wide, side by side)
        let j = 0;
        for (; j + 4 <= 2 * H; j += 4) {
          vs(xp, grow + j, f32x4.add(vl(xp, grow + j), vl(rec, b * G + j)));
        }
        for (; j < 2 * H; j++) put(xp, grow + j, f(xp, grow + j) + f(rec, b * G + j));
      }
      actRange(xp + ((<usize>grow) << 2), 2 * H, ract);
      if (resetAfter) {
        memory.copy(
          aux + ((<usize>row) << 2),
          rec + ((<usize>(b * G + 2 * H)) << 2),
          (<usize>H) << 2,
        );
      } else if (t > 0) {
        let j = 0;
        for (; j + 4 <= H; j += 4) {
          vs(aux, row + j, f32x4.mul(vl(xp, grow + H + j), vl(hs, row + j - H)));
        }
        for (; j < H; j++) put(aux, row + j, f(xp, grow + H + j) * f(hs, row + j - H));
      } else {
        memory.fill(aux + ((<usize>row) << 2), 0, (<usize>H) << 2);
      }
    }
    if (!resetAfter && t > 0) {
      gemm(
        aux + ((<usize>(t * H)) << 2),
        T * H,
        u + ((<usize>(2 * H)) << 2),
        ldu,
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
      if (!on) {
        if (t > 0)
          memory.copy(hs + ((<usize>row) << 2), hs + ((<usize>(row - H)) << 2), (<usize>H) << 2);
        else memory.fill(hs + ((<usize>row) << 2), 0, (<usize>H) << 2);
        continue;
      }
      if (resetAfter) {
        let j = 0;
        for (; j + 4 <= H; j += 4) {
          const q = grow + 2 * H + j;
          vs(xp, q, f32x4.add(vl(xp, q), f32x4.mul(vl(xp, grow + H + j), vl(aux, row + j))));
        }
        for (; j < H; j++) {
          const q = grow + 2 * H + j;
          put(xp, q, f(xp, q) + f(xp, grow + H + j) * f(aux, row + j));
        }
      }
      actRange(xp + ((<usize>(grow + 2 * H)) << 2), H, act);
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const hp = t > 0 ? vl(hs, row + j - H) : zero;
        const z = vl(xp, grow + j);
        const n = vl(xp, grow + 2 * H + j);
        vs(hs, row + j, f32x4.add(f32x4.mul(z, hp), f32x4.mul(f32x4.sub(vone(), z), n)));
      }
      for (; j < H; j++) {
        const hp: f32 = t > 0 ? f(hs, row + j - H) : 0;
        const z = f(xp, grow + j);
        put(hs, row + j, z * hp + (<f32>1 - z) * f(xp, grow + 2 * H + j));
      }
    }
    gatherRows(hs + ((<usize>(t * H)) << 2), T * H, hbuf, H, B, H);
  }
}

/**
 * dhs [B,T,H] in (overwritten). dgx [B,T,3H] out: gradient on xp. dgr [B,T,3H] out: gradient on
 * the recurrent pre-activations (h_prev·U + brec for resetAfter; for not, the z and r columns of
 * h_prev·U and the h columns of (r h_prev)·U_h). dgx and dgr rows ldg floats apart. dgbuf [B,ldg]
 * and dtmp [B,H] scratch. uT [3H,H], rows lduT floats apart.
 */
export function gruBackward(
  gates: usize,
  hs: usize,
  aux: usize,
  dhs: usize,
  uT: usize,
  lduT: i32,
  dgx: usize,
  dgr: usize,
  ldg: i32,
  dgbuf: usize,
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
      const drow = (b * T + t) * ldg;
      const row = b * T * H + t * H;
      const on = keep(mask, b * T + t);
      let j0 = 0;
      if (on) {
        const one = vone();
        for (; j0 + 4 <= H; j0 += 4) {
          const idx = row + j0;
          const dh = vflush(vl(dhs, idx));
          const z = vl(gates, grow + j0);
          const r = vl(gates, grow + H + j0);
          const n = vl(gates, grow + 2 * H + j0);
          const hp = t > 0 ? vl(hs, idx - H) : f32x4.splat(0.0);
          const dpn = vflush(f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), vderivative(n, act)));
          const dpz = vflush(f32x4.mul(f32x4.mul(dh, f32x4.sub(hp, n)), vderivative(z, ract)));
          vs(dgx, drow + j0, dpz);
          vs(dgr, drow + j0, dpz);
          vs(dgx, drow + 2 * H + j0, dpn);
          if (resetAfter) {
            const dpr = vflush(f32x4.mul(f32x4.mul(dpn, vl(aux, idx)), vderivative(r, ract)));
            vs(dgx, drow + H + j0, dpr);
            vs(dgr, drow + H + j0, dpr);
            vs(dgr, drow + 2 * H + j0, vflush(f32x4.mul(dpn, r)));
          } else {
            vs(dgr, drow + 2 * H + j0, dpn);
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
          put(dgx, drow + j, dpz);
          put(dgr, drow + j, dpz);
          put(dgx, drow + 2 * H + j, dpn);
          if (resetAfter) {
            const dpr = flush(dpn * f(aux, idx) * derivative(r, ract));
            put(dgx, drow + H + j, dpr);
            put(dgr, drow + H + j, dpr);
            put(dgr, drow + 2 * H + j, flush(dpn * r));
          } else {
            put(dgr, drow + 2 * H + j, dpn);
          }
          if (t > 0) put(dhs, idx - H, f(dhs, idx - H) + dh * z);
        } else {
          for (let q = 0; q < 3; q++) {
            put(dgx, drow + q * H + j, 0);
            put(dgr, drow + q * H + j, 0);
          }
          if (t > 0) put(dhs, idx - H, f(dhs, idx - H) + dh);
        }
      }
    }
    if (!resetAfter) {
      // d(r h_prev) = dpn · U_hᵀ, then dr and the direct path to h_prev.
      gemm(
        dgr + ((<usize>(t * ldg + 2 * H)) << 2),
        T * ldg,
        uT + ((<usize>(2 * H * lduT)) << 2),
        lduT,
        dtmp,
        H,
        B,
        H,
        H,
        0,
      );
      for (let b = 0; b < B; b++) {
        const grow = b * T * G + t * G;
        const drow = (b * T + t) * ldg;
        const row = b * T * H + t * H;
        if (!keep(mask, b * T + t)) continue;
        let j0 = 0;
        for (; j0 + 4 <= H; j0 += 4) {
          const drh = vflush(vl(dtmp, b * H + j0));
          const hp = t > 0 ? vl(hs, row + j0 - H) : f32x4.splat(0.0);
          const r = vl(gates, grow + H + j0);
          const dpr = vflush(f32x4.mul(f32x4.mul(drh, hp), vderivative(r, ract)));
          vs(dgx, drow + H + j0, dpr);
          vs(dgr, drow + H + j0, dpr);
          if (t > 0) vs(dhs, row + j0 - H, f32x4.add(vl(dhs, row + j0 - H), f32x4.mul(drh, r)));
        }
        for (let j = j0; j < H; j++) {
          const drh = flush(f(dtmp, b * H + j));
          const hp: f32 = t > 0 ? f(hs, row + j - H) : 0;
          const r = f(gates, grow + H + j);
          const dpr = flush(drh * hp * derivative(r, ract));
          put(dgx, drow + H + j, dpr);
          put(dgr, drow + H + j, dpr);
          if (t > 0) put(dhs, row + j - H, f(dhs, row + j - H) + drh * r);
        }
      }
      if (t > 0) {
        gatherRows(dgr + ((<usize>(t * ldg)) << 2), T * ldg, dgbuf, ldg, B, 2 * H);
        gemm(dgbuf, ldg, uT, lduT, dhs + ((<usize>((t - 1) * H)) << 2), T * H, B, 2 * H, H, 1);
      }
    } else if (t > 0) {
      gatherRows(dgr + ((<usize>(t * ldg)) << 2), T * ldg, dgbuf, ldg, B, G);
      gemm(dgbuf, ldg, uT, lduT, dhs + ((<usize>((t - 1) * H)) << 2), T * H, B, G, H, 1);
    }
  }
}
