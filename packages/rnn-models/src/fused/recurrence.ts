import * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from '../errors';
import {
  allocate,
  type DirectKernelBackend,
  ensureKernels,
  kernelConfig,
  view,
} from '../wasm/kernel-io';
import {
  ACTIVATION_CODES,
  type FusedActivation,
  type FusedWasm,
  getFusedWasm,
  type WasmExportName,
} from '../wasm/wasm-kernel';

/** The cell a recurrence runs. */
export type FusedCellKind = 'simpleRNN' | 'lstm' | 'gru';

/** What a fused layer hands to {@link runRecurrence}. */
export interface RecurrenceSpec {
  cell: FusedCellKind;
  activation: FusedActivation;
  /** Gates of LSTM and GRU. */
  recurrentActivation: FusedActivation;
  /** GRU only: the Keras 2 / PyTorch formulation. */
  resetAfter?: boolean;
}

/** The result of {@link runRecurrence}: the state after every step, and the last cell state. */
export interface RecurrenceResult {
  /** [batch, steps, units], or null when only the last state was asked for. */
  hs: tf.Tensor3D | null;
  /** [batch, units]: the state after the last step. */
  last: tf.Tensor2D;
  /** LSTM only, when asked: [batch, units]. */
  c?: tf.Tensor2D;
}

/**
 * How the fused layers run their time loop: `'wasm'` (one SIMD WebAssembly kernel for the whole
 * loop, forward and backward), `'tf'` (tf ops per step, gradients by tfjs' autodiff) or `'auto'`
 * (the kernel on the `wasm` and `cpu` backends, tf ops elsewhere, e.g. on tfjs-node or webgl).
 */
export type FusedImplementation = 'auto' | 'wasm' | 'tf';

let implementation: FusedImplementation = 'auto';

/**
 * Sets how the fused layers run; returns the previous choice. `setFusedImplementation`
 * (process-switches.ts) is the public switch.
 */
export function chooseFusedImplementation(choice: FusedImplementation): FusedImplementation {
  const previous = implementation;
  implementation = choice;
  return previous;
}

/** The implementation a call on the current backend uses now. */
export function activeFusedImplementation(): 'wasm' | 'tf' {
  if (implementation === 'tf') return 'tf';
  if (implementation === 'auto') {
    const backend = tf.getBackend();
    if (backend !== 'wasm' && backend !== 'cpu') return 'tf';
  }
  return getFusedWasm() ? 'wasm' : 'tf';
}

/**
 * Runs a fused layer: the input projection of all steps, the recurrence and (through tfjs'
 * gradient machinery) its backward pass.
 * @param x [batch, steps, features], time already reversed for `goBackwards`.
 * @param kernel [features, gates·units].
 * @param u the recurrent kernel [units, gates·units].
 * @param bias [gates·units], or [2, 3·units] for GRU with `resetAfter` (input and recurrent
 *   biases), or null.
 * @param mask [batch, steps], 1 to compute the step and 0 to carry the state through it.
 */
export function runRecurrence(
  spec: RecurrenceSpec,
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  u: tf.Tensor2D,
  bias: tf.Tensor | null,
  mask: Float32Array | null,
  wantCell: boolean,
  wantSequence = true,
): RecurrenceResult {
  if (activeFusedImplementation() === 'wasm') {
    return recurrenceWasm(spec, x, kernel, u, bias, mask, wantCell, wantSequence);
  }
  const [batch, steps, features] = x.shape;
  let xp = tf.matMul(tf.reshape(x, [batch * steps, features]), kernel) as tf.Tensor;
  let brec: tf.Tensor1D | null = null;
  if (bias) {
    if (bias.rank === 2) {
      const [bIn, bRec] = tf.unstack(bias) as tf.Tensor1D[];
      xp = tf.add(xp, bIn);
      brec = bRec;
    } else {
      xp = tf.add(xp, bias);
    }
  }
  const xp3 = tf.reshape(xp, [batch, steps, kernel.shape[1]]) as tf.Tensor3D;
  return recurrenceTf(spec, xp3, u, brec, mask, wantCell, wantSequence);
}

// ---------------------------------------------------------------------------------------------
// tf ops (any backend; gradients by autodiff)
// ---------------------------------------------------------------------------------------------

function activateTf(x: tf.Tensor, kind: FusedActivation): tf.Tensor {
  switch (kind) {
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hardSigmoid':
      return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case 'relu':
      return tf.relu(x);
    default:
      return x;
  }
}

