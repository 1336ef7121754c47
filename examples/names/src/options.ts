import {
  availableCores,
  intFlag,
  numberFlag,
  parseExampleArgs,
  UsageError,
} from '@seqlearn/example-kit';

/** One training setting of the names example: plain JSON, so a sweep is a list of them. */
export interface NamesSetting {
  id: string;
  /** Hidden units per recurrent layer. */
  units: number;
  /** Stacked recurrent layers. */
  layers: number;
  /** Recurrent cell: the exercise's SimpleRNN, or a gated cell to compare. @default 'simpleRNN' */
  cell?: 'simpleRNN' | 'gru' | 'lstm';
  /** Read every name in both directions (Keras `Bidirectional`, outputs concatenated). @default false */
  bidirectional?: boolean;
  /** Train with scikit-learn 'balanced' class weights. */
  classWeight: boolean;
  batchSize: number;
  epochs: number;
  /** Adam learning rate of the first epoch. */
  learningRate: number;
  /**
   * The learning rate is multiplied by this after every epoch (epoch e trains at
   * `learningRate · lrDecay^e`); 1 keeps it constant.
   */
  lrDecay: number;
}

/** Settings of one invocation of the names example. */
export interface NamesOptions {
  settings: NamesSetting[];
  /**
   * Final runs of the setting chosen on validation data, with new seeds; only these are evaluated
   * on the test part (3 with --sweep, else 1).
   */
  repeats: number;
  seed: number;
  out: string;
  quick: boolean;
  verbose: boolean;
  /**
   * Train the final runs on the training and validation parts together (scikit-learn's
   * `GridSearchCV(refit=True)`): the setting is still chosen on validation, and the test part is
   * still read only by the final runs. @default false
   */
  refit: boolean;
  /**
   * Runs at once, each in its own worker process (`./sweep-module.ts`) with
   * `SEQLEARN_THREADS` = floor(cores / workers); 1 runs them one at a time in this process, as
   * before. Same results either way. @default the number of cores
   */
  workers: number;
}

export const usage = `Usage: npm start -- [flags]   (or: npm run example -- names [flags])

Without --sweep: trains SimpleRNN with one and two layers, each without and with class weights.
Every setting is compared on a validation part (20% of the training names); the one with the best
validation balanced accuracy is trained again with new seeds (--repeats) and only those final runs
are evaluated on the test part.
  --epochs N          epochs per run (default 10; 1 with --quick)
  --units N           hidden units per SimpleRNN layer (default 64)
  --batch-size N      mini-batch size (default 64)
  --layers LIST       layer counts to try, comma-separated (default 1,2)
  --class-weight X    off | on | both (default both)
  --learning-rate R   Adam learning rate of the first epoch (default 0.003)
  --lr-decay F        multiply the learning rate by F after every epoch (default 0.8;
                      1 keeps it constant)
  --sweep FILE        run the settings listed in a JSON file instead (see sweeps/default.json),
                      then the best one (on validation) 3 more times with new seeds
  --repeats N         final runs of the chosen setting, the ones evaluated on the test part
                      (default 3 with --sweep, else 1)
  --refit             train the final runs on training + validation names (scikit-learn's
                      GridSearchCV refit); the choice is still made on validation
  --workers N         runs at once, each in a worker process (default: the number of cores);
                      1 runs them one at a time in this process. Same results either way
  --seed N            seed of the split, weights and shuffles (default 42)
  --out DIR           output folder (default runs/names/<timestamp>)
  --quick             3,000 names and one epoch: a smoke run
  --quiet             final figures only
  --help              this text`;

export function settingId(s: Omit<NamesSetting, 'id'>): string {
  return `simplernn${s.units}-${s.layers}layer-b${s.batchSize}-${s.classWeight ? 'weighted' : 'unweighted'}`;
}

/** Parses the command line (flags as in {@link usage}); `--sweep` files are read by `main`. */
export function parseNamesArgs(argv: string[]): 'help' | (NamesOptions & { sweep?: string }) {
  const parsed = parseExampleArgs('names', argv, {
    epochs: { type: 'string' },
    units: { type: 'string' },
    'batch-size': { type: 'string' },
    layers: { type: 'string' },
    'class-weight': { type: 'string' },
    'learning-rate': { type: 'string' },
    'lr-decay': { type: 'string' },
    sweep: { type: 'string' },
    repeats: { type: 'string' },
    refit: { type: 'boolean', default: false },
    workers: { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const v = parsed.values;
  const cw = (v['class-weight'] as string | undefined) ?? 'both';
  const weightings = { off: [false], on: [true], both: [false, true] }[cw];
  if (!weightings) {
    throw new UsageError(`--class-weight: expected off, on or both, got ${JSON.stringify(cw)}`);
  }
  const layersList = ((v.layers as string | undefined) ?? '1,2')
    .split(',')
    .map((s) => intFlag(s.trim(), '--layers', 1));
  const base = {
    units: intFlag(v.units, '--units', parsed.quick ? 16 : 64),
    batchSize: intFlag(v['batch-size'], '--batch-size', 64),
    epochs: intFlag(v.epochs, '--epochs', parsed.quick ? 1 : 10),
    learningRate: numberFlag(v['learning-rate'], '--learning-rate', 0.003),
    lrDecay: numberFlag(v['lr-decay'], '--lr-decay', 0.8),
  };
  const settings = layersList.flatMap((layers) =>
    weightings.map((classWeight) => {
      const s = { ...base, layers, classWeight };
      return { id: settingId(s), ...s };
    }),
  );
  const sweep = v.sweep as string | undefined;
  return {
    settings,
    sweep,
    repeats: intFlag(v.repeats, '--repeats', sweep ? 3 : 1, 0),
    seed: parsed.seed,
    out: parsed.out,
    quick: parsed.quick,
    verbose: !parsed.quiet,
    refit: v.refit === true,
    workers: intFlag(v.workers, '--workers', availableCores()),
  };
}

/** Fills a sweep file's settings with the defaults of the command line and gives each an id. */
export function completeSettings(
  partial: Partial<NamesSetting>[],
  defaults: Omit<NamesSetting, 'id' | 'layers' | 'classWeight'>,
): NamesSetting[] {
  return partial.map((p) => {
    const s = { layers: 1, classWeight: true, ...defaults, ...p };
    return { ...s, id: p.id ?? settingId(s) };
  });
}
