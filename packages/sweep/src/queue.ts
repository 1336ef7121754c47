import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { runInChild } from './child-run';
import { SweepError } from './errors';
import { parseNumbers, stringifyNumbers } from './json-numbers';
import { threadsPerRun } from './kernel-threads';
import { digest } from './stable-json';
import type { RunJob, RunOutcome, Setting } from './types';

/** The BullMQ queue that sweeps and workers share unless told otherwise. */
export const DEFAULT_QUEUE_NAME = 'seqlearn-sweep';

/** What a queued job carries: where the run function is, and the run. */
interface QueuedRun {
  module: string;
  job: RunJob;
}

/** ioredis options from `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
export function redisConnection(url: string): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
  maxRetriesPerRequest: null;
} {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid:');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new SweepError({
      code: 'INVALID_ARGUMENT',
      argument: 'queue',
      message: `queue: expected a Redis URL such as redis://127.0.0.1:6379, got ${JSON.stringify(url)}`,
    });
  }
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's blocking connections need it; a sweep waits for Redis rather than failing a run
    maxRetriesPerRequest: null,
  };
}

/**
 * Fails with QUEUE_ERROR unless something accepts a TCP connection at the queue's host and port:
 * BullMQ's connections retry forever, and closing one that never connected waits forever too.
 */
function probe(connection: { host: string; port: number }, url: string, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: connection.host, port: connection.port });
    const fail = (reason: string) => {
      socket.destroy();
      reject(
        new SweepError({
          code: 'QUEUE_ERROR',
          argument: 'queue',
          message: `could not reach Redis at ${url}: ${reason}`,
        }),
      );
    };
    socket.setTimeout(ms, () => fail(`no answer in ${ms / 1000} s`));
    socket.once('error', (error) => fail(error.message));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
  });
}

async function bullmq() {
  return import('bullmq');
}