function recurrenceTf(
  spec: RecurrenceSpec,
  xp: tf.Tensor3D,
  u: tf.Tensor2D,
  brec: tf.Tensor1D | null,
  mask: Float32Array | null,
  wantCell: boolean,
  wantSequence: boolean,
): RecurrenceResult {
  const [batch, steps] = xp.shape;
  const units = u.shape[0];
  const xs = tf.unstack(xp, 1) as tf.Tensor2D[];
  const masks = mask
    ? tf.unstack(tf.tensor2d(mask, [batch, steps]).reshape([batch, steps, 1]), 1)
    : null;
  let h: tf.Tensor = tf.zeros([batch, units]);
  let c: tf.Tensor = tf.zeros([batch, units]);
  const hs: tf.Tensor[] = [];
  const act = (x: tf.Tensor) => activateTf(x, spec.activation);
  const ract = (x: tf.Tensor) => activateTf(x, spec.recurrentActivation);
  for (let t = 0; t < steps; t++) {
    let hNew: tf.Tensor;
    let cNew: tf.Tensor = c;
    if (spec.cell === 'simpleRNN') {
      hNew = act(tf.add(xs[t], tf.matMul(h, u)));
    } else if (spec.cell === 'lstm') {
      const [i, f, g, o] = tf.split(tf.add(xs[t], tf.matMul(h, u)), 4, 1);
      cNew = tf.add(tf.mul(ract(f), c), tf.mul(ract(i), act(g)));
      hNew = tf.mul(ract(o), act(cNew));
    } else {
      const [xz, xr, xh] = tf.split(xs[t], 3, 1);
      let z: tf.Tensor;
      let n: tf.Tensor;
      if (spec.resetAfter) {
        let rec = tf.matMul(h, u) as tf.Tensor;
        if (brec) rec = tf.add(rec, brec);
        const [rz, rr, rh] = tf.split(rec, 3, 1);
        z = ract(tf.add(xz, rz));
        const r = ract(tf.add(xr, rr));
        n = act(tf.add(xh, tf.mul(r, rh)));
      } else {
        const [uzr, uh] = tf.split(u, [2 * units, units], 1);
        const [rz, rr] = tf.split(tf.matMul(h, uzr), 2, 1);
        z = ract(tf.add(xz, rz));
        const r = ract(tf.add(xr, rr));
        n = act(tf.add(xh, tf.matMul(tf.mul(r, h), uh)));
      }
      hNew = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), n));
    }
    if (masks) {
      const m = masks[t];
      const keep = (next: tf.Tensor, prev: tf.Tensor) =>
        tf.add(tf.mul(next, m), tf.mul(prev, tf.sub(1, m)));
      hNew = keep(hNew, h);
      if (spec.cell === 'lstm') cNew = keep(cNew, c);
    }
    h = hNew;
    c = cNew;
    hs.push(h);
  }
  return {
    hs: wantSequence ? (tf.stack(hs, 1) as tf.Tensor3D) : null,
    last: h as tf.Tensor2D,
    c: wantCell && spec.cell === 'lstm' ? (c as tf.Tensor2D) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// wasm kernels: projection, time loop and backward through time in the module. Three tfjs kernels
// of the package's own names, registered on the wasm and cpu backends on first use, with one
// registered gradient: the forward, the backward to the weights, and the gradient of the input,
// which tfjs runs only where the input leads back to something being differentiated (a layer fed
// plain data skips it, as PyTorch does for inputs that do not require grad).
// ---------------------------------------------------------------------------------------------

const FORWARD_KERNEL = 'SeqlearnRecurrence';
const BACKWARD_KERNEL = 'SeqlearnRecurrenceBackprop';
const INPUT_GRAD_KERNEL = 'SeqlearnRecurrenceBackpropInput';

/** What one forward call leaves for its backward pass, and the backward for the input gradient. */
interface RecurrenceState {
  /**
   * Where the forward pass left its activations for the backward, pinned in the module's memory
   * (0 for a buffer the cell has not); null when no gradient can be asked for, or once freed.
   */
  saved: { hs: number; gates: number; cs: number; aux: number } | null;
  /** Set by the backward: where dG (the gate gradients, [B·T, G], rows `ld` floats apart) lies. */
  dg: { ptr: number; ld: number; generation: number } | null;
  backwardRan: boolean;
  /** The module all three kernels of the call run on: it holds what the forward pass pinned. */
  module: FusedWasm;
}

/** The attributes of the three kernels (an object of this module's, passed through tfjs as is). */
interface RecurrenceAttrs {
  cell: FusedCellKind;
  act: number;
  ract: number;
  resetAfter: 0 | 1;
  mask: Float32Array | null;
  wantCell: boolean;
  wantSequence: boolean;
  /** Whether a gradient may be asked for: the forward saves its activations only then. */
  training: boolean;
  /** 0 without a bias, 1 for [G], 2 for a resetAfter GRU's [2, G] (input and recurrent rows). */
  biasRows: 0 | 1 | 2;
  state: RecurrenceState;
}

/**
 * Frees the activations a forward pass pinned whose backward never ran (its output led nowhere a
 * gradient was taken from, or the gradient failed), once tfjs drops the call's record.
 */
const unfreed =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ wasm: FusedWasm; ptrs: number[] }>(({ wasm, ptrs }) => {
        for (const ptr of ptrs) wasm.unpin(ptr);
      })
    : null;

