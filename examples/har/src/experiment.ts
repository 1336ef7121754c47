import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { UciHarData } from '@seqlearn/datasets';
import { accuracy, confusionMatrix, f1, formatConfusionMatrix } from '@seqlearn/eval-metrics';
import {
  asciiChart,
  markdownTable,
  type RunOutcome,
  type RunRecord,
  readSettings,
  runSweep,
  type SweepResults,
  writeFileAtomic,
} from '@seqlearn/example-kit';
import {
  countParams,
  createSequenceModel,
  initBackend,
  type SequenceModelConfig,
  train,
} from '@seqlearn/rnn-models';
import { StandardScaler, stratifiedSplit } from '@seqlearn/sequence-windows';
import * as tf from '@tensorflow/tfjs';
import { loadHarSplits } from './har-data';
import type { HarOptions, HarSetting } from './options';

/** Windows as tensors, standardized per channel with statistics of the training part. */
interface HarTensors {
  xTrain: tf.Tensor3D;
  yTrain: tf.Tensor2D;
  /** Activity of each training window, for the train accuracy. */
  labelsTrain: number[];
  xVal: tf.Tensor3D;
  yVal: tf.Tensor2D;
  xTest: tf.Tensor3D;
  labelsTest: number[];
  classNames: string[];
  counts: { train: number; val: number; test: number };
}

/** The model a setting describes, on `[128 steps, 9 signals]` windows and six classes. */
export function harModelConfig(s: HarSetting, seed: number): SequenceModelConfig {
  const base = {
    inputShape: [128, 9],
    numClasses: 6,
    seed,
    compile: { learningRate: s.learningRate },
  };
  if (s.model === 'conv1d') {
    const block = { filters: s.filters ?? 32, kernelSize: s.kernelSize ?? 5, pool: { size: 2 } };
    return {
      ...base,
      conv: Array.from({ length: s.layers ?? 2 }, () => block),
      pooling: 'globalAverage',
      outputDropout: s.dropout ?? 0,
    };
  }
  return {
    ...base,
    cell: s.model,
    units: s.units ?? 32,
    layers: s.layers ?? 1,
    dropout: s.dropout ?? 0,
    recurrentDropout: s.recurrentDropout ?? 0,
  };
}

function toTensors(
  train: UciHarData,
  test: UciHarData,
  { maxTrain, seed }: { maxTrain?: number; seed: number },
): HarTensors {
  let pool = train.labels.map((_, i) => i);
  if (maxTrain !== undefined && maxTrain < pool.length) {
    pool = stratifiedSplit(train.labels, { testSize: maxTrain, seed }).testIndices;
  }
  const split = stratifiedSplit(
    pool.map((i) => train.labels[i]),
    { testSize: 0.2, seed },
  );
  const trainIdx = split.trainIndices.map((i) => pool[i]);
  const valIdx = split.testIndices.map((i) => pool[i]);
  const size = 128 * 9;
  const windows = (data: UciHarData, idx: number[]) => {
    const x = new Float32Array(idx.length * size);
    idx.forEach((w, i) => {
      x.set(data.x.subarray(w * size, (w + 1) * size), i * size);
    });
    return tf.tensor3d(x, [idx.length, 128, 9]);
  };
  const oneHot = (labels: number[]) =>
    tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 6).toFloat() as tf.Tensor2D);
  const rawTrain = windows(train, trainIdx);
  const scaler = new StandardScaler().fit(rawTrain);
  const rawVal = windows(train, valIdx);
  const rawTest = windows(
    test,
    test.labels.map((_, i) => i),
  );
  const result: HarTensors = {
    xTrain: scaler.transform(rawTrain),
    yTrain: oneHot(trainIdx.map((i) => train.labels[i])),
    labelsTrain: trainIdx.map((i) => train.labels[i]),
    xVal: scaler.transform(rawVal),
    yVal: oneHot(valIdx.map((i) => train.labels[i])),
    xTest: scaler.transform(rawTest),
    labelsTest: test.labels,
    classNames: train.classNames,
    counts: { train: trainIdx.length, val: valIdx.length, test: test.labels.length },
  };
  tf.dispose([rawTrain, rawVal, rawTest]);
  return result;
}

