import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Flags every example takes. */
export interface CommonFlags {
  /** Small data and few epochs: finishes in well under a minute. */
  quick: boolean;
  /** Output folder. */
  out: string;
  /** Seed of splits, weights and shuffles. */
  seed: number;
  /** Only final figures, no per-epoch lines. */
  quiet: boolean;
}

/** Thrown for a bad command line; `main` prints it with the usage text and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `runs/<example>/<UTC timestamp>`, the default `--out`. */
export function defaultOutDir(example: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  return `runs/${example}/${stamp}`;
}

/**
 * Parses `argv` with the common flags (`--quick --out --seed --quiet --help`) plus the example's
 * own string or boolean `options`. Returns `'help'` for `--help`.
 */
export function parseExampleArgs<O extends Options>(
  example: string,
  argv: string[],
  options: O,
): 'help' | (CommonFlags & { values: Record<keyof O, string | boolean | undefined> }) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...options,
        quick: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        out: { type: 'string' },
        seed: { type: 'string' },
      },
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) return 'help';
  const seed = v.seed === undefined ? 42 : Number(v.seed);
  // The packages take unsigned 32-bit seeds, and examples derive more seeds from this one by
  // adding small offsets (a repeat, an epoch): half the range leaves room for them.
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
    throw new UsageError(`--seed: expected an integer from 0 to 2^31-1, got ${v.seed}`);
  }
  return {
    quick: Boolean(v.quick),
    quiet: Boolean(v.quiet),
    out: (v.out as string | undefined) ?? defaultOutDir(example),
    seed,
    values: v as Record<keyof O, string | boolean | undefined>,
  };
}

/** Reads a flag as a positive integer, or the fallback when absent. */
export function intFlag(value: unknown, flag: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Reads a flag as a positive number, or the fallback when absent. */
export function numberFlag(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0))
    throw new UsageError(`${flag}: expected a positive number, got ${JSON.stringify(value)}`);
  return n;
}

/** Runs an example's `main`, printing usage errors with the usage text (exit 2). */
export async function runMain(usage: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage}`);
      process.exit(2);
    }
    throw error;
  }
}