/** Frees the pinned activations of a call, once. */
function freeSaved(wasm: FusedWasm, state: RecurrenceState): void {
  const saved = state.saved;
  if (!saved) return;
  state.saved = null;
  unfreed?.unregister(state);
  for (const ptr of [saved.aux, saved.cs, saved.gates, saved.hs]) if (ptr) wasm.unpin(ptr);
}

/**
 * [B, T, H] states → [H, B·T], rows `ld` floats apart (ld ≥ B·T): column (b, t) the state before
 * step t of sequence b (zeros at t = 0), what the recurrent kernel's gradient multiplies. One
 * transpose written one float to the right does the shift (column r gets state r - 1; each row's
 * last float spills past its B·T columns, into the padding or the next row's first column, a
 * t = 0 column), then the t = 0 columns are zeroed. With `extraRows`, room for that many more
 * rows after the H (the last row's spill lands in the first of them), for the caller to fill.
 */
function previousStatesTransposed(
  wasm: FusedWasm,
  phs: number,
  B: number,
  T: number,
  H: number,
  ld: number,
  extraRows = 0,
): number {
  const BT = B * T;
  const prevT = wasm.alloc(ld * (H + extraRows) + 1);
  transposeShared(wasm, phs, prevT + 4, BT, H, ld);
  const view = wasm.view(prevT, ld * H);
  for (let h = 0; h < H; h++) for (let b = 0; b < B; b++) view[h * ld + b * T] = 0;
  return prevT;
}

/** Fewer floats than this per thread and a transpose stays on one thread. */
let minTransposeFloats = 65536;

/** Test hook: sets the floats a transpose's share must hold (so small tests reach the threads). */
export function setMinTransposeFloats(floats: number): number {
  const previous = minTransposeFloats;
  minTransposeFloats = floats;
  return previous;
}

/**
 * `transpose` (dst[cols, rows] = src[rows, cols]ᵀ, dst's rows `ldd` floats apart) with the rows
 * of src shared out over the kernel threads in multiples of 4 (the kernel's blocks): each share
 * writes its own columns of dst. The backward pass's transposes of the states and inputs
 * (3.9 MB for `charlm-lstm`) are memory-bound, and ran on the calling thread alone.
 */
function transposeShared(
  wasm: FusedWasm,
  src: number,
  dst: number,
  rows: number,
  cols: number,
  ldd: number,
): void {
  const minimum = Math.ceil(minTransposeFloats / Math.max(1, cols));
  wasm.shares('transpose', wasm.split(rows, minimum, 4), (r0, n) => [
    src + r0 * cols * 4,
    dst + r0 * 4,
    n,
    cols,
    ldd,
  ]);
}

/**
 * The row stride, in floats, for a matrix of `cols` columns that a product reads as its right
 * operand. Rows a multiple of 256 bytes apart (an LSTM's 4·64 or 4·128 gates, a state of 64 or
 * 128) fall into the same few sets of a 4 KiB-aliased L1 cache as a product walks down a strip of
 * columns, and the products ran 20-25% slower (measured: [64,128]·[128,512] at 37 GFLOP/s with
 * rows 512 floats apart, 45 with 528); 16 floats more per row spreads them over every set.
 */
function productStride(cols: number): number {
  return cols % 64 === 0 ? cols + 16 : cols;
}

