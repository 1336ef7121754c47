import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadNames } from '@seqlearn/datasets';
import {
  accuracy,
  balancedAccuracy,
  classificationReport,
  computeClassWeight,
  confusionMatrix,
  f1,
  formatConfusionMatrix,
  recall,
} from '@seqlearn/eval-metrics';
import {
  fitProgress,
  markdownTable,
  type ProgressSink,
  type RunOutcome,
  runSweep,
  type SweepResults,
  writeFileAtomic,
} from '@seqlearn/example-kit';
import { createRnnClassifier, initBackend } from '@seqlearn/rnn-models';
import { shuffle, stratifiedSplit } from '@seqlearn/sequence-windows';
import { CharAlphabet, NAME_LETTERS, oneHot, unicodeToAscii } from '@seqlearn/text-preprocess';
import * as tf from '@tensorflow/tfjs';
import type { NamesOptions, NamesSetting } from './options';

/** Quick mode trains on a stratified sample of this many names, so a smoke run takes seconds. */
const QUICK_SAMPLES = 3000;

/** The surnames, encoded and split once for every run. */
export interface NamesData {
  classNames: string[];
  encoded: number[][];
  labels: number[];
  trainIdx: number[];
  testIdx: number[];
  maxlen: number;
  depth: number;
}

/**
 * The tutorial's preprocessing: accents stripped by `unicodeToAscii`, 57 letters kept, then a
 * seeded 80/20 split stratified by language (quick mode: a stratified sample of 3,000 first).
 */
export async function prepareNamesData({
  quick,
  seed,
}: {
  quick: boolean;
  seed: number;
}): Promise<NamesData> {
  const { records, classNames } = await loadNames();
  const labels = records.map((r) => r.label);
  const alphabet = new CharAlphabet(NAME_LETTERS);
  const encoded = records.map((r) => alphabet.encode(unicodeToAscii(r.text)));
  let pool = labels.map((_, i) => i);
  if (quick) {
    // A stratified sample of the whole set: the "test" part of a split of that size.
    pool = stratifiedSplit(labels, { testSize: QUICK_SAMPLES, seed }).testIndices;
  }
  const split = stratifiedSplit(
    pool.map((i) => labels[i]),
    { testSize: 0.2, seed },
  );
  return {
    classNames,
    encoded,
    labels,
    trainIdx: split.trainIndices.map((i) => pool[i]),
    testIdx: split.testIndices.map((i) => pool[i]),
    maxlen: Math.max(...encoded.map((s) => s.length)),
    depth: alphabet.size,
  };
}

