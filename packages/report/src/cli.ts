import { parseArgs } from 'node:util';
import { ReportError } from './errors';
import { writeReport } from './write-report';

const USAGE = `usage: seqlearn-report <run folder> [--out <dir>] [--title <text>] [--interval ci|std]

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

/** Runs the command line on `argv` (without `node` and the script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<typeof OPTIONS>>;
  try {
    parsed = parseArgs({ ...OPTIONS, args: argv });
  } catch (error) {
    process.stderr.write(`seqlearn-report: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(
      `seqlearn-report: expected one run folder, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}\n${USAGE}\n`,
    );
    return 2;
  }
  if (values.interval !== undefined && values.interval !== 'ci' && values.interval !== 'std') {
    process.stderr.write(
      `seqlearn-report: --interval: expected ci or std, got ${values.interval}\n`,
    );
    return 2;
  }
  try {
    const { html } = await writeReport(positionals[0], {
      out: values.out,
      title: values.title,
      interval: values.interval as 'ci' | 'std' | undefined,
    });
    process.stdout.write(`${html}\n`);
    return 0;
  } catch (error) {
    const message = ReportError.isInstance(error)
      ? `${error.message} [${error.code}]`
      : String((error as Error)?.stack ?? error);
    process.stderr.write(`seqlearn-report: ${message}\n`);
    return 1;
  }
}