/** `data` [rows, cols] into the module with its rows `ld` floats apart (the padding zeroed). */
function putRows(wasm: FusedWasm, data: Float32Array, rows: number, cols: number, ld: number) {
  if (ld === cols) return wasm.put(data.subarray(0, rows * cols));
  const ptr = wasm.alloc(rows * ld);
  const dst = wasm.view(ptr, rows * ld);
  for (let r = 0; r < rows; r++) {
    dst.set(data.subarray(r * cols, (r + 1) * cols), r * ld);
    dst.fill(0, r * ld + cols, (r + 1) * ld);
  }
  return ptr;
}

function zeros(wasm: FusedWasm, floats: number): number {
  const ptr = wasm.alloc(floats);
  wasm.view(ptr, floats).fill(0);
  return ptr;
}

/**
 * Column sums of a [rows, cols] buffer whose rows are `ld` floats apart, as ones[1, rows] · m, into
 * `out` (cols floats).
 */
function columnSumsInto(
  wasm: FusedWasm,
  m: number,
  ld: number,
  rows: number,
  cols: number,
  out: Float32Array,
): void {
  const ones = wasm.alloc(rows);
  wasm.view(ones, rows).fill(1);
  const sums = wasm.alloc(cols);
  gemmByColumns(wasm, ones, rows, m, ld, sums, cols, 1, rows, cols);
  out.set(wasm.view(sums, cols));
}

/**
 * C[M, N] = A[M, K] · B[K, N] with the columns of B and C shared out over the kernel threads: the
 * weight-gradient products, whose K (batch · steps) is long and whose M is small.
 */
function gemmByColumns(
  wasm: FusedWasm,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  m: number,
  k: number,
  n: number,
): void {
  wasm.shares('gemm', wasm.split(n, 16, 8, SHARES_PER_THREAD), (j0, cols) => [
    a,
    lda,
    b + j0 * 4,
    ldb,
    c + j0 * 4,
    ldc,
    m,
    k,
    cols,
    0,
  ]);
}

/**
 * A kernel call per share of the batch: `args(b0, rows)` gives the arguments for batch rows
 * [b0, b0 + rows), every buffer being batch-major, so the shares run on the kernel threads at once.
 */
function byBatch(
  wasm: FusedWasm,
  B: number,
  name: WasmExportName,
  args: (b0: number, rows: number) => number[],
): void {
  wasm.shares(name, wasm.split(B, MIN_ROWS_PER_THREAD, 1, SHARES_PER_THREAD), args);
}

/**
 * Shares per kernel thread for the loops and the weight-gradient products: they go through the
 * threads' shared queue, so a thread on a core the host gives fewer cycles takes fewer shares. On
 * the 2-core VM with a neighbour taking 40% of one core, `charlm-lstm` and `har-lstm` steps ran
 * 3-13% faster with 4 than with 1 (one share per thread), and the same without it.
 */
const SHARES_PER_THREAD = 4;

/** Fewer batch rows than this per thread and a step's product is too small to share out. */
const MIN_ROWS_PER_THREAD = 8;

/** A share of a batch-major buffer: `ptr` advanced by `b0` rows of `perRow` floats (0 stays 0). */
function at(ptr: number, b0: number, perRow: number): number {
  return ptr ? ptr + b0 * perRow * 4 : 0;
}

function kernelFailed(what: string, cause?: unknown): RnnModelsError {
  return new RnnModelsError({
    code: 'KERNEL_FAILED',
    message: `fused recurrent layer: ${what}`,
    cause,
  });
}

