import type * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from './errors';
import { type FusedWasm, getFusedWasm } from './wasm/wasm-kernel';

// One step of a sequential recurrent model on one sequence, on a snapshot of the model's weights
// (products in the wasm kernels where they run, element-wise work in JavaScript), carrying the
// recurrent layers' state from call to call: what sampling needs (one new token per call), where
// running the model through tfjs would cost a graph walk and a dozen ops per layer, or feeding
// the whole window again. The arithmetic is the layers' own (Keras gate
// orders and formulations, the activations they were built with), so the outputs match
// `model.predict` on the sequence fed so far.

type Activation = (x: number) => number;

const ACTIVATIONS: Record<string, Activation> = {
  linear: (x) => x,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  relu: (x) => Math.max(x, 0),
};

/** A layer's activation by its config name (tfjs serializes some in snake case). */
function activationOf(layer: tf.layers.Layer, key: string, fallback: string): Activation | string {
  const raw = (layer.getConfig()[key] as string | undefined) ?? fallback;
  const name = raw === 'hard_sigmoid' ? 'hardSigmoid' : raw;
  return ACTIVATIONS[name] ?? raw;
}

/**
 * A weight matrix [rows, cols] of a stepper: pinned in the kernels' wasm memory where the module
 * runs (its SIMD product of one row is about ten times faster than a JavaScript loop), else read
 * in JavaScript.
 */
class Matrix {
  readonly ptr: number;
  constructor(
    readonly data: Float32Array,
    readonly rows: number,
    readonly cols: number,
    private readonly wasm: FusedWasm | null,
  ) {
    this.ptr = wasm ? wasm.pin(data) : 0;
  }

  /** out[0..n) = b + x · W[:, col0 .. col0 + n) (b may be null). */
  product(x: Float32Array, b: Float32Array | null, out: Float32Array, col0 = 0, n = this.cols) {
    const { rows, cols, wasm } = this;
    if (this.ptr && wasm) {
      wasm.reset();
      const px = wasm.put(x.subarray(0, rows));
      const pc = wasm.alloc(n);
      wasm.exports.gemm(px, rows, this.ptr + col0 * 4, cols, pc, n, 1, rows, n, 0);
      out.set(wasm.view(pc, n));
      if (b) for (let j = 0; j < n; j++) out[j] += b[j];
      return;
    }
    if (b) out.set(b.subarray(0, n));
    else out.fill(0, 0, n);
    const w = this.data;
    // skipping zeros makes a one-hot input a row lookup
    for (let i = 0; i < rows; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const row = i * cols + col0;
      for (let j = 0; j < n; j++) out[j] += xi * w[row + j];
    }
  }

  dispose(): void {
    if (this.ptr) this.wasm?.unpin(this.ptr);
  }
}

interface StepLayer {
  /** Output features. */
  size: number;
  reset(): void;
  /** Unpins the layer's weights. */
  dispose?(): void;
  /** The input layer: how many token ids it takes ([0, tokens)). */
  tokens?: number;
  /** Maps the previous layer's output (or the token, for the first) to this layer's. */
  step(input: Float32Array): Float32Array;
}

function weightsOf(layer: tf.layers.Layer): Float32Array[] {
  return layer.getWeights().map((w) => w.dataSync() as Float32Array);
}

