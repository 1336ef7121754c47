import { parseArgs } from 'node:util';
import { ReportError } from './errors';
import { writeReport } from './write-report';

const usage = (
  name: string,
) => `usage: ${name} <run folder> [--out <dir>] [--title <text>] [--interval ci|std]

Writes <out>/report.html (self-contained, opens offline) and <out>/charts/*.svg from a run
folder written by the seqlearn examples (results.json and one folder per run).
  --out <dir>          where to write (default: the run folder)
  --title <text>       page title (default: results.json's title)
  --interval ci|std    error bars of the repeated-run summary (default: ci)
  -h, --help           show this help`;

const OPTIONS = {
  args: [] as string[],
  allowPositionals: true,
  options: {
    out: { type: 'string', short: 'o' },
    title: { type: 'string' },
    interval: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

/** Where {@link reportCli} writes, and the command name its messages give. */
export interface ReportCliOptions {
  /** Receives the path of `report.html`, or the usage for `--help`. @default process.stdout */
  stdout?: { write(text: string): unknown };
  /** Receives errors and the usage after a usage error. @default process.stderr */
  stderr?: { write(text: string): unknown };
  /** The command named in the usage and in error messages. @default 'seqlearn-report' */
  name?: string;
}

/**
 * The `seqlearn-report` command: runs it on `argv` (the arguments after the command name) and
 * resolves to its exit code: 0 when the report was written (its path printed), 1 when the run
 * folder could not be read or the report not written, 2 for a usage error. It never exits the
 * process itself, so other command lines (such as `seqlearn report` of `@seqlearn/cli`) can
 * delegate to it.
 * @example
 * ```ts
 * import { reportCli } from '@seqlearn/report';
 * const code = await reportCli(['--help']);
 * // usage: seqlearn-report <run folder> [--out <dir>] [--title <text>] [--interval ci|std] …
 * console.log(code); // 0
 * ```
 */
export async function reportCli(
  argv: readonly string[],
  {
    stdout = process.stdout,
    stderr = process.stderr,
    name = 'seqlearn-report',
  }: ReportCliOptions = {},
): Promise<number> {
  const USAGE = usage(name);
  let parsed: ReturnType<typeof parseArgs<typeof OPTIONS>>;
  try {
    parsed = parseArgs({ ...OPTIONS, args: [...argv] });
  } catch (error) {
    stderr.write(`${name}: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    stderr.write(
      `${name}: expected one run folder, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}\n${USAGE}\n`,
    );
    return 2;
  }
  if (values.interval !== undefined && values.interval !== 'ci' && values.interval !== 'std') {
    stderr.write(`${name}: --interval: expected ci or std, got ${values.interval}\n`);
    return 2;
  }
  try {
    const { html } = await writeReport(positionals[0], {
      out: values.out,
      title: values.title,
      interval: values.interval as 'ci' | 'std' | undefined,
    });
    stdout.write(`${html}\n`);
    return 0;
  } catch (error) {
    const message = ReportError.isInstance(error)
      ? `${error.message} [${error.code}]`
      : String((error as Error)?.stack ?? error);
    stderr.write(`${name}: ${message}\n`);
    return 1;
  }
}
