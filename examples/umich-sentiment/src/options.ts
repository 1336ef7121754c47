import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommonFlags, intFlag, parseExampleArgs, sharedDataPath } from '@seqlearn/example-kit';

/** Settings of one invocation of the umich-sentiment example. */
export interface UmichOptions extends CommonFlags {
  /** `training.txt` of SI650, or the folder holding it. */
  data: string;
  /** Sweep file: a JSON array of settings. */
  sweep: string;
  /** Epochs per run (10 as in the exercise; 1 with `--quick`). */
  epochs: number;
  /** Mini-batch size (32). */
  batchSize: number;
  /** Words per sentence after padding or cutting (40). */
  maxlen: number;
  /** Largest vocabulary, `<pad>` and `<unk>` included (2002: the 2,000 most frequent words). */
  vocabSize: number;
  /** How many more times the best setting is trained, each with a new seed (3). */
  repeats: number;
  /** Sentences sampled (stratified) before anything else; 0 = all (600 with `--quick`). */
  limit: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Folder of the example's sweep files. */
export const sweepsDir = path.resolve(here, '..', 'sweeps');

export const usage = `Usage: npm start -- [flags]   (or: npm run example -- umich-sentiment [flags])

  --data PATH         SI650 training.txt or its folder
                      (default $SEQLEARN_SHARED_DATASETS/si650-sentiment, else
                      ../shared/datasets/si650-sentiment beside the repository)
  --sweep FILE        settings to run (default sweeps/default.json; sweeps/quick.json with --quick)
  --epochs N          epochs per run (default 10; 1 with --quick)
  --batch-size N      mini-batch size (default 32)
  --maxlen N          words per sentence after padding/cutting (default 40)
  --vocab-size N      vocabulary size including <pad> and <unk> (default 2002)
  --repeats N         extra runs of the best setting with new seeds (default 3)
  --limit N           use N sentences sampled per class proportion, 0 = all (default 0; 600 with --quick)
  --seed N            seed of the split, weights and shuffles (default 42)
  --out DIR           output folder (default runs/umich-sentiment/<timestamp>)
  --quick             600 sentences, tiny models, one epoch: a smoke run
  --quiet             no per-epoch lines
  --help              this text`;

/** Parses the command line of the example (flags as in {@link usage}). */
export function parseUmichArgs(argv: string[]): UmichOptions | 'help' {
  const parsed = parseExampleArgs('umich-sentiment', argv, {
    data: { type: 'string' },
    sweep: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    maxlen: { type: 'string' },
    'vocab-size': { type: 'string' },
    repeats: { type: 'string' },
    limit: { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const { values: v, ...common } = parsed;
  const quick = common.quick;
  return {
    ...common,
    data: sharedDataPath('si650-sentiment', { data: v.data as string | undefined }),
    sweep:
      (v.sweep as string | undefined) ??
      path.join(sweepsDir, quick ? 'quick.json' : 'default.json'),
    epochs: intFlag(v.epochs, '--epochs', quick ? 1 : 10),
    batchSize: intFlag(v['batch-size'], '--batch-size', 32),
    maxlen: intFlag(v.maxlen, '--maxlen', 40),
    vocabSize: intFlag(v['vocab-size'], '--vocab-size', 2002, 3),
    repeats: intFlag(v.repeats, '--repeats', 3, 0),
    limit: intFlag(v.limit, '--limit', quick ? 600 : 0, 0),
  };
}