/** Fails with QUEUE_ERROR unless the connection is ready within `ms`. */
async function reach(ready: Promise<unknown>, url: string, ms = 10_000) {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
      }),
    ]);
  } catch (error) {
    throw new SweepError({
      code: 'QUEUE_ERROR',
      argument: 'queue',
      message: `could not reach Redis at ${url}: ${(error as Error).message}`,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The job id of a run: the sweep id, the run id and a digest of (setting, seed, phase), so that
 * enqueuing a run again finds the same job (finished or not) and never adds a second one, while
 * a changed setting gets a new job. BullMQ ids may not hold ':'.
 */
export function queueJobId<S extends Setting>(sweepId: string, job: RunJob<S>): string {
  const { setting, seed, phase } = job;
  return `${sweepId}-${job.runId}-${digest({ setting, seed, phase })}`.replace(/:/g, '_');
}

/** The enqueuing side: hands runs to the queue and waits for their outcomes through Redis. */
export interface QueueClient {
  run(job: RunJob): Promise<RunOutcome>;
  close(): Promise<void>;
}

/** Opens the enqueuing side of a sweep on the queue at `url`. */
export async function openQueueClient({
  url,
  module,
  sweepId,
  queueName = DEFAULT_QUEUE_NAME,
}: {
  url: string;
  module: string;
  sweepId: string;
  queueName?: string;
}): Promise<QueueClient> {
  const connection = redisConnection(url);
  await probe(connection, url);
  const { Queue, QueueEvents, Job } = await bullmq();
  const queue = new Queue<QueuedRun, string>(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  // Without this listener an unreachable Redis prints every retry as an unhandled error event.
  queue.on('error', () => {});
  events.on('error', () => {});
  try {
    await reach(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), url);
  } catch (error) {
    await Promise.allSettled([queue.close(), events.close()]);
    throw error;
  }
  return {
    async run(job) {
      const jobId = queueJobId(sweepId, job);
      let queued = await Job.fromId<QueuedRun, string>(queue, jobId);
      if (queued && (await queued.isFailed())) await queued.retry('failed');
      if (!queued) {
        queued = await queue.add(
          job.runId,
          { module, job },
          {
            jobId,
            // finished results stay in Redis for a month: a resumed enqueuer collects them there
            removeOnComplete: { age: 30 * 24 * 3600 },
            removeOnFail: false,
          },
        );
      }
      let value: unknown;
      try {
        value = await queued.waitUntilFinished(events);
      } catch (error) {
        throw new SweepError({
          code: 'RUN_FAILED',
          runId: job.runId,
          message: `run ${JSON.stringify(job.runId)} failed on a queue worker: ${(error as Error).message}`,
          cause: error,
        });
      }
      return parseNumbers(String(value)) as RunOutcome;
    },
    async close() {
      await Promise.allSettled([events.close(), queue.close()]);
    },
  };
}

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  /** Redis URL, e.g. `redis://10.0.0.5:6379`. */
  url: string;
  /** Runs at once on this machine. @default the number of cores */
  concurrency?: number;
  /**
   * Sweep module to import instead of the path the enqueuer sent, for a machine whose copy of the
   * code lives elsewhere. @default the enqueuer's path
   */
  module?: string;
  /** @default 'seqlearn-sweep' */
  queueName?: string;
  /**
   * Milliseconds a run's lock lasts without renewal; a worker that dies loses its runs to another
   * worker after about this long. @default 30000 (BullMQ's)
   */
  lockDuration?: number;
  /** Milliseconds between checks for runs whose worker died. @default 30000 (BullMQ's) */
  stalledInterval?: number;
  /** Where `started`/`finished` lines go. @default console.log */
  log?: (line: string) => void;
}

/** A running queue worker. */
export interface QueueWorker {
  /** Stops taking runs and waits for the runs in hand. */
  close(): Promise<void>;
  /** Kills the runs in hand (their jobs are retried elsewhere once their locks expire) and stops. */
  kill(): Promise<void>;
}

/**
 * Takes runs from the queue at `url` and runs each in a fresh child process, `concurrency` at
 * once, each with `SEQLEARN_THREADS` = floor(cores / concurrency). The outcome goes back
 * through Redis to the command that enqueued the sweep. A worker that dies mid-run holds its
 * run's lock no longer; BullMQ's stalled-job check hands the run to another worker, and only
 * the holder of the lock can complete a job, so a run is recorded once.
 * @example
 * ```ts
 * import { startQueueWorker } from '@seqlearn/sweep';
 * const worker = await startQueueWorker({ url: 'redis://127.0.0.1:6379', concurrency: 2 });
 * process.on('SIGINT', () => void worker.kill());
 * ```
 */
export async function startQueueWorker({
  url,
  concurrency,
  module,
  queueName = DEFAULT_QUEUE_NAME,
  lockDuration,
  stalledInterval,
  log = console.log,
}: QueueWorkerOptions): Promise<QueueWorker> {
  const n = concurrency ?? threadsPerRun(1);
  if (!Number.isInteger(n) || n < 1) {
    throw new SweepError({
      code: 'INVALID_ARGUMENT',
      argument: 'concurrency',
      message: `concurrency: expected a whole number >= 1, got ${concurrency}`,
    });
  }
  const connection = redisConnection(url);
  await probe(connection, url);
  const { Worker } = await bullmq();
  const threads = threadsPerRun(n);
  const active = new Set<ChildProcess>();
  let stopping = false;
  const worker = new Worker<QueuedRun, string>(
    queueName,
    async (job) => {
      const { job: run } = job.data;
      log(`started ${run.runId} (job ${job.id}, pid ${process.pid})`);
      let outcome: RunOutcome;
      try {
        outcome = await runInChild({
          module: module ?? job.data.module,
          job: run,
          threads,
          active,
        });
      } catch (error) {
        // killed by kill(): neither complete nor fail the job; its lock expires and another
        // worker takes it
        if (stopping) await new Promise(() => {});
        throw error;
      }
      log(`finished ${run.runId}`);
      return stringifyNumbers(outcome);
    },
    {
      connection,
      concurrency: n,
      autorun: false,
      maxStalledCount: 2,
      ...(lockDuration ? { lockDuration } : {}),
      ...(stalledInterval ? { stalledInterval } : {}),
    },
  );
  worker.on('error', (error) => log(`queue worker: ${error.message}`));
  worker.on('failed', (job, error) => log(`failed ${job?.data.job.runId}: ${error.message}`));
  try {
    await reach(worker.waitUntilReady(), url);
  } catch (error) {
    await worker.close(true).catch(() => {});
    throw error;
  }
  void worker.run();
  log(
    `worker ${process.pid}: taking runs from ${queueName} at ${url}, ${n} at once, ${threads} kernel thread(s) each`,
  );
  return {
    close: () => worker.close(),
    async kill() {
      stopping = true;
      for (const child of active) child.kill('SIGKILL');
      await worker.close(true);
    },
  };
}
