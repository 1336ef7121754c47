import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { si650 } from '@seqlearn/datasets';
import { accuracy, confusionMatrix } from '@seqlearn/eval-metrics';
import {
  readSettings,
  runSweep,
  type Setting,
  type SweepResults,
  UsageError,
  writeFileAtomic,
} from '@seqlearn/example-kit';
import { createSequenceModel, initBackend, train } from '@seqlearn/rnn-models';
import { stratifiedSplit, trainTestSplit } from '@seqlearn/sequence-windows';
import { padSequences, tokenize, Vocabulary } from '@seqlearn/text-preprocess';
import * as tf from '@tensorflow/tfjs';
import type { UmichOptions } from './options';

/** One setting of the sweep (a line of `sweeps/*.json`). */
export interface UmichSetting extends Setting {
  /** Remove repeated sentences from the whole dataset before the splits. */
  dedupe: boolean;
  /** Recurrent layer. @default 'lstm' */
  cell?: 'lstm' | 'gru' | 'simpleRNN';
  /** Word vector size of the learned Embedding. */
  embeddingDim: number;
  /** Recurrent units. */
  units: number;
  /** Keras `dropout` of the recurrent layer (its inputs; stock tfjs layer, slow). @default 0 */
  dropout?: number;
  /**
   * Rate of a `SpatialDropout1D` layer after the Embedding: in training it drops whole embedding
   * channels, the same ones for every word of a sentence (Keras `SpatialDropout1D`). @default 0
   */
  spatialDropout?: number;
  /**
   * Rate of an ordinary `Dropout` layer after the Embedding: in training it drops single values,
   * independently for every word and channel. @default 0
   */
  embeddingDropout?: number;
}

/** A sentence as the model sees it: its tokens, the key that identifies duplicates, its label. */
export interface Sentence {
  tokens: string[];
  /** The tokens joined by spaces: two sentences are duplicates when their keys are equal. */
  key: string;
  label: number;
}

/** Tokenizes every sentence (lower-cased `natural` word tokens) and keys it for duplicate checks. */
export function toSentences(records: readonly { text: string; label: number }[]): Sentence[] {
  return records.map(({ text, label }) => {
    const tokens = tokenize(text);
    return { tokens, key: tokens.join(' '), label };
  });
}

/** Keeps the first sentence of every key, in order. */
export function dedupe(sentences: readonly Sentence[]): Sentence[] {
  const seen = new Set<string>();
  return sentences.filter((s) => !seen.has(s.key) && seen.add(s.key) !== undefined);
}

/**
 * Holds out about `fraction` of `indices` as validation data, by sentence: all copies of a
 * sentence (same key) fall on the same side, so no validation sentence also occurs in the
 * training part. The distinct sentences are split (seeded), stratified by their label (the
 * majority label of their copies; a tie goes to the first copy's label).
 */
export function groupedValidationSplit(
  sentences: readonly Sentence[],
  indices: readonly number[],
  { fraction = 0.2, seed }: { fraction?: number; seed: number },
): { trainIndices: number[]; valIndices: number[] } {
  const groups = new Map<string, number[]>();
  for (const i of indices) {
    const members = groups.get(sentences[i].key) ?? [];
    members.push(i);
    groups.set(sentences[i].key, members);
  }
  const members = [...groups.values()];
  const labels = members.map((m) => {
    const positive = m.filter((i) => sentences[i].label === 1).length;
    const negative = m.length - positive;
    return positive === negative ? sentences[m[0]].label : positive > negative ? 1 : 0;
  });
  const { testIndices } = stratifiedSplit(labels, { testSize: fraction, seed });
  const held = new Set(testIndices.flatMap((g) => members[g]));
  return {
    trainIndices: indices.filter((i) => !held.has(i)),
    valIndices: indices.filter((i) => held.has(i)),
  };
}

/** The three parts of the sentences for one setting's data. */
export interface SentenceSplit {
  /** Sentences the model trains on. */
  trainIndices: number[];
  /** Validation sentences (chosen by sentence: none also occurs in the training part). */
  valIndices: number[];
  /** Test sentences: a plain stratified 20%, so with duplicates many also occur in training. */
  testIndices: number[];
  /** For each test sentence, whether its key also occurs in the training part. */
  seenInTrain: boolean[];
}

/**
 * Splits the sentences 80/20 (stratified by label, seeded) into a training pool and a test part,
 * then holds out 20% of the pool as validation data grouped by sentence
 * ({@link groupedValidationSplit}), and marks the test sentences whose key also occurs in the
 * training part. The test part is a plain random split, as usually done, so that what duplicates
 * do to test accuracy stays visible; the validation part, which chooses the setting, has no
 * sentence that the model trained on.
 */
