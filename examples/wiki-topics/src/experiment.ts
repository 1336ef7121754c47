import { existsSync } from 'node:fs';
import path from 'node:path';
import { dbpediaWiki, type TextRecord } from '@seqlearn/datasets';
import { accuracy, confusionMatrix, f1 } from '@seqlearn/eval-metrics';
import {
  asciiChart,
  markdownTable,
  readSettings,
  runSweep,
  type Setting,
  type SweepResults,
  UsageError,
  writeFileAtomic,
} from '@seqlearn/example-kit';
import {
  countParams,
  createSequenceModel,
  createTextClassifier,
  initBackend,
  type SequenceModelConfig,
  type TextClassifierConfig,
  train,
} from '@seqlearn/rnn-models';
import { stratifiedSplit } from '@seqlearn/sequence-windows';
import { CharAlphabet, padSequences, tokenize, Vocabulary } from '@seqlearn/text-preprocess';
import * as tf from '@tensorflow/tfjs';
import type { WikiOptions } from './options';

/** One setting of the sweep (a line of `sweeps/*.json`). */
export interface WikiSetting extends Setting {
  /** The exercise's four models: character or word input, CNN or recurrent. */
  kind: TextClassifierConfig['kind'];
  /** Recurrent cell of a `charGru`/`wordGru` kind: the exercise's vanilla RNN and LSTM variants. @default 'gru' */
  cell?: 'gru' | 'lstm' | 'simpleRNN';
  /** Recurrent layers. @default 1 */
  layers?: 1 | 2;
  /** Units of each recurrent layer of a `charGru`/`wordGru` kind. @default 20 (the exercise's) */
  units?: number;
  /** Dropout before the output layer. @default 0 */
  dropout?: number;
  /** Global-norm gradient clipping. @default none */
  clipNorm?: number;
  /**
   * Optimizer: plain SGD (`sgd`; with `momentum`, SGD with momentum), RMSProp or Adam.
   * @default 'adam'
   */
  optimizer?: 'sgd' | 'rmsprop' | 'adam';
  /** Momentum of `optimizer: 'sgd'` (tfjs `train.momentum`). @default 0 (plain SGD) */
  momentum?: number;
  /** Learning rate of this setting. @default `--learning-rate` */
  learningRate?: number;
  /** Mini-batch size of this setting. @default `--batch-size` */
  batchSize?: number;
  /** Epochs of this setting. @default `--epochs` */
  epochs?: number;
}

/** Character and word encodings of the paragraphs, built on the training part only. */
export interface Encoded {
  chars: CharAlphabet;
  words: Vocabulary;
  xChar: { train: number[][]; val: number[][]; test: number[][] };
  xWord: { train: number[][]; val: number[][]; test: number[][] };
}

/**
 * Holds out `fraction` of the training paragraphs of every class (stratified and seeded, with
 * `stratifiedSplit` of `@seqlearn/sequence-windows`) as validation data: the data that chooses a
 * setting, so that the test paragraphs are read only by the final runs of the chosen setting.
 * Both parts keep the file order.
 */
export function splitValidation(
  records: readonly TextRecord[],
  { fraction = 0.2, seed }: { fraction?: number; seed: number },
): { train: TextRecord[]; val: TextRecord[] } {
  const { testIndices } = stratifiedSplit(
    records.map((r) => r.label),
    { testSize: fraction, seed },
  );
  const held = new Set(testIndices);
  return {
    train: records.filter((_, i) => !held.has(i)),
    val: records.filter((_, i) => held.has(i)),
  };
}

/** The first `perClass` records of every class, in file order (all when `perClass` is 0). */
export function firstPerClass(records: readonly TextRecord[], perClass: number): TextRecord[] {
  if (perClass <= 0) return [...records];
  const counts = new Map<number, number>();
  return records.filter((r) => {
    const n = counts.get(r.label) ?? 0;
    counts.set(r.label, n + 1);
    return n < perClass;
  });
}

/**
 * Encodes paragraphs as the exercise does: the first `maxLength` characters (an alphabet of the
 * 126 most frequent training characters plus padding and unknown) and the first `maxLength`
 * words (lower-cased word tokens, a vocabulary of the training words), padded in front. The
 * alphabet and vocabulary come from `train` only; `val` and `test` are encoded with them.
 */
