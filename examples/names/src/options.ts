import { parseArgs } from 'node:util';

/** Settings of one invocation of the names example. */
export interface NamesOptions {
  /** Epochs per run. */
  epochs: number;
  /** Hidden units per SimpleRNN layer. */
  units: number;
  /** Mini-batch size. */
  batchSize: number;
  /** Layer counts to try, e.g. [1, 2]. */
  layers: number[];
  /** Class-weight settings to try: false = plain loss, true = scikit-learn 'balanced' weights. */
  classWeight: boolean[];
  /** Adam learning rate. */
  learningRate: number;
  /** Seed of the split, the weights and the shuffles. */
  seed: number;
  /** Output folder. */
  out: string;
  /** Small data and one epoch: a smoke run in seconds. */
  quick: boolean;
  /** Print per-epoch lines and a progress bar. */
  verbose: boolean;
}

export const usage = `Usage: npm start -- [flags]   (or: npm run example -- names [flags])

  --epochs N          epochs per run (default 8; 1 with --quick)
  --units N           hidden units per SimpleRNN layer (default 128)
  --batch-size N      mini-batch size (default 64)
  --layers LIST       layer counts to try, comma-separated (default 1,2)
  --class-weight X    off | on | both (default both): train without, with, or both ways
  --learning-rate R   Adam learning rate (default 0.002)
  --seed N            seed of the split, weights and shuffles (default 42)
  --out DIR           output folder (default runs/names/<timestamp>)
  --quick             a few thousand names and one epoch: a smoke run
  --help              this text`;

export class UsageError extends Error {
  override name = 'UsageError';
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`${flag}: expected a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

/** Parses the command line of the names example (flags as in {@link usage}). */
export function parseNamesArgs(argv: string[]): NamesOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string' },
      units: { type: 'string' },
      'batch-size': { type: 'string' },
      layers: { type: 'string' },
      'class-weight': { type: 'string' },
      'learning-rate': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const layers = (values.layers ?? '1,2')
    .split(',')
    .map((s) => positiveInt(s.trim(), '--layers', 1));
  const cw = values['class-weight'] ?? 'both';
  const classWeight = { off: [false], on: [true], both: [false, true] }[cw];
  if (!classWeight) {
    throw new UsageError(`--class-weight: expected off, on or both, got ${JSON.stringify(cw)}`);
  }
  const learningRate = Number(values['learning-rate'] ?? 0.002);
  if (!(learningRate > 0)) {
    throw new UsageError(
      `--learning-rate: expected a positive number, got ${values['learning-rate']}`,
    );
  }
  const seed = Number(values.seed ?? 42);
  if (!Number.isInteger(seed))
    throw new UsageError(`--seed: expected an integer, got ${values.seed}`);
  return {
    epochs: positiveInt(values.epochs, '--epochs', quick ? 1 : 8),
    units: positiveInt(values.units, '--units', quick ? 32 : 128),
    batchSize: positiveInt(values['batch-size'], '--batch-size', 64),
    layers,
    classWeight,
    learningRate,
    seed,
    out: values.out ?? `runs/names/${timestamp()}`,
    quick,
    verbose: !values.quiet,
  };
}
