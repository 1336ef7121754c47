import { existsSync } from 'node:fs';
import path from 'node:path';
import { type ImdbRecord, imdb } from '@seqlearn/datasets';
import { accuracy, confusionMatrix, rocAuc } from '@seqlearn/eval-metrics';
import {
  readSettings,
  runSweep,
  type Setting,
  type SweepResults,
  UsageError,
  writeJsonAtomic,
} from '@seqlearn/example-kit';
import {
  countParams,
  createSequenceModel,
  initBackend,
  type SequenceModelConfig,
  train,
} from '@seqlearn/rnn-models';
import { trainTestSplit } from '@seqlearn/sequence-windows';
import {
  buildEmbeddingMatrix,
  lengthStats,
  loadWordVectors,
  padSequences,
  tokenize,
  Vocabulary,
  type WordVectors,
} from '@seqlearn/text-preprocess';
import * as tf from '@tensorflow/tfjs';
import type { ImdbOptions } from './options';
import { ppmiVectors } from './ppmi-vectors';

/** One setting of a sweep (a line of `sweeps/*.json`). */
export interface ImdbSetting extends Setting {
  /** The network over the embedding. */
  model: 'simpleRNN' | 'lstm' | 'gru' | 'conv1d';
  /** Learned from scratch, pretrained and frozen, or pretrained and fine-tuned. */
  embedding: 'learned' | 'frozen' | 'finetuned';
  /** Vocabulary size, `<pad>` and `<unk>` included. @default `--vocab-size` */
  vocabSize?: number;
  /** Words per review. @default `--maxlen` */
  maxlen?: number;
  /** Which end of a long review is cut (Keras `truncating`). @default 'pre' */
  truncating?: 'pre' | 'post';
}

/** Reviews as tokens and labels. */
export interface Corpus {
  /** The reviews the models train on (vocabulary and PPMI-SVD vectors come from these only). */
  train: { tokens: string[][]; labels: number[] };
  /** Validation reviews: 20% of the training reviews (class-balanced, seeded), to choose a setting on. */
  val: { tokens: string[][]; labels: number[] };
  /** Test reviews, evaluated by the final runs of the chosen setting only. */
  test: { tokens: string[][]; labels: number[] };
  /** Where the reviews came from, in words. */
  description: string;
}

/** Lower-cased word tokens of a review, with its `<br />` tags removed. */
export function reviewTokens(text: string): string[] {
  return tokenize(text.replace(/<br\s*\/?>/gi, ' '));
}

function balancedSample<T extends { label: number }>(
  records: T[],
  size: number,
  seed: number,
): T[] {
  if (size <= 0 || size >= records.length) return records;
  const { testIndices } = trainTestSplit(records.length, {
    testSize: size,
    seed,
    stratify: records.map((r) => r.label),
  });
  return testIndices.sort((a, b) => a - b).map((i) => records[i]);
}

/**
 * Splits off 20% of the training reviews (stratified by label, seeded) as validation data.
 */
function withValidation(
  train: { text: string; label: number }[],
  seed: number,
): { train: { text: string; label: number }[]; val: { text: string; label: number }[] } {
  const { trainIndices, testIndices } = trainTestSplit(train.length, {
    testSize: 0.2,
    seed,
    stratify: train.map((r) => r.label),
  });
  const byIndex = (idx: number[]) => [...idx].sort((a, b) => a - b).map((i) => train[i]);
  return { train: byIndex(trainIndices), val: byIndex(testIndices) };
}

/**
 * Reads the reviews. Quick mode streams only the first `perClass` negative and positive reviews
 * of the test split (the archive holds the test split first, negative then positive) and splits
 * them 2:1; otherwise both splits are loaded and sampled (class-balanced, seeded) to the sizes
 * asked for. In both cases 20% of the training part is then held out (stratified, seeded) as
 * validation data.
 */
