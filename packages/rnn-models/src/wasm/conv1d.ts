import type * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from '../errors';
import { heapKernels, heapOffset } from './heap-kernels';
import { allocate, release, view } from './kernel-io';
import type { HeapExports, Ptr, WasmExports } from './wasm-exports';
import { type FusedWasm, getFusedWasm } from './wasm-kernel';

/**
 * A `conv2d` that is a 1-D convolution along the width (what `tf.conv1d` and `Conv1D` run):
 * `batch` rows of `inWidth` steps of `inChannels` values, padded by `left` steps (and by
 * `width - left - inWidth` on the right) into `width = outWidth + filterWidth - 1` steps, then a
 * 'valid' convolution with stride 1.
 */
export interface Conv1dGeometry {
  batch: number;
  inWidth: number;
  width: number;
  left: number;
  outWidth: number;
  inChannels: number;
  filterWidth: number;
  outChannels: number;
}

/** Extra floats after buffers whose rows the kernels read past (see assembly/conv1d.ts). */
const SLACK = 8;

function kernels(): { wasm: FusedWasm; fns: WasmExports } | null {
  const wasm = getFusedWasm();
  return wasm ? { wasm, fns: wasm.exports } : null;
}

/**
 * Runs `body` on the kernel module after freeing its buffers; `false` (so the caller falls back
 * to its general path) where the module is unavailable or cannot grow its memory that far.
 */
function withKernels(body: (wasm: FusedWasm) => void): boolean {
  const k = kernels();
  if (!k) return false;
  try {
    k.wasm.reset();
    body(k.wasm);
    return true;
  } catch (error) {
    if (RnnModelsError.isInstance(error) && error.code === 'KERNEL_FAILED') return false;
    throw error;
  }
}

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

/** Fewer samples (or rows of a product) than these per thread, and a call stays on one thread. */
const MIN_SAMPLES = 4;
const MIN_ROWS = 256;
/**
 * Multiply-adds a share of a conv product must hold before it goes to another thread. Measured on
 * the 2-core VM of the benchmark: `har-conv1d`'s products (23M multiply-adds each, about 1.5 ms)
 * ran slower in two shares than in one (3,100-3,600 against 3,900-4,100 samples/s a step), while
 * the recurrent layers' much longer calls gain 1.4x; so only products of about 4 ms and more are
 * shared out.
 */
let minMacsPerShare = 2 ** 25;

/** Test hook: sets the multiply-adds a share must hold (so small tests reach the threads). */
export function setMinMacsPerShare(macs: number): number {
  const previous = minMacsPerShare;
  minMacsPerShare = macs;
  return previous;
}

/** Shares of the batch for a conv product of `macsPerSample` multiply-adds a sample. */
function batchShares(wasm: FusedWasm, batch: number, macsPerSample: number): [number, number][] {
  const minimum = Math.max(MIN_SAMPLES, Math.ceil(minMacsPerShare / Math.max(1, macsPerSample)));
  return wasm.split(batch, minimum);
}

/**
 * The whole range as one share: for the memory-bound kernels (pooling, sums, flushes, col2im),
 * which take well under a millisecond at the benchmark's sizes, less than a round trip to the
 * kernel threads costs (about 0.2 ms measured on a 2-core VM). They take ranges all the same, so
 * they can be shared out where that pays.
 */
const whole = (count: number): [number, number][] => [[0, count]];

/**
 * The conv1d geometry of a `conv2d`, or `null` unless it is one: channels last, filter height 1,
 * no padding along the height and one output row per input row, stride and dilation 1 along the
 * width.
 */
export function conv1dGeometry(info: tf.backend_util.Conv2DInfo): Conv1dGeometry | null {
  const { padInfo } = info;
  if (info.dataFormat !== 'channelsLast' || info.filterHeight !== 1) return null;
  if (info.strideWidth !== 1 || info.dilationWidth !== 1 || info.dilationHeight !== 1) return null;
  if (padInfo.top !== 0 || padInfo.bottom !== 0 || info.outHeight !== info.inHeight) return null;
  if (info.inHeight > 1 && info.strideHeight !== 1) return null;
  const width = info.outWidth + info.filterWidth - 1;
  if (padInfo.left < 0 || width < padInfo.left + info.inWidth) return null;
  if (!kernels()) return null;
  return {
    batch: info.batchSize * info.inHeight,
    inWidth: info.inWidth,
    width,
    left: padInfo.left,
    outWidth: info.outWidth,
    inChannels: info.inChannels,
    filterWidth: info.filterWidth,
    outChannels: info.outChannels,
  };
}

