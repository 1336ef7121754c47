import fs from 'node:fs/promises';
import path from 'node:path';
import { ReportError } from './errors';

/** A confusion matrix with its class names: rows are true classes, columns predicted ones. */
export interface ConfusionMatrixData {
  labels: string[];
  matrix: number[][];
}

/**
 * One figure summarised over repeated runs, as `summarizeRuns` of `@seqlearn/eval-metrics`
 * returns it. Read from JSON, where NaN (the `std` and `ci` of a single run) became `null`.
 */
export interface RunSummaryData {
  n: number;
  mean: number;
  /** Sample standard deviation; `null` when undefined (one run). */
  std: number | null;
  min: number;
  max: number;
  /** Confidence interval of the mean; `null` ends when undefined (one run). */
  ci: [number | null, number | null] | null;
  /** Coverage of `ci`. @default 0.95 when the file does not say */
  confidence: number;
}

/** One training run of a run folder: what `results.json` and its sub-folder say about it. */
export interface RunData {
  /** `<setting id>` for a sweep run, `<setting id>-seed<seed>` for a repeat. */
  runId: string;
  /** The setting (`config.json` or `results.json`), when known. */
  setting?: Record<string, unknown>;
  seed?: number;
  /** Final figures (`metrics.json` without `seconds`); `null` where the value was NaN. */
  metrics: Record<string, number | null>;
  /** Per-epoch history, as tfjs `History.history`; `null` where the value was NaN. */
  history: Record<string, (number | null)[]>;
  /** Wall time of the training, in seconds. */
  seconds?: number;
  confusionMatrix?: ConfusionMatrixData;
  /** Contents of `extra.json`, if any. */
  extra?: unknown;
  /**
   * `'repeat'` for the runs that repeat the best setting with new seeds (`results.json`'s
   * `repeats`, or phase `final`), else `'sweep'`.
   */
  kind: 'sweep' | 'repeat';
}

/** Everything {@link loadRun} found in a run folder. */
export interface RunFolder {
  /** Absolute path of the folder. */
  dir: string;
  /** `results.json`'s title, else the folder's name. */
  title: string;
  /** The metric that picked the best setting, when `results.json` says. */
  metric?: string;
  /** The id of the best setting, when `results.json` says. */
  bestId?: string;
  /** Sweep runs first (in `results.json` order), then repeats, then runs found only as folders. */
  runs: RunData[];
  /** `summarizeRuns` of each metric over the repeats (`results.json`'s `summary`). */
  summary: Record<string, RunSummaryData>;
  /** The text of `results.md`, if there is one. */
  resultsMarkdown?: string;
  /** What was missing or skipped, in words, for the report to show. */
  notes: string[];
}

const RUN_FILES = [
  'config.json',
  'history.json',
  'metrics.json',
  'confusion-matrix.json',
  'extra.json',
] as const;

