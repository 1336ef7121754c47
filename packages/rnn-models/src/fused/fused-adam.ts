import * as tf from '@tensorflow/tfjs';
import { heapKernels, heapOffset } from '../wasm/heap-kernels';
import { allocate, type DirectKernelBackend, kernelConfig, view } from '../wasm/kernel-io';
import { type FusedWasm, getFusedWasm } from '../wasm/wasm-kernel';
import { activeFusedImplementation } from './recurrence';

/** The slots of tfjs' AdamOptimizer that this class updates (private in its typings). */
interface AdamSlots {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

type Gradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

/**
 * Adam (Kingma & Ba; the update of `tf.train.adam`, Keras and `torch.optim.Adam`) computed in one
 * pass over each variable's values instead of tfjs' fourteen tensor ops per variable: on the wasm
 * backend each op costs a fixed ~0.05-0.2 ms, which made the optimizer 40% of a small Conv1D
 * model's training step. A subclass of tfjs' `AdamOptimizer` with the same constructor, defaults,
 * state and serialisation (it saves and loads as `Adam`, and `getWeights`/`setWeights` carry the
 * same moment variables), so models compiled with it load anywhere. `compileModel` and `train`
 * use it for `optimizer: 'adam'`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FusedAdam } from '@seqlearn/rnn-models';
 * const w = tf.variable(tf.tensor1d([1, -2]));
 * const adam = new FusedAdam(0.1);
 * adam.minimize(() => tf.sum(tf.square(w)));
 * console.log(Array.from(w.dataSync()).map((v) => v.toFixed(2))); // [ '0.90', '-1.90' ]
 * ```
 */
export class FusedAdam extends tf.AdamOptimizer {
  /**
   * @param learningRate step size. @default 0.001
   * @param beta1 decay of the first-moment estimate. @default 0.9
   * @param beta2 decay of the second-moment estimate. @default 0.999
   * @param epsilon added to the root of the second moment; @default the backend's epsilon (1e-7
   *   for float32), as `tf.train.adam`
   */
  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) {
    super(learningRate, beta1, beta2, epsilon as number);
  }

  override applyGradients(variableGradients: Gradients): void {
    const slots = this as unknown as AdamSlots;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const gradients = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.tensor)
      : names.map((name) => variableGradients[name]);
    // the wasm kernel on the wasm and cpu backends (as the fused layers); elsewhere (webgl,
    // tfjs-node, no wasm SIMD) or for other dtypes, tfjs' own tensor ops are the fast way
    const float32 = names.every(
      (name, i) =>
        tf.engine().registeredVariables[name]?.dtype === 'float32' &&
        (gradients[i] == null || gradients[i]?.dtype === 'float32'),
    );
    if (activeFusedImplementation() !== 'wasm' || !float32) {
      super.applyGradients(variableGradients as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
      return;
    }
    ensureAdamKernel(tf.getBackend() as DirectKernelBackend);
    // accBeta = beta^t for this step t, as tfjs keeps it (a float32 scalar)
    const accBeta1 = slots.accBeta1.dataSync()[0] as number;
    const accBeta2 = slots.accBeta2.dataSync()[0] as number;
    const correction1 = Math.fround(1 - accBeta1);
    const correction2 = Math.fround(1 - accBeta2);
    const {
      beta1,
      beta2,
      learningRate: lr,
      epsilon,
    } = this as unknown as {
      beta1: number;
      beta2: number;
      learningRate: number;
      epsilon: number;
    };
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name] as tf.Variable;
      if (slots.accumulatedFirstMoment[i] == null) {
        slots.accumulatedFirstMoment[i] = {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
      }
      if (slots.accumulatedSecondMoment[i] == null) {
        slots.accumulatedSecondMoment[i] = {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
      }
      const gradient = gradients[i];
      if (gradient == null) return;
      const mVar = slots.accumulatedFirstMoment[i].variable;
      const vVar = slots.accumulatedSecondMoment[i].variable;
      const attrs = { learningRate: lr, beta1, beta2, epsilon, correction1, correction2 };
      const [x, m, v] = tf
        .engine()
        .runKernel(ADAM_KERNEL, { x: value, m: mVar, v: vVar, g: gradient }, attrs) as tf.Tensor[];
      for (const [variable, next] of [
        [value, x],
        [mVar, m],
        [vVar, v],
      ] as [tf.Variable, tf.Tensor][]) {
        variable.assign(next);
        next.dispose();
      }
    });
    // float32 products, as tfjs keeps them: c2 = 1 - β2^t is small, so its rounding matters
    assign(slots.accBeta1, Float32Array.of(accBeta1 * Math.fround(beta1)));
    assign(slots.accBeta2, Float32Array.of(accBeta2 * Math.fround(beta2)));
    (this as unknown as { incrementIterations(): void }).incrementIterations();
  }
}

function assign(variable: tf.Variable, values: Float32Array): void {
  const t = tf.tensor(values, variable.shape, 'float32');
  variable.assign(t);
  t.dispose();
}

/** The kernel that computes one variable's step: inputs x, m, v, g; outputs the new x, m, v. */
const ADAM_KERNEL = 'SeqlearnAdamUpdate';

/** Fewer floats than this per thread and a share is not worth a thread's wake-up. */
const MIN_FLOATS_PER_THREAD = 65536;

interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

function ensureAdamKernel(backendName: DirectKernelBackend): void {
  if (tf.getKernel(ADAM_KERNEL, backendName)) return;
  tf.registerKernel(
    kernelConfig(ADAM_KERNEL, backendName, ({ inputs, backend, attrs }) => {
      const { x, m, v, g } = inputs as Record<'x' | 'm' | 'v' | 'g', tf.TensorInfo>;
      const a = attrs as unknown as AdamAttrs;
      const outs = [x, m, v].map((t) => allocate(backend, t.shape, 'float32'));
      // views only after every allocation: a wasm allocation may move the heap
      const [xs, ms, vs, gs] = [x, m, v, g].map((t) => view(backend, t) as Float32Array) as [
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      const [xo, mo, vo] = outs.map((t) => view(backend, t) as Float32Array) as [
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      const n = xs.length;
      // the update's scalars, after the buffers and the length, as both kernels take them
      const scalars = [
        a.learningRate,
        a.beta1,
        a.beta2,
        a.epsilon,
        a.correction1,
        a.correction2,
        1 - a.beta1,
        1 - a.beta2,
      ] as const;
      const heap = heapKernels(backend);
      if (heap) {
        // in the wasm backend's own memory, where the tensors are: nothing copied (for
        // imdb-lstm's 1.28M-float embedding, 36 MB of copies a step), on the calling thread (the
        // update is memory-bound)
        const at = (t: tf.TensorInfo) => heapOffset(backend, t);
        const [ox, om, ov] = outs as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
        heap.adamUpdateTo(at(x), at(m), at(v), at(g), at(ox), at(om), at(ov), n, ...scalars);
        return outs;
      }
      const wasm = getFusedWasm() as FusedWasm;
      {
        wasm.reset();
        const px = wasm.put(xs);
        const pm = wasm.put(ms);
        const pv = wasm.put(vs);
        const pg = wasm.put(gs);
        wasm.shares('adamUpdate', wasm.split(n, MIN_FLOATS_PER_THREAD, 4), (i0, count) => [
          px + i0 * 4,
          pm + i0 * 4,
          pv + i0 * 4,
          pg + i0 * 4,
          count,
          ...scalars,
        ]);
        xo.set(wasm.view(px, n));
        mo.set(wasm.view(pm, n));
        vo.set(wasm.view(pv, n));
      }
      return outs;
    }),
  );
}
