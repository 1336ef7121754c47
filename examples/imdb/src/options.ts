import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CommonFlags,
  intFlag,
  parseExampleArgs,
  sharedDataPath,
  UsageError,
} from '@seqlearn/example-kit';

/** Settings of one invocation of the imdb example. */
export interface ImdbOptions extends CommonFlags {
  /** `aclImdb_v1.tar.gz` or the extracted `aclImdb` folder. */
  data: string;
  /** GloVe-format text file of pretrained vectors; none: PPMI-SVD vectors of the training texts. */
  vectors?: string;
  /** Which sweeps to run. */
  only: 'both' | 'preprocessing' | 'models';
  /** Sweep file of the model comparison. */
  sweep: string;
  /** Sweep file of the preprocessing comparison. */
  preprocessingSweep: string;
  /** Training reviews sampled (class-balanced, seeded); 0 = all 25,000. */
  trainSize: number;
  /** Test reviews sampled (class-balanced, seeded); 0 = all 25,000. */
  testSize: number;
  /** Epochs per run. */
  epochs: number;
  /** Mini-batch size. */
  batchSize: number;
  /** Default vocabulary size (`<pad>` and `<unk>` included); settings may override it. */
  vocabSize: number;
  /** Default words per review; settings may override it. */
  maxlen: number;
  /** Size of learned and PPMI-SVD vectors (GloVe files bring their own). */
  embeddingDim: number;
  /**
   * How many more times the best setting of each sweep (by validation accuracy) is trained, each
   * with a new seed; only these final runs are evaluated on the test reviews.
   */
  repeats: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Folder of the example's sweep files. */
export const sweepsDir = path.resolve(here, '..', 'sweeps');

export const usage = `Usage: npm start -- [flags]   (or: npm run example -- imdb [flags])

  --data PATH           aclImdb_v1.tar.gz or the extracted aclImdb folder
                        (default $SEQLEARN_SHARED_DATASETS/imdb/aclImdb_v1.tar.gz, else
                        ../shared/datasets/imdb/aclImdb_v1.tar.gz beside the repository)
  --vectors FILE        pretrained vectors, GloVe text format (e.g. glove.6B.100d.txt); without it
                        the "pretrained" settings use PPMI-SVD vectors computed from the training texts
  --only WHICH          both | preprocessing | models (default both)
  --sweep FILE          model settings (default sweeps/default.json; sweeps/quick.json with --quick)
  --preprocessing-sweep FILE
                        preprocessing settings (default sweeps/preprocessing.json;
                        sweeps/quick-preprocessing.json with --quick)
  --train-size N        training reviews, class-balanced sample; 0 = all 25,000 (default 0);
                        20% of them are held out as validation data
  --test-size N         test reviews, class-balanced sample; 0 = all 25,000 (default 0)
  --epochs N            epochs per run (default 3; 1 with --quick)
  --batch-size N        mini-batch size (default 64)
  --vocab-size N        vocabulary including <pad> and <unk> (default 10000; 1000 with --quick)
  --maxlen N            words per review (default 200; 50 with --quick)
  --embedding-dim N     size of learned and PPMI-SVD vectors (default 50; 16 with --quick)
  --repeats N           final runs of each sweep's best setting (by validation accuracy, on 20%
                        of the training reviews) with new seeds; only these are evaluated on the
                        test reviews (default 3)
  --seed N              seed of the samples, weights and shuffles (default 42)
  --out DIR             output folder (default runs/imdb/<timestamp>)
  --quick               the first 150 negative and 150 positive test reviews only (2:1 split),
                        tiny models, one epoch: a smoke run, not a result
  --quiet               no per-epoch lines
  --help                this text`;

/** Parses the command line of the example (flags as in {@link usage}). */
export function parseImdbArgs(argv: string[]): ImdbOptions | 'help' {
  const parsed = parseExampleArgs('imdb', argv, {
    data: { type: 'string' },
    vectors: { type: 'string' },
    only: { type: 'string' },
    sweep: { type: 'string' },
    'preprocessing-sweep': { type: 'string' },
    'train-size': { type: 'string' },
    'test-size': { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    'vocab-size': { type: 'string' },
    maxlen: { type: 'string' },
    'embedding-dim': { type: 'string' },
    repeats: { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const { values: v, ...common } = parsed;
  const quick = common.quick;
  const only = (v.only as string | undefined) ?? 'both';
  if (only !== 'both' && only !== 'preprocessing' && only !== 'models') {
    throw new UsageError(
      `--only: expected both, preprocessing or models, got ${JSON.stringify(only)}`,
    );
  }
  const data = v.data as string | undefined;
  return {
    ...common,
    data: data ? path.resolve(data) : path.join(sharedDataPath('imdb'), 'aclImdb_v1.tar.gz'),
    vectors: v.vectors as string | undefined,
    only,
    sweep:
      (v.sweep as string | undefined) ??
      path.join(sweepsDir, quick ? 'quick.json' : 'default.json'),
    preprocessingSweep:
      (v['preprocessing-sweep'] as string | undefined) ??
      path.join(sweepsDir, quick ? 'quick-preprocessing.json' : 'preprocessing.json'),
    trainSize: intFlag(v['train-size'], '--train-size', 0, 0),
    testSize: intFlag(v['test-size'], '--test-size', 0, 0),
    epochs: intFlag(v.epochs, '--epochs', quick ? 1 : 3),
    batchSize: intFlag(v['batch-size'], '--batch-size', 64),
    vocabSize: intFlag(v['vocab-size'], '--vocab-size', quick ? 1000 : 10000, 3),
    maxlen: intFlag(v.maxlen, '--maxlen', quick ? 50 : 200),
    embeddingDim: intFlag(v['embedding-dim'], '--embedding-dim', quick ? 16 : 50),
    repeats: intFlag(v.repeats, '--repeats', 3, 0),
  };
}