/** Forward: the states [B, S (+1), H] (all steps or the last; an LSTM's last cell state appended). */
const forward = (backendName: DirectKernelBackend) =>
  kernelConfig(FORWARD_KERNEL, backendName, ({ inputs, backend, attrs }) => {
    const wasm = (attrs as unknown as RecurrenceAttrs).state.module;
    const a = attrs as unknown as RecurrenceAttrs;
    const { x, kernel, u, bias } = inputs as Record<string, tf.TensorInfo | undefined>;
    const [B, T, F] = (x as tf.TensorInfo).shape;
    const G = (kernel as tf.TensorInfo).shape[1];
    const H = (u as tf.TensorInfo).shape[0];
    const BT = B * T;
    const lstm = a.cell === 'lstm';
    const gru = a.cell === 'gru';
    const withCell = lstm && a.wantCell;
    const S = a.wantSequence ? T : 1;
    wasm.reset();
    // what the backward reads stays where the kernels write it, pinned until the backward frees it
    const keep = (floats: number) => (a.training ? wasm.pinAlloc(floats) : 0);
    const phsPinned = keep(BT * H);
    const pxpPinned = a.cell === 'simpleRNN' ? 0 : keep(BT * G);
    const pcsPinned = lstm ? keep(BT * H) : 0;
    const pauxPinned = lstm || gru ? keep(BT * H) : 0;
    if (a.training) {
      a.state.saved = { hs: phsPinned, gates: pxpPinned, cs: pcsPinned, aux: pauxPinned };
      unfreed?.register(
        a.state,
        { wasm, ptrs: [pauxPinned, pcsPinned, pxpPinned, phsPinned].filter(Boolean) },
        a.state,
      );
    }
    // copies straight from the backend's memory into the module's: no intermediate arrays
    const px = wasm.put(view(backend, x as tf.TensorInfo) as Float32Array);
    // the weights, right operands of the products, with their rows spread (see productStride)
    const ldw = productStride(G);
    const pw = putRows(wasm, view(backend, kernel as tf.TensorInfo) as Float32Array, F, G, ldw);
    const pu = putRows(wasm, view(backend, u as tf.TensorInfo) as Float32Array, H, G, ldw);
    const bData = bias ? (view(backend, bias) as Float32Array) : null;
    const pxp = pxpPinned || wasm.alloc(BT * G);
    // x·W + b: each share of the batch starts its rows as the bias (or zeros) inside the kernel
    const pb = bData ? wasm.put(bData.subarray(0, G)) : zeros(wasm, G);
    const pbRec =
      gru && a.resetAfter && bData ? wasm.put(bData.subarray(G, 2 * G)) : gru ? zeros(wasm, G) : 0;
    byBatch(wasm, B, 'gemmBias', (b0, n) => [
      at(px, b0, T * F),
      F,
      pw,
      ldw,
      at(pxp, b0, T * G),
      G,
      n * T,
      F,
      G,
      pb,
    ]);
    const phs = phsPinned || wasm.alloc(BT * H);
    // each share's last states, gathered for the next step's product (see gatherRows)
    const phbuf = wasm.alloc(B * H);
    const pmask = a.mask ? wasm.put(a.mask) : 0;
    let pcs = 0;
    let paux = 0;
    if (lstm) {
      pcs = pcsPinned || wasm.alloc(BT * H);
      paux = pauxPinned || wasm.alloc(BT * H);
      byBatch(wasm, B, 'lstmForward', (b0, n) => [
        at(pxp, b0, T * G),
        pu,
        ldw,
        at(phs, b0, T * H),
        at(phbuf, b0, H),
        at(pcs, b0, T * H),
        at(paux, b0, T * H),
        at(pmask, b0, T),
        T,
        n,
        H,
        a.act,
        a.ract,
      ]);
    } else if (gru) {
      paux = pauxPinned || wasm.alloc(BT * H);
      const prec = wasm.alloc(B * G);
      byBatch(wasm, B, 'gruForward', (b0, n) => [
        at(pxp, b0, T * G),
        pu,
        ldw,
        pbRec,
        at(phs, b0, T * H),
        at(phbuf, b0, H),
        at(paux, b0, T * H),
        at(prec, b0, G),
        at(pmask, b0, T),
        T,
        n,
        H,
        a.act,
        a.ract,
        a.resetAfter,
      ]);
    } else {
      byBatch(wasm, B, 'rnnForward', (b0, n) => [
        at(pxp, b0, T * G),
        pu,
        ldw,
        at(phs, b0, T * H),
        at(phbuf, b0, H),
        at(pmask, b0, T),
        T,
        n,
        H,
        a.act,
      ]);
    }
    // one output: [B, S (+1), H], the states (all steps or the last) and, for an LSTM asked for
    // its state, the last cell state as one more step
    const rows = withCell ? S + 1 : S;
    const outInfo = allocate(
      backend,
      withCell || a.wantSequence ? [B, rows, H] : [B, H],
      'float32',
    );
    const out = view(backend, outInfo) as Float32Array;
    const hsView = wasm.view(phs, BT * H);
    if (a.wantSequence && !withCell) out.set(hsView);
    else {
      const csView = withCell ? wasm.view(pcs, BT * H) : null;
      for (let b = 0; b < B; b++) {
        const from = a.wantSequence ? b * T * H : (b * T + T - 1) * H;
        out.set(hsView.subarray(from, (b * T + T) * H), b * rows * H);
        if (csView) {
          out.set(csView.subarray((b * T + T - 1) * H, (b * T + T) * H), (b * rows + S) * H);
        }
      }
    }
    return outInfo;
  });

