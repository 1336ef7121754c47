import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { summarizeRuns } from '@seqlearn/eval-metrics';
import { runInChild } from './child-run';
import { SweepError } from './errors';
import { availableCores, threadsPerRun } from './kernel-threads';
import { createProgress } from './progress';
import { openQueueClient } from './queue';
import { checkSettings } from './read-settings';
import { fmt, resultsMarkdown } from './results-markdown';
import { readFinishedRun, writeRun } from './run-files';
import { finalJobs, selectionJobs } from './run-plan';
import { digest } from './stable-json';
import { moduleUrl } from './sweep-module';
import type { RunFunction, RunJob, RunOutcome, RunRecord, Setting, SweepResults } from './types';
import { writeFileAtomic, writeJsonAtomic } from './write-atomic';

/** Options for {@link runSweep}. Give `run` (in this process) or `module` (in worker processes). */
export interface SweepOptions<S extends Setting = Setting> {
  /** Title of `results.md`. */
  title: string;
  settings: S[];
  /**
   * Trains and evaluates one setting, in this process, one run at a time. `context.phase` says
   * whether the run is a selection run (evaluate on validation data only) or a final run of the
   * chosen setting (evaluate on the test data too). Give this or `module`.
   */
  run?: RunFunction<S>;
  /**
   * Path (or `file:` URL) of a sweep module that exports `run` (see {@link SweepModule}): each
   * run then goes to a fresh child process, `workers` at once, or to queue workers with `queue`.
   * Give this or `run`.
   */
  module?: string;
  /**
   * Runs at once, each in its own process, with `SEQLEARN_THREADS` = floor(cores / workers)
   * (floor(cores / n) when only n runs, itself included, are left to go beside it).
   * Only with `module`. @default the number of cores with `module`, 1 with `run`
   */
  workers?: number;
  /**
   * Redis URL (`redis://host:port`) of a BullMQ queue: the runs are enqueued there, taken by
   * `seqlearn-sweep worker` processes on any machine, and their outcomes come back through
   * Redis to be written here. Only with `module`. @default none (runs on this machine)
   */
  queue?: string;
  /** BullMQ queue name, shared with the workers. @default 'seqlearn-sweep' */
  queueName?: string;
  /**
   * Names this sweep's jobs in the queue; a sweep enqueued again with the same id finds its runs
   * there (finished or not) instead of adding new ones. @default a digest of the module's file
   * name, `title` and `seed`
   */
  sweepId?: string;
  /**
   * Keep the runs that an earlier sweep into the same `out` finished (their `run.json` exists)
   * and run only the others. A finished run is never redone. @default false
   */
  resume?: boolean;
  /**
   * Metric that picks the best setting (higher is better unless `minimize`). It should be measured
   * on validation data carved from the training data, never on the test data.
   */
  metric: string;
  /** @default false */
  minimize?: boolean;
  /**
   * Metrics that only the final runs may report, e.g. `/^test_/`: held-out test figures, which
   * must not be seen while a setting is chosen. A selection run that reports one, or a `metric`
   * that matches, is an error, and `results.md` then shows test figures for the chosen setting
   * only. @default none (every run may report every metric)
   */
  finalOnly?: RegExp;
  /** Metrics of the table of final runs in `results.md`. @default every metric of the first final run */
  finalColumns?: string[];
  /** Output folder: one sub-folder per run, `results.json` and `results.md` at the top. */
  out: string;
  /** Seed of the selection runs; final run r gets `seed + r`. */
  seed: number;
  /** How many times the best setting is trained again, each with a new seed. @default 3 */
  repeats?: number;
  /** Metrics shown in the results table. @default every metric of the first run */
  columns?: string[];
  /** Where progress lines go (runs done of total, ETA). @default console.log */
  log?: (line: string) => void;
  /** Text placed under the title of `results.md` (data, machine, backend...). */
  notes?: string;
}

/** Runs jobs on one of: this process, child processes, a queue. */
interface Executor {
  /** How many runs go at once. */
  parallel: number;
  /** `concurrent`: how many runs may go at once from this one's start on, itself included. */
  run(job: RunJob, concurrent: number): Promise<RunOutcome>;
  close(): Promise<void>;
}

function invalid(argument: string, message: string): SweepError {
  return new SweepError({ code: 'INVALID_ARGUMENT', argument, message: `runSweep: ${message}` });
}

