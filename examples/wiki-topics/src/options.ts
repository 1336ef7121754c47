import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CommonFlags,
  intFlag,
  numberFlag,
  parseExampleArgs,
  sharedDataPath,
  UsageError,
} from '@seqlearn/example-kit';

/** Settings of one invocation of the wiki-topics example. */
export interface WikiOptions extends CommonFlags {
  /** Folder holding `train_medium.csv` and `test_medium.csv`. */
  data: string;
  /** Sweep file: a JSON array of settings. */
  sweep: string;
  /** The optimizer comparison (`sweeps/optimizers.json` on the word CNN) instead of the model sweep. */
  optimizers: boolean;
  /** Epochs per run. */
  epochs: number;
  /** Mini-batch size. */
  batchSize: number;
  /** Learning rate of every setting that does not give its own (Adam's, in the model sweep). */
  learningRate: number;
  /** Characters or words per paragraph after padding or cutting. */
  maxLength: number;
  /** Largest word vocabulary, `<pad>` and `<unk>` included. */
  vocabSize: number;
  /** Training paragraphs kept per class (0 = all 400). */
  trainPerClass: number;
  /** Test paragraphs kept per class (0 = all 50). */
  testPerClass: number;
  /**
   * How many more times the best setting (by validation accuracy) is trained, each with a new
   * seed; only these final runs are evaluated on the test paragraphs.
   */
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
  --optimizers          compare optimizers on the word CNN instead (sweeps/optimizers.json: SGD,
                        SGD with momentum 0.1 and 0.9, RMSProp, Adam); writes learning curves
                        per optimizer to curves.md
  --epochs N            epochs per run (default 10; 1 with --quick)
  --batch-size N        mini-batch size (default 128)
  --learning-rate R     learning rate of every setting without its own (default 0.01)
  --max-length N        characters or words per paragraph (default 100)
  --vocab-size N        word vocabulary including <pad> and <unk> (default 20000)
  --train-per-class N   training paragraphs per class, 0 = all 400 (default 0; 20 with --quick);
                        20% of them (stratified, seeded) are held out as validation data
  --test-per-class N    test paragraphs per class, 0 = all 50 (default 0; 10 with --quick)
  --repeats N           final runs of the best setting (by validation accuracy) with new seeds;
                        only these are evaluated on the test paragraphs (default 3)
  --seed N              seed of the validation split, weights and shuffles (default 42)
  --out DIR             output folder (default runs/wiki-topics/<timestamp>)
  --quick               20 paragraphs per class, 5 settings (5 optimizers with --optimizers),
                        one epoch: a smoke run
  --quiet               no per-epoch lines
  --help                this text`;

/** Parses the command line of the example (flags as in {@link usage}). */
export function parseWikiArgs(argv: string[]): WikiOptions | 'help' {
  const parsed = parseExampleArgs('wiki-topics', argv, {
    data: { type: 'string' },
    sweep: { type: 'string' },
    optimizers: { type: 'boolean', default: false },
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
  const optimizers = Boolean(v.optimizers);
  if (optimizers && v.sweep !== undefined) {
    throw new UsageError('--optimizers runs sweeps/optimizers.json: leave out --sweep');
  }
  return {
    ...common,
    data: sharedDataPath('wiki-15', { data: v.data as string | undefined }),
    sweep:
      (v.sweep as string | undefined) ??
      path.join(sweepsDir, optimizers ? 'optimizers.json' : quick ? 'quick.json' : 'default.json'),
    optimizers,
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