export function encodeParagraphs(
  train: readonly TextRecord[],
  test: readonly TextRecord[],
  { maxLength, vocabSize }: { maxLength: number; vocabSize: number },
  val: readonly TextRecord[] = [],
): Encoded {
  const chars = CharAlphabet.fromCorpus(
    train.map((r) => r.text),
    { maxSize: 126, unknown: 'token', padding: true, order: 'frequency' },
  );
  const tokens = (rs: readonly TextRecord[]) => rs.map((r) => tokenize(r.text));
  const trainTokens = tokens(train);
  const words = Vocabulary.fromCorpus(trainTokens, { maxSize: vocabSize });
  // Keep the beginning of a long paragraph; pad short ones in front, so that a recurrent
  // layer ends on the last word rather than on padding (Keras' default padding side).
  const pad = (seqs: number[][]) =>
    padSequences(seqs, { maxlen: maxLength, padding: 'pre', truncating: 'post' });
  const charIds = (rs: readonly TextRecord[]) =>
    pad(rs.map((r) => chars.encode(Array.from(r.text).slice(0, maxLength).join(''))));
  return {
    chars,
    words,
    xChar: { train: charIds(train), val: charIds(val), test: charIds(test) },
    xWord: {
      train: pad(trainTokens.map((t) => words.encode(t))),
      val: pad(tokens(val).map((t) => words.encode(t))),
      test: pad(tokens(test).map((t) => words.encode(t))),
    },
  };
}

/** The model of a setting: {@link createTextClassifier}, or the same network with another cell. */
export function buildModel(
  setting: WikiSetting,
  { vocabSize, maxLength, seed }: { vocabSize: number; maxLength: number; seed: number },
): { model: tf.LayersModel; params: number } {
  const base: TextClassifierConfig = {
    kind: setting.kind,
    vocabSize,
    maxLength,
    numClasses: 14,
    layers: setting.layers ?? 1,
    dropout: setting.dropout ?? 0,
    ...(setting.units === undefined ? {} : { units: setting.units }),
    seed,
  };
  const cell = setting.cell ?? 'gru';
  if (setting.kind.endsWith('Cnn') || cell === 'gru') {
    return { model: createTextClassifier(base), params: countParams(base) };
  }
  // Vanilla RNN and LSTM: the GRU classifier's layers with another recurrent cell.
  const isChar = setting.kind === 'charGru';
  const config: SequenceModelConfig = {
    inputShape: [maxLength],
    embedding: isChar
      ? {
          inputDim: vocabSize,
          outputDim: vocabSize,
          weights: Array.from({ length: vocabSize }, (_, i) =>
            Array.from({ length: vocabSize }, (_, j) => (i === j ? 1 : 0)),
          ),
          trainable: false,
        }
      : { inputDim: vocabSize, outputDim: 20 },
    cell,
    units: setting.units ?? 20,
    layers: setting.layers ?? 1,
    outputDropout: setting.dropout ?? 0,
    numClasses: 14,
    seed,
    name: `${setting.kind.slice(0, 4)}${cell}`,
  };
  return { model: createSequenceModel(config), params: countParams(config) };
}

/** The optimizer of a setting: a name `train` makes, or a tfjs momentum optimizer (disposed by the caller). */
export function settingOptimizer(
  setting: WikiSetting,
  learningRate: number,
): { optimizer: 'sgd' | 'rmsprop' | 'adam' | tf.Optimizer; label: string } {
  const name = setting.optimizer ?? 'adam';
  if (name === 'sgd' && (setting.momentum ?? 0) > 0) {
    return {
      optimizer: tf.train.momentum(learningRate, setting.momentum as number),
      label: `SGD, momentum ${setting.momentum}, learning rate ${learningRate}`,
    };
  }
  const names = { sgd: 'SGD', rmsprop: 'RMSProp', adam: 'Adam' };
  return { optimizer: name, label: `${names[name]}, learning rate ${learningRate}` };
}

/**
 * The Wikipedia/DBpedia exercise: character and word CNNs and GRUs on the 14-class paragraphs,
 * then dropout, vanilla RNN and LSTM cells, two layers and gradient clipping (or, with
 * `--optimizers`, the word CNN trained with SGD, SGD with momentum 0.1 and 0.9, RMSProp and Adam),
 * run as a sweep with the kit. 20% of the training paragraphs (stratified, seeded) are held out as
 * validation data: every setting is compared on them, the best (by validation accuracy) is
 * trained again with new seeds, and only those final runs are evaluated on the test paragraphs.
 * Writes every run's history (loss, accuracy, val_loss, val_accuracy per epoch), metrics and
 * confusion matrix, `results.md`, `epochs.md` (validation accuracy and loss after each epoch) and
 * `curves.md` (the learning curves of every selection run as text charts).
 */
