import { fitProgress, type ProgressSink } from '@seqlearn/example-kit';
import { generateText } from '@seqlearn/rnn-models';
import { shuffle } from '@seqlearn/sequence-windows';
import type { CharAlphabet } from '@seqlearn/text-preprocess';
import * as tf from '@tensorflow/tfjs';

/** Starts of the windows of `window` characters that have a next character, `stride` apart. */
export function windowStarts(length: number, window: number, stride = 1): number[] {
  const starts: number[] = [];
  for (let s = 0; s + window < length; s += stride) starts.push(s);
  return starts;
}

/** One-hot inputs `[batch, window, size]` and one-hot next characters `[batch, size]`. */
export function windowBatch(
  ids: readonly number[],
  starts: readonly number[],
  window: number,
  size: number,
): { xs: tf.Tensor3D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const flat: number[] = [];
    const next: number[] = [];
    for (const s of starts) {
      for (let t = 0; t < window; t++) flat.push(ids[s + t]);
      next.push(ids[s + window]);
    }
    const xs = tf
      .oneHot(tf.tensor1d(flat, 'int32'), size)
      .reshape([starts.length, window, size]) as tf.Tensor3D;
    const ys = tf.oneHot(tf.tensor1d(next, 'int32'), size).toFloat() as tf.Tensor2D;
    return { xs: xs.toFloat(), ys };
  });
}

/**
 * Starts of consecutive, non-overlapping chunks of `steps` characters that each have a next
 * character for their last step, beginning at `offset` (a new offset per epoch moves the chunk
 * boundaries, so every character is seen with different context).
 */
export function chunkStarts(length: number, steps: number, offset = 0): number[] {
  const starts: number[] = [];
  for (let s = offset; s + steps < length; s += steps) starts.push(s);
  return starts;
}

/**
 * One-hot inputs `[batch, steps, size]` and one-hot targets `[batch, steps, size]`: the character
 * after each input step (char-rnn's training: every step is a prediction).
 */
export function sequenceBatch(
  ids: readonly number[],
  starts: readonly number[],
  steps: number,
  size: number,
): { xs: tf.Tensor3D; ys: tf.Tensor3D } {
  return tf.tidy(() => {
    const flat: number[] = [];
    const next: number[] = [];
    for (const s of starts) {
      for (let t = 0; t < steps; t++) {
        flat.push(ids[s + t]);
        next.push(ids[s + t + 1]);
      }
    }
    const shape: [number, number, number] = [starts.length, steps, size];
    const xs = tf.oneHot(tf.tensor1d(flat, 'int32'), size).toFloat().reshape(shape);
    const ys = tf.oneHot(tf.tensor1d(next, 'int32'), size).toFloat().reshape(shape);
    return { xs: xs as tf.Tensor3D, ys: ys as tf.Tensor3D };
  });
}

/** How a setting is trained: the next character of a window, or the next one at every step. */
export type TargetMode = 'last' | 'every';

/**
 * One epoch over the windows, in a seeded order, one-hot batches made on the fly (the whole
 * corpus one-hot would take gigabytes), with `model.fitDataset`. Returns the epoch's logs.
 */
export async function fitEpoch(
  model: tf.LayersModel,
  ids: readonly number[],
  {
    window,
    size,
    batchSize,
    stride,
    seed,
    epoch,
    epochs,
    label,
    sink,
    targets = 'last',
  }: {
    targets?: TargetMode;
    window: number;
    size: number;
    batchSize: number;
    stride: number;
    seed: number;
    epoch: number;
    epochs: number;
    label: string;
    sink?: ProgressSink;
  },
): Promise<Record<string, number>> {
  const shuffleSeed = seed * 1000 + epoch;
  // With a target at every step, chunks start at a different offset each epoch (epoch 0 at 0).
  const starts =
    targets === 'every'
      ? chunkStarts(ids.length, window, (epoch * 7919) % window)
      : windowStarts(ids.length, window, stride);
  const order = shuffle(starts, { seed: shuffleSeed });
  const batches = Math.ceil(order.length / batchSize);
  const makeBatch = targets === 'every' ? sequenceBatch : windowBatch;
  const dataset = tf.data.generator(function* () {
    for (let b = 0; b < batches; b++) {
      yield makeBatch(ids, order.slice(b * batchSize, (b + 1) * batchSize), window, size);
    }
  });
  const history = await model.fitDataset(dataset as tf.data.Dataset<tf.TensorContainer>, {
    epochs: epoch + 1,
    initialEpoch: epoch,
    verbose: 0,
    callbacks: sink ? fitProgress({ label, epochs, batchesPerEpoch: batches }, sink) : undefined,
  });
  return Object.fromEntries(
    Object.entries(history.history).map(([k, v]) => [k, Number((v as number[]).at(-1))]),
  );
}

