import fs from 'node:fs/promises';
import path from 'node:path';
import { sine } from '@seqlearn/datasets';
import { meanSquaredError } from '@seqlearn/eval-metrics';
import {
  asciiChart,
  type RunOutcome,
  type Setting,
  writeFileAtomic,
  writeJsonAtomic,
} from '@seqlearn/example-kit';
import { train } from '@seqlearn/rnn-models';
import * as tf from '@tensorflow/tfjs';
import { type CellKind, cellLabel, cellParams, makeCell } from './cells';

/** One sine-continuation setting of the sweep file. */
export interface SineSetting extends Setting {
  task: 'sine';
  cell: CellKind;
  /** Hidden units. */
  units: number;
  /** Passes over the training windows. */
  epochs: number;
  /** Plain gradient descent (SGD) learning rate. @default 0.1 */
  learningRate?: number;
  /** Global-norm clipping of the gradients. @default 5 */
  clipNorm?: number;
  /** Steps of the whole series; the part after `trainLength` is what must be generated. @default 600 */
  length?: number;
  /** Steps the cell is trained on. @default 400 */
  trainLength?: number;
  /** Steps per training sequence (each predicts the next value at every step). @default 50 */
  window?: number;
  /** Steps between the starts of training sequences. @default 5 */
  stride?: number;
  /** Sequences per gradient step. @default 16 */
  batchSize?: number;
  /** Steps per cycle of the sine. @default 50 */
  period?: number;
  /** Gaussian noise on the training series. @default 0 */
  noise?: number;
}

/** Context to run a setting in. */
export interface SineContext {
  /** Folder of this run (continuation.json and continuation.txt go there). */
  dir: string;
  verbose: boolean;
  epochs?: number;
  log: (line: string) => void;
}

/**
 * Trains a from-scratch cell (with a 1-unit projection) to predict the next value of a sine at every
 * step, with MSE, plain SGD and global-norm clipping at 5 (`train` of `@seqlearn/rnn-models`); then
 * warms it up on the end of the training window and generates the continuation closed-loop, each
 * output fed back as the next input. Writes the true and generated continuation as JSON and as a
 * text chart.
 */
export async function runSineSetting(
  setting: SineSetting,
  seed: number,
  { dir, verbose, epochs: epochsOverride, log }: SineContext,
): Promise<RunOutcome> {
  const {
    cell: kind,
    units,
    learningRate = 0.1,
    clipNorm = 5,
    length = 600,
    trainLength = 400,
    window = 50,
    stride = 5,
    batchSize = 16,
    period = 50,
    noise = 0,
  } = setting;
  const epochs = epochsOverride ?? setting.epochs;
  if (trainLength <= window || trainLength >= length) {
    throw new Error(
      `${setting.id}: expected window < trainLength < length, got ${window}, ${trainLength}, ${length}`,
    );
  }
  const { values } = await sine.load({ length, period, noise, seed });
  const series = values.slice(0, trainLength);
  const starts: number[] = [];
  for (let s = 0; s + window < trainLength; s += stride) starts.push(s);
  const xs = starts.map((s) => series.slice(s, s + window).map((v) => [v]));
  const ys = starts.map((s) => series.slice(s + 1, s + window + 1).map((v) => [v]));

  const cell = makeCell(kind, { inputSize: 1, units, outputSize: 1, seed });
  const params = cellParams(cell);
  const x = tf.tensor3d(xs);
  const y = tf.tensor3d(ys);
  const started = Date.now();
  const { history } = await train(
    cell,
    { x, y },
    {
      epochs,
      batchSize,
      optimizer: 'sgd',
      learningRate,
      clipNorm,
      loss: 'meanSquaredError',
      seed,
      verbose: verbose ? 1 : 0,
    },
  );
  const seconds = (Date.now() - started) / 1000;
  tf.dispose([x, y]);

  // Closed loop: warm up on the last window of the training part, then feed outputs back.
  const horizon = length - trainLength;
  const generated = cell
    .generate(
      series.slice(-window).map((v) => [v]),
      horizon,
    )
    .map((r) => r[0]);
  cell.dispose();
  const truth = values.slice(trainLength);
  const firstPeriod = Math.min(period, horizon);
  const metrics = {
    continuationMse: meanSquaredError(truth, generated),
    firstPeriodMse: meanSquaredError(truth.slice(0, firstPeriod), generated.slice(0, firstPeriod)),
    finalTrainLoss: history.loss.at(-1) ?? Number.NaN,
    params,
  };
  const context = Math.min(trainLength, 2 * period);
  const shown = values.slice(trainLength - context);
  const chart = asciiChart(
    [
      { label: 'true sine', values: shown, symbol: '.' },
      {
        label: `${cellLabel(kind, units)} closed-loop (after |)`,
        values: [...new Array(context).fill(Number.NaN), ...generated],
        symbol: '*',
      },
    ],
    { height: 15, width: Math.min(shown.length, 100), marker: context },
  );
  await fs.mkdir(dir, { recursive: true });
  await writeJsonAtomic(path.join(dir, 'continuation.json'), {
    start: trainLength,
    warmUp: window,
    true: truth,
    generated,
  });
  const title = `${setting.id}: continuation MSE ${metrics.continuationMse.toFixed(4)} (first period ${metrics.firstPeriodMse.toFixed(4)}), ${params} parameters`;
  await writeFileAtomic(path.join(dir, 'continuation.txt'), `${title}\n\n${chart}`);
  if (verbose) log(`${title}\n${chart}`);
  return { metrics, history, seconds, extra: { starts: starts.length, horizon } };
}
