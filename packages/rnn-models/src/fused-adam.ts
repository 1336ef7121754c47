import * as tf from '@tensorflow/tfjs';

/** The slots of tfjs' AdamOptimizer that this class updates (private in its typings). */
interface AdamSlots {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

type Gradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

function floats(t: tf.Tensor): Float32Array {
  const data = t.dataSync();
  return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
}

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
    // accBeta = beta^t for this step t, as tfjs keeps it (a float32 scalar)
    const accBeta1 = slots.accBeta1.dataSync()[0] as number;
    const accBeta2 = slots.accBeta2.dataSync()[0] as number;
    const correction1 = 1 - accBeta1;
    const correction2 = 1 - accBeta2;
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
      const gradient = Array.isArray(variableGradients)
        ? variableGradients[i]?.tensor
        : variableGradients[name];
      if (gradient == null) return;
      const mVar = slots.accumulatedFirstMoment[i].variable;
      const vVar = slots.accumulatedSecondMoment[i].variable;
      const g = floats(gradient);
      const m0 = floats(mVar);
      const v0 = floats(vVar);
      const x0 = floats(value);
      const n = x0.length;
      const m = new Float32Array(n);
      const v = new Float32Array(n);
      const x = new Float32Array(n);
      const a = 1 - beta1;
      const b = 1 - beta2;
      for (let j = 0; j < n; j++) {
        const gj = g[j] as number;
        const mj = beta1 * (m0[j] as number) + a * gj;
        const vj = beta2 * (v0[j] as number) + b * gj * gj;
        m[j] = mj;
        v[j] = vj;
        x[j] =
          (x0[j] as number) - (lr * (mj / correction1)) / (Math.sqrt(vj / correction2) + epsilon);
      }
      assign(mVar, m);
      assign(vVar, v);
      assign(value, x);
    });
    assign(slots.accBeta1, Float32Array.of(accBeta1 * beta1));
    assign(slots.accBeta2, Float32Array.of(accBeta2 * beta2));
    (this as unknown as { incrementIterations(): void }).incrementIterations();
  }
}

function assign(variable: tf.Variable, values: Float32Array): void {
  const t = tf.tensor(values, variable.shape, 'float32');
  variable.assign(t);
  t.dispose();
}