/** Copies x [batch, inWidth, f] into the module's memory padded to [batch, width, f] + slack. */
function putPadded(wasm: FusedWasm, ptr: Ptr, x: Float32Array, g: Conv1dGeometry): void {
  const { batch, inWidth, width, left, inChannels: f } = g;
  const dst = wasm.view(ptr, batch * width * f + SLACK);
  if (width === inWidth) {
    dst.set(x.subarray(0, batch * width * f));
  } else {
    for (let b = 0; b < batch; b++) {
      const row = b * width * f;
      dst.fill(0, row, row + left * f);
      dst.set(x.subarray(b * inWidth * f, (b + 1) * inWidth * f), row + left * f);
      dst.fill(0, row + (left + inWidth) * f, row + width * f);
    }
  }
  dst.fill(0, batch * width * f);
}

/**
 * The filter gradient `[K·F, C]` into `out` from the padded input at `xp` and the output gradient
 * at `dyp` (both in the module's memory): one partial gradient per share of the batch in
 * `partials` (each `roundUp(K·F, 4) × roundUp(C, 8)` floats, zeroed here), summed.
 */
function filterGradShares(
  wasm: FusedWasm,
  g: Conv1dGeometry,
  xp: Ptr,
  dyp: Ptr,
  ranges: [number, number][],
  partials: Ptr[],
  out: Float32Array,
): void {
  const { width, outWidth, inChannels: f, filterWidth, outChannels: c } = g;
  const kf = filterWidth * f;
  const ldw = roundUp(c, 8);
  const size = roundUp(kf, 4) * ldw;
  for (const dwp of partials) wasm.view(dwp, size).fill(0);
  let share = 0;
  wasm.shares('conv1dFilterGrad', ranges, (b0, n) => [
    xp + b0 * width * f * 4,
    dyp + b0 * outWidth * c * 4,
    partials[share++] as Ptr,
    n,
    width,
    outWidth,
    f,
    kf,
    c,
    ldw,
  ]);
  const total = wasm.view(partials[0] as Ptr, size);
  for (const dwp of partials.slice(1)) {
    const part = wasm.view(dwp, size);
    for (let i = 0; i < total.length; i++) total[i] += part[i] as number;
  }
  copyRows(total, ldw, out, c, kf);
}

/**
 * The filter gradient `[filterWidth·inChannels, outChannels]` (the `[1, K, F, C]` filter's
 * layout) of a conv1d with input `x` `[batch, inWidth, F]` and output gradient `dy`
 * `[batch, outWidth, C]`, written into `out`; `false` when the wasm kernels are unavailable or
 * out of memory.
 */
export function conv1dFilterGradInto(
  x: Float32Array,
  dy: Float32Array,
  g: Conv1dGeometry,
  out: Float32Array,
): boolean {
  return withKernels((wasm) => {
    const { batch, width, outWidth, inChannels: f, filterWidth, outChannels: c } = g;
    const kf = filterWidth * f;
    const kfp = roundUp(kf, 4);
    const ldw = roundUp(c, 8);
    const ranges = batchShares(wasm, batch, outWidth * kf * c);
    const xp = wasm.alloc(batch * width * f + SLACK);
    const dyp = wasm.alloc(batch * outWidth * c + SLACK);
    // One partial gradient per share of the batch, summed below.
    const partials = ranges.map(() => wasm.alloc(kfp * ldw));
    putPadded(wasm, xp, x, g);
    const dyv = wasm.view(dyp, batch * outWidth * c + SLACK);
    dyv.set(dy.subarray(0, batch * outWidth * c));
    dyv.fill(0, batch * outWidth * c);
    wasm.shares('conv1dFlush', whole(batch), (b0, n) => [
      dyp + b0 * outWidth * c * 4,
      n * outWidth * c,
    ]);
    filterGradShares(wasm, g, xp, dyp, ranges, partials, out);
  });
}

/**
 * The output `[batch, outWidth, C]` of a conv1d (no bias) with input `x` `[batch, inWidth, F]`
 * and filter `w` `[K·F, C]`, written into `out`; `false` when the wasm kernels are unavailable
 * or out of memory.
 */
