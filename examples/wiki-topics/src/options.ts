import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CommonFlags,
  intFlag,
  numberFlag,
  parseExampleArgs,
  sharedDataPath,
} from '@seqlearn/example-kit';

/** Settings of one invocation of the wiki-topics example. */
export interface WikiOptions extends CommonFlags {
  /** Folder holding `train_medium.csv` and `test_medium.csv`. */
  data: string;
  /** Sweep file: a JSON array of settings. */
  sweep: string;
  /** Epochs per run. */
  epochs: number;
  /** Mini-batch size. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Characters or words per paragraph after padding or cutting. */
  maxLength: number;
  /** Largest word vocabulary, `<pad>` and `<unk>` included. */
  vocabSize: number;
  /** Training paragraphs kept per class (0 = all 400). */
  trainPerClass: number;
  /** Test paragraphs kept per class (0 = all 50). */
  testPerClass: number;
  /** How many more times the best setting is trained, each with a new seed. */
  repeats: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Folder of the example's sweep files. */
export const sweepsDir = path.resolve(here, '..', 'sweeps');

export const usage = `Usage: npm start -- [flags]   (or: npm run example -- wiki-topics [flags])

  --data DIR            folder with train_medium.csv and test_medium.csv
                        (default $SEQLEARN_SHARED_DATASETS/wiki-15, else
                        ../shared/datasets/wiki-15 beside the repository)
  --sweep FILE          settings to run (default sweeps/default.json; sweeps/quick.json with --quick)
  --epochs N            epochs per run (default 10; 1 with --quick)
  --batch-size N        mini-batch size (default 128)
  --learning-rate R     Adam learning rate (default 0.01)
  --max-length N        characters or words per paragraph (default 100)
  --vocab-size N        word vocabulary including <pad> and <unk> (default 20000)
  --train-per-class N   training paragraphs per class, 0 = all 400 (default 0; 20 with --quick)
  --test-per-class N    test paragraphs per class, 0 = all 50 (default 0; 10 with --quick)
  --repeats N           extra runs of the best setting with new seeds (default 3)
  --seed N              seed of the weights and shuffles (default 42)
  --out DIR             output folder (default runs/wiki-topics/<timestamp>)
  --quick               20 paragraphs per class, 5 settings, one epoch: a smoke run
  --quiet               no per-epoch lines
  --help                this text`;

/** Parses the command line of the example (flags as in {@link usage}). */
export function parseWikiArgs(argv: string[]): WikiOptions | 'help' {
  const parsed = parseExampleArgs('wiki-topics', argv, {
    data: { type: 'string' },
    sweep: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    'learning-rate': { type: 'string' },
    'max-length': { type: 'string' },
    'vocab-size': { type: 'string' },
    'train-per-class': { type: 'string' },
    'test-per-class': { type: 'string' },
    repeats: { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const { values: v, ...common } = parsed;
  const quick = common.quick;
  return {
    ...common,
    data: sharedDataPath('wiki-15', { data: v.data as string | undefined }),
    sweep:
      (v.sweep as string | undefined) ??
      path.join(sweepsDir, quick ? 'quick.json' : 'default.json'),
    epochs: intFlag(v.epochs, '--epochs', quick ? 1 : 10),
    batchSize: intFlag(v['batch-size'], '--batch-size', 128),
    learningRate: numberFlag(v['learning-rate'], '--learning-rate', 0.01),
    maxLength: intFlag(v['max-length'], '--max-length', 100),
    vocabSize: intFlag(v['vocab-size'], '--vocab-size', 20000, 3),
    trainPerClass: intFlag(v['train-per-class'], '--train-per-class', quick ? 20 : 0, 0),
    testPerClass: intFlag(v['test-per-class'], '--test-per-class', quick ? 10 : 0, 0),
    repeats: intFlag(v.repeats, '--repeats', 3, 0),
  };
}