/** Trains one setting with one seed; evaluates on the official test split. */
async function trainHar(
  t: HarTensors,
  s: HarSetting,
  seed: number,
  verbose: boolean,
): Promise<RunOutcome> {
  const config = harModelConfig(s, seed);
  const model = createSequenceModel(config);
  const started = Date.now();
  const { history } = await train(
    model,
    { x: t.xTrain, y: t.yTrain },
    {
      epochs: s.epochs,
      batchSize: s.batchSize,
      learningRate: s.learningRate,
      validationData: { x: t.xVal, y: t.yVal },
      seed,
      verbose: verbose ? 1 : 0,
    },
  );
  const seconds = (Date.now() - started) / 1000;
  const classify = (x: tf.Tensor) =>
    tf.tidy(() =>
      Array.from((model.predict(x, { batchSize: 256 }) as tf.Tensor).argMax(-1).dataSync()),
    );
  const predicted = classify(t.xTest);
  // Accuracy on the training windows with the final weights (inference mode, no dropout), not
  // the running mean of the last epoch's batches that `history.accuracy` holds.
  const trainPredicted = classify(t.xTrain);
  model.dispose();
  const classes = [0, 1, 2, 3, 4, 5];
  return {
    metrics: {
      val_accuracy: history.val_accuracy.at(-1) ?? Number.NaN,
      train_accuracy: accuracy(t.labelsTrain, trainPredicted),
      test_accuracy: accuracy(t.labelsTest, predicted),
      test_macroF1: f1(t.labelsTest, predicted, {
        labels: classes,
        average: 'macro',
        zeroDivision: 0,
      }) as number,
      params: countParams(config),
    },
    history,
    seconds,
    confusionMatrix: {
      labels: t.classNames,
      matrix: confusionMatrix(t.labelsTest, predicted, { labels: classes }),
    },
    extra: {
      trainWindows: t.counts.train,
      batchSize: s.batchSize,
      epochs: s.epochs,
      gradientSteps: s.epochs * Math.ceil(t.counts.train / s.batchSize),
    },
  };
}

/**
 * Every run's batch size, epochs, gradient steps and train/validation/test accuracy, so that the
 * settings that differ only in batch size or epochs can be read side by side.
 */
export function batchEpochTable(runs: RunRecord[]): string {
  const pct = (v: number | undefined) => (v === undefined ? '-' : (100 * v).toFixed(1));
  return markdownTable(
    [
      'setting',
      'batch',
      'epochs',
      'gradient steps',
      'train acc %',
      'val acc %',
      'test acc %',
      'train s',
    ],
    runs.map((r) => {
      const s = r.setting as HarSetting;
      const samples = (r.extra as { trainWindows?: number } | undefined)?.trainWindows;
      const steps =
        samples === undefined ? '-' : String(s.epochs * Math.ceil(samples / s.batchSize));
      return [
        r.runId,
        String(s.batchSize),
        String(s.epochs),
        steps,
        pct(r.metrics.train_accuracy),
        pct(r.metrics.val_accuracy),
        pct(r.metrics.test_accuracy),
        r.seconds.toFixed(1),
      ];
    }),
  );
}

/** Train vs test accuracy of the repeated best setting (`summarizeRuns` over the repeats). */
export function trainTestGap(results: SweepResults<HarSetting>): string | undefined {
  const tr = results.summary.train_accuracy;
  const te = results.summary.test_accuracy;
  if (!tr || !te) return undefined;
  const f = (v: number) => (Number.isFinite(v) ? (100 * v).toFixed(1) : '-');
  return (
    `\`${results.best.id}\` over ${tr.n} repeats: train accuracy ${f(tr.mean)} ± ${f(tr.std)} %, ` +
    `test accuracy ${f(te.mean)} ± ${f(te.std)} % (gap ${f(tr.mean - te.mean)} points).`
  );
}

