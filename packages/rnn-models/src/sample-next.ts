import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from './random';
import { argumentError } from './validate';

/** Options for {@link sampleNext}. */
export interface SampleNextOptions {
  /**
   * Softmax temperature: below 1 sharpens, above 1 flattens; 0 picks the most likely index
   * (greedy). @default 1
   */
  temperature?: number;
  /** Sample among the `topK` most likely indices only. @default all */
  topK?: number;
  /** The scores are probabilities (a softmax output), not logits: their log is used. @default false */
  fromProbabilities?: boolean;
  /** Seed of this one draw. @default Math.random */
  seed?: number;
  /** A generator of floats in [0, 1) to draw from (for a seeded stream of draws); overrides `seed`. */
  random?: () => number;
}

/**
 * Draws the next index from a model's scores: `softmax(logits / temperature)`, optionally restricted
 * to the `topK` largest, sampled with a seeded generator. Computed in float64 in JavaScript.
 * @example
 * ```ts
 * import { sampleNext } from '@seqlearn/rnn-models';
 * console.log(sampleNext([2, 1, 0.1], { temperature: 0 })); // 0 (greedy)
 * console.log(sampleNext([2, 1, 0.1], { topK: 1, seed: 7 })); // 0 (only the best is allowed)
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` for empty scores, a negative temperature or a bad `topK`.
 */
export function sampleNext(
  logits: readonly number[] | Float32Array | tf.Tensor,
  { temperature = 1, topK, fromProbabilities = false, seed, random }: SampleNextOptions = {},
): number {
  const raw = logits instanceof tf.Tensor ? Array.from(logits.dataSync()) : Array.from(logits);
  if (raw.length === 0) argumentError('logits', 'at least one score', raw);
  if (typeof temperature !== 'number' || !(temperature >= 0)) {
    argumentError('temperature', 'a number >= 0', temperature);
  }
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 1)) {
    argumentError('topK', 'a positive integer', topK);
  }
  const scores = fromProbabilities ? raw.map((p) => Math.log(Math.max(p, 1e-30))) : raw;
  let candidates = scores.map((s, i) => i);
  if (topK !== undefined && topK < scores.length) {
    candidates = [...candidates].sort((a, b) => scores[b] - scores[a] || a - b).slice(0, topK);
  }
  if (temperature === 0) {
    return candidates.reduce((best, i) => (scores[i] > scores[best] ? i : best), candidates[0]);
  }
  const max = Math.max(...candidates.map((i) => scores[i]));
  const weights = candidates.map((i) => Math.exp((scores[i] - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  const draw = (random ?? (seed === undefined ? Math.random : mulberry32(seed)))() * total;
  let acc = 0;
  for (let k = 0; k < candidates.length; k++) {
    acc += weights[k];
    if (draw < acc) return candidates[k];
  }
  return candidates[candidates.length - 1];
}
