import path from 'node:path';
import { ReportError } from './errors';
import { loadRun } from './load-run';
import { renderSvg } from './render-svg';
import { reportCharts } from './report-charts';
import { reportHtml } from './report-html';
import { loadVegaAssets } from './vega-assets';
import { writeFileAtomic } from './write-atomic';

/** Options for {@link writeReport}. */
export interface WriteReportOptions {
  /** Folder to write `report.html` and `charts/` into (created if missing). @default the run folder */
  out?: string;
  /** Page title. @default `results.json`'s `title`, else the folder's name */
  title?: string;
  /** Error bars of the repeated-run summary: confidence interval or ± std. @default 'ci' */
  interval?: 'ci' | 'std';
}

/** What {@link writeReport} wrote. */
export interface WriteReportResult {
  /** Absolute path of `report.html`. */
  html: string;
  /** Absolute paths of the chart SVGs (`charts/<name>.svg`), in page order. */
  svgs: string[];
}

/**
 * Writes the report of a run folder (as the seqlearn examples write it): one self-contained
 * `report.html` that opens offline (vega, vega-lite and vega-embed inlined) and each chart as
 * `charts/<name>.svg`, rendered in Node with vega's `View.toSVG()`, for READMEs. Reads what is
 * there (see {@link loadRun}); every file is written atomically (a temporary file, then a
 * rename). Existing files of the same names are replaced; other files are left alone.
 * @example
 * ```ts
 * import { writeReport } from '@seqlearn/report';
 * const { html, svgs } = await writeReport('runs/har', { out: 'runs/har-report' });
 * console.log(html, svgs.length); // /…/runs/har-report/report.html 14
 * ```
 * @throws {ReportError} as {@link loadRun}; `IO_ERROR` when a file cannot be written,
 * `MISSING_ASSET` when vega's browser builds are not installed.
 */
export async function writeReport(
  runDir: string,
  { out, title, interval = 'ci' }: WriteReportOptions = {},
): Promise<WriteReportResult> {
  if (out !== undefined && (typeof out !== 'string' || out === '')) {
    throw new ReportError({
      code: 'INVALID_ARGUMENT',
      argument: 'out',
      message: `out: expected the path of a folder, got ${JSON.stringify(out)}`,
    });
  }
  const folder = await loadRun(runDir);
  const outDir = path.resolve(out ?? folder.dir);
  const charts = reportCharts(folder, { interval });
  const assets = await loadVegaAssets();
  const svgs: string[] = [];
  for (const chart of charts) {
    const file = path.join(outDir, 'charts', `${chart.name}.svg`);
    await writeFileAtomic(file, await renderSvg(chart.spec));
    svgs.push(file);
  }
  const html = path.join(outDir, 'report.html');
  await writeFileAtomic(html, reportHtml(folder, assets, { title, charts, interval }));
  return { html, svgs };
}
