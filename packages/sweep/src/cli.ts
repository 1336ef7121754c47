import path from 'node:path';
import { parseArgs } from 'node:util';
import { SweepError } from './errors';
import { availableCores } from './kernel-threads';
import { DEFAULT_QUEUE_NAME, startQueueWorker } from './queue';
import { readSettings } from './read-settings';
import { runSweep } from './run-sweep';
import { loadSweepModule } from './sweep-module';

const USAGE = `usage: seqlearn-sweep run <sweep module> --settings <file.json> [options]
       seqlearn-sweep worker --queue redis://host:port [options]

run: trains every setting of <file.json> once, then the best one --repeats more times with new
seeds, and writes <out>/<run id>/ per run, <out>/results.json and <out>/results.md (mean ± std
over the repeats). <sweep module> is a JavaScript module exporting
  async function run(setting, { seed, runId, phase }) -> { metrics, history, seconds }
and optionally metric, minimize, finalOnly, title (the flags below override them).
  --settings <file>      JSON array of settings, each with a unique string "id" (required)
  --repeats <k>          final runs of the best setting (default 3)
  --workers <n>          runs at once, each in its own process with floor(cores / n) kernel
                         threads (SEQLEARN_THREADS) (default: the number of cores, here ${availableCores()})
  --queue <redis url>    enqueue the runs on a BullMQ queue in Redis instead; workers on any
                         machine take them and results come back here through Redis
  --out <dir>            output folder (default: sweep-<module name>)
  --resume               keep the runs an earlier sweep into <out> finished; run the others
  --seed <n>             seed of the selection runs; final run r gets seed + r (default 1)
  --metric <name>        metric that picks the best setting (default: the module's metric)
  --minimize             lower metric is better (default: the module's minimize, else higher)
  --title <text>         title of results.md (default: the module's title, else the module name)
  --sweep-id <id>        names the sweep's jobs in the queue (default: from module, title, seed)
  --queue-name <name>    BullMQ queue name (default ${DEFAULT_QUEUE_NAME})

worker: takes runs from the queue until stopped (Ctrl-C); each run in a fresh child process. A
worker that stops or dies mid-run loses its run to another worker after --lock-duration.
  --queue <redis url>    the queue to serve (required)
  --concurrency <n>      runs at once on this machine (default: the number of cores)
  --module <path>        import this sweep module instead of the path the sweep sent
  --lock-duration <ms>   lock of a run in hand (default 30000, BullMQ's)
  --stalled-interval <ms>  how often to look for runs of dead workers (default 30000)
  --queue-name <name>    BullMQ queue name (default ${DEFAULT_QUEUE_NAME})

  -h, --help             show this help`;

const OPTIONS = {
  allowPositionals: true,
  options: {
    settings: { type: 'string' },
    repeats: { type: 'string' },
    workers: { type: 'string' },
    queue: { type: 'string' },
    out: { type: 'string', short: 'o' },
    resume: { type: 'boolean' },
    seed: { type: 'string' },
    metric: { type: 'string' },
    minimize: { type: 'boolean' },
    title: { type: 'string' },
    'sweep-id': { type: 'string' },
    'queue-name': { type: 'string' },
    concurrency: { type: 'string' },
    module: { type: 'string' },
    'lock-duration': { type: 'string' },
    'stalled-interval': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

class UsageError extends Error {}

function int(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(
      `--${name}: expected a whole number >= ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function only(command: string, values: Record<string, unknown>, allowed: string[]) {
  const stray = Object.keys(values).filter((k) => values[k] !== undefined && !allowed.includes(k));
  if (stray.length > 0) {
    throw new UsageError(`${command}: unexpected option ${stray.map((k) => `--${k}`).join(', ')}`);
  }
}

/** Waits for SIGINT or SIGTERM; resolves with the signal's exit code. */
function untilSignal(): Promise<number> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals, code: number) => {
      process.once(signal, () => resolve(code));
    };
    on('SIGINT', 130);
    on('SIGTERM', 143);
  });
}

/**
 * The `seqlearn-sweep` command on `argv` (the arguments after the command name): `run` a sweep
 * or serve a queue as a `worker`. Prints to stdout and stderr; resolves with the exit code (0
 * done, 1 a failed sweep, 2 a usage error) and never calls `process.exit`.
 * @example
 * ```ts
 * import { sweepCli } from '@seqlearn/sweep';
 * process.exitCode = await sweepCli(['--help']);
 * ```
 */
export async function sweepCli(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<typeof OPTIONS & { args: string[] }>>;
  try {
    parsed = parseArgs({ ...OPTIONS, args: argv });
  } catch (error) {
    process.stderr.write(`seqlearn-sweep: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const [command, ...rest] = positionals;
  try {
    if (command === 'run') {
      only('run', values, [
        'settings',
        'repeats',
        'workers',
        'queue',
        'out',
        'resume',
        'seed',
        'metric',
        'minimize',
        'title',
        'sweep-id',
        'queue-name',
      ]);
      if (rest.length !== 1)
        throw new UsageError(`run: expected one sweep module, got ${rest.length}`);
      if (!values.settings) throw new UsageError('run: --settings <file.json> is required');
      if (values.queue && values.workers) {
        throw new UsageError(
          'run: --workers and --queue exclude each other (queue workers set their own --concurrency)',
        );
      }
      const workers = int('workers', values.workers, 1);
      const seed = int('seed', values.seed, 0) ?? 1;
      const repeats = int('repeats', values.repeats, 0) ?? 3;
      const [modulePath] = rest;
      const mod = await loadSweepModule(modulePath);
      const name = path.basename(modulePath).replace(/\.[^.]+$/, '');
      const metric = values.metric ?? mod.metric;
      if (!metric) throw new UsageError('run: --metric is required (the module exports no metric)');
      const settings = await readSettings(values.settings);
      const out = values.out ?? `sweep-${name}`;
      await runSweep({
        title: values.title ?? mod.title ?? name,
        settings,
        module: modulePath,
        workers,
        queue: values.queue,
        queueName: values['queue-name'],
        sweepId: values['sweep-id'],
        resume: values.resume ?? false,
        metric,
        minimize: values.minimize ?? mod.minimize ?? false,
        finalOnly: mod.finalOnly,
        columns: mod.columns,
        finalColumns: mod.finalColumns,
        out,
        seed,
        repeats,
      });
      process.stdout.write(`${path.join(out, 'results.md')}\n`);
      return 0;
    }
    if (command === 'worker') {
      only('worker', values, [
        'queue',
        'concurrency',
        'module',
        'lock-duration',
        'stalled-interval',
        'queue-name',
      ]);
      if (rest.length > 0) throw new UsageError(`worker: unexpected argument ${rest.join(' ')}`);
      if (!values.queue) throw new UsageError('worker: --queue redis://host:port is required');
      const stopped = untilSignal();
      const worker = await startQueueWorker({
        url: values.queue,
        concurrency: int('concurrency', values.concurrency, 1),
        module: values.module,
        queueName: values['queue-name'],
        lockDuration: int('lock-duration', values['lock-duration'], 1),
        stalledInterval: int('stalled-interval', values['stalled-interval'], 1),
      });
      const code = await stopped;
      // the runs in hand are given up: their locks expire and other workers take them
      await worker.kill();
      return code;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}: expected run or worker`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`seqlearn-sweep: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    const message = SweepError.isInstance(error)
      ? `${error.code}: ${error.message}`
      : ((error as Error)?.stack ?? String(error));
    process.stderr.write(`seqlearn-sweep: ${message}\n`);
    return 1;
  }
}
