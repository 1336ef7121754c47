import * as tf from '@tensorflow/tfjs';
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
  const wasm = activeFusedImplementation() === 'wasm' ? getFusedWasm() : null;
  if (wasm) return recurrenceWasm(wasm, spec, x, kernel, u, bias, mask, wantCell, wantSequence);
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
// wasm kernel: projection, time loop and backward through time in the module, one tfjs op
// ---------------------------------------------------------------------------------------------

type GradFunc = (dy: tf.Tensor | tf.Tensor[]) => tf.Tensor[];
type Forward = (...inputs: tf.Tensor[]) => { value: tf.Tensor | tf.Tensor[]; gradFunc: GradFunc };

/** tf.customGrad with the loose typing these multi-output ops need. */
function customGrad(f: Forward): (...inputs: tf.Tensor[]) => tf.Tensor | tf.Tensor[] {
  return tf.customGrad(f as never) as unknown as (
    ...inputs: tf.Tensor[]
  ) => tf.Tensor | tf.Tensor[];
}

function f32(t: tf.Tensor): Float32Array {
  const data = t.dataSync();
  return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
}

/** [B, T, H] states → [B·T, H] states of the previous step (zeros at t = 0), transposed [H, B·T]. */
function previousStatesTransposed(
  wasm: FusedWasm,
  hs: Float32Array,
  B: number,
  T: number,
  H: number,
): number {
  const prev = wasm.alloc(B * T * H);
  const view = wasm.view(prev, B * T * H);
  for (let b = 0; b < B; b++) {
    const base = b * T * H;
    view.fill(0, base, base + H);
    view.set(hs.subarray(base, base + (T - 1) * H), base + H);
  }
  const prevT = wasm.alloc(B * T * H);
  wasm.exports.transpose(prev, prevT, B * T, H);
  return prevT;
}

function zeros(wasm: FusedWasm, floats: number): number {
  const ptr = wasm.alloc(floats);
  wasm.view(ptr, floats).fill(0);
  return ptr;
}

/** The rows of the last step of a [B, T, H] buffer, [B, H]. */
function lastOf(all: Float32Array, B: number, T: number, H: number): Float32Array {
  const last = new Float32Array(B * H);
  for (let b = 0; b < B; b++) last.set(all.subarray((b * T + T - 1) * H, (b * T + T) * H), b * H);
  return last;
}

