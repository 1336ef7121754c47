import { intFlag, parseExampleArgs, UsageError } from '@seqlearn/example-kit';

/** One setting of the HAR sweep: a recurrent or a convolutional classifier and its training. */
export interface HarSetting {
  id: string;
  model: 'simpleRNN' | 'lstm' | 'gru' | 'conv1d';
  /** Units per recurrent layer. @default 32 */
  units?: number;
  /** Stacked recurrent layers, or Conv1D blocks for `conv1d`. @default 1 (2 for conv1d) */
  layers?: number;
  /** Keras `dropout` of the recurrent layers; for `conv1d`, a `Dropout` before the output. @default 0 */
  dropout?: number;
  /** Keras `recurrent_dropout`. @default 0 */
  recurrentDropout?: number;
  /** Filters per Conv1D block. @default 32 */
  filters?: number;
  /** Window of each Conv1D block (each is followed by max pooling of 2). @default 5 */
  kernelSize?: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
}

/** Settings of one invocation of the HAR example. */
export interface HarOptions {
  sweep: string;
  /** `--data`: the `UCI HAR Dataset` folder, the folder holding it, or the official zip. */
  data?: string;
  /** Let the adapter download the official zip into its cache. */
  download: boolean;
  /** Train on a generated fixture in the official format (always with --quick). */
  fixture: boolean;
  /** Use at most this many training windows (stratified). @default all */
  maxTrain?: number;
  /** Override every setting's epochs. */
  epochs?: number;
  repeats: number;
  seed: number;
  out: string;
  quick: boolean;
  verbose: boolean;
}

export const usage = `Usage: npm start -- [flags]   (or: npm run example -- har [flags])

Human activity recognition on UCI HAR (nine inertial signals, 128 steps, six activities):
trains every setting of the sweep (SimpleRNN, LSTM, GRU, Conv1D), picks the best by validation
accuracy, trains it 3 more times and reports test accuracy, macro F1, learning curves and the
confusion matrix over the six activities.

  --data PATH      "UCI HAR Dataset" folder, its parent, or the official zip
                   (default $SEQLEARN_SHARED_DATASETS/uci-har, else ../shared/datasets/uci-har)
  --download       download the official zip into the datasets cache instead
  --fixture        use a generated fixture in the official format (implied by --quick)
  --max-train N    at most N training windows (stratified), for a documented subset
  --sweep FILE     settings to run (default sweeps/default.json; sweeps/quick.json with --quick)
  --epochs N       override every setting's epochs
  --repeats N      extra runs of the best setting (default 3; 1 with --quick)
  --seed N         seed of the split, weights and shuffles (default 42)
  --out DIR        output folder (default runs/har/<timestamp>)
  --quick          generated fixture, small sweep, 2 epochs: a smoke run
  --quiet          final figures only
  --help           this text`;

/** Parses the command line (flags as in {@link usage}). */
export function parseHarArgs(argv: string[]): 'help' | HarOptions {
  const parsed = parseExampleArgs('har', argv, {
    data: { type: 'string' },
    download: { type: 'boolean' },
    fixture: { type: 'boolean' },
    'max-train': { type: 'string' },
    sweep: { type: 'string' },
    epochs: { type: 'string' },
    repeats: { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const v = parsed.values;
  if (v.download && v.data !== undefined) {
    throw new UsageError('--download: expected either --download or --data, got both');
  }
  const sweepsDir = new URL('../sweeps/', import.meta.url).pathname;
  return {
    sweep:
      (v.sweep as string | undefined) ?? `${sweepsDir}${parsed.quick ? 'quick' : 'default'}.json`,
    data: v.data as string | undefined,
    download: Boolean(v.download),
    fixture: parsed.quick || Boolean(v.fixture),
    maxTrain: v['max-train'] === undefined ? undefined : intFlag(v['max-train'], '--max-train', 12),
    epochs: v.epochs === undefined ? undefined : intFlag(v.epochs, '--epochs', 1),
    repeats: intFlag(v.repeats, '--repeats', parsed.quick ? 1 : 3, 0),
    seed: parsed.seed,
    out: parsed.out,
    quick: parsed.quick,
    verbose: !parsed.quiet,
  };
}