function fail(file: string, argument: string, expected: string, got: unknown): never {
  throw new ReportError({
    code: 'INVALID_RUN_FILE',
    file,
    argument,
    message: `${file}: ${argument}: expected ${expected}, got ${describe(got)}`,
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and parses a JSON file; `undefined` when it does not exist. */
async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ReportError({
      code: 'IO_ERROR',
      file,
      message: `${file}: cannot be read (${(error as Error).message})`,
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ReportError({
      code: 'INVALID_JSON',
      file,
      message: `${file}: expected JSON, got a parse error: ${(error as Error).message}`,
      cause: error,
    });
  }
}

function asNumberOrNull(value: unknown, file: string, argument: string): number | null {
  if (value === null || (typeof value === 'number' && Number.isFinite(value))) return value;
  return fail(file, argument, 'a number or null', value);
}

/**
 * Checks a tfjs `History.history` object: every key maps to an array of numbers (or `null`,
 * which is how JSON writes NaN).
 * @example
 * ```ts
 * import { parseHistory } from '@seqlearn/report';
 * console.log(parseHistory({ loss: [0.9, 0.5], val_loss: [1, null] }, 'history.json'));
 * // { loss: [0.9, 0.5], val_loss: [1, null] }
 * ```
 * @throws {ReportError} `INVALID_RUN_FILE` naming `file` and the key.
 */
export function parseHistory(value: unknown, file: string): Record<string, (number | null)[]> {
  if (!isRecord(value)) return fail(file, 'history', 'an object of per-epoch arrays', value);
  const out: Record<string, (number | null)[]> = {};
  for (const [key, series] of Object.entries(value)) {
    if (!Array.isArray(series)) fail(file, key, 'an array of numbers', series);
    out[key] = series.map((x, i) => asNumberOrNull(x, file, `${key}[${i}]`));
  }
  return out;
}

/**
 * Checks a metrics object (`metrics.json` or a run's `metrics` in `results.json`): figures by
 * name, numbers or `null`. Non-numeric entries are an error; `seconds` is kept like any other.
 * @example
 * ```ts
 * import { parseMetrics } from '@seqlearn/report';
 * console.log(parseMetrics({ accuracy: 0.81, macroF1: null }, 'metrics.json'));
 * // { accuracy: 0.81, macroF1: null }
 * ```
 * @throws {ReportError} `INVALID_RUN_FILE` naming `file` and the metric.
 */
export function parseMetrics(value: unknown, file: string): Record<string, number | null> {
  if (!isRecord(value)) return fail(file, 'metrics', 'an object of numbers', value);
  const out: Record<string, number | null> = {};
  for (const [key, x] of Object.entries(value)) out[key] = asNumberOrNull(x, file, key);
  return out;
}

/**
 * Checks a confusion matrix as the examples write it: `{ labels, matrix }` with a square matrix
 * of non-negative counts, one row and one column per label.
 * @example
 * ```ts
 * import { parseConfusionMatrix } from '@seqlearn/report';
 * const cm = parseConfusionMatrix({ labels: ['a', 'b'], matrix: [[3, 1], [0, 2]] }, 'cm.json');
 * console.log(cm.matrix[0]); // [3, 1]
 * ```
 * @throws {ReportError} `INVALID_RUN_FILE` naming `file` and the field.
 */
export function parseConfusionMatrix(value: unknown, file: string): ConfusionMatrixData {
  if (!isRecord(value)) return fail(file, 'confusionMatrix', '{ labels, matrix }', value);
  const { labels, matrix } = value;
  if (!Array.isArray(labels) || labels.length === 0) {
    fail(file, 'labels', 'a non-empty array of class names', labels);
  }
  const k = labels.length;
  if (!Array.isArray(matrix) || matrix.length !== k) {
    fail(file, 'matrix', `${k} rows (one per label)`, matrix);
  }
  const rows = matrix.map((row, i) => {
    if (!Array.isArray(row) || row.length !== k) {
      fail(file, `matrix[${i}]`, `${k} counts (one per label)`, row);
    }
    return row.map((x, j) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
        fail(file, `matrix[${i}][${j}]`, 'a non-negative count', x);
      }
      return x;
    });
  });
  return { labels: labels.map(String), matrix: rows };
}

function parseSummary(value: unknown, file: string): Record<string, RunSummaryData> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return fail(file, 'summary', 'an object of run summaries', value);
  const out: Record<string, RunSummaryData> = {};
  for (const [key, s] of Object.entries(value)) {
    if (!isRecord(s)) fail(file, `summary.${key}`, '{ n, mean, std, min, max, ci }', s);
    const num = (field: string) => asNumberOrNull(s[field], file, `summary.${key}.${field}`);
    const mean = num('mean');
    const n = num('n');
    if (mean === null || n === null) fail(file, `summary.${key}.mean`, 'a number', s.mean);
    const ci = s.ci;
    if (ci !== undefined && ci !== null && !(Array.isArray(ci) && ci.length === 2)) {
      fail(file, `summary.${key}.ci`, 'a [low, high] pair', ci);
    }
    out[key] = {
      n,
      mean,
      std: s.std === undefined ? null : num('std'),
      min: num('min') ?? mean,
      max: num('max') ?? mean,
      ci: Array.isArray(ci)
        ? [
            asNumberOrNull(ci[0], file, `summary.${key}.ci[0]`),
            asNumberOrNull(ci[1], file, `summary.${key}.ci[1]`),
          ]
        : null,
      confidence: typeof s.confidence === 'number' ? s.confidence : 0.95,
    };
  }
  return out;
}

