import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { intFlag, parseExampleArgs, UsageError } from '@seqlearn/example-kit';

/** Settings of one invocation of the rnn-cells example. */
export interface RnnCellsOptions {
  /** Sweep file: a JSON array of settings, each with `task: 'sine' | 'memory'`. */
  sweep: string;
  /** Tasks to run, from `sine` and `memory`. */
  tasks: ('sine' | 'memory')[];
  /** Times the best setting of each task is trained again with new seeds. */
  repeats: number;
  /** Override of every setting's epochs. */
  epochs?: number;
  /** Memory task: training sequences. */
  examples: number;
  /** Memory task: test sequences. */
  testExamples: number;
  /** Small data, few epochs: a smoke run. */
  quick: boolean;
  out: string;
  seed: number;
  /** Print per-epoch lines and progress. */
  verbose: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Folder of the shipped sweep files. */
export const SWEEPS_DIR = path.resolve(here, '..', 'sweeps');

export const usage = `Usage: npm start -- [flags]   (or: npm run example -- rnn-cells [flags])

From-scratch BasicRNNCell and LSTMCell (@seqlearn/rnn-models): closed-loop sine continuation, and
the copy-memory task (recall k digits after a delay) as the delay grows.

  --sweep FILE        settings to run (default sweeps/default.json; sweeps/quick.json with --quick)
  --tasks LIST        sine, memory or both (default sine,memory)
  --repeats N         extra runs of each task's best setting, new seeds (default 3; 1 with --quick)
  --epochs N          override the epochs of every setting
  --examples N        memory task: training sequences (default 2048; 256 with --quick)
  --test-examples N   memory task: test sequences (default 512; 128 with --quick)
  --seed N            seed of data, weights and shuffles (default 42)
  --out DIR           output folder (default runs/rnn-cells/<timestamp>)
  --quick             small data and few epochs: a smoke run
  --quiet             final figures only
  --help              this text`;

/** Parses the command line of the rnn-cells example (flags as in {@link usage}). */
export function parseRnnCellsArgs(argv: string[]): RnnCellsOptions | 'help' {
  const parsed = parseExampleArgs('rnn-cells', argv, {
    sweep: { type: 'string' },
    tasks: { type: 'string' },
    repeats: { type: 'string' },
    epochs: { type: 'string' },
    examples: { type: 'string' },
    'test-examples': { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const { values, quick } = parsed;
  const tasks = String(values.tasks ?? 'sine,memory')
    .split(',')
    .map((t) => t.trim());
  for (const t of tasks) {
    if (t !== 'sine' && t !== 'memory') {
      throw new UsageError(`--tasks: expected sine, memory or both, got ${JSON.stringify(t)}`);
    }
  }
  return {
    sweep: path.resolve(
      (values.sweep as string | undefined) ??
        path.join(SWEEPS_DIR, quick ? 'quick.json' : 'default.json'),
    ),
    tasks: [...new Set(tasks)] as RnnCellsOptions['tasks'],
    repeats: intFlag(values.repeats, '--repeats', quick ? 1 : 3, 0),
    epochs: values.epochs === undefined ? undefined : intFlag(values.epochs, '--epochs', 1),
    examples: intFlag(values.examples, '--examples', quick ? 256 : 2048),
    testExamples: intFlag(values['test-examples'], '--test-examples', quick ? 128 : 512),
    quick,
    out: parsed.out,
    seed: parsed.seed,
    verbose: !parsed.quiet,
  };
}