function recurrentStep(
  layer: tf.layers.Layer,
  features: number,
  wasm: FusedWasm | null,
  oneHot: boolean,
): StepLayer | string {
  const className = layer.getClassName();
  const config = layer.getConfig();
  if (config.stateful) return `${layer.name}: a stateful layer`;
  if (config.goBackwards) return `${layer.name}: goBackwards`;
  if (config.returnState) return `${layer.name}: returnState`;
  const units = config.units as number;
  const act = activationOf(layer, 'activation', 'tanh');
  const ract = activationOf(layer, 'recurrentActivation', 'hardSigmoid');
  if (typeof act === 'string') return `${layer.name}: activation '${act}'`;
  if (className !== 'SimpleRNN' && typeof ract === 'string') {
    return `${layer.name}: recurrentActivation '${ract}'`;
  }
  const sig = ract as Activation;
  const [kernelData, recurrentData, bias] = weightsOf(layer);
  const useBias = bias !== undefined;
  const gates = className === 'LSTM' ? 4 : className === 'GRU' ? 3 : 1;
  const G = gates * units;
  if (kernelData.length !== features * G) return `${layer.name}: a kernel of unexpected shape`;
  const H = units;
  // a one-hot input's product is a row lookup: the JavaScript loop, skipping zeros, wins
  const kernel = new Matrix(kernelData, features, G, oneHot ? null : wasm);
  const recurrent = new Matrix(recurrentData, H, G, wasm);
  const resetAfter = className === 'GRU' && Boolean(config.resetAfter);
  const h = new Float32Array(units);
  const c = new Float32Array(units);
  const xp = new Float32Array(G);
  const rec = new Float32Array(G);
  const out = new Float32Array(units);
  const rh = new Float32Array(units);
  const bIn = useBias ? bias.subarray(0, G) : null;
  const bRec = useBias && resetAfter ? bias.subarray(G, 2 * G) : null;
  return {
    size: units,
    reset() {
      h.fill(0);
      c.fill(0);
    },
    dispose() {
      kernel.dispose();
      recurrent.dispose();
    },
    step(x) {
      kernel.product(x, bIn, xp);
      if (className === 'SimpleRNN') {
        recurrent.product(h, null, rec);
        for (let j = 0; j < H; j++) h[j] = act(xp[j] + rec[j]);
      } else if (className === 'LSTM') {
        recurrent.product(h, null, rec);
        for (let j = 0; j < H; j++) {
          const i = sig(xp[j] + rec[j]);
          const f = sig(xp[H + j] + rec[H + j]);
          const g = act(xp[2 * H + j] + rec[2 * H + j]);
          const o = sig(xp[3 * H + j] + rec[3 * H + j]);
          c[j] = f * c[j] + i * g;
          h[j] = o * act(c[j]);
        }
      } else if (resetAfter) {
        recurrent.product(h, bRec, rec);
        for (let j = 0; j < H; j++) {
          const z = sig(xp[j] + rec[j]);
          const r = sig(xp[H + j] + rec[H + j]);
          const n = act(xp[2 * H + j] + r * rec[2 * H + j]);
          out[j] = z * h[j] + (1 - z) * n;
        }
        h.set(out);
      } else {
        // tfjs' GRU: the reset gate scales the state before its product with the candidate's
        // part of the recurrent kernel, columns [2H, 3H)
        recurrent.product(h, null, rec, 0, 2 * H);
        for (let j = 0; j < H; j++) rh[j] = sig(xp[H + j] + rec[H + j]) * h[j];
        recurrent.product(rh, null, out, 2 * H, H);
        for (let j = 0; j < H; j++) {
          const z = sig(xp[j] + rec[j]);
          const n = act(xp[2 * H + j] + out[j]);
          out[j] = z * h[j] + (1 - z) * n;
        }
        h.set(out);
      }
      return h;
    },
  };
}

function denseStep(
  layer: tf.layers.Layer,
  features: number,
  wasm: FusedWasm | null,
): StepLayer | string {
  const config = layer.getConfig();
  const units = config.units as number;
  const name = (config.activation as string | undefined) ?? 'linear';
  const softmax = name === 'softmax';
  const act = softmax ? null : activationOf(layer, 'activation', 'linear');
  if (typeof act === 'string') return `${layer.name}: activation '${act}'`;
  const [kernelData, bias] = weightsOf(layer);
  if (kernelData.length !== features * units) {
    return `${layer.name}: a kernel of unexpected shape`;
  }
  const kernel = new Matrix(kernelData, features, units, wasm);
  const out = new Float32Array(units);
  return {
    size: units,
    reset() {},
    dispose() {
      kernel.dispose();
    },
    step(x) {
      kernel.product(x, bias ?? null, out);
      if (softmax) {
        let max = -Infinity;
        for (let j = 0; j < units; j++) max = Math.max(max, out[j]);
        let sum = 0;
        for (let j = 0; j < units; j++) {
          out[j] = Math.exp(out[j] - max);
          sum += out[j];
        }
        for (let j = 0; j < units; j++) out[j] /= sum;
      } else if (act) {
        for (let j = 0; j < units; j++) out[j] = act(out[j]);
      }
      return out;
    },
  };
}