/** Column sums of a [rows, cols] buffer, as ones[1, rows] · m. */
function columnSums(wasm: FusedWasm, m: number, rows: number, cols: number): Float32Array {
  const ones = wasm.alloc(rows);
  wasm.view(ones, rows).fill(1);
  const out = wasm.alloc(cols);
  gemmByColumns(wasm, ones, rows, m, cols, out, cols, 1, rows, cols);
  return wasm.read(out, cols);
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
  wasm.shares('gemm', wasm.split(n, 16, 8), (j0, cols) => [
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
  wasm.shares(name, wasm.split(B, MIN_ROWS_PER_THREAD), args);
}

/** Fewer batch rows than this per thread and a step's product is too small to share out. */
const MIN_ROWS_PER_THREAD = 8;

function recurrenceWasm(
  wasm: FusedWasm,
  spec: RecurrenceSpec,
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  u: tf.Tensor2D,
  bias: tf.Tensor | null,
  mask: Float32Array | null,
  wantCell: boolean,
  wantSequence: boolean,
): RecurrenceResult {
  const [B, T, F] = x.shape;
  const G = kernel.shape[1];
  const H = u.shape[0];
  const BT = B * T;
  const act = ACTIVATION_CODES[spec.activation];
  const ract = ACTIVATION_CODES[spec.recurrentActivation];
  const resetAfter = spec.cell === 'gru' && spec.resetAfter ? 1 : 0;
  const k = wasm.exports;
  const biasIn = bias ?? tf.zeros([G]);
  const lstm = spec.cell === 'lstm';
  const gru = spec.cell === 'gru';
  const withCell = lstm && wantCell;
  const S = wantSequence ? T : 1;
  const op = customGrad((xIn: tf.Tensor, wIn: tf.Tensor, uIn: tf.Tensor, bIn: tf.Tensor) => {
    const xData = f32(xIn).slice();
    const wData = f32(wIn).slice();
    const uData = f32(uIn).slice();
    const bData = f32(bIn);
    wasm.reset();
    const px = wasm.put(xData);
    const pw = wasm.put(wData);
    const pu = wasm.put(uData);
    const pxp = wasm.alloc(BT * G);
    const xpView = wasm.view(pxp, BT * G);
    const bInput = bData.subarray(0, G);
    for (let r = 0; r < BT; r++) xpView.set(bInput, r * G);
    // every buffer is batch-major: a share of the batch is an offset and a row count
    const at = (ptr: number, b0: number, perRow: number) => (ptr ? ptr + b0 * perRow * 4 : 0);
    byBatch(wasm, B, 'gemm', (b0, n) => [
      at(px, b0, T * F),
      F,
      pw,
      G,
      at(pxp, b0, T * G),
      G,
      n * T,
      F,
      G,
      1,
    ]);
    const phs = wasm.alloc(BT * H);
    const pmask = mask ? wasm.put(mask) : 0;
    let cs: Float32Array | null = null;
    let aux: Float32Array | null = null;
    if (lstm) {
      const pcs = wasm.alloc(BT * H);
      const pac = wasm.alloc(BT * H);
      byBatch(wasm, B, 'lstmForward', (b0, n) => [
        at(pxp, b0, T * G),
        pu,
        at(phs, b0, T * H),
        at(pcs, b0, T * H),
        at(pac, b0, T * H),
        at(pmask, b0, T),
        T,
        n,
        H,
        act,
        ract,
      ]);
      cs = wasm.keep(pcs, BT * H);
      aux = wasm.keep(pac, BT * H);
    } else if (gru) {
      const pb = wasm.put(resetAfter ? bData.subarray(G, 2 * G) : new Float32Array(G));
      const paux = wasm.alloc(BT * H);
      const prec = wasm.alloc(B * G);
      byBatch(wasm, B, 'gruForward', (b0, n) => [
        at(pxp, b0, T * G),
        pu,
        pb,
        at(phs, b0, T * H),
        at(paux, b0, T * H),
        at(prec, b0, G),
        at(pmask, b0, T),
        T,
        n,
        H,
        act,
        ract,
        resetAfter,
      ]);
      aux = wasm.keep(paux, BT * H);
    } else {
      byBatch(wasm, B, 'rnnForward', (b0, n) => [
        at(pxp, b0, T * G),
        pu,
        at(phs, b0, T * H),
        at(pmask, b0, T),
        T,
        n,
        H,
        act,
      ]);
    }
    const hs = wasm.keep(phs, BT * H);
    const gates = spec.cell === 'simpleRNN' ? null : wasm.keep(pxp, BT * G);
    // tf.customGrad returns one tensor: [B, S (+1), H], the states (all steps or the last) and,
    // for an LSTM asked for its state, the last cell state as one more step.
    let value: tf.Tensor;
    if (!withCell) {
      value = wantSequence
        ? tf.tensor3d(hs.slice(), [B, T, H])
        : tf.tensor2d(lastOf(hs, B, T, H), [B, H]);
    } else {
      const packed = new Float32Array(B * (S + 1) * H);
      for (let b = 0; b < B; b++) {
        const from = wantSequence ? b * T * H : (b * T + T - 1) * H;
        packed.set(hs.subarray(from, (b * T + T) * H), b * (S + 1) * H);
        packed.set(
          (cs as Float32Array).subarray((b * T + T - 1) * H, (b * T + T) * H),
          (b * (S + 1) + S) * H,
        );
      }
      value = tf.tensor3d(packed, [B, S + 1, H]);
    }
    let released = false;
    const gradFunc = (dy: tf.Tensor | tf.Tensor[]) => {
      if (released) {
        throw new Error('fused recurrent layer: the backward pass of one forward call ran twice');
      }
      const dyData = f32(Array.isArray(dy) ? dy[0] : dy);
      wasm.reset();
      let pdh: number;
      let dcLast: Float32Array | null = null;
      if (wantSequence && !withCell) pdh = wasm.put(dyData);
      else {
        pdh = zeros(wasm, BT * H);
        const view = wasm.view(pdh, BT * H);
        const rows = withCell ? S + 1 : 1;
        for (let b = 0; b < B; b++) {
          const to = wantSequence ? b * T * H : (b * T + T - 1) * H;
          view.set(dyData.subarray(b * rows * H, (b * rows + S) * H), to);
        }
        if (withCell) {
          dcLast = new Float32Array(B * H);
          for (let b = 0; b < B; b++)
            dcLast.set(dyData.subarray((b * rows + S) * H, (b * rows + S + 1) * H), b * H);
        }
      }
      const pu2 = wasm.put(uData);
      const puT = wasm.alloc(G * H);
      k.transpose(pu2, puT, H, G);
      const pm = mask ? wasm.put(mask) : 0;
      const pdgx = wasm.alloc(BT * G);
      let pdgr = pdgx;
      const pdu = wasm.alloc(H * G);
      if (lstm) {
        const pg = wasm.put(gates as Float32Array);
        const pcs = wasm.put(cs as Float32Array);
        const pac = wasm.put(aux as Float32Array);
        const pdc = dcLast ? wasm.put(dcLast) : zeros(wasm, B * H);
        byBatch(wasm, B, 'lstmBackward', (b0, n) => [
          at(pg, b0, T * G),
          at(pcs, b0, T * H),
          at(pac, b0, T * H),
          at(pdh, b0, T * H),
          at(pdc, b0, H),
          puT,
          at(pdgx, b0, T * G),
          at(pm, b0, T),
          T,
          n,
          H,
          act,
          ract,
        ]);
        const phT = previousStatesTransposed(wasm, hs, B, T, H);
        gemmByColumns(wasm, phT, BT, pdgx, G, pdu, G, H, BT, G);
      } else if (gru) {
        const pg = wasm.put(gates as Float32Array);
        const phs = wasm.put(hs);
        const paux = wasm.put(aux as Float32Array);
        pdgr = wasm.alloc(BT * G);
        const pdtmp = wasm.alloc(B * H);
        byBatch(wasm, B, 'gruBackward', (b0, n) => [
          at(pg, b0, T * G),
          at(phs, b0, T * H),
          at(paux, b0, T * H),
          at(pdh, b0, T * H),
          puT,
          at(pdgx, b0, T * G),
          at(pdgr, b0, T * G),
          at(pdtmp, b0, H),
          at(pm, b0, T),
          T,
          n,
          H,
          act,
          ract,
          resetAfter,
        ]);
        const phT = previousStatesTransposed(wasm, hs, B, T, H);
        if (resetAfter) {
          gemmByColumns(wasm, phT, BT, pdgr, G, pdu, G, H, BT, G);
        } else {
          gemmByColumns(wasm, phT, BT, pdgr, G, pdu, G, H, BT, 2 * H);
          const pauxT = wasm.alloc(BT * H);
          k.transpose(paux, pauxT, BT, H);
          gemmByColumns(wasm, pauxT, BT, pdgr + 8 * H, G, pdu + 8 * H, G, H, BT, H);
        }
      } else {
        const phs = wasm.put(hs);
        byBatch(wasm, B, 'rnnBackward', (b0, n) => [
          at(phs, b0, T * H),
          at(pdh, b0, T * H),
          puT,
          at(pdgx, b0, T * G),
          at(pm, b0, T),
          T,
          n,
          H,
          act,
        ]);
        const phT = previousStatesTransposed(wasm, hs, B, T, H);
        gemmByColumns(wasm, phT, BT, pdgx, G, pdu, G, H, BT, G);
      }
      // input side: dX = dG·Wᵀ, dW = Xᵀ·dG, db = Σ dG
      const pw2 = wasm.put(wData);
      const pwT = wasm.alloc(G * F);
      k.transpose(pw2, pwT, F, G);
      const pdx = wasm.alloc(BT * F);
      byBatch(wasm, B, 'gemm', (b0, n) => [
        at(pdgx, b0, T * G),
        G,
        pwT,
        F,
        at(pdx, b0, T * F),
        F,
        n * T,
        G,
        F,
        0,
      ]);
      const px2 = wasm.put(xData);
      const pxT = wasm.alloc(BT * F);
      k.transpose(px2, pxT, BT, F);
      const pdw = wasm.alloc(F * G);
      gemmByColumns(wasm, pxT, BT, pdgx, G, pdw, G, F, BT, G);
      let db: tf.Tensor = tf.tensor1d(columnSums(wasm, pdgx, BT, G));
      if (resetAfter && bIn.rank === 2) {
        const dbr = columnSums(wasm, pdgr, BT, G);
        const both = new Float32Array(2 * G);
        both.set(db.dataSync() as Float32Array);
        both.set(dbr, G);
        db.dispose();
        db = tf.tensor2d(both, [2, G]);
      }
      wasm.release(gates, cs, aux, hs);
      released = true;
      return [
        tf.tensor3d(wasm.read(pdx, BT * F), [B, T, F]),
        tf.tensor2d(wasm.read(pdw, F * G), [F, G]),
        tf.tensor2d(wasm.read(pdu, H * G), [H, G]),
        db,
      ];
    };
    return { value, gradFunc };
  });
  const out = op(x, kernel, u, biasIn);
  if (!bias) biasIn.dispose();
  let states = out as tf.Tensor;
  let c: tf.Tensor2D | undefined;
  if (withCell) {
    c = tf.reshape(tf.slice(states, [0, S, 0], [B, 1, H]), [B, H]) as tf.Tensor2D;
    states = tf.slice(states, [0, 0, 0], [B, S, H]);
    if (!wantSequence) states = tf.reshape(states, [B, H]);
  }
  if (!wantSequence) return { hs: null, last: states as tf.Tensor2D, c };
  const last = tf.reshape(tf.slice(states, [0, T - 1, 0], [B, 1, H]), [B, H]) as tf.Tensor2D;
  return { hs: states as tf.Tensor3D, last, c };
}
