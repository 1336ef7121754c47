import * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from './errors';
import { mulberry32 } from './random';
import {
  argumentError,
  checkOptions,
  checkSeed,
  firstNonFinite,
  nonFiniteError,
  show,
} from './validate';

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
  /** Seed of this one draw, an integer in [-2^31, 2^32 - 1]. @default Math.random */
  seed?: number;
  /**
   * A generator of floats in [0, 1) to draw from (for a seeded stream of draws); overrides `seed`.
   * A draw outside [0, 1) is an error.
   */
  random?: () => number;
}

/**
 * Draws the next index from a model's scores: `softmax(logits / temperature)`, optionally restricted
 * to the `topK` largest, sampled with a seeded generator. Computed in float64 in JavaScript.
 * Logits may be `-Infinity` (that index is never drawn, e.g. a masked token); `+Infinity` logits
 * win: the draw is among them only, as equals (the first of them at temperature 0). Probabilities
 * must be finite and >= 0 with a positive sum (they need not sum to 1); an index of probability 0 is
 * never drawn, whatever the temperature.
 * @example
 * ```ts
 * import { sampleNext } from '@seqlearn/rnn-models';
 * console.log(sampleNext([2, 1, 0.1], { temperature: 0 })); // 0 (greedy)
 * console.log(sampleNext([2, 1, 0.1], { topK: 1, seed: 7 })); // 0 (only the best is allowed)
 * ```
 * @throws {RnnModelsError} `NON_FINITE_VALUE` for a NaN score, or a non-finite probability;
 * `INVALID_ARGUMENT` for scores that are not an array, typed array or tensor of numbers, empty
 * scores, every logit `-Infinity`, a negative probability or probabilities that are all 0, a
 * temperature that is not a finite number >= 0, a bad `topK`, a `seed` that is not a 32-bit
 * integer, or a `random` that is not a function or draws outside [0, 1).
 */
export function sampleNext(
  logits: readonly number[] | Float32Array | tf.Tensor,
  options: SampleNextOptions = {},
): number {
  checkOptions(options);
  const { temperature = 1, topK, fromProbabilities = false, seed, random } = options;
  if (!(logits instanceof tf.Tensor) && (typeof logits !== 'object' || logits === null)) {
    argumentError('logits', 'an array, a Float32Array or a tensor of scores', logits);
  }
  const raw: unknown[] =
    logits instanceof tf.Tensor ? Array.from(logits.dataSync()) : Array.from(logits);
  if (raw.length === 0) argumentError('logits', 'at least one score', raw);
  const notNumber = raw.findIndex((s) => typeof s !== 'number');
  if (notNumber >= 0) {
    // Math.max and comparisons would coerce '2' and true, and 'x' would never be drawn.
    throw new RnnModelsError({
      code: 'INVALID_ARGUMENT',
      argument: 'logits',
      message: `logits: expected numbers, got ${show(raw[notNumber])} at index ${notNumber}`,
    });
  }
  checkSeed(seed, 'seed');
  if (random !== undefined && typeof random !== 'function') {
    argumentError('random', 'a function returning floats in [0, 1)', random);
  }
  if (typeof fromProbabilities !== 'boolean') {
    argumentError('fromProbabilities', 'true or false', fromProbabilities);
  }
  return draw(raw as number[], temperature, topK, fromProbabilities, seed, random);
}

function draw(
  raw: number[],
  temperature: number,
  topK: number | undefined,
  fromProbabilities: boolean,
  seed: number | undefined,
  random: (() => number) | undefined,
): number {
  if (typeof temperature !== 'number' || !(temperature >= 0) || !Number.isFinite(temperature)) {
    argumentError('temperature', 'a finite number >= 0', temperature);
  }
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 1)) {
    argumentError('topK', 'a positive integer', topK);
  }
  let scores: number[];
  if (fromProbabilities) {
    const bad = firstNonFinite(raw);
    if (bad >= 0) nonFiniteError('logits', raw[bad], `${bad} (probabilities)`);
    const negative = raw.findIndex((p) => p < 0);
    if (negative >= 0) {
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: 'logits',
        message: `logits: expected probabilities >= 0, got ${raw[negative]} at index ${negative}`,
      });
    }
    if (!raw.some((p) => p > 0)) {
      argumentError('logits', 'probabilities with a positive sum', raw);
    }
    scores = raw.map((p) => Math.log(p)); // log 0 = -Infinity: weight 0 at every temperature
  } else {
    const nan = raw.findIndex((s) => Number.isNaN(s));
    if (nan >= 0) nonFiniteError('logits', raw[nan], String(nan));
    if (raw.every((s) => s === Number.NEGATIVE_INFINITY)) {
      argumentError('logits', 'at least one score above -Infinity', raw);
    }
    // +Infinity wins: the limit of the softmax shares the draw among the infinite logits
    scores = raw.includes(Number.POSITIVE_INFINITY)
      ? raw.map((s) => (s === Number.POSITIVE_INFINITY ? 0 : Number.NEGATIVE_INFINITY))
      : raw;
  }
  let candidates = scores.map((_, i) => i);
  if (topK !== undefined && topK < scores.length) {
    candidates = [...candidates]
      .sort((a, b) => (scores[b] > scores[a] ? 1 : scores[b] < scores[a] ? -1 : a - b))
      .slice(0, topK);
  }
  if (temperature === 0) {
    return candidates.reduce((best, i) => (scores[i] > scores[best] ? i : best), candidates[0]);
  }
  const max = Math.max(...candidates.map((i) => scores[i]));
  const weights = candidates.map((i) => Math.exp((scores[i] - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  const u = (random ?? (seed === undefined ? Math.random : mulberry32(seed)))();
  if (typeof u !== 'number' || !(u >= 0 && u < 1)) {
    // NaN or 1.5 would fall through to the last candidate, whatever the scores.
    argumentError('random', 'a function returning floats in [0, 1)', u);
  }
  const point = u * total;
  let acc = 0;
  for (let k = 0; k < candidates.length; k++) {
    acc += weights[k];
    if (point < acc) return candidates[k];
  }
  // rounding: the last candidate that can be drawn
  for (let k = candidates.length - 1; k > 0; k--) if (weights[k] > 0) return candidates[k];
  return candidates[0];
}
