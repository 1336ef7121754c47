import * as tf from '@tensorflow/tfjs';
import { fastOrthogonal } from './fast-orthogonal';
import { argumentError } from './validate';

/** State of a cell: `h` for every cell, and the memory `c` for an LSTM. Each is `[batch, units]`. */
export interface CellState {
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
}

/** Options shared by {@link BasicRNNCell} and {@link LSTMCell}. */
export interface CellOptions {
  /** Features of each input step. */
  inputSize: number;
  /** Size of the hidden state. */
  units: number;
  /**
   * Add a dense projection `y = h·Wy + by` of this size as the cell's output (TensorFlow's
   * `OutputProjectionWrapper`); closed-loop generation needs `outputSize === inputSize`.
   * @default none: the output is `h`
   */
  outputSize?: number;
  /** Seed of the initializers (Glorot-uniform kernels, orthogonal recurrent kernel). @default random */
  seed?: number;
}

/** What {@link unroll} and the training loop need from a cell. */
export interface RecurrentCell<S extends CellState = CellState> {
  readonly inputSize: number;
  readonly units: number;
  /** Size of `call`'s output: `outputSize` when a projection is set, else `units`. */
  readonly outputSize: number;
  /** Every variable of the cell, for `optimizer.minimize(f, false, cell.trainableWeights)`. */
  readonly trainableWeights: tf.Variable[];
  /** A zero state for `batch` sequences. */
  zeroState(batch: number): S;
  /** One step: `input` is `[batch, inputSize]`; returns the output and the new state. */
  call(input: tf.Tensor2D, state: S): { output: tf.Tensor2D; state: S };
  /** Frees the cell's variables. */
  dispose(): void;
}

let cellCount = 0;

/** Base of the from-scratch cells: weights, the optional projection, and closed-loop generation. */
export abstract class CellBase<S extends CellState> implements RecurrentCell<S> {
  readonly inputSize: number;
  readonly units: number;
  readonly outputSize: number;
  /** `[inputSize, gates · units]`, Keras layout. */
  readonly kernel: tf.Variable;
  /** `[units, gates · units]`, Keras layout. */
  readonly recurrentKernel: tf.Variable;
  /** `[gates · units]`. */
  readonly bias: tf.Variable;
  /** `[units, outputSize]` when a projection is set. */
  readonly outputKernel?: tf.Variable;
  /** `[outputSize]` when a projection is set. */
  readonly outputBias?: tf.Variable;

  protected constructor(
    name: string,
    gates: number,
    { inputSize, units, outputSize, seed }: CellOptions,
    bias0: number[],
  ) {
    for (const [key, value] of [
      ['inputSize', inputSize],
      ['units', units],
    ] as const) {
      if (!Number.isInteger(value) || value <= 0) argumentError(key, 'a positive integer', value);
    }
    if (outputSize !== undefined && (!Number.isInteger(outputSize) || outputSize <= 0)) {
      argumentError('outputSize', 'a positive integer or nothing', outputSize);
    }
    if (seed !== undefined && !Number.isInteger(seed)) argumentError('seed', 'an integer', seed);
    this.inputSize = inputSize;
    this.units = units;
    this.outputSize = outputSize ?? units;
    cellCount += 1;
    name = `${name}_${cellCount}`;
    const s = (k: number) => (seed === undefined ? undefined : seed + k);
    this.kernel = tf.variable(
      tf.initializers.glorotUniform({ seed: s(0) }).apply([inputSize, gates * units]),
      true,
      `${name}/kernel`,
    );
    this.recurrentKernel = tf.variable(
      fastOrthogonal(s(1)).apply([units, gates * units]),
      true,
      `${name}/recurrent_kernel`,
    );
    this.bias = tf.variable(tf.tensor1d(bias0), true, `${name}/bias`);
    if (outputSize !== undefined) {
      this.outputKernel = tf.variable(
        tf.initializers.glorotUniform({ seed: s(2) }).apply([units, outputSize]),
        true,
        `${name}/output_kernel`,
      );
      this.outputBias = tf.variable(tf.zeros([outputSize]), true, `${name}/output_bias`);
    }
  }

  get trainableWeights(): tf.Variable[] {
    const out = [this.kernel, this.recurrentKernel, this.bias];
    if (this.outputKernel && this.outputBias) out.push(this.outputKernel, this.outputBias);
    return out;
  }

  /** The weights in the order of {@link trainableWeights} (copies). */
  getWeights(): tf.Tensor[] {
    return this.trainableWeights.map((w) => w.clone());
  }

  /** Sets the weights in the order of {@link trainableWeights}; shapes must match. */
  setWeights(weights: readonly tf.Tensor[]): void {
    const vars = this.trainableWeights;
    if (weights.length !== vars.length)
      argumentError('weights', `${vars.length} tensors`, `${weights.length}`);
    vars.forEach((v, i) => {
      if (!tf.util.arraysEqual(v.shape, weights[i].shape)) {
        argumentError(`weights[${i}]`, `shape [${v.shape}]`, `[${weights[i].shape}]`);
      }
      v.assign(weights[i]);
    });
  }

  abstract zeroState(batch: number): S;
  abstract call(input: tf.Tensor2D, state: S): { output: tf.Tensor2D; state: S };

  /** `h` or its projection. */
  protected project(h: tf.Tensor2D): tf.Tensor2D {
    if (!this.outputKernel || !this.outputBias) return h;
    return tf.add(tf.matMul(h, this.outputKernel), this.outputBias);
  }

  /**
   * Closed-loop generation: runs the cell over `warmUp` (`[steps, inputSize]`, one sequence), then
   * feeds each output back as the next input for `steps` more steps and returns those outputs
   * (`[steps][outputSize]`). Needs `outputSize === inputSize`.
   */
  generate(warmUp: number[][] | tf.Tensor2D, steps: number): number[][] {
    if (this.outputSize !== this.inputSize) {
      argumentError(
        'outputSize',
        `equal to inputSize (${this.inputSize}) to feed outputs back`,
        this.outputSize,
      );
    }
    if (!Number.isInteger(steps) || steps < 0)
      argumentError('steps', 'a non-negative integer', steps);
    return tf.tidy(() => {
      const seq = warmUp instanceof tf.Tensor ? warmUp : tf.tensor2d(warmUp);
      if (seq.rank !== 2 || seq.shape[1] !== this.inputSize || seq.shape[0] < 1) {
        argumentError('warmUp', `[steps >= 1, ${this.inputSize}]`, seq.shape);
      }
      let state = this.zeroState(1);
      let output: tf.Tensor2D | undefined;
      for (const x of tf.unstack(seq)) {
        ({ output, state } = this.call(x.reshape([1, this.inputSize]), state));
      }
      const out: number[][] = [];
      for (let t = 0; t < steps; t++) {
        out.push(Array.from(output!.dataSync()));
        ({ output, state } = this.call(output!, state));
      }
      return out;
    });
  }

  dispose(): void {
    tf.dispose(this.trainableWeights);
  }
}