function parseRecord(value: unknown, file: string, where: string, kind: RunData['kind']): RunData {
  if (!isRecord(value)) return fail(file, where, 'a run record', value);
  if (typeof value.runId !== 'string' || value.runId === '') {
    fail(file, `${where}.runId`, 'a non-empty string', value.runId);
  }
  const setting = value.setting;
  if (setting !== undefined && !isRecord(setting))
    fail(file, `${where}.setting`, 'an object', setting);
  const run: RunData = {
    runId: value.runId,
    setting,
    metrics: value.metrics === undefined ? {} : parseMetrics(value.metrics, file),
    history: value.history === undefined ? {} : parseHistory(value.history, file),
    kind: value.phase === 'final' ? 'repeat' : kind,
  };
  if (typeof value.seed === 'number') run.seed = value.seed;
  if (typeof value.seconds === 'number') run.seconds = value.seconds;
  if (value.confusionMatrix !== undefined && value.confusionMatrix !== null) {
    run.confusionMatrix = parseConfusionMatrix(value.confusionMatrix, file);
  }
  if (value.extra !== undefined) run.extra = value.extra;
  return run;
}

/** Reads one run's sub-folder; `undefined` when it holds none of the run files. */
async function loadRunFolder(dir: string, runId: string): Promise<RunData | undefined> {
  const [config, history, metrics, cm, extra] = await Promise.all(
    RUN_FILES.map((f) => readJson(path.join(dir, f))),
  );
  if ([config, history, metrics, cm, extra].every((x) => x === undefined)) return undefined;
  const run: RunData = { runId, metrics: {}, history: {}, kind: 'sweep' };
  if (config !== undefined) {
    const file = path.join(dir, 'config.json');
    if (!isRecord(config)) fail(file, 'config', 'an object', config);
    // The example kit adds the run's seed and phase ('selection' or 'final') to its setting.
    const { seed, phase, ...setting } = config;
    run.setting = setting;
    if (typeof seed === 'number') run.seed = seed;
    if (phase === 'final') run.kind = 'repeat';
  }
  if (history !== undefined) run.history = parseHistory(history, path.join(dir, 'history.json'));
  if (metrics !== undefined) {
    const { seconds, ...rest } = parseMetrics(metrics, path.join(dir, 'metrics.json'));
    run.metrics = rest;
    if (typeof seconds === 'number') run.seconds = seconds;
  }
  if (cm !== undefined) {
    run.confusionMatrix = parseConfusionMatrix(cm, path.join(dir, 'confusion-matrix.json'));
  }
  if (extra !== undefined) run.extra = extra;
  return run;
}

/** Fills what `into` lacks from `from` (a run's folder completes its `results.json` record). */
function complete(into: RunData, from: RunData): void {
  into.setting ??= from.setting;
  into.seed ??= from.seed;
  into.seconds ??= from.seconds;
  into.confusionMatrix ??= from.confusionMatrix;
  if (into.extra === undefined) into.extra = from.extra;
  if (Object.keys(into.history).length === 0) into.history = from.history;
  if (Object.keys(into.metrics).length === 0) into.metrics = from.metrics;
}

/**
 * Reads a run folder as the seqlearn examples write it (`runSweep` of the example kit):
 * `results.json` and `results.md` at the top, and one sub-folder per run with `config.json`,
 * `history.json`, `metrics.json`, `confusion-matrix.json` and maybe `extra.json`. Reads
 * defensively: any of these files may be missing (a folder holding one run's files is read as
 * that one run), and `notes` says what was. A file that is there must parse and have the
 * expected shape.
 * @example
 * ```ts
 * import { loadRun } from '@seqlearn/report';
 * const run = await loadRun('runs/har');
 * console.log(run.title, run.bestId, run.runs.map((r) => r.runId));
 * // har: activity recognition simplernn8 [ 'simplernn8', 'lstm8', 'gru8', 'conv1d-16x5', 'simplernn8-seed43' ]
 * ```
 * @throws {ReportError} `NOT_FOUND` (no such folder), `EMPTY_RUN` (none of the files),
 * `INVALID_JSON` or `INVALID_RUN_FILE` (naming the file), `IO_ERROR`.
 */
