import { existsSync } from 'node:fs';
import { si650 } from '@seqlearn/datasets';
import { accuracy, confusionMatrix } from '@seqlearn/eval-metrics';
import {
  readSettings,
  runSweep,
  type Setting,
  type SweepResults,
  UsageError,
} from '@seqlearn/example-kit';
import { createSequenceModel, initBackend, train } from '@seqlearn/rnn-models';
import { trainTestSplit } from '@seqlearn/sequence-windows';
import { padSequences, tokenize, Vocabulary } from '@seqlearn/text-preprocess';
import * as tf from '@tensorflow/tfjs';
import type { UmichOptions } from './options';

/** One setting of the sweep (a line of `sweeps/*.json`). */
export interface UmichSetting extends Setting {
  /** Remove repeated sentences from the whole dataset before the 80/20 split. */
  dedupe: boolean;
  /** Recurrent layer. @default 'lstm' */
  cell?: 'lstm' | 'gru' | 'simpleRNN';
  /** Word vector size of the learned Embedding. */
  embeddingDim: number;
  /** Recurrent units. */
  units: number;
  /** Keras `dropout` of the recurrent layer. @default 0 */
  dropout?: number;
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
 * Splits the sentences 80/20 (stratified by label, seeded) and returns the indices of the test
 * sentences whose key also occurs in the training part.
 */
export function splitWithOverlap(
  sentences: readonly Sentence[],
  seed: number,
): { trainIndices: number[]; testIndices: number[]; seenInTrain: boolean[] } {
  const { trainIndices, testIndices } = trainTestSplit(sentences.length, {
    testSize: 0.2,
    seed,
    stratify: sentences.map((s) => s.label),
  });
  const trainKeys = new Set(trainIndices.map((i) => sentences[i].key));
  return {
    trainIndices,
    testIndices,
    seenInTrain: testIndices.map((i) => trainKeys.has(sentences[i].key)),
  };
}

function pick<T>(xs: readonly T[], mask: readonly boolean[], keep: boolean): T[] {
  return xs.filter((_, i) => mask[i] === keep);
}

/**
 * SI650 sentence sentiment with a word-level LSTM (the exercise: word tokens, a vocabulary,
 * maxlen 40, an 80/20 split, 10 epochs at batch 32), run as a sweep with the kit: each setting
 * trains on the data with or without duplicates, and reports accuracy on the whole test part and
 * on the test sentences that do not also occur in the training part (`accuracyUnseen`), the
 * figure that picks the best setting.
 */
export async function runUmichSentiment(
  options: UmichOptions,
  log: (line: string) => void = console.log,
): Promise<SweepResults<UmichSetting>> {
  if (!existsSync(options.data)) {
    throw new UsageError(
      `no SI650 data at ${options.data}. Download training.txt from ${si650.sources[0].url} ` +
        '(a Kaggle login and accepting the competition rules are needed), then pass --data <file or folder>.',
    );
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

  const settings = await readSettings<UmichSetting>(options.sweep);
  return runSweep({
    title: 'SI650 sentiment: word LSTM, with and without duplicate sentences',
    settings,
    metric: 'accuracyUnseen',
    columns: ['accuracy', 'accuracyUnseen', 'accuracySeen', 'testSize', 'unseenSize'],
    out: options.out,
    seed: options.seed,
    repeats: options.repeats,
    log,
    notes:
      `${sentences.length} SI650 sentences (${unique} distinct), 80/20 stratified split per seed, ` +
      `vocabulary of the ${options.vocabSize} most frequent training words, maxlen ${options.maxlen}, ` +
      `${options.epochs} epochs at batch ${options.batchSize}, Adam 0.001, backend ${backend.name}. ` +
      '`accuracyUnseen`: accuracy on the test sentences that do not also occur in the training part; ' +
      '`accuracySeen`: on those that do.',
    run: async (setting, seed) => {
      const data = setting.dedupe ? dedupe(sentences) : sentences;
      const { trainIndices, testIndices, seenInTrain } = splitWithOverlap(data, seed);
      const train_ = trainIndices.map((i) => data[i]);
      const test = testIndices.map((i) => data[i]);
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
          undefined,
          'int32',
        );
      const labels = (part: Sentence[]) => tf.tensor2d(part.map((s) => [s.label]));
      const x = encode(train_);
      const y = labels(train_);
      const xTest = encode(test);
      const yTest = labels(test);
      const model = createSequenceModel({
        inputShape: [options.maxlen],
        embedding: { inputDim: vocab.size, outputDim: setting.embeddingDim },
        cell: setting.cell ?? 'lstm',
        units: setting.units,
        dropout: setting.dropout ?? 0,
        numClasses: 2,
        outputActivation: 'sigmoid',
        seed,
        compile: { learningRate: 0.001 },
      });
      const started = Date.now();
      const { history } = await train(
        model,
        { x, y },
        {
          epochs: options.epochs,
          batchSize: options.batchSize,
          seed,
          validationData: { x: xTest, y: yTest },
          verbose: options.quiet ? 0 : 1,
        },
      );
      const seconds = (Date.now() - started) / 1000;
      const probs = tf.tidy(() => model.predict(xTest, { batchSize: 256 }) as tf.Tensor);
      const predicted = Array.from(await probs.data(), (p) => (p > 0.5 ? 1 : 0));
      tf.dispose([x, y, xTest, yTest, probs]);
      model.dispose();
      const truth = test.map((s) => s.label);
      // Accuracy on the test sentences that do (seen) or do not (unseen) also occur in training;
      // left out when there are none, so that every reported figure is a number.
      const part = (keep: boolean): Record<string, number> => {
        const t = pick(truth, seenInTrain, keep);
        if (t.length === 0) return {};
        const value = accuracy(t, pick(predicted, seenInTrain, keep));
        return keep ? { accuracySeen: value } : { accuracyUnseen: value };
      };
      const unseenSize = seenInTrain.filter((s) => !s).length;
      return {
        metrics: {
          accuracy: accuracy(truth, predicted),
          ...part(false),
          ...part(true),
          trainSize: train_.length,
          testSize: test.length,
          unseenSize,
          vocabularySize: vocab.size,
        },
        history,
        seconds,
        confusionMatrix: {
          labels: classNames,
          matrix: confusionMatrix(truth, predicted, { labels: [0, 1] }),
        },
      };
    },
  });
}