/**
 * Mean cross-entropy (nats per character) and next-character accuracy of the model on every window
 * of `ids`, in batches.
 */
export function evaluateText(
  model: tf.LayersModel,
  ids: readonly number[],
  { window, size, batchSize = 1024 }: { window: number; size: number; batchSize?: number },
): { crossEntropy: number; accuracy: number; windows: number } {
  const starts = windowStarts(ids.length, window);
  let total = 0;
  let hits = 0;
  for (let b = 0; b < starts.length; b += batchSize) {
    tf.tidy(() => {
      const { xs, ys } = windowBatch(ids, starts.slice(b, b + batchSize), window, size);
      const probs = model.predict(xs) as tf.Tensor2D;
      const picked = tf.sum(tf.mul(probs, ys), -1);
      total += tf.sum(tf.neg(tf.log(tf.clipByValue(picked, 1e-7, 1)))).dataSync()[0];
      hits += tf.sum(tf.equal(tf.argMax(probs, -1), tf.argMax(ys, -1))).dataSync()[0];
    });
  }
  return {
    crossEntropy: total / starts.length,
    accuracy: hits / starts.length,
    windows: starts.length,
  };
}

/**
 * Mean cross-entropy (nats per character) and next-character accuracy of a model that predicts at
 * every step, on every character of `ids` that has a next one. The text is read in chunks of
 * `steps` scored characters, each preceded by up to `steps` characters of context that are fed but
 * not scored, so every scored character (past the first chunk) has at least `steps` characters of
 * context, as in training.
 */
export function evaluateSequence(
  model: tf.LayersModel,
  ids: readonly number[],
  { steps, size, batchSize = 128 }: { steps: number; size: number; batchSize?: number },
): { crossEntropy: number; accuracy: number; windows: number } {
  // Chunks by input length: the first (no context before it), the full ones, the last (shorter).
  const groups = new Map<number, { from: number; skip: number }[]>();
  for (let s = 0; s < ids.length - 1; s += steps) {
    const from = Math.max(0, s - steps);
    const to = Math.min(s + steps, ids.length - 1);
    const key = to - from;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)?.push({ from, skip: s - from });
  }
  let total = 0;
  let hits = 0;
  let scored = 0;
  for (const [length, chunks] of groups) {
    for (let b = 0; b < chunks.length; b += batchSize) {
      const batch = chunks.slice(b, b + batchSize);
      tf.tidy(() => {
        const { xs, ys } = sequenceBatch(
          ids,
          batch.map((c) => c.from),
          length,
          size,
        );
        const probs = model.predict(xs) as tf.Tensor3D;
        // Score only the steps after each chunk's context: a 0/1 mask over [batch, steps].
        const mask = tf.tensor2d(
          batch.flatMap((c) => Array.from({ length }, (_, t) => (t >= c.skip ? 1 : 0))),
          [batch.length, length],
        );
        const picked = tf.sum(tf.mul(probs, ys), -1);
        const nll = tf.neg(tf.log(tf.clipByValue(picked, 1e-7, 1)));
        total += tf.sum(tf.mul(nll, mask)).dataSync()[0];
        const right = tf.equal(tf.argMax(probs, -1), tf.argMax(ys, -1)).toFloat();
        hits += tf.sum(tf.mul(right, mask)).dataSync()[0];
        scored += batch.reduce((n, c) => n + length - c.skip, 0);
      });
    }
  }
  return { crossEntropy: total / scored, accuracy: hits / scored, windows: scored };
}

/** Text generated from `seedText` at each temperature (seeded draws). */
export function samplesAt(
  model: tf.LayersModel,
  {
    seedText,
    alphabet,
    temperatures,
    length,
    seed,
    window,
  }: {
    window?: number;
    seedText: string;
    alphabet: CharAlphabet;
    temperatures: readonly number[];
    length: number;
    seed: number;
  },
): { temperature: number; text: string }[] {
  return temperatures.map((temperature, i) => ({
    temperature,
    text: generateText(model, {
      seedText,
      length,
      alphabet,
      temperature,
      seed: seed + i,
      window,
    }),
  }));
}