/** Trains one setting with one seed and evaluates it on the test part. */
export async function trainNames(
  data: NamesData,
  setting: NamesSetting,
  seed: number,
  { verbose, sink = process.stderr }: { verbose: boolean; sink?: ProgressSink },
): Promise<RunOutcome & { predicted: number[] }> {
  const { classNames, encoded, labels, trainIdx, testIdx, maxlen, depth } = data;
  const classes = classNames.map((_, i) => i);
  const yTrain = trainIdx.map((i) => labels[i]);
  const model = createRnnClassifier({
    cell: 'simpleRNN',
    units: Array.from({ length: setting.layers }, () => setting.units),
    inputShape: [maxlen, depth],
    numClasses: classes.length,
    seed,
    compile: { learningRate: setting.learningRate },
  });
  // classes = [0..17], so the keys are the one-hot columns that tfjs fit expects.
  const classWeight = setting.classWeight
    ? computeClassWeight('balanced', classes, yTrain)
    : undefined;
  const history: Record<string, number[]> = {};
  const batchesPerEpoch = Math.ceil(trainIdx.length / setting.batchSize);
  const started = Date.now();
  for (let epoch = 0; epoch < setting.epochs; epoch++) {
    // A seeded order per epoch (tfjs' own shuffle uses Math.random), so a seed fixes the history.
    const order = shuffle(trainIdx, { seed: seed * 1000 + epoch });
    const x = oneHot(
      order.map((i) => encoded[i]),
      { depth, maxlen },
    );
    const y = tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          order.map((i) => labels[i]),
          'int32',
        ),
        classes.length,
      ),
    );
    const h = await model.fit(x, y, {
      epochs: epoch + 1,
      initialEpoch: epoch,
      batchSize: setting.batchSize,
      shuffle: false,
      classWeight,
      verbose: 0,
      callbacks: verbose
        ? fitProgress({ label: setting.id, epochs: setting.epochs, batchesPerEpoch }, sink)
        : undefined,
    });
    tf.dispose([x, y]);
    for (const [k, v] of Object.entries(h.history)) {
      history[k] ??= [];
      history[k].push(...(v as number[]));
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const xTest = oneHot(
    testIdx.map((i) => encoded[i]),
    { depth, maxlen },
  );
  const predicted = tf.tidy(() =>
    Array.from((model.predict(xTest, { batchSize: 512 }) as tf.Tensor).argMax(-1).dataSync()),
  );
  tf.dispose(xTest);
  model.dispose();
  const yTest = testIdx.map((i) => labels[i]);
  const perClass = recall(yTest, predicted, { labels: classes, average: 'none', zeroDivision: 0 });
  return {
    metrics: {
      accuracy: accuracy(yTest, predicted),
      balancedAccuracy: balancedAccuracy(yTest, predicted),
      macroF1: f1(yTest, predicted, {
        labels: classes,
        average: 'macro',
        zeroDivision: 0,
      }) as number,
    },
    history,
    seconds,
    confusionMatrix: {
      labels: classNames,
      matrix: confusionMatrix(yTest, predicted, { labels: classes }),
    },
    extra: {
      recall: Object.fromEntries(classNames.map((c, i) => [c, (perClass as number[])[i]])),
      report: classificationReport(yTest, predicted, {
        labels: classes,
        targetNames: classNames,
        outputDict: true,
        zeroDivision: 0,
      }),
    },
    predicted,
  };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/**
 * Surname → language with a character-level SimpleRNN: trains every setting (by default one and
 * two layers, each without and with class weights), prints each run's classification report and
 * confusion matrix with the language names, and writes histories, metrics and `results.md` into
 * `options.out`.
 */
export async function runNamesExperiment(
  options: NamesOptions,
  log: (line: string) => void = console.log,
  sink: ProgressSink = process.stderr,
): Promise<SweepResults<NamesSetting> & { data: NamesData; backend: string }> {
  const backend = await initBackend({ log: options.verbose ? log : false });
  const data = await prepareNamesData(options);
  const { classNames, labels, testIdx, trainIdx, maxlen, depth } = data;
  const yTest = testIdx.map((i) => labels[i]);
  const notes =
    `Surname → language, ${data.encoded.length} names in ${classNames.length} languages; ` +
    `train ${trainIdx.length}, test ${testIdx.length} (stratified, seed ${options.seed}); ` +
    `one-hot [${maxlen} steps x ${depth} letters]; backend ${backend.name}.`;
  log(notes);

  const results = await runSweep({
    title: 'names: SimpleRNN surname classifier',
    settings: options.settings,
    metric: 'balancedAccuracy',
    columns: ['accuracy', 'balancedAccuracy', 'macroF1'],
    out: options.out,
    seed: options.seed,
    repeats: options.repeats,
    notes,
    log,
    run: async (setting, seed) => {
      const { predicted, ...outcome } = await trainNames(data, setting, seed, {
        verbose: options.verbose,
        sink,
      });
      log(
        `\n== ${setting.id} (seed ${seed}): accuracy ${pct(outcome.metrics.accuracy)}, balanced accuracy ${pct(outcome.metrics.balancedAccuracy)}`,
      );
      if (options.verbose) {
        const classes = classNames.map((_, i) => i);
        log(
          classificationReport(yTest, predicted, {
            labels: classes,
            targetNames: classNames,
            zeroDivision: 0,
          }) as string,
        );
        log(
          formatConfusionMatrix(outcome.confusionMatrix!.matrix, {
            labels: classNames,
            maxHeaderLength: 4,
          }),
        );
      }
      return outcome;
    },
  });

  // Class imbalance, language by language: recall of every run side by side.
  const recallOf = (r: (typeof results.runs)[number]) =>
    (r.extra as { recall: Record<string, number> }).recall;
  const table = markdownTable(
    ['language', 'test names', ...results.runs.map((r) => r.runId)],
    classNames.map((c, i) => [
      c,
      String(yTest.filter((y) => y === i).length),
      ...results.runs.map((r) => pct(recallOf(r)[c])),
    ]),
  );
  const mdPath = path.join(options.out, 'results.md');
  const md = `${await readFile(mdPath, 'utf8')}\nRecall per language (test set):\n\n${table}\n`;
  await writeFileAtomic(mdPath, md);
  log(`\n${md}`);
  log(`wrote ${options.out}`);
  return { ...results, data, backend: backend.name };
}