export function splitSentences(sentences: readonly Sentence[], seed: number): SentenceSplit {
  const { trainIndices: pool, testIndices } = trainTestSplit(sentences.length, {
    testSize: 0.2,
    seed,
    stratify: sentences.map((s) => s.label),
  });
  const { trainIndices, valIndices } = groupedValidationSplit(
    sentences,
    [...pool].sort((a, b) => a - b),
    { seed },
  );
  const trainKeys = new Set(trainIndices.map((i) => sentences[i].key));
  return {
    trainIndices,
    valIndices,
    testIndices,
    seenInTrain: testIndices.map((i) => trainKeys.has(sentences[i].key)),
  };
}

function pick<T>(xs: readonly T[], mask: readonly boolean[], keep: boolean): T[] {
  return xs.filter((_, i) => mask[i] === keep);
}

/**
 * The model of a setting: Embedding → (SpatialDropout1D or Dropout) → recurrent layer → sigmoid,
 * built by `createSequenceModel` and, when a dropout after the Embedding is asked for, rewired
 * with that layer between the Embedding and the recurrent layer (the factory has no such
 * option). The second model returned, when not null, shares the layers and must be disposed too.
 */
export function buildUmichModel(
  setting: UmichSetting,
  { vocabSize, maxlen, seed }: { vocabSize: number; maxlen: number; seed: number },
): { model: tf.LayersModel; base: tf.LayersModel | null } {
  const spatial = setting.spatialDropout ?? 0;
  const plain = setting.embeddingDropout ?? 0;
  for (const [name, rate] of [
    ['spatialDropout', spatial],
    ['embeddingDropout', plain],
  ] as const) {
    if (!(rate >= 0 && rate < 1)) {
      throw new UsageError(
        `setting ${setting.id}: ${name}: expected a rate in [0, 1), got ${rate}`,
      );
    }
  }
  if (spatial > 0 && plain > 0) {
    throw new UsageError(
      `setting ${setting.id}: give spatialDropout or embeddingDropout, not both`,
    );
  }
  const seq = createSequenceModel({
    inputShape: [maxlen],
    embedding: { inputDim: vocabSize, outputDim: setting.embeddingDim },
    cell: setting.cell ?? 'lstm',
    units: setting.units,
    dropout: setting.dropout ?? 0,
    numClasses: 2,
    outputActivation: 'sigmoid',
    seed,
  });
  if (spatial === 0 && plain === 0) return { model: seq, base: null };
  const input = tf.input({ shape: [maxlen] });
  const [embedding, ...rest] = seq.layers;
  // No layer seed: `train` seeds Math.random, from which tfjs draws a new mask every batch
  // (a fixed layer seed would drop the same values in every batch).
  const dropout =
    spatial > 0
      ? tf.layers.spatialDropout1d({ rate: spatial, name: 'spatial_dropout1d' })
      : tf.layers.dropout({ rate: plain, name: 'embedding_dropout' });
  let h = dropout.apply(embedding.apply(input)) as tf.SymbolicTensor;
  for (const layer of rest) h = layer.apply(h) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: input, outputs: h, name: setting.id }), base: seq };
}

/** Reads unlabelled sentences, one a line (SI650 `testdata.txt`); a final empty line is dropped. */
export async function readUnlabeled(file: string, limit = 0): Promise<string[]> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return limit > 0 ? lines.slice(0, limit) : lines;
}

/** Probability of the positive class for each sentence, predicted in chunks. */
async function positiveProbabilities(
  model: tf.LayersModel,
  vocab: Vocabulary,
  texts: readonly string[],
  maxlen: number,
): Promise<number[]> {
  const probs: number[] = [];
  for (let start = 0; start < texts.length; start += 4096) {
    const ids = padSequences(
      texts.slice(start, start + 4096).map((t) => vocab.encode(tokenize(t))),
      { maxlen },
    );
    const x = tf.tensor2d(ids, [ids.length, maxlen], 'int32');
    const p = tf.tidy(() => model.predict(x, { batchSize: 512 }) as tf.Tensor);
    probs.push(...(await p.data()));
    tf.dispose([x, p]);
  }
  return probs;
}

/**
 * `predictions.tsv`: a header, then one line per sentence: the sentence (tabs and line breaks
 * turned into spaces), the predicted label (1 positive, 0 negative, as in `training.txt`) and the
 * predicted probability of the positive class.
 */
export function predictionsTsv(texts: readonly string[], probs: readonly number[]): string {
  const lines = texts.map(
    (t, i) => `${t.replace(/[\t\r\n]+/g, ' ')}\t${probs[i] > 0.5 ? 1 : 0}\t${probs[i].toFixed(4)}`,
  );
  return `sentence\tlabel\tprobability_positive\n${lines.join('\n')}\n`;
}