export function conv1dForwardInto(
  x: Float32Array,
  w: Float32Array,
  g: Conv1dGeometry,
  out: Float32Array,
): boolean {
  return withKernels((wasm) => {
    const { batch, width, outWidth, inChannels: f, filterWidth, outChannels: c } = g;
    const kf = filterWidth * f;
    const ldw = roundUp(c, 8);
    const xp = wasm.alloc(batch * width * f + SLACK);
    const wp = wasm.alloc(kf * ldw);
    const yp = wasm.alloc(batch * outWidth * ldw);
    putPadded(wasm, xp, x, g);
    copyRows(w, c, wasm.view(wp, kf * ldw), ldw, kf, true);
    wasm.shares('conv1dForward', batchShares(wasm, batch, outWidth * kf * c), (b0, n) => [
      xp + b0 * width * f * 4,
      wp,
      yp + b0 * outWidth * ldw * 4,
      n,
      width,
      outWidth,
      f,
      kf,
      ldw,
    ]);
    copyRows(wasm.view(yp, batch * outWidth * ldw), ldw, out, c, batch * outWidth);
  });
}

/**
 * A whole Conv1D forward pass (what `FusedConv1D` runs): `act(conv1d(x, w) + bias)` with input
 * `x` `[batch, inWidth, F]`, filter `w` `[K·F, C]`, `bias` `[C]` or `null` and `relu` (else the
 * identity), written into `out` `[batch, outWidth, C]`; `false` when the wasm kernels are
 * unavailable or out of memory.
 */
export function conv1dBiasActInto(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  relu: boolean,
  g: Conv1dGeometry,
  out: Float32Array,
): boolean {
  return withKernels((wasm) => {
    const { batch, width, outWidth, inChannels: f, filterWidth, outChannels: c } = g;
    const kf = filterWidth * f;
    const ldw = roundUp(c, 8);
    const xp = wasm.alloc(batch * width * f + SLACK);
    const wp = wasm.alloc(kf * ldw);
    const yp = wasm.alloc(batch * outWidth * ldw);
    const bp = wasm.alloc(ldw);
    putPadded(wasm, xp, x, g);
    copyRows(w, c, wasm.view(wp, kf * ldw), ldw, kf, true);
    const bv = wasm.view(bp, ldw);
    bv.fill(0);
    if (bias) bv.set(bias.subarray(0, c));
    // the bias and the activation are applied in the kernel's register blocks, before the store
    wasm.shares('conv1dForwardBiasAct', batchShares(wasm, batch, outWidth * kf * c), (b0, n) => [
      xp + b0 * width * f * 4,
      wp,
      yp + b0 * outWidth * ldw * 4,
      n,
      width,
      outWidth,
      f,
      kf,
      ldw,
      bp,
      bias ? 1 : 0,
      relu ? 1 : 0,
    ]);
    copyRows(wasm.view(yp, batch * outWidth * ldw), ldw, out, c, batch * outWidth);
  });
}

/**
 * The weight gradients of a Conv1D forward pass `y = act(conv1d(x, w) + bias)` in one call (what
 * `FusedConv1D`'s backward pass runs): `dy` masked by `y > 0` where `relu` (the pre-activation
 * gradient dz), the bias gradient `Σ dz` into `db` (when not `null`) and the filter gradient
 * `[K·F, C]` into `dw`; `dz` (when not `null`) receives dz `[batch, outWidth, C]` for the input
 * gradient. `false` when the wasm kernels are unavailable or out of memory.
 */
