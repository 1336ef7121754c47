import fs from 'node:fs/promises';
import path from 'node:path';
import { summarizeRuns } from '@seqlearn/eval-metrics';
import { markdownTable } from './markdown-table';
import { writeFileAtomic, writeJsonAtomic } from './write-atomic';
import { writeRunReport } from './write-report';

/** One setting of a sweep: plain JSON, with an `id` that names its output folder. */
export interface Setting {
  id: string;
}

/**
 * Which part of a sweep a run belongs to, handed to the `run` function of {@link runSweep}.
 * `selection`: one run per setting, compared by the sweep's `metric` (a validation figure) to
 * choose a setting; `final`: the chosen setting trained again with new seeds, the runs whose
 * held-out test figures are reported.
 */
export interface RunContext {
  phase: 'selection' | 'final';
}

/** What one training run reports back to {@link runSweep}. */
export interface RunOutcome {
  /**
   * Final figures, e.g. `{ val_accuracy: 0.8, test_accuracy: 0.81 }`. With `finalOnly` set, a
   * selection run reports no metric that it matches (no test figures).
   */
  metrics: Record<string, number>;
  /** Per-epoch history (loss, accuracy, validation figures), as tfjs `History.history`. */
  history: Record<string, number[]>;
  /** Wall time of the training, in seconds. */
  seconds: number;
  /** Optional confusion matrix with its class names and the data it was counted on. */
  confusionMatrix?: {
    labels: string[];
    matrix: number[][];
    /** Which data the matrix counts, e.g. 'validation' or 'test'. @default unstated */
    split?: string;
  };
  /** Anything else worth keeping beside the run (written to `extra.json`). */
  extra?: unknown;
}

/** A finished run as written to `results.json`. */
export interface RunRecord extends RunOutcome {
  setting: Setting;
  seed: number;
  /** `<setting id>` for the sweep, `<setting id>-seed<seed>` for the repeats. */
  runId: string;
  /** `selection` for the sweep's runs, `final` for the repeats of the chosen setting. */
  phase: RunContext['phase'];
}

/** Options for {@link runSweep}. */
export interface SweepOptions<S extends Setting> {
  /** Example name, for titles. */
  title: string;
  settings: S[];
  /**
   * Trains and evaluates one setting with one seed. `context.phase` says whether the run is one of
   * the selection runs (evaluate on validation data only) or a final run of the chosen setting
   * (evaluate on the test data too).
   */
  run: (setting: S, seed: number, runId: string, context: RunContext) => Promise<RunOutcome>;
  /**
   * Metric that picks the best setting (higher is better unless `minimize`). It should be measured
   * on validation data carved from the training data, never on the test data.
   */
  metric: string;
  minimize?: boolean;
  /**
   * Metrics that only the final runs may report, e.g. `/^test_/`: held-out test figures, which
   * must not be seen while a setting is chosen. A selection run that reports one, or a `metric`
   * that matches, is an error, and `results.md` then shows test figures for the chosen setting
   * only. @default none (every run may report every metric, as before)
   */
  finalOnly?: RegExp;
  /** Metrics of the table of final runs in `results.md`. @default every metric of the first final run */
  finalColumns?: string[];
  /** Output folder: one sub-folder per run, `results.json` and `results.md` at the top. */
  out: string;
  /** Seed of the sweep runs. */
  seed: number;
  /** How many times the best setting is trained again, each with a new seed. @default 3 */
  repeats?: number;
  /** Metrics shown in the results table. @default every metric of the first run */
  columns?: string[];
  log?: (line: string) => void;
  /**
   * Write `report.html` and `charts/*.svg` (with `@seqlearn/report`) into `out` when the sweep is
   * done, and log its path. @default true
   */
  report?: boolean;
  /** Text placed under the title of `results.md` (data, machine, backend...). */
  notes?: string;
}

