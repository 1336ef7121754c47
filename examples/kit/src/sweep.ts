import fs from 'node:fs/promises';
import path from 'node:path';
import { summarizeRuns } from '@seqlearn/eval-metrics';
import { markdownTable } from './markdown-table';
import { writeFileAtomic, writeJsonAtomic } from './write-atomic';

/** One setting of a sweep: plain JSON, with an `id` that names its output folder. */
export interface Setting {
  id: string;
}

/** What one training run reports back to {@link runSweep}. */
export interface RunOutcome {
  /** Final figures on held-out data, e.g. `{ accuracy: 0.81, macroF1: 0.62 }`. */
  metrics: Record<string, number>;
  /** Per-epoch history (loss, accuracy, validation figures), as tfjs `History.history`. */
  history: Record<string, number[]>;
  /** Wall time of the training, in seconds. */
  seconds: number;
  /** Optional confusion matrix with its class names. */
  confusionMatrix?: { labels: string[]; matrix: number[][] };
  /** Anything else worth keeping beside the run (written to `extra.json`). */
  extra?: unknown;
}

/** A finished run as written to `results.json`. */
export interface RunRecord extends RunOutcome {
  setting: Setting;
  seed: number;
  /** `<setting id>` for the sweep, `<setting id>-seed<seed>` for the repeats. */
  runId: string;
}

/** Options for {@link runSweep}. */
export interface SweepOptions<S extends Setting> {
  /** Example name, for titles. */
  title: string;
  settings: S[];
  /** Trains and evaluates one setting with one seed. */
  run: (setting: S, seed: number, runId: string) => Promise<RunOutcome>;
  /** Metric that picks the best setting (higher is better unless `minimize`). */
  metric: string;
  minimize?: boolean;
  /** Output folder: one sub-folder per run, `results.json` and `results.md` at the top. */
  out: string;
  /** Seed of the sweep runs. */
  seed: number;
  /** How many times the best setting is trained again, each with a new seed. @default 3 */
  repeats?: number;
  /** Metrics shown in the results table. @default every metric of the first run */
  columns?: string[];
  log?: (line: string) => void;
  /** Text placed under the title of `results.md` (data, machine, backend...). */
  notes?: string;
}

/** The summary of a sweep, as written to `results.json`. */
export interface SweepResults<S extends Setting> {
  title: string;
  metric: string;
  runs: RunRecord[];
  best: S;
  repeats: RunRecord[];
  /** `summarizeRuns` of each metric over the repeats. */
  summary: Record<string, ReturnType<typeof summarizeRuns>>;
}

async function writeRun(out: string, record: RunRecord): Promise<void> {
  const dir = path.join(out, record.runId);
  await fs.mkdir(dir, { recursive: true });
  await writeJsonAtomic(path.join(dir, 'config.json'), { ...record.setting, seed: record.seed });
  await writeJsonAtomic(path.join(dir, 'history.json'), record.history);
  await writeJsonAtomic(path.join(dir, 'metrics.json'), {
    ...record.metrics,
    seconds: record.seconds,
  });
  if (record.confusionMatrix) {
    await writeJsonAtomic(path.join(dir, 'confusion-matrix.json'), record.confusionMatrix);
  }
  if (record.extra !== undefined) await writeJsonAtomic(path.join(dir, 'extra.json'), record.extra);
}

function fmt(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '-';
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4);
}

/**
 * Runs every setting once, then the best one (by `metric`) `repeats` more times with new seeds,
 * and reports mean ± standard deviation over the repeats with `summarizeRuns`. Writes each run's
 * config, history, metrics and confusion matrix under `out/<run id>/`, and `results.json` and
 * `results.md` (a table of every setting with its wall time) at the top. Files are written
 * atomically, and `results.*` are rewritten after every run, so an interrupted sweep keeps what
 * it finished.
 */