export async function runWikiTopics(
  options: WikiOptions,
  log: (line: string) => void = console.log,
): Promise<SweepResults<WikiSetting>> {
  if (!existsSync(options.data)) {
    throw new UsageError(
      `no Wikipedia/DBpedia CSVs at ${options.data}. Download train_medium.csv and test_medium.csv from ` +
        `${dbpediaWiki.sources.map((s) => s.url).join(' and ')} into one folder, then pass --data <folder>.`,
    );
  }
  const backend = await initBackend({ log: options.quiet ? false : log });
  const load = (split: string) => dbpediaWiki.load({ path: options.data, split, download: false });
  const [trainSplit, testSplit] = [await load('train'), await load('test')];
  const { train: trainRecords, val: valRecords } = splitValidation(
    firstPerClass(trainSplit.records, options.trainPerClass),
    { seed: options.seed },
  );
  const testRecords = firstPerClass(testSplit.records, options.testPerClass);
  const { classNames } = trainSplit;
  const enc = encodeParagraphs(trainRecords, testRecords, options, valRecords);
  log(
    `wiki-15: train ${trainRecords.length}, validation ${valRecords.length}, test ${testRecords.length} paragraphs, ${classNames.length} classes; ` +
      `${enc.chars.size} character ids, ${enc.words.size} word ids, ${options.maxLength} steps; backend ${backend.name}`,
  );
  const oneHot = (rs: readonly TextRecord[]) =>
    tf.oneHot(
      tf.tensor1d(
        rs.map((r) => r.label),
        'int32',
      ),
      classNames.length,
    );
  const yTrain = oneHot(trainRecords);
  const yVal = oneHot(valRecords);
  const labels = classNames.map((_, i) => i);
  const settings = await readSettings<WikiSetting>(options.sweep);
  const optimizerNote = options.optimizers
    ? `word CNN with each optimizer, learning rate ${options.learningRate} unless the setting gives one`
    : `Adam ${options.learningRate}`;

  const results = await runSweep({
    title: options.optimizers
      ? 'Wikipedia paragraphs in 14 DBpedia classes: optimizers on the word CNN'
      : 'Wikipedia paragraphs in 14 DBpedia classes: CNN and RNN text classifiers',
    settings,
    metric: 'val_accuracy',
    finalOnly: /^test_/,
    columns: ['val_accuracy', 'val_macroF1', 'val_loss', 'params'],
    finalColumns: ['val_accuracy', 'test_accuracy', 'test_macroF1', 'params'],
    out: options.out,
    seed: options.seed,
    repeats: options.repeats,
    log,
    notes:
      `train ${trainRecords.length} / validation ${valRecords.length} (20% of the training paragraphs, stratified, seed ${options.seed}) / ` +
      `test ${testRecords.length} paragraphs, first ${options.maxLength} ` +
      `characters (${enc.chars.size} ids, one-hot) or words (${enc.words.size} ids, Embedding 20), ` +
      `CNNs: 2 × (Conv1D 10 × 20 + MaxPool 4/2), RNNs: 20 units; ${optimizerNote}, ` +
      `batch ${options.batchSize} and ${options.epochs} epochs unless the setting gives its own, backend ${backend.name}. ` +
      '`val_*` on the validation paragraphs after the last epoch choose the setting; ' +
      '`test_*` on the test paragraphs, for the final runs of the chosen setting only.',
    run: async (setting, { seed, phase }) => {
      const isChar = setting.kind.startsWith('char');
      const ids = isChar ? enc.xChar : enc.xWord;
      const { model, params } = buildModel(setting, {
        vocabSize: isChar ? enc.chars.size : enc.words.size,
        maxLength: options.maxLength,
        seed,
      });
      const x = tf.tensor2d(ids.train, undefined, 'int32');
      const xVal = tf.tensor2d(ids.val, undefined, 'int32');
      const learningRate = setting.learningRate ?? options.learningRate;
      const { optimizer } = settingOptimizer(setting, learningRate);
      const started = Date.now();
      const { history } = await train(
        model,
        { x, y: yTrain },
        {
          epochs: setting.epochs ?? options.epochs,
          batchSize: setting.batchSize ?? options.batchSize,
          optimizer,
          learningRate,
          clipNorm: setting.clipNorm,
          validationData: { x: xVal, y: yVal },
          seed,
          verbose: options.quiet ? 0 : 1,
        },
      );
      const seconds = (Date.now() - started) / 1000;
      if (typeof optimizer === 'object') optimizer.dispose();
      const predict = async (rows: number[][]) => {
        const xs = tf.tensor2d(rows, undefined, 'int32');
        const predictedT = tf.tidy(() =>
          (model.predict(xs, { batchSize: 256 }) as tf.Tensor).argMax(-1),
        );
        const predicted = Array.from(await predictedT.data());
        tf.dispose([xs, predictedT]);
        return predicted;
      };
      const evaluate = (truth: number[], predicted: number[]) => ({
        accuracy: accuracy(truth, predicted),
        macroF1: f1(truth, predicted, { average: 'macro', labels, zeroDivision: 0 }) as number,
        matrix: confusionMatrix(truth, predicted, { labels }),
      });
      const val = evaluate(
        valRecords.map((r) => r.label),
        await predict(ids.val),
      );
      // The test paragraphs are read by the final runs of the chosen setting only.
      const test =
        phase === 'final'
          ? evaluate(
              testRecords.map((r) => r.label),
              await predict(ids.test),
            )
          : undefined;
      tf.dispose([x, xVal]);
      model.dispose();
      return {
        metrics: {
          val_accuracy: val.accuracy,
          val_macroF1: val.macroF1,
          val_loss: history.val_loss?.at(-1) ?? Number.NaN,
          ...(test ? { test_accuracy: test.accuracy, test_macroF1: test.macroF1 } : {}),
          params,
        },
        history,
        seconds,
        confusionMatrix: {
          labels: classNames,
          matrix: (test ?? val).matrix,
          split: test ? 'test' : 'validation',
        },
      };
    },
  });
  tf.dispose([yTrain, yVal]);
  await writeFileAtomic(path.join(options.out, 'epochs.md'), epochsTable(results));
  const curves = learningCurves(results);
  await writeFileAtomic(path.join(options.out, 'curves.md'), curves);
  if (options.optimizers) log(`\n${curves}`);
  return results;
}