export function conv1dBackwardInto(
  x: Float32Array,
  dy: Float32Array,
  y: Float32Array,
  relu: boolean,
  g: Conv1dGeometry,
  out: { dw: Float32Array; db: Float32Array | null; dz: Float32Array | null },
): boolean {
  return withKernels((wasm) => {
    const { batch, width, outWidth, inChannels: f, filterWidth, outChannels: c } = g;
    const kf = filterWidth * f;
    const kfp = roundUp(kf, 4);
    const ldw = roundUp(c, 8);
    const rows = batch * outWidth;
    const ranges = batchShares(wasm, batch, outWidth * kf * c);
    const xp = wasm.alloc(batch * width * f + SLACK);
    const dyp = wasm.alloc(rows * c + SLACK);
    const yp = relu ? wasm.alloc(rows * c) : 0;
    const dbp = wasm.alloc(ldw);
    const partials = ranges.map(() => wasm.alloc(kfp * ldw));
    putPadded(wasm, xp, x, g);
    const dyv = wasm.view(dyp, rows * c + SLACK);
    dyv.set(dy.subarray(0, rows * c));
    dyv.fill(0, rows * c);
    if (relu) wasm.view(yp, rows * c).set(y.subarray(0, rows * c));
    // dz = dy · act'(y), flushed, and db = Σ dz in one pass
    wasm.shares('conv1dActGrad', whole(rows), (r0, n) => [
      dyp + r0 * c * 4,
      yp + r0 * c * 4,
      dbp,
      n,
      c,
      out.db ? 1 : 0,
      relu ? 1 : 0,
    ]);
    filterGradShares(wasm, g, xp, dyp, ranges, partials, out.dw);
    if (out.db) out.db.set(wasm.view(dbp, c));
    if (out.dz) out.dz.set(wasm.view(dyp, rows * c));
  });
}

/**
 * The input gradient `[batch, inWidth, F]` of a conv1d with filter `w` `[K·F, C]` and output
 * gradient `dy` `[batch, outWidth, C]`, written into `out`: `dy · wᵀ` then a col2im; `false`
 * when the wasm kernels are unavailable. With `reluOutput` (the output y of a relu after the
 * convolution, `[batch, outWidth, C]`), dy is first masked by y > 0: the input gradient of
 * relu(conv1d(x, w) + b).
 */
export function conv1dInputGradInto(
  dy: Float32Array,
  w: Float32Array,
  g: Conv1dGeometry,
  out: Float32Array,
  reluOutput: Float32Array | null = null,
): boolean {
  return withKernels((wasm) => {
    const { batch, inWidth, width, left, outWidth, inChannels: f, filterWidth } = g;
    const c = g.outChannels;
    const kf = filterWidth * f;
    const ldg = roundUp(kf, 8);
    const rows = batch * outWidth;
    const dyp = wasm.alloc(rows * c + SLACK);
    const yp = reluOutput ? wasm.alloc(rows * c) : 0;
    const wtp = wasm.alloc(c * ldg);
    const gp = wasm.alloc(rows * ldg);
    const dxp = wasm.alloc(batch * width * f);
    wasm.view(dyp, rows * c).set(dy.subarray(0, rows * c));
    if (reluOutput) {
      // dy masked by the relu's output (y > 0) and flushed, in one pass
      wasm.view(yp, rows * c).set(reluOutput.subarray(0, rows * c));
      wasm.shares('conv1dActGrad', whole(rows), (r0, n) => [
        dyp + r0 * c * 4,
        yp + r0 * c * 4,
        0,
        n,
        c,
        0,
        1,
      ]);
    } else {
      wasm.shares('conv1dFlush', whole(rows), (r0, n) => [dyp + r0 * c * 4, n * c]);
    }
    const wt = wasm.view(wtp, c * ldg);
    wt.fill(0);
    for (let q = 0; q < kf; q++) for (let j = 0; j < c; j++) wt[j * ldg + q] = w[q * c + j];
    // g [rows, ldg] = dy [rows, c] · wᵀ [c, ldg]: a conv1d of one tap over all rows at once.
    wasm.shares(
      'conv1dForward',
      wasm.split(rows, Math.max(MIN_ROWS, Math.ceil(minMacsPerShare / (c * kf)))),
      (r0, n) => [dyp + r0 * c * 4, wtp, gp + r0 * ldg * 4, 1, n, n, c, c, ldg],
    );
    wasm.shares('conv1dCol2Im', whole(batch), (b0, n) => [
      gp + b0 * outWidth * ldg * 4,
      dxp + b0 * width * f * 4,
      n,
      width,
      outWidth,
      f,
      filterWidth,
      ldg,
    ]);
    const dx = wasm.view(dxp, batch * width * f);
    if (width === inWidth) {
      out.set(dx.subarray(0, batch * inWidth * f));
    } else {
      for (let b = 0; b < batch; b++) {
        const from = (b * width + left) * f;
        out.set(dx.subarray(from, from + inWidth * f), b * inWidth * f);
      }
    }
  });
}

/**
 * The gradient `[batch, length, C]` of a 1-D max pooling over `x` `[batch, length, C]` (windows of
 * `pool` steps every `stride` steps from step `-pad`) given `dy` `[batch, outLength, C]`, written
 * into `out`; `false` when the wasm kernels are unavailable or out of memory.
 */