/** Backward to the weights: [dW [F, G], dU [H, G], db]; leaves dG in the module for the input. */
const backward = (backendName: DirectKernelBackend) =>
  kernelConfig(BACKWARD_KERNEL, backendName, ({ inputs, backend, attrs }) => {
    const wasm = (attrs as unknown as RecurrenceAttrs).state.module;
    const a = attrs as unknown as RecurrenceAttrs;
    const saved = a.state.saved;
    if (a.state.backwardRan) {
      throw kernelFailed('the backward pass of one forward call ran twice');
    }
    if (!saved) throw kernelFailed('a gradient was asked for a call that ran without the tape');
    const { x, kernel, u, dy } = inputs as Record<string, tf.TensorInfo | undefined>;
    const [B, T, F] = (x as tf.TensorInfo).shape;
    const G = (kernel as tf.TensorInfo).shape[1];
    const H = (u as tf.TensorInfo).shape[0];
    const BT = B * T;
    const lstm = a.cell === 'lstm';
    const gru = a.cell === 'gru';
    const withCell = lstm && a.wantCell;
    const S = a.wantSequence ? T : 1;
    const k = wasm.exports;
    const dyData = view(backend, dy as tf.TensorInfo) as Float32Array;
    wasm.reset();
    let pdh: number;
    let pdcLast = 0;
    if (a.wantSequence && !withCell) pdh = wasm.put(dyData);
    else {
      pdh = zeros(wasm, BT * H);
      const dh = wasm.view(pdh, BT * H);
      const rows = withCell ? S + 1 : S;
      for (let b = 0; b < B; b++) {
        const to = a.wantSequence ? b * T * H : (b * T + T - 1) * H;
        dh.set(dyData.subarray(b * rows * H, (b * rows + S) * H), to);
      }
      if (withCell) {
        pdcLast = wasm.alloc(B * H);
        const dc = wasm.view(pdcLast, B * H);
        for (let b = 0; b < B; b++) {
          dc.set(dyData.subarray((b * rows + S) * H, (b * rows + S + 1) * H), b * H);
        }
      }
    }
    const pu = wasm.put(view(backend, u as tf.TensorInfo) as Float32Array);
    // Uᵀ and the gate gradients dG are right operands of products: rows spread (productStride)
    const lduT = productStride(H);
    const puT = wasm.alloc(G * lduT);
    k.transpose(pu, puT, H, G, lduT);
    const pm = a.mask ? wasm.put(a.mask) : 0;
    const ldg = productStride(G);
    const pdgx = wasm.alloc(BT * ldg);
    // each share's gate gradients of a step, gathered for the step's product (see gatherRows)
    const pdgbuf = wasm.alloc(B * ldg);
    // the transposed states and inputs [·, B·T], written four rows at a time: rows spread too
    const ldt = productStride(BT);
    let pdgr = pdgx;
    // dU [H, G] and, where both multiply dG (LSTM, SimpleRNN), dW [F, G] below it: one product of
    // the previous states and the inputs, stacked as [H + F, B·T], reads dG once instead of twice
    const pdu = wasm.alloc((H + F) * G);
    let stacked = 0;
    const hs = saved.hs;
    if (lstm) {
      const pg = saved.gates;
      const pcs = saved.cs;
      const pac = saved.aux;
      const pdc = pdcLast || zeros(wasm, B * H);
      byBatch(wasm, B, 'lstmBackward', (b0, n) => [
        at(pg, b0, T * G),
        at(pcs, b0, T * H),
        at(pac, b0, T * H),
        at(pdh, b0, T * H),
        at(pdc, b0, H),
        puT,
        lduT,
        at(pdgx, b0, T * ldg),
        ldg,
        at(pdgbuf, b0, ldg),
        at(pm, b0, T),
        T,
        n,
        H,
        a.act,
        a.ract,
      ]);
      stacked = previousStatesTransposed(wasm, hs, B, T, H, ldt, F);
    } else if (gru) {
      const pg = saved.gates;
      const phs = hs;
      const paux = saved.aux;
      pdgr = wasm.alloc(BT * ldg);
      const pdtmp = wasm.alloc(B * H);
      byBatch(wasm, B, 'gruBackward', (b0, n) => [
        at(pg, b0, T * G),
        at(phs, b0, T * H),
        at(paux, b0, T * H),
        at(pdh, b0, T * H),
        puT,
        lduT,
        at(pdgx, b0, T * ldg),
        at(pdgr, b0, T * ldg),
        ldg,
        at(pdgbuf, b0, ldg),
        at(pdtmp, b0, H),
        at(pm, b0, T),
        T,
        n,
        H,
        a.act,
        a.ract,
        a.resetAfter,
      ]);
      const phT = previousStatesTransposed(wasm, hs, B, T, H, ldt);
      if (a.resetAfter) {
        gemmByColumns(wasm, phT, ldt, pdgr, ldg, pdu, G, H, BT, G);
      } else {
        gemmByColumns(wasm, phT, ldt, pdgr, ldg, pdu, G, H, BT, 2 * H);
        const pauxT = wasm.alloc(ldt * H);
        transposeShared(wasm, paux, pauxT, BT, H, ldt);
        gemmByColumns(wasm, pauxT, ldt, pdgr + 8 * H, ldg, pdu + 8 * H, G, H, BT, H);
      }
    } else {
      const phs = hs;
      byBatch(wasm, B, 'rnnBackward', (b0, n) => [
        at(phs, b0, T * H),
        at(pdh, b0, T * H),
        puT,
        lduT,
        at(pdgx, b0, T * ldg),
        ldg,
        at(pdgbuf, b0, ldg),
        at(pm, b0, T),
        T,
        n,
        H,
        a.act,
      ]);
      stacked = previousStatesTransposed(wasm, hs, B, T, H, ldt, F);
    }
    freeSaved(wasm, a.state);
    a.state.backwardRan = true;
    // input side: dW = Xᵀ·dG, db = Σ dG (and Σ dG of the recurrent part for a resetAfter GRU's
    // second bias row); dX = dG·Wᵀ waits in its own kernel until tfjs asks for it
    const px = wasm.put(view(backend, x as tf.TensorInfo) as Float32Array);
    let pdw: number;
    if (stacked) {
      transposeShared(wasm, px, stacked + H * ldt * 4, BT, F, ldt);
      gemmByColumns(wasm, stacked, ldt, pdgx, ldg, pdu, G, H + F, BT, G);
      pdw = pdu + H * G * 4;
    } else {
      const pxT = wasm.alloc(ldt * F);
      transposeShared(wasm, px, pxT, BT, F, ldt);
      pdw = wasm.alloc(F * G);
      gemmByColumns(wasm, pxT, ldt, pdgx, ldg, pdw, G, F, BT, G);
    }
    const outputs: tf.TensorInfo[] = [];
    const dwInfo = allocate(backend, [F, G], 'float32');
    (view(backend, dwInfo) as Float32Array).set(wasm.view(pdw, F * G));
    const duInfo = allocate(backend, [H, G], 'float32');
    (view(backend, duInfo) as Float32Array).set(wasm.view(pdu, H * G));
    outputs.push(dwInfo, duInfo);
    if (a.biasRows) {
      const twoRows = a.biasRows === 2;
      const dbInfo = allocate(backend, twoRows ? [2, G] : [G], 'float32');
      const db = view(backend, dbInfo) as Float32Array;
      columnSumsInto(wasm, pdgx, ldg, BT, G, db.subarray(0, G));
      if (twoRows) columnSumsInto(wasm, pdgr, ldg, BT, G, db.subarray(G, 2 * G));
      outputs.push(dbInfo);
    }
    a.state.dg = { ptr: pdgx, ld: ldg, generation: wasm.generation };
    return outputs;
  });

