import { memoryTask } from '@seqlearn/datasets';
import { lastKAccuracy, maskedAccuracy } from '@seqlearn/eval-metrics';
import type { RunOutcome, Setting } from '@seqlearn/example-kit';
import { clipByGlobalNorm, unroll } from '@seqlearn/rnn-models';
import { shuffle } from '@seqlearn/sequence-windows';
import * as tf from '@tensorflow/tfjs';
import { type CellKind, cellLabel, cellParams, makeCell } from './cells';

/** One memory-task setting of the sweep file. */
export interface MemorySetting extends Setting {
  task: 'memory';
  cell: CellKind;
  /** Hidden units. */
  units: number;
  /** Blanks between the digits and the delimiter. */
  delay: number;
  /** Digits to recall. @default 3 */
  k?: number;
  /** Passes over the training sequences. */
  epochs: number;
  /** Adam learning rate. @default 0.01 */
  learningRate?: number;
  /** Global-norm clipping of the gradients. @default 5 */
  clipNorm?: number;
  /** Sequences per gradient step. @default 32 */
  batchSize?: number;
  /** Stop once the test last-k accuracy reaches this. @default 0.99 */
  stopAt?: number;
  /**
   * Steps the loss is taken on: `'lastK'`, the recall steps only, or `'all'` steps (blanks
   * included, which a cell learns at once and which then dominate the loss). @default 'lastK'
   */
  lossOn?: 'lastK' | 'all';
}

/** Context to run a setting in. */
export interface MemoryContext {
  examples: number;
  testExamples: number;
  verbose: boolean;
  epochs?: number;
  log: (line: string) => void;
}

const SYMBOLS = 11; // digits 0-8, blank 9, delimiter 10

function oneHot3d(rows: number[][]): tf.Tensor3D {
  return tf.tidy(
    () => tf.oneHot(tf.tensor2d(rows, undefined, 'int32'), SYMBOLS).toFloat() as tf.Tensor3D,
  );
}

/**
 * The copy-memory task with a from-scratch cell: one-hot symbols in, a linear projection to 11
 * logits out at every step, softmax cross-entropy over every step, Adam with global-norm clipping
 * (`clipByGlobalNorm`), and accuracy graded on the last `k` outputs only (`lastKAccuracy`; the
 * blanks elsewhere are trivially right). `train` of `@seqlearn/rnn-models` compares a cell's output
 * with probabilities, so this loop, which needs logits, is written out with `unroll`.
 */
export async function runMemorySetting(
  setting: MemorySetting,
  seed: number,
  { examples, testExamples, verbose, epochs: epochsOverride, log }: MemoryContext,
): Promise<RunOutcome> {
  const {
    cell: kind,
    units,
    delay,
    k = 3,
    learningRate = 0.01,
    clipNorm = 5,
    batchSize = 32,
    stopAt = 0.99,
    lossOn = 'lastK',
  } = setting;
  const epochs = epochsOverride ?? setting.epochs;
  const trainData = await memoryTask.load({ examples, k, delay, seed, split: 'train' });
  const testData = await memoryTask.load({ examples: testExamples, k, delay, seed, split: 'test' });
  const x = oneHot3d(trainData.records.map((r) => r.input));
  const y = oneHot3d(trainData.records.map((r) => r.target));
  const xTest = oneHot3d(testData.records.map((r) => r.input));
  const yTest = oneHot3d(testData.records.map((r) => r.target));
  const testTargets = testData.records.map((r) => r.target);
  const steps = trainData.records[0].input.length;
  const mask = testData.records.map((r) => {
    const m = new Array<number>(steps).fill(0);
    for (const p of r.gradePositions) m[p] = 1;
    return m;
  });

  const cell = makeCell(kind, { inputSize: SYMBOLS, units, outputSize: SYMBOLS, seed });
  const params = cellParams(cell);
  const optimizer = tf.train.adam(learningRate);
  const history: Record<string, number[]> = {
    loss: [],
    grad_norm: [],
    val_loss: [],
    val_last_k_accuracy: [],
  };
  // Softmax cross-entropy on logits, over the last k steps or all of them.
  const lossOf = (targets: tf.Tensor, logits: tf.Tensor3D): tf.Scalar => {
    if (lossOn === 'all') return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
    const [n, t, c] = logits.shape;
    return tf.losses.softmaxCrossEntropy(
      targets.slice([0, t - k, 0], [n, k, c]),
      logits.slice([0, t - k, 0], [n, k, c]),
    ) as tf.Scalar;
  };
  const evaluate = () =>
    tf.tidy(() => {
      const logits = unroll(cell, xTest).outputs;
      const loss = lossOf(yTest, logits).dataSync()[0];
      const predicted = logits.argMax(-1).arraySync() as number[][];
      return { loss, predicted };
    });
  const label = `${setting.id} ${cellLabel(kind, units)}`;
  const started = Date.now();
  let epochsRun = 0;
  let last = evaluate();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const t0 = Date.now();
    // A seeded order per epoch: the same seed repeats the whole history.
    const order = shuffle(
      Array.from({ length: examples }, (_, i) => i),
      { seed: seed * 1000 + epoch },
    );
    let lossSum = 0;
    let normSum = 0;
    let batches = 0;
    for (let b = 0; b < examples; b += batchSize) {
      const idx = tf.tensor1d(order.slice(b, b + batchSize), 'int32');
      const xb = tf.gather(x, idx) as tf.Tensor3D;
      const yb = tf.gather(y, idx);
      const { value, grads } = tf.variableGrads(
        () => lossOf(yb, unroll(cell, xb).outputs),
        cell.trainableWeights,
      );
      const names = Object.keys(grads);
      const { clipped, globalNorm } = clipByGlobalNorm(
        names.map((n) => grads[n]),
        clipNorm,
      );
      optimizer.applyGradients(names.map((name, i) => ({ name, tensor: clipped[i] })));
      lossSum += value.dataSync()[0];
      normSum += globalNorm;
      batches++;
      tf.dispose([idx, xb, yb, value, ...Object.values(grads), ...clipped]);
    }
    last = evaluate();
    const accuracy = lastKAccuracy(testTargets, last.predicted, k);
    history.loss.push(lossSum / batches);
    history.grad_norm.push(normSum / batches);
    history.val_loss.push(last.loss);
    history.val_last_k_accuracy.push(accuracy);
    epochsRun++;
    if (verbose) {
      log(
        `${label} epoch ${epoch + 1}/${epochs}  loss ${(lossSum / batches).toFixed(4)}  grad norm ${(normSum / batches).toFixed(2)}  val_loss ${last.loss.toFixed(4)}  last-${k} accuracy ${accuracy.toFixed(3)}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
    if (accuracy >= stopAt) break;
  }
  const seconds = (Date.now() - started) / 1000;
  const metrics = {
    lastKAccuracy: lastKAccuracy(testTargets, last.predicted, k),
    maskedAccuracy: maskedAccuracy(testTargets, last.predicted, mask),
    valLoss: last.loss,
    params,
    epochsRun,
  };
  tf.dispose([x, y, xTest, yTest]);
  optimizer.dispose();
  cell.dispose();
  return { metrics, history, seconds, extra: { steps, k, delay, chance: 1 / 9 } };
}