export function maxPool1dGradInto(
  x: Float32Array,
  dy: Float32Array,
  shape: { batch: number; length: number; outLength: number; channels: number },
  window: { pool: number; stride: number; pad: number },
  out: Float32Array,
): boolean {
  return withKernels((wasm) => {
    const { batch, length, outLength, channels } = shape;
    const size = batch * length * channels;
    const outSize = batch * outLength * channels;
    const xp = wasm.alloc(size);
    const dyp = wasm.alloc(outSize);
    const dxp = wasm.alloc(size);
    wasm.view(xp, size).set(x.subarray(0, size));
    wasm.view(dyp, outSize).set(dy.subarray(0, outSize));
    wasm.shares('maxPool1dGrad', whole(batch), (b0, n) => [
      xp + b0 * length * channels * 4,
      dyp + b0 * outLength * channels * 4,
      dxp + b0 * length * channels * 4,
      n,
      length,
      outLength,
      channels,
      window.pool,
      window.stride,
      window.pad,
    ]);
    out.set(wasm.view(dxp, size));
  });
}

/**
 * The sums over the middle axis of `x` seen as `[outer, rows, cols]` (a `sum` over a run of
 * axes that is not the last one), written into `out` `[outer, cols]`; `false` when the wasm
 * kernels are unavailable.
 */
export function sumRowsInto(
  x: Float32Array,
  shape: { outer: number; rows: number; cols: number },
  out: Float32Array,
): boolean {
  return withKernels((wasm) => {
    const { outer, rows, cols } = shape;
    const xp = wasm.alloc(outer * rows * cols);
    if (outer > 1) {
      const outp = wasm.alloc(outer * cols);
      wasm.view(xp, outer * rows * cols).set(x.subarray(0, outer * rows * cols));
      wasm.shares('sumRows', whole(outer), (o0, n) => [
        xp + o0 * rows * cols * 4,
        outp + o0 * cols * 4,
        n,
        rows,
        cols,
      ]);
      out.set(wasm.view(outp, outer * cols));
      return;
    }
    // One row block per thread, each with its own partial sums.
    const ranges = whole(rows);
    const partials = ranges.map(() => wasm.alloc(cols));
    wasm.view(xp, rows * cols).set(x.subarray(0, rows * cols));
    let share = 0;
    wasm.shares('sumRows', ranges, (r0, n) => [xp + r0 * cols * 4, partials[share++], 1, n, cols]);
    out.set(wasm.view(partials[0], cols));
    for (const part of partials.slice(1)) {
      const values = wasm.view(part, cols);
      for (let j = 0; j < cols; j++) out[j] += values[j];
    }
  });
}

/**
 * A 1-D max pooling of `x` `[batch, length, C]` (windows of `pool` steps every `stride` steps
 * from step `-pad`) written into `out` `[batch, outLength, C]`; `false` when the wasm kernels are
 * unavailable.
 */
export function maxPool1dInto(
  x: Float32Array,
  shape: { batch: number; length: number; outLength: number; channels: number },
  window: { pool: number; stride: number; pad: number },
  out: Float32Array,
): boolean {
  return withKernels((wasm) => {
    const { batch, length, outLength, channels } = shape;
    const size = batch * length * channels;
    const outSize = batch * outLength * channels;
    const xp = wasm.alloc(size);
    const yp = wasm.alloc(outSize);
    wasm.view(xp, size).set(x.subarray(0, size));
    const { pool, stride, pad } = window;
    wasm.shares('maxPool1d', whole(batch), (b0, n) => [
      xp + b0 * length * channels * 4,
      yp + b0 * outLength * channels * 4,
      n,
      length,
      outLength,
      channels,
      pool,
      stride,
      pad,
    ]);
    out.set(wasm.view(yp, outSize));
  });
}

/** Copies `rows` rows of `cols` floats between buffers of different row strides. */
function copyRows(
  src: Float32Array,
  srcStride: number,
  dst: Float32Array,
  dstStride: number,
  rows: number,
  zeroTail = false,
): void {
  const cols = Math.min(srcStride, dstStride);
  if (srcStride === dstStride) {
    dst.set(src.subarray(0, rows * cols));
    return;
  }
  for (let r = 0; r < rows; r++) {
    dst.set(src.subarray(r * srcStride, r * srcStride + cols), r * dstStride);
    if (zeroTail) dst.fill(0, r * dstStride + cols, (r + 1) * dstStride);
  }
}