/** dX [B, T, F] = dG · Wᵀ, from the dG that the backward kernel left in the module. */
const inputGrad = (backendName: DirectKernelBackend) =>
  kernelConfig(INPUT_GRAD_KERNEL, backendName, ({ inputs, backend, attrs }) => {
    const wasm = (attrs as unknown as RecurrenceAttrs).state.module;
    const a = attrs as unknown as RecurrenceAttrs & { inputShape: [number, number, number] };
    const dg = a.state.dg;
    // tfjs calls the input gradient right after the weights' backward, with no kernel of the
    // module between them; should that ever change, this fails loudly instead of reading over
    if (!dg || dg.generation !== wasm.generation) {
      throw kernelFailed('the input gradient was asked for after other kernels reused dG');
    }
    const { kernel } = inputs as Record<string, tf.TensorInfo>;
    const [B, T, F] = a.inputShape;
    const G = kernel.shape[1];
    const BT = B * T;
    const pw = wasm.put(view(backend, kernel) as Float32Array);
    const ldwT = productStride(F);
    const pwT = wasm.alloc(G * ldwT);
    wasm.exports.transpose(pw, pwT, F, G, ldwT);
    const pdx = wasm.alloc(BT * F);
    byBatch(wasm, B, 'gemm', (b0, n) => [
      at(dg.ptr, b0, T * dg.ld),
      dg.ld,
      pwT,
      ldwT,
      at(pdx, b0, T * F),
      F,
      n * T,
      G,
      F,
      0,
    ]);
    const dxInfo = allocate(backend, [B, T, F], 'float32');
    (view(backend, dxInfo) as Float32Array).set(wasm.view(pdx, BT * F));
    return dxInfo;
  });