export async function loadCorpus(options: ImdbOptions, perClass = 150): Promise<Corpus> {
  const toPart = (rs: { text: string; label: number }[]) => ({
    tokens: rs.map((r) => reviewTokens(r.text)),
    labels: rs.map((r) => r.label),
  });
  if (options.quick) {
    const taken: ImdbRecord[] = [];
    const counts = [0, 0];
    for await (const r of imdb.stream!({ path: options.data, split: 'test', download: false })) {
      if (counts[r.label] < perClass) {
        counts[r.label]++;
        taken.push(r);
      }
      if (counts[0] >= perClass && counts[1] >= perClass) break;
    }
    const { trainIndices, testIndices } = trainTestSplit(taken.length, {
      testSize: 1 / 3,
      seed: options.seed,
      stratify: taken.map((r) => r.label),
    });
    const parts = withValidation(
      trainIndices.map((i) => taken[i]),
      options.seed,
    );
    return {
      train: toPart(parts.train),
      val: toPart(parts.val),
      test: toPart(testIndices.map((i) => taken[i])),
      description:
        `quick: the first ${perClass} negative and ${perClass} positive reviews of the test split, split 2:1; ` +
        `of the 2/3, ${parts.train.length} train and ${parts.val.length} validation`,
    };
  }
  const load = async (split: 'train' | 'test', size: number) =>
    balancedSample(
      (await imdb.load({ path: options.data, split, download: false })).records,
      size,
      options.seed,
    );
  const train_ = await load('train', options.trainSize);
  const test = await load('test', options.testSize);
  const parts = withValidation(train_, options.seed);
  return {
    train: toPart(parts.train),
    val: toPart(parts.val),
    test: toPart(test),
    description:
      `${train_.length} training and ${test.length} test reviews (${options.trainSize || options.testSize ? 'class-balanced samples' : 'all'}); ` +
      `of the training reviews, ${parts.train.length} train and ${parts.val.length} validation (20%, class-balanced, seed ${options.seed})`,
  };
}

/** Caches vocabularies, padded id matrices and embedding matrices across the runs of a sweep. */
class Features {
  readonly #vocabs = new Map<number, Vocabulary>();
  readonly #ids = new Map<string, { x: Int32Array; xVal: Int32Array; xTest: Int32Array }>();
  readonly #pretrained = new Map<number, { rows: number[][]; coverage: number }>();

  constructor(
    readonly corpus: Corpus,
    readonly options: ImdbOptions,
    readonly log: (line: string) => void,
    readonly fileVectors?: WordVectors,
  ) {}

  vocab(size: number): Vocabulary {
    let v = this.#vocabs.get(size);
    if (!v) {
      v = Vocabulary.fromCorpus(this.corpus.train.tokens, { maxSize: size });
      this.#vocabs.set(size, v);
    }
    return v;
  }

  ids(size: number, maxlen: number, truncating: 'pre' | 'post') {
    const key = `${size}/${maxlen}/${truncating}`;
    let ids = this.#ids.get(key);
    if (!ids) {
      const vocab = this.vocab(size);
      const pad = (docs: string[][]) =>
        padSequences(
          docs.map((d) => vocab.encode(d)),
          { maxlen, truncating, output: 'typedArray' },
        ).data as Int32Array;
      ids = {
        x: pad(this.corpus.train.tokens),
        xVal: pad(this.corpus.val.tokens),
        xTest: pad(this.corpus.test.tokens),
      };
      this.#ids.set(key, ids);
    }
    return ids;
  }