export async function loadRun(dir: string): Promise<RunFolder> {
  if (typeof dir !== 'string' || dir === '') {
    throw new ReportError({
      code: 'INVALID_ARGUMENT',
      argument: 'dir',
      message: `dir: expected the path of a run folder, got ${describe(dir)}`,
    });
  }
  const abs = path.resolve(dir);
  const stat = await fs.stat(abs).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new ReportError({
      code: 'NOT_FOUND',
      argument: 'dir',
      file: abs,
      message: `${abs}: expected a run folder, got ${stat ? 'a file' : 'nothing (no such folder)'}`,
    });
  }
  const notes: string[] = [];
  const resultsFile = path.join(abs, 'results.json');
  const results = await readJson(resultsFile);
  const folder: RunFolder = { dir: abs, title: path.basename(abs), runs: [], summary: {}, notes };
  const byId = new Map<string, RunData>();
  if (results === undefined) {
    notes.push('No results.json: runs are read from their folders; no best setting or summary.');
  } else {
    if (!isRecord(results)) fail(resultsFile, 'results', 'an object', results);
    if (typeof results.title === 'string') folder.title = results.title;
    if (typeof results.metric === 'string') folder.metric = results.metric;
    if (isRecord(results.best) && typeof results.best.id === 'string') {
      folder.bestId = results.best.id;
    }
    for (const [field, kind] of [
      ['runs', 'sweep'],
      ['repeats', 'repeat'],
    ] as const) {
      const list = results[field];
      if (list === undefined) continue;
      if (!Array.isArray(list)) fail(resultsFile, field, 'an array of run records', list);
      list.forEach((r, i) => {
        const run = parseRecord(r, resultsFile, `${field}[${i}]`, kind);
        if (!byId.has(run.runId)) {
          byId.set(run.runId, run);
          folder.runs.push(run);
        }
      });
    }
    folder.summary = parseSummary(results.summary, resultsFile);
    if (results.chosen === false) {
      notes.push('The sweep has not finished: the best setting is the best so far.');
    }
  }
  const md = await fs.readFile(path.join(abs, 'results.md'), 'utf8').catch(() => undefined);
  if (md !== undefined) folder.resultsMarkdown = md;

  const entries = await fs.readdir(abs, { withFileTypes: true });
  const subdirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const name of subdirs) {
    const run = await loadRunFolder(path.join(abs, name), name);
    if (!run) continue;
    const known = byId.get(name);
    if (known) complete(known, run);
    else {
      byId.set(name, run);
      folder.runs.push(run);
    }
  }
  if (folder.runs.length === 0) {
    // The folder itself may be one run's folder.
    const single = await loadRunFolder(abs, path.basename(abs));
    if (single) folder.runs.push(single);
  }
  if (folder.runs.length === 0 && results === undefined) {
    throw new ReportError({
      code: 'EMPTY_RUN',
      argument: 'dir',
      file: abs,
      message: `${abs}: expected a run folder (results.json, or run folders with history.json, metrics.json, confusion-matrix.json or config.json), got none of these files`,
    });
  }
  for (const run of folder.runs) {
    const missing = [
      Object.keys(run.history).length === 0 ? 'history' : '',
      Object.keys(run.metrics).length === 0 ? 'metrics' : '',
    ].filter(Boolean);
    if (missing.length > 0) notes.push(`${run.runId}: no ${missing.join(' and no ')}.`);
  }
  if (folder.bestId !== undefined && !byId.has(folder.bestId)) {
    notes.push(`The best setting ${folder.bestId} has no run in this folder.`);
  }
  return folder;
}