async function openExecutor<S extends Setting>(o: SweepOptions<S>): Promise<Executor> {
  if ((o.run === undefined) === (o.module === undefined)) {
    throw invalid(
      'run',
      'give either run (a function) or module (a sweep module path), not both or neither',
    );
  }
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 1)) {
    throw invalid('workers', `workers: expected a whole number >= 1, got ${o.workers}`);
  }
  if (o.run) {
    if (o.workers !== undefined && o.workers > 1) {
      throw invalid(
        'workers',
        'workers > 1 needs module (a sweep module path), not a run function',
      );
    }
    if (o.queue)
      throw invalid('queue', 'queue needs module (a sweep module path), not a run function');
    const run = o.run;
    return {
      parallel: 1,
      run: (job) => run(job.setting as S, { seed: job.seed, runId: job.runId, phase: job.phase }),
      close: async () => {},
    };
  }
  const module = moduleUrl(o.module as string);
  if (o.queue) {
    const sweepId =
      o.sweepId ??
      digest({ module: path.basename(o.module as string), title: o.title, seed: o.seed });
    const client = await openQueueClient({ url: o.queue, module, sweepId, queueName: o.queueName });
    return {
      parallel: Number.POSITIVE_INFINITY,
      run: (job) => client.run(job),
      close: () => client.close(),
    };
  }
  const workers = o.workers ?? availableCores();
  const active = new Set<ChildProcess>();
  return {
    parallel: workers,
    // the cores shared by the runs that can still go at once: a run that will have none beside
    // it (the last final run, say) gets them all, and no run ever oversubscribes the machine
    run: (job, concurrent) =>
      runInChild({ module, job, threads: threadsPerRun(Math.min(workers, concurrent)), active }),
    async close() {
      for (const child of active) child.kill('SIGKILL');
    },
  };
}

/**
 * Runs every setting once (phase `selection`), then the best one (by `metric`) `repeats` more
 * times with new seeds (phase `final`), and reports mean ± standard deviation over the repeats
 * with `summarizeRuns`. Seeds depend only on the setting and the repeat (`seed` for the
 * selection, `seed + r` for final run r), and results are listed in settings and repeat order,
 * so a parallel sweep writes the same `results.json` as a sequential one.
 *
 * Writes each run's config, history, metrics and confusion matrix under `out/<run id>/`, then
 * its `run.json`, and `results.json` and `results.md` (a table of every setting with its wall
 * time) at the top, rewritten after every run. Every file is written atomically, so an
 * interrupted sweep keeps what it finished, and `resume` picks up from there.
 * @throws {SweepError} `INVALID_ARGUMENT`, `INVALID_SETTINGS`, `TEST_METRIC_IN_SELECTION`,
 * `RESUME_MISMATCH`, `RUN_FAILED` (after the runs in progress have finished and been written),
 * `INVALID_MODULE`, `QUEUE_ERROR`.
 * @example
 * ```ts
 * import { runSweep } from '@seqlearn/sweep';
 * const results = await runSweep({
 *   title: 'toy', out: 'sweep-out', seed: 1, metric: 'accuracy', repeats: 2,
 *   settings: [{ id: 'small', units: 8 }, { id: 'large', units: 32 }],
 *   run: async (setting, { seed }) => ({
 *     metrics: { accuracy: setting.units / 40 + seed / 1000 }, history: {}, seconds: 0,
 *   }),
 *   log: () => {},
 * });
 * console.log(results.best.id, results.summary.accuracy.mean); // large 0.8025
 * ```
 */
