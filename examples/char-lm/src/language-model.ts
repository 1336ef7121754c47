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
  }: {
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
  const order = shuffle(windowStarts(ids.length, window, stride), { seed: seed * 1000 + epoch });
  const batches = Math.ceil(order.length / batchSize);
  const dataset = tf.data.generator(function* () {
    for (let b = 0; b < batches; b++) {
      yield windowBatch(ids, order.slice(b * batchSize, (b + 1) * batchSize), window, size);
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

/** Text generated from `seedText` at each temperature (seeded draws). */
export function samplesAt(
  model: tf.LayersModel,
  {
    seedText,
    alphabet,
    temperatures,
    length,
    seed,
  }: {
    seedText: string;
    alphabet: CharAlphabet;
    temperatures: readonly number[];
    length: number;
    seed: number;
  },
): { temperature: number; text: string }[] {
  return temperatures.map((temperature, i) => ({
    temperature,
    text: generateText(model, { seedText, length, alphabet, temperature, seed: seed + i }),
  }));
}
