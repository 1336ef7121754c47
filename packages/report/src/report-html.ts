import path from 'node:path';
import type { RunData, RunFolder } from './load-run';
import { type PerClassScores, perClassScores } from './per-class-scores';
import { bestRun, type ReportChart, reportCharts } from './report-charts';
import { errorBar } from './run-summary-spec';
import type { VegaAssets } from './vega-assets';

/** Options for {@link reportHtml}. */
export interface ReportHtmlOptions {
  /** Page title. @default the folder's title (`results.json`'s `title`, else its name) */
  title?: string;
  /** The charts to place. @default `reportCharts(folder, { interval })` */
  charts?: ReportChart[];
  /** Error bars of the repeated-run summary: confidence interval or ± std. @default 'ci' */
  interval?: 'ci' | 'std';
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Script text that cannot end its `<script>` element early or open an HTML comment in it. */
function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4);
}

function table(head: string[], rows: { cells: string[]; className?: string }[]): string {
  const th = head.map((h, i) => `<th${i > 0 ? ' class="num"' : ''}>${h}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr${r.className ? ` class="${r.className}"` : ''}>${r.cells
          .map((c, i) => `<td${i > 0 ? ' class="num"' : ''}>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function chartBoxes(charts: ReportChart[]): string {
  if (charts.length === 0) return '';
  return `<div class="charts">\n${charts
    .map(
      (c) =>
        `<figure class="chart-box"><div class="chart" id="chart-${esc(c.name)}" data-chart="${esc(c.name)}"></div></figure>`,
    )
    .join('\n')}\n</div>`;
}

function epochs(run: RunData): number {
  return Math.max(0, ...Object.values(run.history).map((v) => v.length));
}

function metricNames(runs: RunData[]): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
}

function score(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : '–';
}

function scoresTable(scores: PerClassScores): string {
  const row = (label: string, s: PerClassScores['macro'], className?: string) => ({
    cells: [esc(label), score(s.precision), score(s.recall), score(s.f1), fmt(s.support)],
    className,
  });
  const total = scores.macro.support;
  return table(
    ['class', 'precision', 'recall', 'F1', 'support'],
    [
      ...scores.classes.map((c) => row(c.label, c)),
      { cells: ['accuracy', '', '', score(scores.accuracy), fmt(total)], className: 'sum' },
      row('macro avg', scores.macro, 'sum'),
      row('weighted avg', scores.weighted, 'sum'),
    ],
  );
}

function perClassSection(run: RunData): string {
  if (!run.confusionMatrix) return '';
  const total = run.confusionMatrix.matrix.flat().reduce((a, b) => a + b, 0);
  if (total === 0) return '<p class="note">The confusion matrix holds no counts.</p>';
  return `<h4>Per-class precision, recall and F1 (from the confusion matrix)</h4>\n${scoresTable(perClassScores(run.confusionMatrix))}`;
}

function sweepSection(folder: RunFolder, charts: ReportChart[]): string {
  const sweep = folder.runs.filter((r) => r.kind === 'sweep');
  if (sweep.length === 0) return '';
  const names = metricNames(sweep);
  const head = [
    'run',
    ...names.map((m) => (m === folder.metric ? `<strong>${esc(m)}</strong>` : esc(m))),
    'epochs',
    'train time (s)',
  ];
  const rows = sweep.map((r) => ({
    cells: [
      `${esc(r.runId)}${r.runId === folder.bestId ? ' <span class="badge">best</span>' : ''}`,
      ...names.map((m) => fmt(r.metrics[m])),
      String(epochs(r)),
      r.seconds === undefined ? '–' : r.seconds.toFixed(1),
    ],
    className: r.runId === folder.bestId ? 'best' : undefined,
  }));
  const by = folder.metric
    ? `<p>The best setting by <code>${esc(folder.metric)}</code> is highlighted.</p>`
    : '';
  return `<section id="sweep">\n<h2>Sweep</h2>\n${by}\n${table(head, rows)}\n${chartBoxes(
    charts.filter((c) => c.section === 'sweep'),
  )}\n</section>`;
}

function repeatsSection(folder: RunFolder, charts: ReportChart[], interval: 'ci' | 'std'): string {
  const entries = Object.entries(folder.summary);
  const repeats = folder.runs.filter((r) => r.kind === 'repeat');
  if (entries.length === 0 && repeats.length === 0) return '';
  const parts = [`<section id="repeats">\n<h2>Repeated runs</h2>`];
  if (repeats.length > 0) {
    parts.push(
      `<p>The best setting${folder.bestId ? ` <code>${esc(folder.bestId)}</code>` : ''} trained ${repeats.length} more time${repeats.length === 1 ? '' : 's'} with new seeds (${repeats.map((r) => esc(r.seed ?? r.runId)).join(', ')}).</p>`,
    );
  }
  if (entries.length > 0) {
    const confidence = entries[0][1].confidence;
    parts.push(
      table(
        ['metric', 'n', 'mean', 'std', `${Math.round(confidence * 100)}% CI`, 'min', 'max'],
        entries.map(([m, s]) => {
          const ci = errorBar(s, 'ci');
          return {
            cells: [
              esc(m),
              fmt(s.n),
              fmt(s.mean),
              fmt(s.std),
              ci ? `[${fmt(ci.low)}, ${fmt(ci.high)}]` : '–',
              fmt(s.min),
              fmt(s.max),
            ],
            className: m === folder.metric ? 'best' : undefined,
          };
        }),
      ),
    );
    if (entries.every(([, s]) => !errorBar(s, interval))) {
      parts.push(
        `<p class="note">With ${entries[0][1].n} run${entries[0][1].n === 1 ? '' : 's'} the ${interval === 'ci' ? 'confidence interval' : 'standard deviation'} is undefined: the chart shows means without error bars.</p>`,
      );
    }
  }
  parts.push(chartBoxes(charts.filter((c) => c.section === 'repeats')));
  if (repeats.length > 0) {
    const names = metricNames(repeats);
    parts.push(
      table(
        ['run', 'seed', ...names.map(esc)],
        repeats.map((r) => ({
          cells: [
            esc(r.runId),
            r.seed === undefined ? '–' : String(r.seed),
            ...names.map((m) => fmt(r.metrics[m])),
          ],
        })),
      ),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function runDetails(
  run: RunData,
  best: RunData | undefined,
  charts: ReportChart[],
  folderMetric: string | undefined,
): string {
  const metric =
    folderMetric !== undefined && folderMetric in run.metrics
      ? folderMetric
      : Object.keys(run.metrics)[0];
  const headline = metric ? ` · ${esc(metric)} ${fmt(run.metrics[metric])}` : '';
  const parts = [
    `<details class="run" id="run-${esc(run.runId)}">`,
    `<summary><code>${esc(run.runId)}</code> <span class="muted">${run.kind}${run.seed === undefined ? '' : ` · seed ${run.seed}`}${headline}${run.confusionMatrix ? ' · confusion matrix' : ''}</span></summary>`,
  ];
  if (run.setting) {
    parts.push(`<h4>Setting</h4>\n<pre>${esc(JSON.stringify(run.setting, null, 2))}</pre>`);
  }
  const names = Object.keys(run.metrics);
  if (names.length > 0) {
    parts.push(
      `<h4>Metrics</h4>\n${table(
        ['metric', 'value'],
        names.map((m) => ({ cells: [esc(m), fmt(run.metrics[m])] })),
      )}`,
    );
  }
  if (run === best) {
    parts.push('<p class="note">Its confusion matrix is shown above.</p>');
  } else if (run.confusionMatrix) {
    parts.push(chartBoxes(charts.filter((c) => c.section === 'run' && c.runId === run.runId)));
    parts.push(perClassSection(run));
  }
  parts.push('</details>');
  return parts.join('\n');
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
  margin: 0 auto; max-width: 1180px; padding: 24px 28px 64px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #e3e6ec; }
h4 { font-size: 14px; margin: 16px 0 6px; }
.muted, .meta { color: #5c6577; }
.note { color: #6b5200; background: #fff8e1; padding: 6px 10px; border-radius: 4px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f5f6f8; padding: 8px 10px; border-radius: 4px; overflow: auto; font-size: 12px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid #eceef2; text-align: left; }
th { background: #f5f6f8; font-weight: 600; }
.num { text-align: right; }
tr.best td { background: #fff1cc; font-weight: 600; }
tr.sum td { background: #fafbfc; }
.badge { background: #e45756; color: #fff; border-radius: 3px; padding: 0 5px; font-size: 11px; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.chart-box { margin: 0; padding: 8px; border: 1px solid #eceef2; border-radius: 6px; }
.chart { min-width: 120px; min-height: 60px; }
details.run { border: 1px solid #e3e6ec; border-radius: 6px; padding: 6px 12px; margin: 8px 0; }
details.run > summary { cursor: pointer; }
ul.notes { padding-left: 20px; }
`;

const BOOT = `
(function () {
  var specs = JSON.parse(document.getElementById('seqlearn-report-specs').textContent);
  var boxes = Array.prototype.slice.call(document.querySelectorAll('[data-chart]'));
  Promise.all(boxes.map(function (el) {
    return vegaEmbed(el, specs[el.getAttribute('data-chart')], { actions: false, renderer: 'svg', mode: 'vega-lite' })
      .then(function () { el.setAttribute('data-rendered', 'true'); })
      .catch(function (error) {
        el.setAttribute('data-rendered', 'error');
        el.textContent = 'This chart could not be drawn: ' + error.message;
        console.error(error);
      });
  })).then(function () { document.body.setAttribute('data-charts-done', String(boxes.length)); });
})();
`;

/**
 * The HTML of a report on a run folder: one self-contained page (vega, vega-lite and
 * vega-embed inlined from `assets`, the chart specifications embedded as JSON, no network
 * URLs) with the sweep table (best setting highlighted), learning curves, the best run's
 * confusion matrices and per-class precision/recall/F1, the repeated-run summary (mean with
 * error bars), and a collapsible section per run. Pure apart from the inputs: no files are read.
 * @example
 * ```ts
 * import { loadRun, loadVegaAssets, reportHtml } from '@seqlearn/report';
 * const html = reportHtml(await loadRun('runs/har'), await loadVegaAssets());
 * console.log(html.slice(0, 15)); // <!doctype html>
 * ```
 */
export function reportHtml(
  folder: RunFolder,
  assets: VegaAssets,
  { title, charts, interval = 'ci' }: ReportHtmlOptions = {},
): string {
  const allCharts = charts ?? reportCharts(folder, { interval });
  const pageTitle = title ?? folder.title;
  const best = bestRun(folder);
  const sweepCount = folder.runs.filter((r) => r.kind === 'sweep').length;
  const repeatCount = folder.runs.length - sweepCount;
  const meta = [
    `<code>${esc(path.basename(folder.dir))}</code>`,
    `${sweepCount} setting${sweepCount === 1 ? '' : 's'}${repeatCount ? `, ${repeatCount} repeat${repeatCount === 1 ? '' : 's'}` : ''}`,
    folder.metric ? `best by <code>${esc(folder.metric)}</code>` : '',
    folder.bestId ? `best setting <code>${esc(folder.bestId)}</code>` : '',
  ].filter(Boolean);

  const sections: string[] = [];
  if (folder.notes.length > 0) {
    sections.push(
      `<ul class="notes note">${folder.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`,
    );
  }
  sections.push(sweepSection(folder, allCharts));
  const curves = allCharts.filter((c) => c.section === 'curves');
  if (curves.length > 0) {
    sections.push(
      `<section id="learning-curves">\n<h2>Learning curves</h2>\n<p class="muted">Training solid, validation dashed; one colour per run.</p>\n${chartBoxes(curves)}\n</section>`,
    );
  }
  if (best) {
    sections.push(
      `<section id="best-run">\n<h2>Confusion matrix of <code>${esc(best.runId)}</code>${best.runId === folder.bestId ? ' (best setting)' : ''}</h2>\n<p class="muted">Rows are true classes, columns predicted ones; the second chart divides each row by its total (recall on the diagonal).</p>\n${chartBoxes(
        allCharts.filter((c) => c.section === 'best'),
      )}\n${perClassSection(best)}\n</section>`,
    );
  }
  sections.push(repeatsSection(folder, allCharts, interval));
  if (folder.runs.length > 0) {
    sections.push(
      `<section id="runs">\n<h2>Runs</h2>\n${folder.runs.map((r) => runDetails(r, best, allCharts, folder.metric)).join('\n')}\n</section>`,
    );
  }
  if (folder.resultsMarkdown) {
    sections.push(
      `<section id="results-md">\n<details><summary>results.md</summary>\n<pre>${esc(folder.resultsMarkdown)}</pre>\n</details>\n</section>`,
    );
  }

  const specs: Record<string, unknown> = {};
  for (const c of allCharts) {
    const { $schema: _schema, ...spec } = c.spec;
    specs[c.name] = spec;
  }
  const specJson = JSON.stringify(specs).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@seqlearn/report">
<title>${esc(pageTitle)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(pageTitle)}</h1>
<p class="meta">${meta.join(' · ')}</p>
</header>
<noscript><p class="note">The charts need JavaScript; their SVG files are in charts/ beside this page.</p></noscript>
${sections.filter(Boolean).join('\n')}
<script type="application/json" id="seqlearn-report-specs">${specJson}</script>
<script>${inlineScript(assets.vega)}</script>
<script>${inlineScript(assets.vegaLite)}</script>
<script>${inlineScript(assets.vegaEmbed)}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}