/** Learning curves of a run as a small text plot (accuracy and validation accuracy per epoch). */
export function learningCurves(run: RunRecord): string {
  const h = run.history;
  return asciiChart(
    [
      { label: 'loss', values: h.loss ?? [] },
      { label: 'val_loss', values: h.val_loss ?? [] },
    ],
    { height: 6 },
  ).concat(
    asciiChart(
      [
        { label: 'accuracy', values: h.accuracy ?? [] },
        { label: 'val_accuracy', values: h.val_accuracy ?? [] },
      ],
      { height: 6 },
    ),
  );
}

/**
 * The HAR example: loads the nine inertial signals (or a generated fixture), standardizes them,
 * holds out 20% of the training windows (stratified) for validation, runs the sweep with the
 * kit's `runSweep` (best by validation accuracy, repeated with new seeds) and appends to
 * `results.md` the learning curves of every run and the confusion matrix over the six
 * activities of the repeated best setting.
 */
export async function runHar(
  options: HarOptions,
  log: (line: string) => void = console.log,
): Promise<SweepResults<HarSetting> & { source: string; backend: string }> {
  const backend = await initBackend({ log: options.verbose ? log : false });
  const { train, test, source } = await loadHarSplits({ ...options });
  let settings = await readSettings<HarSetting>(options.sweep);
  if (options.epochs !== undefined) {
    if (new Set(settings.map((s) => s.epochs)).size > 1) {
      log(
        `note: --epochs ${options.epochs} replaces the sweep's own epochs, so the settings that vary only the epochs train alike`,
      );
    }
    settings = settings.map((s) => ({ ...s, epochs: options.epochs as number }));
  }
  const t = toTensors(train, test, options);
  const notes =
    `UCI HAR, nine inertial signals × 128 steps, six activities; data: ${source}. ` +
    `Train ${t.counts.train}, validation ${t.counts.val} (20% of the training windows, stratified, seed ${options.seed}), ` +
    `test ${t.counts.test} (official test split); standardized per signal on train; best by validation accuracy; backend ${backend.name}.`;
  log(notes);
  try {
    const results = await runSweep({
      title: 'har: activity recognition',
      settings,
      metric: 'val_accuracy',
      columns: ['val_accuracy', 'train_accuracy', 'test_accuracy', 'test_macroF1', 'params'],
      out: options.out,
      seed: options.seed,
      repeats: options.repeats,
      notes,
      log,
      run: async (setting, { seed }) => {
        const outcome = await trainHar(t, setting, seed, options.verbose);
        log(
          `  batch ${setting.batchSize}, ${setting.epochs} epochs: train accuracy ${(100 * outcome.metrics.train_accuracy).toFixed(1)}%, test accuracy ${(100 * outcome.metrics.test_accuracy).toFixed(1)}%, macro F1 ${outcome.metrics.test_macroF1.toFixed(3)}`,
        );
        return outcome;
      },
    });
    const shown = results.repeats[0] ?? results.runs.find((r) => r.setting.id === results.best.id);
    const sections = ['', '## Batch size and epochs', '', batchEpochTable(results.runs), ''];
    const gap = trainTestGap(results);
    if (gap) {
      sections.push(gap, '');
      log(gap);
    }
    sections.push('## Learning curves', '');
    for (const run of [...results.runs, ...results.repeats]) {
      sections.push(`\`${run.runId}\`:`, '', '```text', learningCurves(run).trimEnd(), '```', '');
    }
    if (shown?.confusionMatrix) {
      const cm = formatConfusionMatrix(shown.confusionMatrix.matrix, {
        labels: shown.confusionMatrix.labels,
        maxHeaderLength: 8,
      });
      sections.push(
        `## Confusion matrix of \`${shown.runId}\` (official test split; rows true, columns predicted)`,
        '',
        '```text',
        cm,
        '```',
        '',
      );
      log(`\nconfusion matrix of ${shown.runId} (rows true, columns predicted):\n${cm}`);
      log(`\nlearning curves of ${shown.runId}:\n${learningCurves(shown)}`);
    }
    const md = path.join(options.out, 'results.md');
    await writeFileAtomic(md, `${await readFile(md, 'utf8')}${sections.join('\n')}`);
    log(`wrote ${options.out}`);
    return { ...results, source, backend: backend.name };
  } finally {
    tf.dispose([t.xTrain, t.yTrain, t.xVal, t.yVal, t.xTest]);
  }
}
