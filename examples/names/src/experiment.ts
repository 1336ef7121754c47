import path from 'node:path';
import { loadNames } from '@seqlearn/datasets';
import {
  accuracy,
  balancedAccuracy,
  classificationReport,
  computeClassWeight,
  confusionMatrix,
  formatConfusionMatrix,
  recall,
} from '@seqlearn/eval-metrics';
import {
  fitProgress,
  type ProgressSink,
  writeFileAtomic,
  writeJsonAtomic,
} from '@seqlearn/example-kit';
import { createRnnClassifier, initBackend } from '@seqlearn/rnn-models';
import { shuffle, stratifiedSplit } from '@seqlearn/sequence-windows';
import { CharAlphabet, NAME_LETTERS, oneHot, unicodeToAscii } from '@seqlearn/text-preprocess';
import * as tf from '@tensorflow/tfjs';
import type { NamesOptions } from './options';

/** The figures of one trained setting. */
export interface RunResult {
  id: string;
  layers: number;
  classWeight: boolean;
  accuracy: number;
  balancedAccuracy: number;
  /** Recall of each language, in `classNames` order. */
  recall: number[];
  confusionMatrix: number[][];
  trainSeconds: number;
  history: Record<string, number[]>;
}

/** What {@link runNamesExperiment} returns and writes to `results.json`. */
export interface NamesResults {
  backend: string;
  classNames: string[];
  trainSize: number;
  testSize: number;
  maxlen: number;
  options: NamesOptions;
  runs: RunResult[];
}

/** Quick mode trains on this many names (stratified), so a smoke run takes seconds. */
const QUICK_SAMPLES = 3000;

/**
 * Surname → language with a character-level SimpleRNN: loads the shipped names, turns them into
 * ASCII one-hot sequences, splits 80/20 stratified, and trains every combination of layer count
 * and class-weight setting, writing each run's history and metrics under `options.out`.
 */
