import * as tf from '@tensorflow/tfjs';
import {
  ACTIVATION_CODES,
  type FusedActivation,
  type FusedWasm,
  getFusedWasm,
} from './wasm-kernel';

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
  /** [batch, steps, units]. */
  hs: tf.Tensor3D;
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
 * Chooses how the fused layers run (see {@link FusedImplementation}); returns the previous choice.
 * @example
 * ```ts
 * import { setFusedImplementation } from '@seqlearn/rnn-models';
 * setFusedImplementation('tf'); // tf ops everywhere, e.g. to compare
 * ```
 */
export function setFusedImplementation(choice: FusedImplementation): FusedImplementation {
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
 * Runs the recurrence of a fused layer over precomputed input projections.
 * @param xp [batch, steps, gates·units]: x·W + b for every step (time already reversed for
 *   `goBackwards`).
 * @param u the recurrent kernel [units, gates·units].
 * @param brec GRU with `resetAfter` only: the recurrent bias [3·units].
 * @param mask [batch, steps], 1 to compute the step and 0 to carry the state through it.
 */
export function runRecurrence(
  spec: RecurrenceSpec,
  xp: tf.Tensor3D,
  u: tf.Tensor2D,
  brec: tf.Tensor1D | null,
  mask: Float32Array | null,
  wantCell: boolean,
): RecurrenceResult {
  const wasm = activeFusedImplementation() === 'wasm' ? getFusedWasm() : null;
  if (wasm) {
    if (spec.cell === 'lstm') return lstmWasm(wasm, spec, xp, u, mask, wantCell);
    if (spec.cell === 'gru') return { hs: gruWasm(wasm, spec, xp, u, brec, mask) };
    return { hs: rnnWasm(wasm, spec, xp, u, mask) };
  }
  return recurrenceTf(spec, xp, u, brec, mask, wantCell);
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
): RecurrenceResult {
  const [batch, steps, width] = xp.shape;
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
  void width;
  return {
    hs: tf.stack(hs, 1) as tf.Tensor3D,
    c: wantCell && spec.cell === 'lstm' ? (c as tf.Tensor2D) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// wasm kernel (whole time loop in one call; hand-written backward through time)
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

function lstmWasm(
  wasm: FusedWasm,
  spec: RecurrenceSpec,
  xp: tf.Tensor3D,
  u: tf.Tensor2D,
  mask: Float32Array | null,
  wantCell: boolean,
): RecurrenceResult {
  const [B, T, G] = xp.shape;
  const H = G / 4;
  const act = ACTIVATION_CODES[spec.activation];
  const ract = ACTIVATION_CODES[spec.recurrentActivation];
  const k = wasm.exports;
  const op = customGrad((xpIn: tf.Tensor, uIn: tf.Tensor) => {
    const uData = f32(uIn).slice();
    wasm.reset();
    const pxp = wasm.put(f32(xpIn));
    const pu = wasm.put(uData);
    const phs = wasm.alloc(B * T * H);
    const pcs = wasm.alloc(B * T * H);
    const pac = wasm.alloc(B * T * H);
    const pmask = mask ? wasm.put(mask) : 0;
    k.lstmForward(pxp, pu, phs, pcs, pac, pmask, T, B, H, act, ract);
    const gates = wasm.read(pxp, B * T * G);
    const hs = wasm.read(phs, B * T * H);
    const cs = wasm.read(pcs, B * T * H);
    const ac = wasm.read(pac, B * T * H);
    const hsT = tf.tensor3d(hs, [B, T, H]);
    let value: tf.Tensor | tf.Tensor[] = hsT;
    if (wantCell) {
      const last = new Float32Array(B * H);
      for (let b = 0; b < B; b++)
        last.set(cs.subarray((b * T + T - 1) * H, (b * T + T) * H), b * H);
      value = [hsT, tf.tensor2d(last, [B, H])];
    }
    const gradFunc = (dy: tf.Tensor | tf.Tensor[]) => {
      const dys = Array.isArray(dy) ? dy : [dy];
      wasm.reset();
      const pg = wasm.put(gates);
      const pcs2 = wasm.put(cs);
      const pac2 = wasm.put(ac);
      const pdh = wasm.put(f32(dys[0]));
      const pdc = wantCell && dys[1] ? wasm.put(f32(dys[1])) : zeros(wasm, B * H);
      const pu2 = wasm.put(uData);
      const puT = wasm.alloc(G * H);
      k.transpose(pu2, puT, H, G);
      const pdg = wasm.alloc(B * T * G);
      const pm = mask ? wasm.put(mask) : 0;
      k.lstmBackward(pg, pcs2, pac2, pdh, pdc, puT, pdg, pm, T, B, H, act, ract);
      const phT = previousStatesTransposed(wasm, hs, B, T, H);
      const pdu = wasm.alloc(H * G);
      k.gemm(phT, B * T, pdg, G, pdu, G, H, B * T, G, 0);
      return [
        tf.tensor3d(wasm.read(pdg, B * T * G), [B, T, G]),
        tf.tensor2d(wasm.read(pdu, H * G), [H, G]),
      ];
    };
    return { value, gradFunc };
  });
  const out = op(xp, u);
  if (Array.isArray(out)) return { hs: out[0] as tf.Tensor3D, c: out[1] as tf.Tensor2D };
  return { hs: out as tf.Tensor3D };
}

function gruWasm(
  wasm: FusedWasm,
  spec: RecurrenceSpec,
  xp: tf.Tensor3D,
  u: tf.Tensor2D,
  brec: tf.Tensor1D | null,
  mask: Float32Array | null,
): tf.Tensor3D {
  const [B, T, G] = xp.shape;
  const H = G / 3;
  const act = ACTIVATION_CODES[spec.activation];
  const ract = ACTIVATION_CODES[spec.recurrentActivation];
  const resetAfter = spec.resetAfter ? 1 : 0;
  const k = wasm.exports;
  const bias = brec ?? tf.zeros([G]);
  const op = customGrad((xpIn: tf.Tensor, uIn: tf.Tensor, bIn: tf.Tensor) => {
    const uData = f32(uIn).slice();
    wasm.reset();
    const pxp = wasm.put(f32(xpIn));
    const pu = wasm.put(uData);
    const pb = wasm.put(f32(bIn));
    const phs = wasm.alloc(B * T * H);
    const paux = wasm.alloc(B * T * H);
    const prec = wasm.alloc(B * G);
    const pmask = mask ? wasm.put(mask) : 0;
    k.gruForward(pxp, pu, pb, phs, paux, prec, pmask, T, B, H, act, ract, resetAfter);
    const gates = wasm.read(pxp, B * T * G);
    const hs = wasm.read(phs, B * T * H);
    const aux = wasm.read(paux, B * T * H);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[]) => {
      const dys = Array.isArray(dy) ? dy : [dy];
      wasm.reset();
      const pg = wasm.put(gates);
      const phs2 = wasm.put(hs);
      const paux2 = wasm.put(aux);
      const pdh = wasm.put(f32(dys[0]));
      const pu2 = wasm.put(uData);
      const puT = wasm.alloc(G * H);
      k.transpose(pu2, puT, H, G);
      const pdgx = wasm.alloc(B * T * G);
      const pdgr = wasm.alloc(B * T * G);
      const pdtmp = wasm.alloc(B * H);
      const pm = mask ? wasm.put(mask) : 0;
      k.gruBackward(
        pg,
        phs2,
        paux2,
        pdh,
        puT,
        pdgx,
        pdgr,
        pdtmp,
        pm,
        T,
        B,
        H,
        act,
        ract,
        resetAfter,
      );
      const phT = previousStatesTransposed(wasm, hs, B, T, H);
      const pdu = wasm.alloc(H * G);
      if (resetAfter) {
        k.gemm(phT, B * T, pdgr, G, pdu, G, H, B * T, G, 0);
      } else {
        k.gemm(phT, B * T, pdgr, G, pdu, G, H, B * T, 2 * H, 0);
        const pauxT = wasm.alloc(B * T * H);
        k.transpose(paux2, pauxT, B * T, H);
        k.gemm(pauxT, B * T, pdgr + 8 * H, G, pdu + 8 * H, G, H, B * T, H, 0);
      }
      const pones = wasm.alloc(B * T);
      wasm.view(pones, B * T).fill(1);
      const pdb = wasm.alloc(G);
      k.gemm(pones, B * T, pdgr, G, pdb, G, 1, B * T, G, 0);
      return [
        tf.tensor3d(wasm.read(pdgx, B * T * G), [B, T, G]),
        tf.tensor2d(wasm.read(pdu, H * G), [H, G]),
        tf.tensor1d(wasm.read(pdb, G)),
      ];
    };
    return { value: tf.tensor3d(hs, [B, T, H]), gradFunc };
  });
  const out = op(xp, u, bias) as tf.Tensor3D;
  if (!brec) bias.dispose();
  return out;
}

function rnnWasm(
  wasm: FusedWasm,
  spec: RecurrenceSpec,
  xp: tf.Tensor3D,
  u: tf.Tensor2D,
  mask: Float32Array | null,
): tf.Tensor3D {
  const [B, T, H] = xp.shape;
  const act = ACTIVATION_CODES[spec.activation];
  const k = wasm.exports;
  const op = customGrad((xpIn: tf.Tensor, uIn: tf.Tensor) => {
    const uData = f32(uIn).slice();
    wasm.reset();
    const pxp = wasm.put(f32(xpIn));
    const pu = wasm.put(uData);
    const phs = wasm.alloc(B * T * H);
    const pmask = mask ? wasm.put(mask) : 0;
    k.rnnForward(pxp, pu, phs, pmask, T, B, H, act);
    const hs = wasm.read(phs, B * T * H);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[]) => {
      const dys = Array.isArray(dy) ? dy : [dy];
      wasm.reset();
      const phs2 = wasm.put(hs);
      const pdh = wasm.put(f32(dys[0]));
      const pu2 = wasm.put(uData);
      const puT = wasm.alloc(H * H);
      k.transpose(pu2, puT, H, H);
      const pdg = wasm.alloc(B * T * H);
      const pm = mask ? wasm.put(mask) : 0;
      k.rnnBackward(phs2, pdh, puT, pdg, pm, T, B, H, act);
      const phT = previousStatesTransposed(wasm, hs, B, T, H);
      const pdu = wasm.alloc(H * H);
      k.gemm(phT, B * T, pdg, H, pdu, H, H, B * T, H, 0);
      return [
        tf.tensor3d(wasm.read(pdg, B * T * H), [B, T, H]),
        tf.tensor2d(wasm.read(pdu, H * H), [H, H]),
      ];
    };
    return { value: tf.tensor3d(hs, [B, T, H]), gradFunc };
  });
  return op(xp, u) as tf.Tensor3D;
}