/** What {@link runUmichSentiment} returns: the sweep, and where the predictions went. */
export type UmichResults = SweepResults<UmichSetting> & {
  /** The unlabelled predictions written, if any. */
  predictions?: { file: string; source: string; runId: string; count: number; positive: number };
};

/**
 * SI650 sentence sentiment with a word-level LSTM (the exercise: word tokens, a vocabulary,
 * maxlen 40, 10 epochs at batch 32), run as a sweep with the kit. Each setting's data (with or
 * without duplicate sentences) is split once (seed `--seed`): a stratified 20% test part, then
 * 20% of the rest held out as validation data by sentence (no validation sentence occurs in the
 * training part). Settings are compared by validation accuracy; the chosen one is trained again
 * with new seeds and only those final runs are evaluated on the test part: accuracy on all of it,
 * on the test sentences that do not also occur in the training part (`test_accuracyUnseen`) and on
 * those that do (`test_accuracySeen`). The first final run also labels the unlabelled sentences
 * (`testdata.txt`) into `predictions.tsv`.
 */
export async function runUmichSentiment(
  options: UmichOptions,
  log: (line: string) => void = console.log,
): Promise<UmichResults> {
  if (!existsSync(options.data)) {
    throw new UsageError(
      `no SI650 data at ${options.data}. Download training.txt from ${si650.sources[0].url} ` +
        '(a Kaggle login and accepting the competition rules are needed), then pass --data <file or folder>.',
    );
  }
  if (options.unlabeled && !existsSync(options.unlabeled)) {
    throw new UsageError(`--unlabeled: no file at ${options.unlabeled}`);
  }
  const backend = await initBackend({ log: options.quiet ? false : log });
  const { records, classNames } = await si650.load({ path: options.data, download: false });
  let sentences = toSentences(records);
  if (options.limit > 0 && options.limit < sentences.length) {
    const { testIndices } = trainTestSplit(sentences.length, {
      testSize: options.limit,
      seed: options.seed,
      stratify: sentences.map((s) => s.label),
    });
    sentences = testIndices.sort((a, b) => a - b).map((i) => sentences[i]);
  }
  const unique = dedupe(sentences).length;
  log(
    `si650: ${sentences.length} sentences, ${unique} distinct after tokenizing (${(100 * (1 - unique / sentences.length)).toFixed(1)}% repeats); backend ${backend.name}`,
  );
  const unlabeled = options.unlabeled
    ? await readUnlabeled(options.unlabeled, options.unlabeledLimit)
    : undefined;

  // One split per data variant, the same for every setting and seed.
  const variants = new Map<boolean, { data: Sentence[]; split: SentenceSplit }>();
  const variant = (deduplicated: boolean) => {
    let v = variants.get(deduplicated);
    if (!v) {
      const data = deduplicated ? dedupe(sentences) : sentences;
      v = { data, split: splitSentences(data, options.seed) };
      variants.set(deduplicated, v);
    }
    return v;
  };
  const settings = await readSettings<UmichSetting>(options.sweep);
  let predictions: UmichResults['predictions'];

  const results = await runSweep({
    title: 'SI650 sentiment: word LSTM, duplicate sentences, dropout after the embedding',
    settings,
    metric: 'val_accuracy',
    finalOnly: /^test_/,
    columns: ['val_accuracy', 'trainSize', 'valSize', 'vocabularySize'],
    finalColumns: [
      'val_accuracy',
      'test_accuracy',
      'test_accuracyUnseen',
      'test_accuracySeen',
      'testSize',
      'unseenTestSize',
    ],
    out: options.out,
    seed: options.seed,
    repeats: options.repeats,
    log,
    notes:
      `${sentences.length} SI650 sentences (${unique} distinct). Per setting's data (all lines, or the distinct ` +
      `sentences with \`dedupe\`), split once with seed ${options.seed}: test 20% (stratified, plain random split), ` +
      'validation 20% of the rest chosen by sentence (all copies of a sentence on one side, stratified), train the rest. ' +
      `Vocabulary of the ${options.vocabSize} most frequent training words, maxlen ${options.maxlen}, ` +
      `${options.epochs} epochs at batch ${options.batchSize}, Adam 0.001, backend ${backend.name}. ` +
      'The setting with the best validation accuracy is chosen; only its final runs are evaluated on the test part. ' +
      '`test_accuracyUnseen`: accuracy on the test sentences that do not also occur in the training part; ' +
      '`test_accuracySeen`: on those that do.',
    run: async (setting, { seed, runId, phase }) => {
      const { data, split } = variant(setting.dedupe);
      const train_ = split.trainIndices.map((i) => data[i]);
      const val = split.valIndices.map((i) => data[i]);
      const vocab = Vocabulary.fromCorpus(
        train_.map((s) => s.tokens),
        { maxSize: options.vocabSize },
      );
      const encode = (part: Sentence[]) =>
        tf.tensor2d(
          padSequences(
            part.map((s) => vocab.encode(s.tokens)),
            { maxlen: options.maxlen },
          ),
          [part.length, options.maxlen],
          'int32',
        );
      const labels = (part: Sentence[]) =>
        tf.tensor2d(
          part.map((s) => [s.label]),
          [part.length, 1],
        );
      const x = encode(train_);
      const y = labels(train_);
      const xVal = encode(val);
      const yVal = labels(val);
      const { model, base } = buildUmichModel(setting, {
        vocabSize: vocab.size,
        maxlen: options.maxlen,
        seed,
      });
      const started = Date.now();
      const { history } = await train(
        model,
        { x, y },
        {
          epochs: options.epochs,
          batchSize: options.batchSize,
          optimizer: 'adam',
          learningRate: 0.001,
          seed,
          validationData: { x: xVal, y: yVal },
          verbose: options.quiet ? 0 : 1,
        },
      );
      const seconds = (Date.now() - started) / 1000;
      const predict = async (part: Sentence[]) => {
        const xs = encode(part);
        const probs = tf.tidy(() => model.predict(xs, { batchSize: 256 }) as tf.Tensor);
        const predicted = Array.from(await probs.data(), (p) => (p > 0.5 ? 1 : 0));
        tf.dispose([xs, probs]);
        return predicted;
      };
      const valPredicted = await predict(val);
      const valTruth = val.map((s) => s.label);
      const sizes = {
        trainSize: train_.length,
        valSize: val.length,
        testSize: split.testIndices.length,
        unseenTestSize: split.seenInTrain.filter((s) => !s).length,
        vocabularySize: vocab.size,
      };
      let metrics: Record<string, number> = {
        val_accuracy: accuracy(valTruth, valPredicted),
        ...sizes,
      };
      let matrix = confusionMatrix(valTruth, valPredicted, { labels: [0, 1] });
      if (phase === 'final') {
        // The test sentences are read by the final runs of the chosen setting only.
        const test = split.testIndices.map((i) => data[i]);
        const truth = test.map((s) => s.label);
        const predicted = await predict(test);
        // Accuracy on the test sentences that do (seen) or do not (unseen) also occur in
        // training; left out when there are none, so that every reported figure is a number.
        const part = (keep: boolean): Record<string, number> => {
          const t = pick(truth, split.seenInTrain, keep);
          if (t.length === 0) return {};
          const value = accuracy(t, pick(predicted, split.seenInTrain, keep));
          return keep ? { test_accuracySeen: value } : { test_accuracyUnseen: value };
        };
        metrics = {
          val_accuracy: metrics.val_accuracy,
          test_accuracy: accuracy(truth, predicted),
          ...part(false),
          ...part(true),
          ...sizes,
        };
        matrix = confusionMatrix(truth, predicted, { labels: [0, 1] });
        if (unlabeled && !predictions && options.unlabeled) {
          const probs = await positiveProbabilities(model, vocab, unlabeled, options.maxlen);
          const file = path.join(options.out, 'predictions.tsv');
          await writeFileAtomic(file, predictionsTsv(unlabeled, probs));
          predictions = {
            file,
            source: options.unlabeled,
            runId,
            count: unlabeled.length,
            positive: probs.filter((p) => p > 0.5).length,
          };
          log(
            `  predicted ${unlabeled.length} unlabelled sentences of ${options.unlabeled} with ${runId}: ` +
              `${predictions.positive} positive; wrote ${file}`,
          );
        }
      }
      tf.dispose([x, y, xVal, yVal]);
      model.dispose();
      base?.dispose();
      return {
        metrics,
        history,
        seconds,
        confusionMatrix: {
          labels: classNames,
          matrix,
          split: phase === 'final' ? 'test' : 'validation',
        },
      };
    },
  });
  const md = path.join(options.out, 'results.md');
  let note: string;
  if (predictions) {
    note =
      `\n## Predictions for unlabelled sentences\n\n\`predictions.tsv\`: ${predictions.count} sentences of ` +
      `\`${path.basename(predictions.source)}\`${options.unlabeledLimit > 0 ? ` (the first ${options.unlabeledLimit} lines)` : ''}, ` +
      `labelled by \`${predictions.runId}\` (the chosen setting's first final run): ` +
      `${predictions.positive} positive, ${predictions.count - predictions.positive} negative. ` +
      'Columns: sentence, label (1 positive, 0 negative), probability of the positive class.\n';
  } else if (options.unlabeled) {
    note = '\nNo final run (`--repeats 0`), so no predictions for the unlabelled sentences.\n';
  } else {
    note = '';
  }
  if (note) await writeFileAtomic(md, `${await readFile(md, 'utf8')}${note}`);
  return { ...results, ...(predictions ? { predictions } : {}) };
}