// ---------------------------------------------------------------------------------------------
// A Conv1D in the wasm backend's own memory (see heap-kernels.ts): the kernels above, run by the
// heap module on the tensors where tfjs keeps them, so that nothing is copied into the kernel
// module and back (for `har-conv1d`, 6.6 MB a training step). Only where the main module would
// run the call on one thread anyway (the heap module has no threads), without padding (x is read
// in place as its own im2col matrix) and with a multiple of 8 filters (the kernels' column
// blocks then end where the tensors' rows do).

type Info = tf.TensorInfo;

/** The heap kernels and the conditions above, or `null` where the copying path must run. */
function inPlace(backend: unknown, g: Conv1dGeometry): HeapExports | null {
  const { batch, width, inWidth, outWidth, inChannels: f, filterWidth, outChannels: c } = g;
  if (width !== inWidth || c % 8 !== 0) return null;
  const wasm = getFusedWasm();
  if (!wasm || batchShares(wasm, batch, outWidth * filterWidth * f * c).length > 1) return null;
  return heapKernels(backend);
}

/**
 * {@link conv1dBiasActInto} on the tensors of a wasm backend where they are: `out`
 * `[batch, outWidth, C]` receives `act(conv1d(x, w) + b)`. `false` (nothing written) where it
 * cannot run so: the caller then takes the copying path.
 */
export function conv1dBiasActInPlace(
  backend: unknown,
  x: Info,
  w: Info,
  b: Info | null,
  relu: boolean,
  g: Conv1dGeometry,
  out: Info,
): boolean {
  const heap = inPlace(backend, g);
  if (!heap) return false;
  const { batch, width, outWidth, inChannels: f, filterWidth, outChannels: c } = g;
  const at = (t: Info) => heapOffset(backend, t);
  const bias = b ? at(b) : 0;
  heap.conv1dForwardBiasAct(
    at(x),
    at(w),
    at(out),
    batch,
    width,
    outWidth,
    f,
    filterWidth * f,
    c,
    bias,
    b ? 1 : 0,
    relu ? 1 : 0,
  );
  return true;
}

/**
 * {@link conv1dBackwardInto} on the tensors of a wasm backend where they are: the filter gradient
 * into `dw` `[K, F, C]` and, when given, the bias gradient into `db` `[C]`. Its scratch (the
 * masked output gradient and the filter gradient's padded rows) is allocated through the backend
 * and released. `false` (nothing written) where it cannot run so.
 */
export function conv1dBackwardInPlace(
  backend: unknown,
  x: Info,
  dy: Info,
  y: Info,
  relu: boolean,
  g: Conv1dGeometry,
  dw: Info,
  db: Info | null,
): boolean {
  const heap = inPlace(backend, g);
  if (!heap) return false;
  const { batch, width, outWidth, inChannels: f, filterWidth, outChannels: c } = g;
  const kf = filterWidth * f;
  const kfp = roundUp(kf, 4);
  const xs = view(backend, x);
  // the filter gradient reads up to 3 floats past x (for its padded rows q >= kf, discarded): they
  // must lie inside the memory
  if (xs.byteOffset + (xs.length + 4) * 4 > xs.buffer.byteLength) return false;
  const rows = batch * outWidth;
  const dz = allocate(backend, [rows * c + SLACK], 'float32');
  const partial = allocate(backend, [kfp * c], 'float32');
  try {
    view(backend, dz).fill(0, rows * c);
    view(backend, partial).fill(0);
    const at = (t: Info) => heapOffset(backend, t);
    const [dzp, dbp] = [at(dz), db ? at(db) : 0];
    heap.conv1dActGradTo(at(dy), relu ? at(y) : 0, dzp, dbp, rows, c, db ? 1 : 0, relu ? 1 : 0);
    heap.conv1dFilterGrad(at(x), dzp, at(partial), batch, width, outWidth, f, kf, c, c);
    // rows q < kf of the [kfp, C] partial are the [K·F, C] gradient
    view(backend, dw).set(view(backend, partial).subarray(0, kf * c));
  } finally {
    release(backend, dz);
    release(backend, partial);
  }
  return true;
}