/** Layers that change nothing at inference. */
const IDENTITY = new Set([
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Masking',
  'InputLayer',
]);

/**
 * One step of a model on one sequence, carrying its recurrent state: see {@link createStepper}.
 */
export interface ModelStepper {
  /** Output features of the model. */
  readonly outputSize: number;
  /**
   * Feeds one token (an id: a row of the `Embedding`, or the position of the one-hot 1; -1 for
   * no token, a zero input) and returns the model's output for the sequence so far. The array is
   * reused by the next call.
   * @throws {RnnModelsError} `INVALID_ARGUMENT` (`token`) for an id that is not an integer in
   * [-1, vocabulary); (`stepper`) after `dispose()`.
   */
  step(token: number): Float32Array;
  /** Zeroes the recurrent state, as at the start of a sequence. */
  reset(): void;
  /** Frees the weights' copy in the kernels' memory; the stepper cannot step afterwards. */
  dispose(): void;
}

/**
 * Why {@link createStepper} cannot step `model`, or null when it can: a `tf.Sequential` of an
 * optional `Embedding` (else one-hot input), `SimpleRNN` / `LSTM` / `GRU` layers (stock or fused,
 * not bidirectional, stateful, going backwards or returning state), `Dense` layers (also inside
 * `TimeDistributed`) and layers that change nothing at inference (dropout, noise, masking).
 */
export function stepperUnsupported(model: tf.LayersModel): string | null {
  const built = build(model, null);
  return typeof built === 'string' ? built : null;
}

/** The step layers of `model`, or why there are none (pinning nothing then). */
function build(model: tf.LayersModel, wasm: FusedWasm | null): StepLayer[] | string {
  const layers: StepLayer[] = [];
  const result = buildInto(model, wasm, layers);
  if (typeof result === 'string') for (const layer of layers) layer.dispose?.();
  return result;
}

function buildInto(
  model: tf.LayersModel,
  wasm: FusedWasm | null,
  layers: StepLayer[],
): StepLayer[] | string {
  const m = model as Partial<tf.LayersModel> | null;
  if (!m || typeof m !== 'object' || !Array.isArray(m.layers) || !Array.isArray(m.inputs)) {
    return `${m === null ? 'null' : typeof m}, not a tf.LayersModel`;
  }
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    return 'a model with several inputs or outputs';
  if (model.getClassName() !== 'Sequential') return 'a model that is not a tf.Sequential';
  let features = 0;
  let oneHot = false;
  for (const [index, layer] of model.layers.entries()) {
    const className = layer.getClassName();
    if (IDENTITY.has(className)) continue;
    if (index === 0 && className === 'Embedding') {
      const [table] = weightsOf(layer);
      const dim = layer.getConfig().outputDim as number;
      const rows = table.length / dim;
      const row = new Float32Array(dim);
      features = dim;
      layers.push({
        size: dim,
        tokens: rows,
        reset() {},
        step(token) {
          const id = token[0];
          if (!(id >= 0 && id < rows)) row.fill(0);
          else row.set(table.subarray(id * dim, (id + 1) * dim));
          return row;
        },
      });
      continue;
    }
    if (layers.length === 0) {
      const shape = model.inputs[0].shape;
      const size = shape[shape.length - 1];
      if (shape.length !== 3 || typeof size !== 'number') {
        return 'a model whose input is neither token ids into an Embedding nor [batch, steps, features]';
      }
      features = size;
      oneHot = true;
      const onehot = new Float32Array(size);
      layers.push({
        size,
        tokens: size,
        reset() {},
        step(token) {
          onehot.fill(0);
          const id = token[0];
          if (id >= 0 && id < size) onehot[id] = 1;
          return onehot;
        },
      });
    }
    let next: StepLayer | string;
    if (className === 'LSTM' || className === 'GRU' || className === 'SimpleRNN') {
      next = recurrentStep(layer, features, wasm, oneHot && layers.length === 1);
    } else if (className === 'Dense') {
      next = denseStep(layer, features, wasm);
    } else if (className === 'TimeDistributed') {
      const inner = (layer as unknown as { layer: tf.layers.Layer }).layer;
      next =
        inner?.getClassName() === 'Dense'
          ? denseStep(inner, features, wasm)
          : `${layer.name}: TimeDistributed(${inner?.getClassName()})`;
    } else {
      next = `${layer.name}: a ${className} layer`;
    }
    if (typeof next === 'string') return next;
    layers.push(next);
    features = next.size;
  }
  if (layers.length < 2) return 'a model without layers to step';
  return layers;
}