  /** Pretrained rows for the vocabulary of `size`: the file's vectors, else PPMI-SVD ones. */
  pretrained(size: number): { rows: number[][]; coverage: number } {
    let p = this.#pretrained.get(size);
    if (!p) {
      const vocab = this.vocab(size);
      const started = Date.now();
      const vectors =
        this.fileVectors ??
        ppmiVectors(this.corpus.train.tokens, vocab.tokens, {
          dim: this.options.embeddingDim,
          seed: this.options.seed,
        });
      const { matrix, shape, coverage } = buildEmbeddingMatrix(vocab, vectors);
      const rows = Array.from({ length: shape[0] }, (_, i) =>
        Array.from(matrix.subarray(i * shape[1], (i + 1) * shape[1])),
      );
      p = { rows, coverage };
      this.#pretrained.set(size, p);
      this.log(
        `pretrained vectors for ${size} words: ${this.fileVectors ? this.options.vectors : 'PPMI-SVD of the training texts'}, ` +
          `dim ${shape[1]}, coverage ${(100 * coverage).toFixed(1)}% (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
    return p;
  }
}

/** The model config of a setting: Embedding, then a recurrent layer or Conv1D, sigmoid output. */
export function modelConfig(
  setting: ImdbSetting,
  {
    vocabSize,
    maxlen,
    embeddingDim,
    pretrained,
    seed,
  }: {
    vocabSize: number;
    maxlen: number;
    embeddingDim: number;
    pretrained?: number[][];
    seed: number;
  },
): SequenceModelConfig {
  const embedding =
    setting.embedding === 'learned'
      ? { inputDim: vocabSize, outputDim: embeddingDim }
      : {
          inputDim: vocabSize,
          outputDim: pretrained?.[0]?.length ?? embeddingDim,
          weights: pretrained,
          trainable: setting.embedding === 'finetuned',
        };
  const base = {
    inputShape: [maxlen],
    embedding,
    numClasses: 2,
    outputActivation: 'sigmoid' as const,
    seed,
    name: `${setting.model}-${setting.embedding}`,
  };
  if (setting.model === 'conv1d') {
    return {
      ...base,
      conv: [{ filters: 32, kernelSize: 5, activation: 'relu' }],
      pooling: 'globalMax',
      dense: [32],
    };
  }
  return { ...base, cell: setting.model, units: 32 };
}

async function runOneSweep(
  title: string,
  file: string,
  out: string,
  features: Features,
  options: ImdbOptions,
  log: (line: string) => void,
  notes: string,
): Promise<SweepResults<ImdbSetting>> {
  const { corpus } = features;
  const settings = await readSettings<ImdbSetting>(file);
  const y = tf.tensor2d(corpus.train.labels, [corpus.train.labels.length, 1]);
  const yVal = tf.tensor2d(corpus.val.labels, [corpus.val.labels.length, 1]);
  try {
    return await runSweep({
      title,
      settings,
      metric: 'val_accuracy',
      finalOnly: /^test_/,
      columns: ['val_accuracy', 'val_rocAuc', 'params', 'coverage'],
      finalColumns: ['val_accuracy', 'test_accuracy', 'test_rocAuc', 'params'],
      out,
      seed: options.seed,
      repeats: options.repeats,
      log,
      notes,
      run: async (setting, { seed, phase }) => {
        const vocabSize = setting.vocabSize ?? options.vocabSize;
        const maxlen = setting.maxlen ?? options.maxlen;
        const vocab = features.vocab(vocabSize);
        const ids = features.ids(vocabSize, maxlen, setting.truncating ?? 'pre');
        const pre = setting.embedding === 'learned' ? undefined : features.pretrained(vocabSize);
        const config = modelConfig(setting, {
          vocabSize: vocab.size,
          maxlen,
          embeddingDim: options.embeddingDim,
          pretrained: pre?.rows,
          seed,
        });
        const model = createSequenceModel(config);
        const x = tf.tensor2d(ids.x, [corpus.train.labels.length, maxlen], 'int32');
        const xVal = tf.tensor2d(ids.xVal, [corpus.val.labels.length, maxlen], 'int32');
        const started = Date.now();
        const { history } = await train(
          model,
          { x, y },
          {
            epochs: options.epochs,
            batchSize: options.batchSize,
            optimizer: 'adam',
            learningRate: 0.001,
            validationData: { x: xVal, y: yVal },
            seed,
            verbose: options.quiet ? 0 : 1,
          },
        );
        const seconds = (Date.now() - started) / 1000;
        const evaluate = async (ids_: Int32Array, truth: number[]) => {
          const xs = tf.tensor2d(ids_, [truth.length, maxlen], 'int32');
          const probsT = tf.tidy(() => model.predict(xs, { batchSize: 256 }) as tf.Tensor);
          const probs = Array.from(await probsT.data());
          tf.dispose([xs, probsT]);
          const predicted = probs.map((p) => (p > 0.5 ? 1 : 0));
          return {
            accuracy: accuracy(truth, predicted),
            rocAuc: rocAuc(truth, probs) as number,
            matrix: confusionMatrix(truth, predicted, { labels: [0, 1] }),
          };
        };
        const val = await evaluate(ids.xVal, corpus.val.labels);
        // The test reviews are read by the final runs of the chosen setting only.
        const test = phase === 'final' ? await evaluate(ids.xTest, corpus.test.labels) : undefined;
        tf.dispose([x, xVal]);
        model.dispose();
        return {
          metrics: {
            val_accuracy: val.accuracy,
            val_rocAuc: val.rocAuc,
            ...(test ? { test_accuracy: test.accuracy, test_rocAuc: test.rocAuc } : {}),
            params: countParams({
              ...config,
              embedding: { ...config.embedding!, weights: undefined },
            }),
            ...(pre ? { coverage: pre.coverage } : {}),
          },
          history,
          seconds,
          confusionMatrix: {
            labels: ['negative', 'positive'],
            matrix: (test ?? val).matrix,
            split: test ? 'test' : 'validation',
          },
        };
      },
    });
  } finally {
    tf.dispose([y, yVal]);
  }
}

/** What {@link runImdbExperiment} returns. */
export interface ImdbResults {
  preprocessing?: SweepResults<ImdbSetting>;
  models?: SweepResults<ImdbSetting>;
}

/**
 * The IMDb exercise: a sweep of preprocessing parameters (vocabulary size, `maxlen`, truncation
 * side) with a fixed Conv1D model, then SimpleRNN, LSTM, GRU and Conv1D over an Embedding learned
 * from scratch, pretrained and frozen, or pretrained and fine-tuned. Each sweep compares its
 * settings on validation reviews (20% of the training reviews) and trains the best one again with
 * new seeds; only those final runs are evaluated on the test reviews. Writes `preprocessing/` and
 * `models/` under `options.out`.
 */
export async function runImdbExperiment(
  options: ImdbOptions,
  log: (line: string) => void = console.log,
): Promise<ImdbResults> {
  if (!existsSync(options.data)) {
    throw new UsageError(
      `no IMDb reviews at ${options.data}. Download ${imdb.sources[0].url} (84 MB) and pass ` +
        '--data <aclImdb_v1.tar.gz or the extracted aclImdb folder>.',
    );
  }
  if (options.vectors !== undefined && !existsSync(options.vectors)) {
    throw new UsageError(`--vectors: no file at ${options.vectors}`);
  }
  const backend = await initBackend({ log: options.quiet ? false : log });
  let started = Date.now();
  const corpus = await loadCorpus(options);
  const lengths = lengthStats(corpus.train.tokens);
  log(
    `imdb: ${corpus.description} in ${((Date.now() - started) / 1000).toFixed(1)} s; words per training review: ` +
      `median ${lengths.percentiles[50]}, 90th percentile ${Math.round(lengths.percentiles[90])}, max ${lengths.max}; backend ${backend.name}`,
  );
  let fileVectors: WordVectors | undefined;
  if (options.vectors) {
    started = Date.now();
    const words = new Set(corpus.train.tokens.flat());
    fileVectors = await loadWordVectors(options.vectors, { words: [...words] });
    log(`read ${fileVectors.size} vectors of dim ${fileVectors.dim} from ${options.vectors}`);
  }
  const features = new Features(corpus, options, log, fileVectors);
  const vectorsNote = options.vectors
    ? `pretrained vectors from ${path.basename(options.vectors)}`
    : `pretrained vectors: PPMI-SVD (window 4, dim ${options.embeddingDim}) of the training reviews, no outside data`;
  const common =
    `${corpus.description}; words per review: median ${lengths.percentiles[50]}, 90th percentile ${Math.round(lengths.percentiles[90])}. ` +
    `${options.epochs} epochs, batch ${options.batchSize}, Adam 0.001, backend ${backend.name}. ` +
    'Best setting by validation accuracy; test figures for its final runs only. ';
  await writeJsonAtomic(path.join(options.out, 'data.json'), {
    description: corpus.description,
    trainSize: corpus.train.labels.length,
    valSize: corpus.val.labels.length,
    testSize: corpus.test.labels.length,
    lengths,
    vectors: options.vectors ?? 'ppmi-svd',
    options,
  });
  const results: ImdbResults = {};
  if (options.only !== 'models') {
    results.preprocessing = await runOneSweep(
      'IMDb preprocessing: vocabulary size, maxlen and truncation side (Conv1D over a learned Embedding)',
      options.preprocessingSweep,
      path.join(options.out, 'preprocessing'),
      features,
      options,
      log,
      `${common}Model: Embedding ${options.embeddingDim}, Conv1D 32 × 5, global max pooling, Dense 32, sigmoid.`,
    );
  }
  if (options.only !== 'preprocessing') {
    results.models = await runOneSweep(
      'IMDb models: SimpleRNN, LSTM, GRU and Conv1D over learned, frozen and fine-tuned embeddings',
      options.sweep,
      path.join(options.out, 'models'),
      features,
      options,
      log,
      `${common}Vocabulary ${options.vocabSize}, maxlen ${options.maxlen}, truncating 'pre'; recurrent layers 32 units; ` +
        `Conv1D 32 × 5 + global max + Dense 32; ${vectorsNote}. \`coverage\`: share of the vocabulary with a pretrained vector.`,
    );
  }
  return results;
}
