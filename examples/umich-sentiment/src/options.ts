import { existsSync, statSync } from 'node:fs';
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
  /**
   * How many more times the best setting (by validation accuracy) is trained, each with a new
   * seed (3); only these final runs are evaluated on the test part.
   */
  repeats: number;
  /**
   * Unlabelled sentences, one a line (SI650 `testdata.txt`), labelled by the chosen setting's
   * first final run into `predictions.tsv`; undefined: none.
   */
  unlabeled?: string;
  /** Only the first N unlabelled sentences; 0 = all (200 with `--quick`). */
  unlabeledLimit: number;
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
  --repeats N         final runs of the best setting (by validation accuracy) with new seeds;
                      only these are evaluated on the test part (default 3)
  --unlabeled PATH    unlabelled sentences, one a line, to label with the chosen setting into
                      predictions.tsv (default testdata.txt beside training.txt when it exists;
                      none: skip)
  --unlabeled-limit N label only the first N of them, 0 = all (default 0; 200 with --quick)
  --limit N           use N sentences sampled per class proportion, 0 = all (default 0; 600 with --quick)
  --seed N            seed of the split, weights and shuffles (default 42)
  --out DIR           output folder (default runs/umich-sentiment/<timestamp>)
  --quick             600 sentences, tiny models, one epoch, 200 unlabelled sentences: a smoke run
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
    unlabeled: { type: 'string' },
    'unlabeled-limit': { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const { values: v, ...common } = parsed;
  const quick = common.quick;
  const data = sharedDataPath('si650-sentiment', { data: v.data as string | undefined });
  return {
    ...common,
    data,
    sweep:
      (v.sweep as string | undefined) ??
      path.join(sweepsDir, quick ? 'quick.json' : 'default.json'),
    epochs: intFlag(v.epochs, '--epochs', quick ? 1 : 10),
    batchSize: intFlag(v['batch-size'], '--batch-size', 32),
    maxlen: intFlag(v.maxlen, '--maxlen', 40),
    vocabSize: intFlag(v['vocab-size'], '--vocab-size', 2002, 3),
    repeats: intFlag(v.repeats, '--repeats', 3, 0),
    limit: intFlag(v.limit, '--limit', quick ? 600 : 0, 0),
    unlabeled: unlabeledPath(v.unlabeled as string | undefined, data),
    unlabeledLimit: intFlag(v['unlabeled-limit'], '--unlabeled-limit', quick ? 200 : 0, 0),
  };
}

/**
 * The unlabelled file: `--unlabeled` as given (`none`: no file), else `testdata.txt` in the data
 * folder (or beside the data file) when it exists.
 */
function unlabeledPath(flag: string | undefined, data: string): string | undefined {
  if (flag === 'none') return undefined;
  if (flag !== undefined) return path.resolve(flag);
  let folder = data;
  try {
    if (!statSync(data).isDirectory()) folder = path.dirname(data);
  } catch {
    return undefined;
  }
  const candidate = path.join(folder, 'testdata.txt');
  return existsSync(candidate) ? candidate : undefined;
}
