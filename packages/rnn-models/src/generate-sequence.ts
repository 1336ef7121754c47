import * as tf from '@tensorflow/tfjs';
import type { RecurrentCell } from './recurrent-cell';
import { argumentError, nonFiniteError } from './validate';

type Generating = RecurrentCell & { generate(warmUp: number[][], steps: number): number[][] };

/**
 * Closed-loop regression: starting from `seed` (a window of past values), predicts the next value,
 * appends it, and feeds the last window back in, `steps` times (e.g. continuing a sine wave). `seed`
 * is `[steps][features]`, or a plain array for one feature (then the result is a plain array too).
 * With a model, the window is its fixed input length (or all values so far); the model must output
 * `features` values. With a from-scratch cell, this is `cell.generate(seed, steps)`.
 * @example
 * ```ts
 * import { createRnnRegressor, generateSequence } from '@seqlearn/rnn-models';
 * const model = createRnnRegressor({ cell: 'lstm', units: 4, inputShape: [10, 1], seed: 0 });
 * const seed = Array.from({ length: 10 }, (_, t) => Math.sin(t / 3));
 * console.log(generateSequence(model, seed, 5).length); // 5
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when the seed does not fit the model;
 * `NON_FINITE_VALUE` for a NaN or ±Infinity in the seed (every prediction would be NaN).
 */
export function generateSequence(
  modelOrCell: tf.LayersModel | Generating,
  seed: readonly number[] | readonly (readonly number[])[],
  steps: number,
): number[] | number[][] {
  if (!Number.isInteger(steps) || steps < 0)
    argumentError('steps', 'a non-negative integer', steps);
  if (!Array.isArray(seed) || seed.length === 0) argumentError('seed', 'a non-empty array', seed);
  const flat = !Array.isArray(seed[0]);
  const rows = (
    flat ? (seed as number[]).map((v) => [v]) : (seed as number[][]).map((r) => [...r])
  ) as number[][];
  const features = rows[0].length;
  if (!rows.every((r) => r.length === features))
    argumentError('seed', `rows of ${features} values`, seed);
  for (let t = 0; t < rows.length; t++) {
    const j = rows[t].findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (j >= 0) nonFiniteError('seed', rows[t][j], flat ? String(t) : `[${t}, ${j}]`);
  }
  let out: number[][];
  if ('generate' in modelOrCell && 'zeroState' in modelOrCell) {
    out = modelOrCell.generate(rows, steps);
  } else {
    const model = modelOrCell as tf.LayersModel;
    const [, window, inFeatures] = model.inputs[0].shape;
    if (inFeatures !== features)
      argumentError('seed', `rows of ${inFeatures} values (the model's features)`, features);
    const outShape = model.outputs[0].shape;
    if (outShape[outShape.length - 1] !== features) {
      argumentError('modelOrCell', `a model with ${features} outputs to feed back`, outShape);
    }
    const values = rows;
    out = [];
    for (let k = 0; k < steps; k++) {
      const context = window == null ? values : values.slice(-window);
      if (window != null && context.length < window) {
        argumentError('seed', `at least ${window} rows (the model's window)`, rows.length);
      }
      const next = tf.tidy(() => {
        let y = model.predict(tf.tensor3d([context])) as tf.Tensor;
        if (y.rank === 3) y = y.slice([0, y.shape[1]! - 1, 0], [1, 1, features]);
        return Array.from(y.dataSync());
      });
      values.push(next);
      out.push(next);
    }
  }
  return flat ? out.map((r) => r[0]) : out;
}