export async function runSweep<S extends Setting>({
  title,
  settings,
  run,
  metric,
  minimize = false,
  out,
  seed,
  repeats = 3,
  columns,
  log = console.log,
  notes,
}: SweepOptions<S>): Promise<SweepResults<S>> {
  if (settings.length === 0) throw new Error('runSweep: expected at least one setting');
  const ids = new Set<string>();
  for (const s of settings) {
    if (ids.has(s.id)) throw new Error(`runSweep: setting id ${JSON.stringify(s.id)} is repeated`);
    ids.add(s.id);
  }
  const runs: RunRecord[] = [];
  const repeatsDone: RunRecord[] = [];
  let best = settings[0];
  const write = async (summary: SweepResults<S>['summary']) => {
    const results: SweepResults<S> = { title, metric, runs, best, repeats: repeatsDone, summary };
    await writeJsonAtomic(path.join(out, 'results.json'), results);
    await writeFileAtomic(path.join(out, 'results.md'), resultsMarkdown(results, columns, notes));
    return results;
  };
  for (const [i, setting] of settings.entries()) {
    log(`[${i + 1}/${settings.length}] ${setting.id}`);
    const outcome = await run(setting, seed, setting.id);
    const record: RunRecord = { ...outcome, setting, seed, runId: setting.id };
    runs.push(record);
    await writeRun(out, record);
    log(`  ${metric} ${fmt(outcome.metrics[metric])}  (${outcome.seconds.toFixed(1)} s)`);
    await write({});
  }
  const score = (r: RunRecord) => r.metrics[metric] ?? (minimize ? Infinity : -Infinity);
  const bestRun = runs.reduce((a, b) =>
    (minimize ? score(b) < score(a) : score(b) > score(a)) ? b : a,
  );
  best = bestRun.setting as S;
  log(`best by ${metric}: ${best.id}; training it ${repeats} more times with new seeds`);
  for (let r = 1; r <= repeats; r++) {
    const s = seed + r;
    const runId = `${best.id}-seed${s}`;
    const outcome = await run(best, s, runId);
    const record: RunRecord = { ...outcome, setting: best, seed: s, runId };
    repeatsDone.push(record);
    await writeRun(out, record);
    log(`  repeat ${r}/${repeats}: ${metric} ${fmt(outcome.metrics[metric])}`);
  }
  const summary: SweepResults<S>['summary'] = {};
  if (repeatsDone.length > 0) {
    for (const key of Object.keys(repeatsDone[0].metrics)) {
      const values = repeatsDone.map((r) => r.metrics[key]);
      // summarizeRuns rejects NaN (a metric undefined on some run); such a metric gets no summary.
      if (values.every(Number.isFinite)) summary[key] = summarizeRuns(values);
    }
    const m = summary[metric];
    if (m) log(`${best.id}: ${metric} ${fmt(m.mean)} ± ${fmt(m.std)} over ${m.n} runs`);
  }
  return write(summary);
}

/** The `results.md` text of a sweep: every setting, then the repeated best setting. */
export function resultsMarkdown<S extends Setting>(
  results: SweepResults<S>,
  columns?: string[],
  notes?: string,
): string {
  const metricNames = columns ?? Object.keys(results.runs[0]?.metrics ?? {});
  const lines = [`# ${results.title}`, ''];
  if (notes) lines.push(notes, '');
  lines.push(
    markdownTable(
      ['setting', ...metricNames, 'epochs', 'train time (s)', 's / epoch'],
      results.runs.map((r) => {
        const epochs = Object.values(r.history)[0]?.length ?? 0;
        return [
          r.runId,
          ...metricNames.map((m) => fmt(r.metrics[m])),
          String(epochs),
          r.seconds.toFixed(1),
          epochs ? (r.seconds / epochs).toFixed(2) : '-',
        ];
      }),
    ),
  );
  if (results.repeats.length > 0) {
    lines.push(
      '',
      `Best by ${results.metric}: \`${results.best.id}\`, trained ${results.repeats.length} more times (seeds ${results.repeats.map((r) => r.seed).join(', ')}):`,
      '',
      markdownTable(
        ['metric', 'mean', 'std', 'min', 'max', '95% CI'],
        Object.entries(results.summary).map(([k, s]) => [
          k,
          fmt(s.mean),
          fmt(s.std),
          fmt(s.min),
          fmt(s.max),
          s.ci ? `[${fmt(s.ci[0])}, ${fmt(s.ci[1])}]` : '-',
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Reads a sweep file: a JSON array of settings, each with a unique `id`. */
export async function readSettings<S extends Setting>(file: string): Promise<S[]> {
  const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((s) => s && typeof s.id === 'string')) {
    throw new Error(`${file}: expected a JSON array of settings, each with a string "id"`);
  }
  return parsed as S[];
}