/**
 * Steps `model` one token at a time on one sequence, carrying its recurrent layers' state between
 * calls, in plain JavaScript on a snapshot of its weights: after feeding tokens t1..tn, `step(tn)`
 * returns what `model.predict` gives for the sequence t1..tn (at its last step). Sampling one
 * token per call (as {@link generateText} does with `carryState`) then costs one step of
 * arithmetic instead of a pass over the whole window. Weights are read when the stepper is
 * made: make a new one after training further, and `dispose()` it when done (its copy of the
 * weights stays in the wasm kernels' memory until then).
 * @example
 * ```ts
 * import { createRnnClassifier, createStepper } from '@seqlearn/rnn-models';
 * const model = createRnnClassifier({ cell: 'lstm', units: 8, inputShape: [null, 3], numClasses: 3, seed: 1 });
 * const stepper = createStepper(model);
 * stepper.step(0);
 * const probabilities = stepper.step(2); // as model.predict on the one-hot sequence [0, 2]
 * console.log(probabilities.length); // 3
 * stepper.dispose();
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` naming what the stepper cannot run (see
 * {@link stepperUnsupported}).
 */
export function createStepper(model: tf.LayersModel): ModelStepper {
  const stepper = stepperOf(model);
  if (typeof stepper === 'string') {
    throw new RnnModelsError({
      code: 'INVALID_ARGUMENT',
      argument: 'model',
      message: `createStepper: expected a tf.Sequential of an optional Embedding, SimpleRNN/LSTM/GRU and Dense layers; got ${stepper}`,
    });
  }
  return stepper;
}

/** {@link createStepper}'s stepper, or why there is none (as {@link stepperUnsupported}). */
export function stepperOf(model: tf.LayersModel): ModelStepper | string {
  const built = build(model, getFusedWasm());
  if (typeof built === 'string') return built;
  const layers = built;
  const tokens = layers[0].tokens as number;
  let disposed = false;
  const token = new Float32Array(1);
  return {
    outputSize: layers[layers.length - 1].size,
    step(id) {
      if (disposed)
        throw new RnnModelsError({
          code: 'INVALID_ARGUMENT',
          argument: 'stepper',
          message: 'createStepper: step() after dispose()',
        });
      if (!(Number.isInteger(id) && id >= -1 && id < tokens)) {
        throw new RnnModelsError({
          code: 'INVALID_ARGUMENT',
          argument: 'token',
          message: `createStepper: step(token): expected an integer id in [0, ${tokens}) (or -1 for no token, a zero input), got ${id}`,
        });
      }
      token[0] = id;
      let x: Float32Array = token;
      for (const layer of layers) x = layer.step(x);
      return x;
    },
    reset() {
      for (const layer of layers) layer.reset();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const layer of layers) layer.dispose?.();
    },
  };
}
