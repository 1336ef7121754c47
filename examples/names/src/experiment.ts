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
  type RunContext,
  type RunOutcome,
  type RunRecord,
  runSweep,
  type SweepResults,
  setLearningRate,
  threadsPerRun,
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
  /** Validation part: 20% of the training part (stratified, seeded), for choosing a setting. */
  valIdx: number[];
  testIdx: number[];
  maxlen: number;
  depth: number;
}

/**
 * The tutorial's preprocessing: accents stripped by `unicodeToAscii`, 57 letters kept, then a
 * seeded 80/20 split stratified by language (quick mode: a stratified sample of 3,000 first), and
 * 20% of the training part held out (stratified, same seed) as validation data to choose a
 * setting on: train 64%, validation 16%, test 20%.
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
  const trainPool = split.trainIndices.map((i) => pool[i]);
  const val = stratifiedSplit(
    trainPool.map((i) => labels[i]),
    { testSize: 0.2, seed },
  );
  return {
    classNames,
    encoded,
    labels,
    trainIdx: val.trainIndices.map((i) => trainPool[i]),
    valIdx: val.testIndices.map((i) => trainPool[i]),
    testIdx: split.testIndices.map((i) => pool[i]),
    maxlen: Math.max(...encoded.map((s) => s.length)),
    depth: alphabet.size,
  };
}

/** Figures of a model's predictions on one part of the data. */
export interface PartEvaluation {
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  /** Recall per language. */
  recall: Record<string, number>;
  /** The classification report as a dict. */
  report: unknown;
  confusionMatrix: number[][];
  truth: number[];
  predicted: number[];
}

function evaluatePart(
  model: tf.LayersModel,
  data: NamesData,
  idx: readonly number[],
): PartEvaluation {
  const { classNames, encoded, labels, maxlen, depth } = data;
  const classes = classNames.map((_, i) => i);
  const x = oneHot(
    idx.map((i) => encoded[i]),
    { depth, maxlen },
  );
  const predicted = tf.tidy(() =>
    Array.from((model.predict(x, { batchSize: 512 }) as tf.Tensor).argMax(-1).dataSync()),
  );
  tf.dispose(x);
  const truth = idx.map((i) => labels[i]);
  const perClass = recall(truth, predicted, {
    labels: classes,
    average: 'none',
    zeroDivision: 0,
  }) as number[];
  return {
    accuracy: accuracy(truth, predicted),
    balancedAccuracy: balancedAccuracy(truth, predicted),
    macroF1: f1(truth, predicted, { labels: classes, average: 'macro', zeroDivision: 0 }) as number,
    recall: Object.fromEntries(classNames.map((c, i) => [c, perClass[i]])),
    report: classificationReport(truth, predicted, {
      labels: classes,
      targetNames: classNames,
      outputDict: true,
      zeroDivision: 0,
    }),
    confusionMatrix: confusionMatrix(truth, predicted, { labels: classes }),
    truth,
    predicted,
  };
}

/**
 * Trains one setting with one seed on the training part, with the validation part evaluated
 * after every epoch (`val_loss`, `val_accuracy` in the history), and reports `val_*` figures.
 * With `test: true` (the final runs of the chosen setting) it also evaluates the test part
 * (`test_*` figures, confusion matrix and recall on test); otherwise the test part is not touched.
 */