export async function runSweep<S extends Setting>(
  options: SweepOptions<S>,
): Promise<SweepResults<S>> {
  const {
    title,
    metric,
    minimize = false,
    finalOnly,
    finalColumns,
    out,
    seed,
    repeats = 3,
    columns,
    log = console.log,
    notes,
    resume = false,
  } = options;
  const settings = checkSettings<S>(options.settings);
  if (!Number.isInteger(seed)) throw invalid('seed', `seed: expected a whole number, got ${seed}`);
  if (!Number.isInteger(repeats) || repeats < 0) {
    throw invalid('repeats', `repeats: expected a whole number >= 0, got ${repeats}`);
  }
  if (finalOnly?.test(metric)) {
    throw new SweepError({
      code: 'TEST_METRIC_IN_SELECTION',
      argument: 'metric',
      message: `runSweep: metric ${JSON.stringify(metric)} matches finalOnly ${finalOnly}: choose the setting on a validation metric`,
    });
  }
  const executor = await openExecutor(options);
  try {
    const runs: (RunRecord | undefined)[] = [];
    const repeatsDone: (RunRecord | undefined)[] = [];
    let best = settings[0];
    let chosen = false;
    let summary: SweepResults<S>['summary'] = {};
    const snapshot = (): SweepResults<S> => ({
      title,
      metric,
      ...(finalOnly ? { testOnlyInFinal: true } : {}),
      chosen,
      runs: runs.filter((r): r is RunRecord => r !== undefined),
      best,
      repeats: repeatsDone.filter((r): r is RunRecord => r !== undefined),
      summary,
    });
    // results.* are rewritten after each run; one write at a time, each of the latest state
    let writing = Promise.resolve();
    const write = () => {
      writing = writing.then(async () => {
        const results = snapshot();
        await writeJsonAtomic(path.join(out, 'results.json'), results);
        await writeFileAtomic(
          path.join(out, 'results.md'),
          resultsMarkdown(results, columns, notes, finalColumns),
        );
      });
      return writing;
    };
    const progress = createProgress({
      total: settings.length + repeats,
      parallel: Math.min(executor.parallel, settings.length + repeats),
      log,
    });

    // Runs `jobs`, `executor.parallel` at once, storing each record at its job's index. After a
    // failure no new run starts; the runs in progress finish and are written, then it throws.
    const runAll = async (jobs: RunJob<S>[], into: (RunRecord | undefined)[]) => {
      let next = 0;
      let running = 0;
      let failure: unknown;
      const lanes = Math.max(1, Math.min(executor.parallel, jobs.length));
      const lane = async () => {
        while (failure === undefined && next < jobs.length) {
          const index = next++;
          const job = jobs[index];
          try {
            const kept = resume ? await readFinishedRun(out, job) : undefined;
            if (kept) {
              into[index] = kept;
              progress.kept(job.runId);
              continue;
            }
            progress.started(job.runId);
            // this run, those in progress, and those not started yet (each may run beside it)
            const concurrent = Math.min(lanes, running + 1 + (jobs.length - next));
            running++;
            const outcome = await executor.run(job, concurrent).finally(() => {
              running--;
            });
            const leaked =
              job.phase === 'selection' && finalOnly
                ? Object.keys(outcome.metrics).filter((k) => finalOnly.test(k))
                : [];
            if (leaked.length > 0) {
              throw new SweepError({
                code: 'TEST_METRIC_IN_SELECTION',
                runId: job.runId,
                message: `runSweep: selection run ${JSON.stringify(job.runId)} reported ${leaked.join(', ')}, which only final runs may report (finalOnly ${finalOnly})`,
              });
            }
            const record: RunRecord = {
              ...outcome,
              setting: job.setting,
              seed: job.seed,
              runId: job.runId,
              phase: job.phase,
            };
            await writeRun(out, record);
            into[index] = record;
            progress.finished(job.runId, `${metric} ${fmt(outcome.metrics[metric])}`);
            await write();
          } catch (error) {
            failure ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: lanes }, lane));
      if (failure !== undefined) throw failure;
    };

    await runAll(selectionJobs(settings, seed), runs);
    const done = runs as RunRecord[];
    const score = (r: RunRecord) => r.metrics[metric] ?? (minimize ? Infinity : -Infinity);
    const bestRun = done.reduce((a, b) =>
      (minimize ? score(b) < score(a) : score(b) > score(a)) ? b : a,
    );
    best = bestRun.setting as S;
    chosen = true;
    log(`best by ${metric}: ${best.id}; training it ${repeats} more times with new seeds`);
    await write();
    await runAll(finalJobs(best, seed, repeats), repeatsDone);
    const finals = repeatsDone as RunRecord[];
    summary = {};
    if (finals.length > 0) {
      for (const key of Object.keys(finals[0].metrics)) {
        const values = finals.map((r) => r.metrics[key]);
        // summarizeRuns rejects NaN (a metric undefined on some run); such a metric gets no summary.
        if (values.every(Number.isFinite)) summary[key] = summarizeRuns(values);
      }
      const m = summary[metric];
      if (m) log(`${best.id}: ${metric} ${fmt(m.mean)} ± ${fmt(m.std)} over ${m.n} runs`);
    }
    await write();
    return snapshot();
  } finally {
    await executor.close();
  }
}
