import { existsSync } from 'node:fs';
import path from 'node:path';
import { dbpediaWiki, type TextRecord } from '@seqlearn/datasets';
import { accuracy, confusionMatrix, f1 } from '@seqlearn/eval-metrics';
import {
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
  /** Dropout before the output layer. @default 0 */
  dropout?: number;
  /** Global-norm gradient clipping. @default none */
  clipNorm?: number;
}

/** Character and word encodings of the paragraphs, built on the training part only. */
export interface Encoded {
  chars: CharAlphabet;
  words: Vocabulary;
  xChar: { train: number[][]; test: number[][] };
  xWord: { train: number[][]; test: number[][] };
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
 * words (lower-cased word tokens, a vocabulary of the training words), padded in front.
 */
export function encodeParagraphs(
  train: readonly TextRecord[],
  test: readonly TextRecord[],
  { maxLength, vocabSize }: { maxLength: number; vocabSize: number },
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
    xChar: { train: charIds(train), test: charIds(test) },
    xWord: {
      train: pad(trainTokens.map((t) => words.encode(t))),
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
    units: 20,
    layers: setting.layers ?? 1,
    outputDropout: setting.dropout ?? 0,
    numClasses: 14,
    seed,
    name: `${setting.kind.slice(0, 4)}${cell}`,
  };
  return { model: createSequenceModel(config), params: countParams(config) };
}

/**
 * The Wikipedia/DBpedia exercise: character and word CNNs and GRUs on the 14-class paragraphs,
 * then dropout, vanilla RNN and LSTM cells, two layers and gradient clipping, run as a sweep with
 * the kit. Writes every run's history, metrics and confusion matrix, `results.md` (accuracy and
 * seconds per epoch of every variant) and `epochs.md` (test accuracy after each epoch).
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
  const trainRecords = firstPerClass(trainSplit.records, options.trainPerClass);
  const testRecords = firstPerClass(testSplit.records, options.testPerClass);
  const { classNames } = trainSplit;
  const enc = encodeParagraphs(trainRecords, testRecords, options);
  log(
    `wiki-15: train ${trainRecords.length}, test ${testRecords.length} paragraphs, ${classNames.length} classes; ` +
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
  const yTest = oneHot(testRecords);
  const truth = testRecords.map((r) => r.label);
  const settings = await readSettings<WikiSetting>(options.sweep);

  const results = await runSweep({
    title: 'Wikipedia paragraphs in 14 DBpedia classes: CNN and RNN text classifiers',
    settings,
    metric: 'accuracy',
    columns: ['accuracy', 'macroF1', 'params'],
    out: options.out,
    seed: options.seed,
    repeats: options.repeats,
    log,
    notes:
      `train ${trainRecords.length} / test ${testRecords.length} paragraphs, first ${options.maxLength} ` +
      `characters (${enc.chars.size} ids, one-hot) or words (${enc.words.size} ids, Embedding 20), ` +
      `CNNs: 2 × (Conv1D 10 × 20 + MaxPool 4/2), RNNs: 20 units; Adam ${options.learningRate}, ` +
      `batch ${options.batchSize}, ${options.epochs} epochs, backend ${backend.name}. ` +
      '`accuracy` and `macroF1` on the test part after the last epoch.',
    run: async (setting, seed) => {
      const isChar = setting.kind.startsWith('char');
      const ids = isChar ? enc.xChar : enc.xWord;
      const { model, params } = buildModel(setting, {
        vocabSize: isChar ? enc.chars.size : enc.words.size,
        maxLength: options.maxLength,
        seed,
      });
      const x = tf.tensor2d(ids.train, undefined, 'int32');
      const xTest = tf.tensor2d(ids.test, undefined, 'int32');
      const started = Date.now();
      const { history } = await train(
        model,
        { x, y: yTrain },
        {
          epochs: options.epochs,
          batchSize: options.batchSize,
          optimizer: 'adam',
          learningRate: options.learningRate,
          clipNorm: setting.clipNorm,
          validationData: { x: xTest, y: yTest },
          seed,
          verbose: options.quiet ? 0 : 1,
        },
      );
      const seconds = (Date.now() - started) / 1000;
      const predictedT = tf.tidy(() =>
        (model.predict(xTest, { batchSize: 256 }) as tf.Tensor).argMax(-1),
      );
      const predicted = Array.from(await predictedT.data());
      tf.dispose([x, xTest, predictedT]);
      model.dispose();
      const labels = classNames.map((_, i) => i);
      return {
        metrics: {
          accuracy: accuracy(truth, predicted),
          macroF1: f1(truth, predicted, { average: 'macro', labels, zeroDivision: 0 }) as number,
          params,
        },
        history,
        seconds,
        confusionMatrix: {
          labels: classNames,
          matrix: confusionMatrix(truth, predicted, { labels }),
        },
      };
    },
  });
  tf.dispose([yTrain, yTest]);
  await writeFileAtomic(path.join(options.out, 'epochs.md'), epochsTable(results));
  return results;
}

/** Test accuracy after every epoch, one row per run: the learning curves as a table. */
export function epochsTable(results: SweepResults<WikiSetting>): string {
  const runs = [...results.runs, ...results.repeats];
  const epochs = Math.max(...runs.map((r) => r.history.val_accuracy?.length ?? 0));
  const header = [
    'run',
    ...Array.from({ length: epochs }, (_, i) => `epoch ${i + 1}`),
    's / epoch',
  ];
  const rows = runs.map((r) => {
    const curve = r.history.val_accuracy ?? [];
    return [
      r.runId,
      ...Array.from({ length: epochs }, (_, i) =>
        curve[i] === undefined ? '-' : curve[i].toFixed(3),
      ),
      curve.length ? (r.seconds / curve.length).toFixed(2) : '-',
    ];
  });
  return `# Test accuracy after each epoch\n\n${markdownTable(header, rows)}\n`;
}