const gradient: tf.GradConfig = {
  kernelName: FORWARD_KERNEL,
  inputsToSave: ['x', 'kernel', 'u'],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel, u] = saved as tf.Tensor[];
    const named: tf.NamedTensorMap = { x, kernel, u, dy: dy as tf.Tensor };
    const weights = tf.engine().runKernel(BACKWARD_KERNEL, named, attrs) as tf.Tensor[];
    return {
      x: () =>
        tf.engine().runKernel(INPUT_GRAD_KERNEL, { kernel }, {
          ...(attrs as object),
          inputShape: x.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor,
      kernel: () => weights[0],
      u: () => weights[1],
      bias: () => weights[2],
    };
  },
};

/** Registers the kernels and the gradient for `backendName`, once. */
function ensureRecurrenceKernels(backendName: DirectKernelBackend): void {
  ensureKernels(
    backendName,
    { [FORWARD_KERNEL]: forward, [BACKWARD_KERNEL]: backward, [INPUT_GRAD_KERNEL]: inputGrad },
    gradient,
  );
}

/** Whether a gradient can be asked for of what runs now: inside tf.grad, variableGrads, fit. */
function underGradient(): boolean {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state;
  return typeof state?.gradientDepth === 'number' ? state.gradientDepth > 0 : true;
}

function recurrenceWasm(
  spec: RecurrenceSpec,
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  u: tf.Tensor2D,
  bias: tf.Tensor | null,
  mask: Float32Array | null,
  wantCell: boolean,
  wantSequence: boolean,
): RecurrenceResult {
  const [B, T] = x.shape;
  const H = u.shape[0];
  const withCell = spec.cell === 'lstm' && wantCell;
  const S = wantSequence ? T : 1;
  ensureRecurrenceKernels(tf.getBackend() as DirectKernelBackend);
  // the module now, for the backward too: a later setRelaxedSimd may compile another one
  const module = getFusedWasm() as FusedWasm; // activeFusedImplementation() === 'wasm' checked it
  const attrs: RecurrenceAttrs = {
    cell: spec.cell,
    act: ACTIVATION_CODES[spec.activation],
    ract: ACTIVATION_CODES[spec.recurrentActivation],
    resetAfter: spec.cell === 'gru' && spec.resetAfter ? 1 : 0,
    mask,
    wantCell,
    wantSequence,
    training: underGradient(),
    biasRows: bias ? (bias.rank === 2 ? 2 : 1) : 0,
    state: { saved: null, dg: null, backwardRan: false, module },
  };
  const named: tf.NamedTensorMap = {
    x: x.dtype === 'float32' ? x : tf.cast(x, 'float32'),
    kernel,
    u,
  };
  if (bias) named.bias = bias;
  let states = tf
    .engine()
    .runKernel(FORWARD_KERNEL, named, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  let c: tf.Tensor2D | undefined;
  if (withCell) {
    const packed = states;
    c = tf.reshape(tf.slice(packed, [0, S, 0], [B, 1, H]), [B, H]) as tf.Tensor2D;
    states = tf.slice(packed, [0, 0, 0], [B, S, H]);
    if (!wantSequence) states = tf.reshape(states, [B, H]);
  }
  if (!wantSequence) return { hs: null, last: states as tf.Tensor2D, c };
  const last = tf.reshape(tf.slice(states, [0, T - 1, 0], [B, 1, H]), [B, H]) as tf.Tensor2D;
  return { hs: states as tf.Tensor3D, last, c };
}
