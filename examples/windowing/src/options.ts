import { intFlag, parseExampleArgs, UsageError } from '@seqlearn/example-kit';
import type { SeriesName } from './series-data';

/** Settings of one invocation of the windowing example. */
export interface WindowingOptions {
  /** Sweep file: a JSON array of settings (see `sweeps/default.json`). */
  sweep: string;
  /** Series to run the sweep on, in order. */
  series: SeriesName[];
  /** Override of every setting's epochs. @default the sweep's */
  epochs?: number;
  /** Extra runs of the best setting of each series, with new seeds. */
  repeats: number;
  seed: number;
  out: string;
  quick: boolean;
  verbose: boolean;
}

export const usage = `Usage: npm start -- [flags]   (or: npm run example -- windowing [flags])

Prints the lecture's 14-step windowing case (reshape vs shift), then trains every setting of
the sweep on a damped sine and on an hourly power series: next-step regression (shift, reshape
and stateful windows; LSTM, GRU, SimpleRNN, bidirectional; L1/L2 penalties, a residual skip, a
CNN-LSTM) and, for settings with a horizon, multi-step forecasts (direct, seq2seq with teacher
forcing, one-to-many). Each sweep picks its best setting by validation MSE, repeats it with new
seeds and reports MSE/RMSE/MAE on the test part against persistence.

  --sweep FILE     settings to run (default sweeps/default.json; sweeps/quick.json with --quick)
  --series LIST    dampedSine,power (default both)
  --epochs N       override every setting's epochs
  --repeats N      extra runs of the best setting of each series (default 3; 1 with --quick)
  --seed N         seed of the data, weights and shuffles (default 42)
  --out DIR        output folder (default runs/windowing/<timestamp>)
  --quick          shorter series, the quick sweep: a smoke run of well under a minute
  --quiet          final figures only
  --help           this text`;

const SERIES: readonly SeriesName[] = ['dampedSine', 'power'];

/** Parses the command line (flags as in {@link usage}). */
export function parseWindowingArgs(argv: string[]): 'help' | WindowingOptions {
  const parsed = parseExampleArgs('windowing', argv, {
    sweep: { type: 'string' },
    series: { type: 'string' },
    epochs: { type: 'string' },
    repeats: { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const v = parsed.values;
  const series = ((v.series as string | undefined) ?? SERIES.join(','))
    .split(',')
    .map((s) => s.trim());
  for (const s of series) {
    if (!SERIES.includes(s as SeriesName)) {
      throw new UsageError(
        `--series: expected a list of ${SERIES.join(', ')}, got ${JSON.stringify(s)}`,
      );
    }
  }
  const sweepsDir = new URL('../sweeps/', import.meta.url).pathname;
  return {
    sweep:
      (v.sweep as string | undefined) ?? `${sweepsDir}${parsed.quick ? 'quick' : 'default'}.json`,
    series: series as SeriesName[],
    epochs: v.epochs === undefined ? undefined : intFlag(v.epochs, '--epochs', 1),
    repeats: intFlag(v.repeats, '--repeats', parsed.quick ? 1 : 3, 0),
    seed: parsed.seed,
    out: parsed.out,
    quick: parsed.quick,
    verbose: !parsed.quiet,
  };
}