/** The summary of a sweep, as written to `results.json`. */
export interface SweepResults<S extends Setting> {
  title: string;
  metric: string;
  /** Whether the selection runs were kept from the metrics matched by `finalOnly` (test figures). */
  testOnlyInFinal?: boolean;
  /** Whether every setting has run and `best` is the chosen one (false while the selection runs). */
  chosen?: boolean;
  runs: RunRecord[];
  best: S;
  repeats: RunRecord[];
  /** `summarizeRuns` of each metric over the repeats. */
  summary: Record<string, ReturnType<typeof summarizeRuns>>;
}

async function writeRun(out: string, record: RunRecord): Promise<void> {
  const dir = path.join(out, record.runId);
  await fs.mkdir(dir, { recursive: true });
  await writeJsonAtomic(path.join(dir, 'config.json'), {
    ...record.setting,
    seed: record.seed,
    phase: record.phase,
  });
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
 * Runs every setting once (phase `selection`), then the best one (by `metric`) `repeats` more
 * times with new seeds (phase `final`), and reports mean ± standard deviation over the repeats
 * with `summarizeRuns`. With `finalOnly` (e.g. `/^test_/`), the selection runs may not report the
 * metrics it matches, so that a setting is chosen on validation figures and test figures exist
 * for the chosen setting's final runs only. Writes each run's
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
  finalOnly,
  finalColumns,
  out,
  seed,
  repeats = 3,
  columns,
  log = console.log,
  notes,
  report = true,
}: SweepOptions<S>): Promise<SweepResults<S>> {
  if (settings.length === 0) throw new Error('runSweep: expected at least one setting');
  const ids = new Set<string>();
  for (const s of settings) {
    if (ids.has(s.id)) throw new Error(`runSweep: setting id ${JSON.stringify(s.id)} is repeated`);
    ids.add(s.id);
  }
  if (finalOnly?.test(metric)) {
    throw new Error(
      `runSweep: metric ${JSON.stringify(metric)} matches finalOnly ${finalOnly}: choose the setting on a validation metric`,
    );
  }
  const runs: RunRecord[] = [];
  const repeatsDone: RunRecord[] = [];
  let best = settings[0];
  let chosen = false;
  const write = async (summary: SweepResults<S>['summary']) => {
    const results: SweepResults<S> = {
      title,
      metric,
      ...(finalOnly ? { testOnlyInFinal: true } : {}),
      chosen,
      runs,
      best,
      repeats: repeatsDone,
      summary,
    };
    await writeJsonAtomic(path.join(out, 'results.json'), results);
    await writeFileAtomic(
      path.join(out, 'results.md'),
      resultsMarkdown(results, columns, notes, finalColumns),
    );
    return results;
  };
  for (const [i, setting] of settings.entries()) {
    log(`[${i + 1}/${settings.length}] ${setting.id}`);
    const outcome = await run(setting, seed, setting.id, { phase: 'selection' });
    const leaked = finalOnly ? Object.keys(outcome.metrics).filter((k) => finalOnly.test(k)) : [];
    if (leaked.length > 0) {
      throw new Error(
        `runSweep: selection run ${JSON.stringify(setting.id)} reported ${leaked.join(', ')}, which only final runs may report (finalOnly ${finalOnly})`,
      );
    }
    const record: RunRecord = {
      ...outcome,
      setting,
      seed,
      runId: setting.id,
      phase: 'selection',
    };
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
  chosen = true;
  log(`best by ${metric}: ${best.id}; training it ${repeats} more times with new seeds`);
  for (let r = 1; r <= repeats; r++) {
    const s = seed + r;
    const runId = `${best.id}-seed${s}`;
    const outcome = await run(best, s, runId, { phase: 'final' });
    const record: RunRecord = { ...outcome, setting: best, seed: s, runId, phase: 'final' };
    repeatsDone.push(record);
    await writeRun(out, record);
    log(`  repeat ${r}/${repeats}: ${metric} ${fmt(outcome.metrics[metric])}`);
    await write({});
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
  const results = await write(summary);
  if (report) await writeRunReport(out, log);
  return results;
}

function summaryTable(summary: Record<string, ReturnType<typeof summarizeRuns>>): string {
  return markdownTable(
    ['metric', 'mean', 'std', 'min', 'max', '95% CI'],
    Object.entries(summary).map(([k, s]) => [
      k,
      fmt(s.mean),
      fmt(s.std),
      fmt(s.min),
      fmt(s.max),
      s.ci ? `[${fmt(s.ci[0])}, ${fmt(s.ci[1])}]` : '-',
    ]),
  );
}

function runsTable(runs: readonly RunRecord[], metricNames: readonly string[]): string {
  return markdownTable(
    ['setting', ...metricNames, 'epochs', 'train time (s)', 's / epoch'],
    runs.map((r) => {
      const epochs = Object.values(r.history)[0]?.length ?? 0;
      return [
        r.runId,
        ...metricNames.map((m) => fmt(r.metrics[m])),
        String(epochs),
        r.seconds.toFixed(1),
        epochs ? (r.seconds / epochs).toFixed(2) : '-',
      ];
    }),
  );
}

/**
 * The `results.md` text of a sweep: every setting, then the repeated best setting. When the sweep
 * kept test figures to its final runs (`finalOnly`), the text says so: the table of settings holds
 * the validation figures that chose the setting, and the test figures follow for the chosen
 * setting's final runs only (one row per run, with `finalColumns`, then mean ± std).
 */
export function resultsMarkdown<S extends Setting>(
  results: SweepResults<S>,
  columns?: string[],
  notes?: string,
  finalColumns?: string[],
): string {
  const metricNames = columns ?? Object.keys(results.runs[0]?.metrics ?? {});
  const lines = [`# ${results.title}`, ''];
  if (notes) lines.push(notes, '');
  const seeds = results.repeats.map((r) => r.seed).join(', ');
  if (!results.testOnlyInFinal) {
    lines.push(runsTable(results.runs, metricNames));
    if (results.repeats.length > 0) {
      lines.push(
        '',
        `Best by ${results.metric}: \`${results.best.id}\`, trained ${results.repeats.length} more times (seeds ${seeds}):`,
        '',
        summaryTable(results.summary),
      );
    }
    return `${lines.join('\n')}\n`;
  }
  const seed = results.runs[0]?.seed;
  lines.push(
    `## Selection (validation data)`,
    '',
    `Every setting trained once (seed ${seed}) and evaluated on the validation data carved from ` +
      `the training data; the setting with the best \`${results.metric}\` is chosen. ` +
      'No test figures are computed for these runs.',
    '',
    runsTable(results.runs, metricNames),
  );
  if (results.chosen === false) {
    lines.push('', 'Selection still running: no setting chosen yet.');
  } else {
    lines.push(
      '',
      `## Chosen setting: \`${results.best.id}\` (by ${results.metric}), on the test data`,
      '',
    );
    if (results.repeats.length === 0) {
      lines.push('No final runs yet (or none asked for: `--repeats 0`), so no test figures.');
    } else {
      const finalNames = finalColumns ?? Object.keys(results.repeats[0].metrics);
      lines.push(
        `Trained ${results.repeats.length} more time${results.repeats.length === 1 ? '' : 's'} with new seeds (${seeds}); ` +
          `${results.repeats.length === 1 ? 'this is the only run' : 'these are the only runs'} evaluated on the test data:`,
        '',
        runsTable(results.repeats, finalNames),
      );
      if (Object.keys(results.summary).length > 0) {
        lines.push(
          '',
          results.repeats.length === 1
            ? 'Its figures (one run: no standard deviation):'
            : `Mean ± std over the ${results.repeats.length} final runs:`,
          '',
          summaryTable(results.summary),
        );
      }
    }
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