/** Validation accuracy and loss after every epoch, one row per run: the learning curves as tables. */
export function epochsTable(results: SweepResults<WikiSetting>): string {
  const runs = [...results.runs, ...results.repeats];
  const epochs = Math.max(...runs.map((r) => r.history.val_accuracy?.length ?? 0));
  const header = [
    'run',
    ...Array.from({ length: epochs }, (_, i) => `epoch ${i + 1}`),
    's / epoch',
  ];
  const table = (key: string, digits: number) =>
    markdownTable(
      header,
      runs.map((r) => {
        const curve = r.history[key] ?? [];
        return [
          r.runId,
          ...Array.from({ length: epochs }, (_, i) =>
            curve[i] === undefined ? '-' : curve[i].toFixed(digits),
          ),
          curve.length ? (r.seconds / curve.length).toFixed(2) : '-',
        ];
      }),
    );
  return (
    '# Validation accuracy after each epoch\n\n' +
    'On the validation paragraphs (20% of the training paragraphs), not the test ones.\n\n' +
    `${table('val_accuracy', 3)}\n\n# Validation loss after each epoch\n\n${table('val_loss', 4)}\n`
  );
}

/** Symbols of the runs in a combined chart: digits, then letters. */
const CHART_SYMBOLS = '123456789abcdefghijklmnopqrstuvwxyz';

/**
 * The learning curves of every selection run, as text charts with one symbol per run: validation
 * loss, validation accuracy and training loss per epoch. With the optimizer sweep, one curve per
 * optimizer.
 */
export function learningCurves(results: SweepResults<WikiSetting>): string {
  const runs = results.runs;
  const chart = (key: string) =>
    asciiChart(
      runs.map((r, i) => ({
        label: r.runId,
        values: r.history[key] ?? [],
        symbol: CHART_SYMBOLS[i % CHART_SYMBOLS.length],
      })),
      { height: 10, width: Math.max(20, ...runs.map((r) => r.history[key]?.length ?? 0)) },
    ).trimEnd();
  const section = (title: string, key: string) => [
    `## ${title}`,
    '',
    '```text',
    chart(key),
    '```',
    '',
  ];
  return [
    `# Learning curves: ${results.title}`,
    '',
    'One symbol per run (legend under each chart), one column per epoch or group of epochs; ' +
      "where curves meet, the later run's symbol is drawn. The validation paragraphs are 20% of " +
      "the training paragraphs. Per-epoch values are in each run's `history.json` and in `epochs.md`.",
    '',
    ...section('Validation loss per epoch', 'val_loss'),
    ...section('Validation accuracy per epoch', 'val_accuracy'),
    ...section('Training loss per epoch', 'loss'),
  ].join('\n');
}