export async function trainNames(
  data: NamesData,
  setting: NamesSetting,
  seed: number,
  {
    verbose,
    sink = process.stderr,
    test = false,
    refit = false,
  }: { verbose: boolean; sink?: ProgressSink; test?: boolean; refit?: boolean },
): Promise<RunOutcome & { validation?: PartEvaluation; test?: PartEvaluation }> {
  const { classNames, encoded, labels, testIdx, maxlen, depth } = data;
  // A refit trains on the validation names too, so it has no validation figures.
  const trainIdx = refit ? [...data.trainIdx, ...data.valIdx] : data.trainIdx;
  const valIdx = refit ? [] : data.valIdx;
  const classes = classNames.map((_, i) => i);
  const yTrain = trainIdx.map((i) => labels[i]);
  const model = createRnnClassifier({
    cell: setting.cell ?? 'simpleRNN',
    bidirectional: setting.bidirectional ?? false,
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
  const validationData = refit
    ? undefined
    : ([
        oneHot(
          valIdx.map((i) => encoded[i]),
          { depth, maxlen },
        ),
        tf.tidy(() =>
          tf.oneHot(
            tf.tensor1d(
              valIdx.map((i) => labels[i]),
              'int32',
            ),
            classes.length,
          ),
        ),
      ] as [tf.Tensor, tf.Tensor]);
  const started = Date.now();
  for (let epoch = 0; epoch < setting.epochs; epoch++) {
    const decay = setting.lrDecay ?? 1;
    if (decay !== 1) setLearningRate(model, setting.learningRate * decay ** epoch);
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
      validationData,
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
  if (validationData) tf.dispose(validationData);
  const validation = refit ? undefined : evaluatePart(model, data, valIdx);
  const tested = test ? evaluatePart(model, data, testIdx) : undefined;
  model.dispose();
  const shown = tested ?? validation;
  if (!shown) throw new Error('trainNames: a refit run must evaluate the test part');
  return {
    metrics: {
      ...(validation
        ? {
            val_accuracy: validation.accuracy,
            val_balancedAccuracy: validation.balancedAccuracy,
            val_macroF1: validation.macroF1,
          }
        : {}),
      ...(tested
        ? {
            test_accuracy: tested.accuracy,
            test_balancedAccuracy: tested.balancedAccuracy,
            test_macroF1: tested.macroF1,
          }
        : {}),
    },
    history,
    seconds,
    confusionMatrix: {
      labels: classNames,
      matrix: shown.confusionMatrix,
      split: tested ? 'test' : 'validation',
    },
    extra: {
      trainSize: trainIdx.length,
      ...(validation
        ? { validation: { recall: validation.recall, report: validation.report } }
        : {}),
      ...(tested ? { test: { recall: tested.recall, report: tested.report } } : {}),
    },
    validation,
    test: tested,
  };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** Recall per language of some runs side by side, with the number of names of each language. */
function recallTable(
  classNames: string[],
  truth: number[],
  columns: { name: string; recall: Record<string, number> }[],
  countHeader: string,
): string {
  return markdownTable(
    ['language', countHeader, ...columns.map((c) => c.name)],
    classNames.map((c, i) => [
      c,
      String(truth.filter((y) => y === i).length),
      ...columns.map((col) => pct(col.recall[c])),
    ]),
  );
}

/**
 * What a run needs besides its setting, seed and phase, the same for every run of a sweep: the
 * data (`quick`, and `seed` for the split) and how to train and report. In worker processes it
 * travels in the query of the sweep module's URL ({@link namesSweepModule}).
 */
export interface NamesRunOptions {
  quick: boolean;
  /** Seed of the split (the command's `--seed`); a run's own seed comes from the sweep. */
  seed: number;
  verbose: boolean;
  refit: boolean;
  /** Epoch progress as plain lines, never a bar redrawn in place (runs printing at once). */
  plainProgress?: boolean;
}

/**
 * The `file:` URL of `sweep-module.ts` with `options` in its query (`?options=<JSON>`): the sweep
 * sends this URL to each worker process, which imports it and reads the options back from its
 * own `import.meta.url` with {@link namesRunOptionsOf}.
 */
export function namesSweepModule(options: NamesRunOptions): string {
  const url = new URL('./sweep-module.ts', import.meta.url);
  const { quick, seed, verbose, refit, plainProgress = false } = options;
  url.searchParams.set('options', JSON.stringify({ quick, seed, verbose, refit, plainProgress }));
  return url.href;
}

/** The options in a sweep module URL's query; the command's defaults when it has none. */
export function namesRunOptionsOf(moduleUrl: string): NamesRunOptions {
  const query = new URL(moduleUrl).searchParams.get('options');
  const defaults = { quick: false, seed: 42, verbose: true, refit: false, plainProgress: false };
  return { ...defaults, ...(query ? (JSON.parse(query) as Partial<NamesRunOptions>) : {}) };
}

/**
 * One run of the sweep: trains `setting` with the run's seed; a final run (`phase: 'final'`) is
 * also evaluated on the test part, and with `refit` trains on training + validation names. What
 * it returns is what `results.json` keeps: the same in this process and in a worker process.
 */
export async function runNamesSetting(
  data: NamesData,
  setting: NamesSetting,
  { seed, phase }: Pick<RunContext, 'seed' | 'phase'>,
  options: Pick<NamesRunOptions, 'verbose' | 'refit'>,
  sink: ProgressSink = process.stderr,
): Promise<RunOutcome> {
  const { validation, test, ...outcome } = await trainNames(data, setting, seed, {
    verbose: options.verbose,
    sink,
    test: phase === 'final',
    refit: phase === 'final' && options.refit,
  });
  if (!(test ?? validation)) throw new Error('names: a run evaluated neither part');
  return outcome;
}

/**
 * What the command prints after a run: its figures on the part its confusion matrix counts (test
 * for a final run, validation otherwise), and with `verbose` the classification report and the
 * confusion matrix. Built from the run's record alone (the report from the matrix's counts), so a
 * run of a worker process prints the same as one of this process.
 */
export function describeRun(
  run: Pick<RunRecord, 'runId' | 'setting' | 'seed' | 'phase' | 'metrics' | 'confusionMatrix'>,
  classNames: string[],
  verbose: boolean,
): string[] {
  const matrix = run.confusionMatrix?.matrix ?? [];
  const part = run.confusionMatrix?.split === 'test' ? 'test' : 'validation';
  const m = (name: string) => run.metrics[`${part === 'test' ? 'test' : 'val'}_${name}`];
  const lines = [
    `\n== ${run.setting.id} (seed ${run.seed}, ${run.phase}): ${part} accuracy ${pct(m('accuracy'))}, ${part} balanced accuracy ${pct(m('balancedAccuracy'))}`,
  ];
  if (verbose) {
    const truth: number[] = [];
    const predicted: number[] = [];
    matrix.forEach((row, t) => {
      row.forEach((count, p) => {
        for (let k = 0; k < count; k++) {
          truth.push(t);
          predicted.push(p);
        }
      });
    });
    lines.push(
      classificationReport(truth, predicted, {
        labels: classNames.map((_, i) => i),
        targetNames: classNames,
        zeroDivision: 0,
      }) as string,
      formatConfusionMatrix(matrix, { labels: classNames, maxHeaderLength: 4 }),
    );
  }
  return lines;
}

/**
 * Surname → language with a character-level SimpleRNN: trains every setting (by default one and
 * two layers, each without and with class weights) and compares them on the validation part
 * (20% of the training names); the setting with the best validation balanced accuracy is then
 * trained again with new seeds (`repeats`) and only those final runs are evaluated on the test
 * part. With `workers` > 1 the runs go to worker processes (`sweep-module.ts`), `workers` at
 * once, with the same results as one at a time in this process (`workers: 1`). Prints
 * classification reports and confusion matrices with the language names, and writes histories,
 * metrics and `results.md` (recall per language on validation for every setting, on test for the
 * final runs) into `options.out`.
 */
export async function runNamesExperiment(
  options: NamesOptions,
  log: (line: string) => void = console.log,
  sink: ProgressSink = process.stderr,
): Promise<SweepResults<NamesSetting> & { data: NamesData; backend: string }> {
  const backend = await initBackend({ log: options.verbose ? log : false });
  const data = await prepareNamesData(options);
  const { classNames, labels, testIdx, trainIdx, valIdx, maxlen, depth } = data;
  const notes =
    `Surname → language, ${data.encoded.length} names in ${classNames.length} languages; ` +
    `train ${trainIdx.length}, validation ${valIdx.length}, test ${testIdx.length} ` +
    `(test: 20% stratified; validation: 20% of the rest, stratified; seed ${options.seed}); ` +
    `one-hot [${maxlen} steps x ${depth} letters]; best setting by validation balanced accuracy, ` +
    `test figures for its final runs only; backend ${backend.name}.`;
  log(notes);

  const inProcess = options.workers === 1;
  if (!inProcess) {
    log(
      `runs in ${options.workers} worker processes at once, ${threadsPerRun(options.workers)} kernel thread(s) each; each run's report follows the sweep`,
    );
  }
  const results = await runSweep<NamesSetting>({
    title: 'names: SimpleRNN surname classifier',
    settings: options.settings,
    metric: 'val_balancedAccuracy',
    finalOnly: /^test_/,
    columns: ['val_accuracy', 'val_balancedAccuracy', 'val_macroF1'],
    finalColumns: [
      'val_balancedAccuracy',
      'test_accuracy',
      'test_balancedAccuracy',
      'test_macroF1',
    ],
    out: options.out,
    seed: options.seed,
    repeats: options.repeats,
    notes,
    log,
    ...(inProcess
      ? {
          run: async (setting, context) => {
            const outcome = await runNamesSetting(data, setting, context, options, sink);
            const lines = describeRun(
              { ...outcome, ...context, setting },
              classNames,
              options.verbose,
            );
            for (const line of lines) log(line);
            return outcome;
          },
        }
      : {
          module: namesSweepModule({ ...options, plainProgress: true }),
          workers: options.workers,
        }),
  });
  if (!inProcess) {
    for (const run of [...results.runs, ...results.repeats]) {
      for (const line of describeRun(run, classNames, options.verbose)) log(line);
    }
  }

  // Class imbalance, language by language: recall of every setting on the validation part, then
  // of the chosen setting's final runs on the test part.
  type Parts = {
    validation?: { recall: Record<string, number> };
    test?: { recall: Record<string, number> };
  };
  const parts = (r: (typeof results.runs)[number]) => r.extra as Parts;
  let text =
    '\nRecall per language on the validation part (every setting):\n\n' +
    recallTable(
      classNames,
      valIdx.map((i) => labels[i]),
      results.runs.map((r) => ({ name: r.runId, recall: parts(r).validation?.recall ?? {} })),
      'validation names',
    );
  if (results.repeats.length > 0) {
    text +=
      `\n\nRecall per language on the test part (final runs of \`${results.best.id}\`):\n\n` +
      recallTable(
        classNames,
        testIdx.map((i) => labels[i]),
        results.repeats.map((r) => ({ name: r.runId, recall: parts(r).test?.recall ?? {} })),
        'test names',
      );
  }
  const mdPath = path.join(options.out, 'results.md');
  const md = `${await readFile(mdPath, 'utf8')}${text}\n`;
  await writeFileAtomic(mdPath, md);
  log(`\n${md}`);
  log(`wrote ${options.out}`);
  return { ...results, data, backend: backend.name };
}