export async function runNamesExperiment(
  options: NamesOptions,
  log: (line: string) => void = console.log,
  sink: ProgressSink = process.stderr,
): Promise<NamesResults> {
  const backend = await initBackend({ log: options.verbose ? log : false });
  const { records, classNames } = await loadNames();
  const labels = records.map((r) => r.label);

  // The tutorial's preprocessing: accents stripped, 57 letters kept.
  const alphabet = new CharAlphabet(NAME_LETTERS);
  const encoded = records.map((r) => alphabet.encode(unicodeToAscii(r.text)));
  const maxlen = Math.max(...encoded.map((s) => s.length));

  let pool = labels.map((_, i) => i);
  if (options.quick) {
    // A stratified sample of the whole set: the "test" part of a split of that size.
    pool = stratifiedSplit(labels, { testSize: QUICK_SAMPLES, seed: options.seed }).testIndices;
  }
  const split = stratifiedSplit(
    pool.map((i) => labels[i]),
    { testSize: 0.2, seed: options.seed },
  );
  const trainIdx = split.trainIndices.map((i) => pool[i]);
  const testIdx = split.testIndices.map((i) => pool[i]);
  const yTrain = trainIdx.map((i) => labels[i]);
  const yTest = testIdx.map((i) => labels[i]);
  const classes = classNames.map((_, i) => i);

  log(
    `names: ${records.length} surnames, ${classNames.length} languages; train ${trainIdx.length}, test ${testIdx.length}; ` +
      `one-hot [${maxlen} steps x ${alphabet.size} letters]; backend ${backend.name}`,
  );

  const xTest = oneHot(
    testIdx.map((i) => encoded[i]),
    { depth: alphabet.size, maxlen },
  );
  const runs: RunResult[] = [];
  for (const layers of options.layers) {
    for (const useWeights of options.classWeight) {
      const id = `simplernn-${layers}layer-${useWeights ? 'weighted' : 'unweighted'}`;
      const run = await trainOne({
        id,
        layers,
        useWeights,
        options,
        trainIdx,
        yTrain,
        classes,
        encoded,
        maxlen,
        depth: alphabet.size,
        sink,
      });
      const yPred = tf.tidy(() => {
        const model = run.model;
        return (model.predict(xTest, { batchSize: 512 }) as tf.Tensor).argMax(-1).dataSync();
      });
      run.model.dispose();
      const predicted = Array.from(yPred);
      const result: RunResult = {
        id,
        layers,
        classWeight: useWeights,
        accuracy: accuracy(yTest, predicted),
        balancedAccuracy: balancedAccuracy(yTest, predicted),
        recall: recall(yTest, predicted, {
          labels: classes,
          average: 'none',
          zeroDivision: 0,
        }) as number[],
        confusionMatrix: confusionMatrix(yTest, predicted, { labels: classes }),
        trainSeconds: run.seconds,
        history: run.history,
      };
      runs.push(result);
      const dir = path.join(options.out, id);
      await writeJsonAtomic(path.join(dir, 'config.json'), {
        cell: 'simpleRNN',
        units: options.units,
        layers,
        classWeight: useWeights,
        epochs: options.epochs,
        batchSize: options.batchSize,
        learningRate: options.learningRate,
        seed: options.seed,
      });
      await writeJsonAtomic(path.join(dir, 'history.json'), result.history);
      await writeJsonAtomic(path.join(dir, 'metrics.json'), {
        accuracy: result.accuracy,
        balancedAccuracy: result.balancedAccuracy,
        recall: Object.fromEntries(classNames.map((c, i) => [c, result.recall[i]])),
        trainSeconds: result.trainSeconds,
        report: classificationReport(yTest, predicted, {
          labels: classes,
          targetNames: classNames,
          outputDict: true,
          zeroDivision: 0,
        }),
      });
      await writeJsonAtomic(path.join(dir, 'confusion-matrix.json'), {
        labels: classNames,
        matrix: result.confusionMatrix,
      });
      log(
        `\n== ${id}: accuracy ${pct(result.accuracy)}, balanced accuracy ${pct(result.balancedAccuracy)} (${result.trainSeconds.toFixed(1)} s)`,
      );
      log(
        classificationReport(yTest, predicted, {
          labels: classes,
          targetNames: classNames,
          zeroDivision: 0,
        }) as string,
      );
      log(formatConfusionMatrix(result.confusionMatrix, { labels: classNames }));
    }
  }
  xTest.dispose();

  const results: NamesResults = {
    backend: backend.name,
    classNames,
    trainSize: trainIdx.length,
    testSize: testIdx.length,
    maxlen,
    options,
    runs,
  };
  await writeJsonAtomic(path.join(options.out, 'results.json'), results);
  await writeFileAtomic(path.join(options.out, 'results.md'), resultsTable(results));
  log(`\n${resultsTable(results)}`);
  log(`wrote ${options.out}`);
  return results;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

async function trainOne(args: {
  id: string;
  layers: number;
  useWeights: boolean;
  options: NamesOptions;
  trainIdx: number[];
  yTrain: number[];
  classes: number[];
  encoded: number[][];
  maxlen: number;
  depth: number;
  sink: ProgressSink;
}): Promise<{ model: tf.LayersModel; history: Record<string, number[]>; seconds: number }> {
  const { id, layers, useWeights, options, trainIdx, yTrain, classes, encoded, maxlen, depth } =
    args;
  const model = createRnnClassifier({
    cell: 'simpleRNN',
    units: Array.from({ length: layers }, () => options.units),
    inputShape: [maxlen, depth],
    numClasses: classes.length,
    seed: options.seed,
    compile: { learningRate: options.learningRate },
  });
  const classWeight = useWeights ? computeClassWeight('balanced', classes, yTrain) : undefined;
  const history: Record<string, number[]> = {};
  const batchesPerEpoch = Math.ceil(trainIdx.length / options.batchSize);
  const started = Date.now();
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // A seeded order per epoch, so that a seed reproduces the whole history.
    const order = shuffle(
      trainIdx.map((_, i) => i),
      { seed: options.seed * 1000 + epoch },
    );
    const x = oneHot(
      order.map((i) => encoded[trainIdx[i]]),
      { depth, maxlen },
    );
    const y = tf.oneHot(
      tf.tensor1d(
        order.map((i) => yTrain[i]),
        'int32',
      ),
      classes.length,
    );
    const h = await model.fit(x, y, {
      epochs: epoch + 1,
      initialEpoch: epoch,
      batchSize: options.batchSize,
      shuffle: false,
      classWeight,
      verbose: 0,
      callbacks: options.verbose
        ? fitProgress({ label: id, epochs: options.epochs, batchesPerEpoch }, args.sink)
        : undefined,
    });
    x.dispose();
    y.dispose();
    for (const [k, v] of Object.entries(h.history)) {
      history[k] ??= [];
      history[k].push(...(v as number[]));
    }
  }
  return { model, history, seconds: (Date.now() - started) / 1000 };
}

/** The markdown table of every run, as written to `results.md`. */
export function resultsTable(results: NamesResults): string {
  const lines = [
    `Surname → language, SimpleRNN(${results.options.units}), ${results.options.epochs} epochs, batch ${results.options.batchSize}, ` +
      `train ${results.trainSize} / test ${results.testSize}, backend ${results.backend}`,
    '',
    '| run | layers | class weights | accuracy | balanced accuracy | train time (s) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.runs.map(
      (r) =>
        `| ${r.id} | ${r.layers} | ${r.classWeight ? 'balanced' : 'none'} | ${pct(r.accuracy)} | ${pct(r.balancedAccuracy)} | ${r.trainSeconds.toFixed(1)} |`,
    ),
    '',
    'Recall per language (test set):',
    '',
    `| language | ${results.runs.map((r) => r.id).join(' | ')} |`,
    `| --- | ${results.runs.map(() => '---').join(' | ')} |`,
    ...results.classNames.map(
      (c, i) => `| ${c} | ${results.runs.map((r) => pct(r.recall[i])).join(' | ')} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
