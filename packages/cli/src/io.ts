import { parseArgs } from 'node:util';
import { CliError } from './errors';

/** A stream the commands write text to; `process.stdout` and `process.stderr` are two. */
export interface TextSink {
  write(text: string): unknown;
  /** Whether it is a terminal: progress bars are drawn only there. @default false */
  isTTY?: boolean;
}

/** Where the `seqlearn` commands write. */
export interface CliIo {
  /** Results: dataset lists, downloaded paths with their sha256, benchmark lines. @default process.stdout */
  stdout?: TextSink;
  /** Progress, messages and errors. @default process.stderr */
  stderr?: TextSink;
}

/** {@link CliIo} with its defaults filled in. */
export interface ResolvedIo {
  stdout: TextSink;
  stderr: TextSink;
}

export function resolveIo({
  stdout = process.stdout,
  stderr = process.stderr,
}: CliIo = {}): ResolvedIo {
  return { stdout, stderr };
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: false }>;

/**
 * `util.parseArgs` in strict mode, with its errors (unknown flag, missing value) as `USAGE`
 * {@link CliError}s and at most `maxPositionals` positionals.
 */
export function parseFlags<O extends OptionSpec>(
  argv: readonly string[],
  options: O,
  maxPositionals: number,
): {
  values: { [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean };
  positionals: string[];
} {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError({ code: 'USAGE', message: (error as Error).message, cause: error });
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new CliError({
      code: 'USAGE',
      message: `expected at most ${maxPositionals} argument(s), got ${parsed.positionals.map((p) => JSON.stringify(p)).join(' ')}`,
    });
  }
  return parsed as never;
}

/** A flag's value as a positive integer, or a `USAGE` error naming the flag. */
export function positiveInteger(
  flag: string,
  value: string | undefined,
  fallback: number,
  min = 1,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new CliError({
      code: 'USAGE',
      argument: flag,
      message: `${flag}: expected an integer >= ${min}, got ${JSON.stringify(value)}`,
    });
  }
  return n;
}
