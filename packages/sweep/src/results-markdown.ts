import type { summarizeRuns } from '@seqlearn/eval-metrics';
import { markdownTable } from './markdown-table';
import type { RunRecord, Setting, SweepResults } from './types';

/** A figure for the tables: 4 decimals, 1 from 100 on, '-' for a missing or NaN value. */
export function fmt(x: number | undefined): string {
  if (x == null || Number.isNaN(x)) return '-';
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4);
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
 * @example
 * ```ts
 * import { resultsMarkdown } from '@seqlearn/sweep';
 * const run = { setting: { id: 'a' }, seed: 1, runId: 'a', phase: 'selection' as const,
 *   metrics: { accuracy: 0.8 }, history: { loss: [0.9, 0.5] }, seconds: 3 };
 * console.log(resultsMarkdown({ title: 'toy', metric: 'accuracy', runs: [run], best: { id: 'a' },
 *   repeats: [], summary: {} }));
 * // # toy
 * //
 * // | setting | accuracy | epochs | train time (s) | s / epoch |
 * // | --- | --- | --- | --- | --- |
 * // | a | 0.8000 | 2 | 3.0 | 1.50 |
 * ```
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
