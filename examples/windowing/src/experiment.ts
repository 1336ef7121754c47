import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  asciiChart,
  markdownTable,
  readSettings,
  runSweep,
  type SweepResults,
  sparkline,
  writeFileAtomic,
  writeJsonAtomic,
} from '@seqlearn/example-kit';
import { initBackend } from '@seqlearn/rnn-models';
import { lectureCase } from './lecture-case';
import { type MultiStepPredictions, trainMultiStep } from './multi-step';
import type { WindowingOptions } from './options';
import { prepareSeries, SERIES_STEPS, type SeriesName } from './series-data';
import {
  isMultiStep,
  type Predictions,
  trainSetting,
  type WindowingSetting,
} from './train-setting';

/** What {@link runWindowing} returns. */
export interface WindowingResults {
  backend: string;
  lecture: ReturnType<typeof lectureCase>;
  /** Next-step sweeps, one per series (`<out>/<series>/`). */
  sweeps: Partial<Record<SeriesName, SweepResults<WindowingSetting>>>;
  /** Multi-step sweeps, one per series (`<out>/<series>-multistep/`), when the sweep file has any. */
  multiStep: Partial<Record<SeriesName, SweepResults<WindowingSetting>>>;
}

/** Checks what each kind of setting may combine; throws on the first bad setting. */
export function checkSettings(settings: WindowingSetting[]): void {
  for (const s of settings) {
    const model = s.model ?? 'rnn';
    if (s.windowing === 'stateful' && (model !== 'rnn' || s.conv || s.kernelRegularizer)) {
      throw new Error(
        `${s.id}: stateful settings take neither "model", "conv" nor "kernelRegularizer"`,
      );
    }
    if (isMultiStep(s) && (!s.horizon || !['direct', 'seq2seq', 'one-to-many'].includes(model))) {
      throw new Error(
        `${s.id}: a multi-step setting needs "horizon" and "model": "direct" | "seq2seq" | "one-to-many"`,
      );
    }
    if (model === 'residual' && (s.bidirectional || s.conv)) {
      throw new Error(`${s.id}: the residual model takes neither "bidirectional" nor "conv"`);
    }
  }
}

/** Predicted vs true on the first `n` test steps: a table, two sparklines on one scale, a chart. */
export function predictedVsTrue(p: Predictions, unit: string, n = 12): string {
  const f = (v: number) => v.toFixed(3);
  const table = markdownTable(
    ['step', `true${unit}`, `predicted${unit}`, `error${unit}`, `persistence${unit}`],
    p.t
      .slice(0, n)
      .map((t, i) => [
        String(t),
        f(p.true[i]),
        f(p.predicted[i]),
        f(p.predicted[i] - p.true[i]),
        f(p.persistence[i]),
      ]),
  );
  const span = p.true.slice(0, 96).concat(p.predicted.slice(0, 96));
  const scale = { min: Math.min(...span), max: Math.max(...span) };
  return [
    table,
    '',
    `true      ${sparkline(p.true.slice(0, 96), scale)}`,
    `predicted ${sparkline(p.predicted.slice(0, 96), scale)}`,
    '',
    '```text',
    asciiChart(
      [
        { label: 'true', values: p.true },
        { label: 'predicted', values: p.predicted },
      ],
      { height: 12, width: Math.min(p.true.length, 100) },
    ).trimEnd(),
    '```',
  ].join('\n');
}

/**
 * Every run's errors to three significant digits (the sweep table's four decimals hide small
 * MSEs), and mean ± std over the repeats of the best setting.
 */
export function errorTable(sweep: SweepResults<WindowingSetting>, unit: string): string {
  const e = (v: number | undefined) =>
    v === undefined || !Number.isFinite(v) ? '-' : v.toExponential(2);
  const multi = sweep.runs.some((r) => r.metrics.test_r2 === undefined);
  const keys = [
    'val_mse',
    'test_mse',
    'test_rmse',
    'test_mae',
    ...(multi ? [] : ['test_r2']),
    'persistence_test_rmse',
    'persistence_test_mae',
  ];
  const heads: Record<string, string> = {
    val_mse: 'val MSE',
    test_mse: 'test MSE',
    test_rmse: 'test RMSE',
    test_mae: 'test MAE',
    test_r2: 'test R²',
    persistence_test_rmse: 'persistence RMSE',
    persistence_test_mae: 'persistence MAE',
  };
  const rows = [...sweep.runs, ...sweep.repeats].map((r) => [
    r.runId,
    ...keys.map((k) => (k === 'test_r2' ? (r.metrics[k]?.toFixed(4) ?? '-') : e(r.metrics[k]))),
    r.seconds.toFixed(1),
  ]);
  const lines = [markdownTable(['run', ...keys.map((k) => heads[k]), 'train s'], rows)];
  const m = sweep.summary;
  if (m.test_mse) {
    lines.push(
      '',
      `\`${sweep.best.id}\` over ${m.test_mse.n} seeds: test MSE ${e(m.test_mse.mean)} ± ${e(m.test_mse.std)}${unit ? ` (${unit.trim()}²)` : ''}, ` +
        `test RMSE ${e(m.test_rmse?.mean)} ± ${e(m.test_rmse?.std)}, test MAE ${e(m.test_mae.mean)} ± ${e(m.test_mae.std)}` +
        (m.test_r2 ? `, test R² ${m.test_r2.mean.toFixed(4)} ± ${m.test_r2.std.toFixed(4)}.` : '.'),
    );
  }
  return lines.join('\n');
}

/** MAE by lead time of a multi-step run next to persistence, and a few test forecasts. */
export function multiStepBlock(p: MultiStepPredictions, unit: string): string {
  const f = (v: number) => v.toFixed(3);
  const lead = markdownTable(
    ['lead time', ...p.maeByStep.map((_, j) => String(j + 1))],
    [
      [`model MAE${unit}`, ...p.maeByStep.map(f)],
      [`persistence MAE${unit}`, ...p.persistenceMaeByStep.map(f)],
    ],
  );
  const samples = p.samples.flatMap((s) => {
    const all = s.true.concat(s.predicted, s.persistence);
    const scale = { min: Math.min(...all), max: Math.max(...all) };
    return [
      `origin ${s.origin}: true      ${s.true.map(f).join(' ')}`,
      `${' '.repeat(String(s.origin).length + 9)}forecast  ${s.predicted.map(f).join(' ')}`,
      `${' '.repeat(String(s.origin).length + 9)}${sparkline(s.true, scale)} true / ${sparkline(s.predicted, scale)} forecast`,
    ];
  });
  return [lead, '', '```text', ...samples, '```'].join('\n');
}

/**
 * The windowing example: prints the lecture's case, then for each series runs the next-step
 * sweep (shift, reshape and stateful windowing; SimpleRNN, LSTM, GRU, bidirectional LSTM; L1/L2
 * penalties, a residual skip, a CNN-LSTM), picks the setting with the lowest validation MSE,
 * repeats it with new seeds and appends predicted vs true on the test part to each series'
 * `results.md`; then, when the sweep file has settings with a `horizon`, the multi-step sweep
 * (direct, seq2seq with teacher forcing, one-to-many) into `<series>-multistep/`.
 */
export async function runWindowing(
  options: WindowingOptions,
  log: (line: string) => void = console.log,
): Promise<WindowingResults> {
  const backend = await initBackend({ log: options.verbose ? log : false });
  const lecture = lectureCase();
  log(`${lecture.text}\n`);
  const { text, ...lectureData } = lecture;
  await writeJsonAtomic(path.join(options.out, 'lecture-case.json'), lectureData);
  await writeFileAtomic(path.join(options.out, 'lecture-case.txt'), `${text}\n`);

  let settings = await readSettings<WindowingSetting>(options.sweep);
  if (options.epochs !== undefined) {
    settings = settings.map((s) => ({ ...s, epochs: options.epochs as number }));
  }
  checkSettings(settings);
  const nextStep = settings.filter((s) => !isMultiStep(s));
  const multiStep = settings.filter(isMultiStep);
  const results: WindowingResults = { backend: backend.name, lecture, sweeps: {}, multiStep: {} };
  for (const name of options.series) {
    const steps = SERIES_STEPS[options.quick ? 'quick' : 'full'][name];
    const data = await prepareSeries(name, { steps, seed: options.seed });
    const out = path.join(options.out, name);
    const notes =
      `${data.description}. ${steps} steps: train ${data.trainEnd}, validation ${data.valEnd - data.trainEnd}, ` +
      `test ${steps - data.valEnd} (time order, standardized on train); next-step prediction; ` +
      `best setting by validation MSE; MSE/MAE in the target's units; backend ${backend.name}.`;
    if (nextStep.length > 0) {
      log(`== ${name}: ${notes}`);
      const sweep = await runSweep({
        title: `windowing: ${name}`,
        settings: nextStep,
        metric: 'val_mse',
        minimize: true,
        columns: [
          'val_mse',
          'test_mse',
          'test_rmse',
          'test_mae',
          'test_r2',
          'persistence_test_rmse',
          'persistence_test_mae',
        ],
        out,
        seed: options.seed,
        repeats: options.repeats,
        notes,
        log,
        run: async (setting, { seed }) => {
          const outcome = await trainSetting(data, setting, seed, { verbose: options.verbose });
          const p = outcome.extra;
          const span = p.true.concat(p.predicted);
          const scale = { min: Math.min(...span), max: Math.max(...span) };
          log(
            `  test MSE ${outcome.metrics.test_mse.toExponential(3)} (persistence ${outcome.metrics.persistence_test_mse.toExponential(3)})`,
          );
          log(`  true      ${sparkline(p.true.slice(0, 72), scale)}`);
          log(`  predicted ${sparkline(p.predicted.slice(0, 72), scale)}`);
          return outcome;
        },
      });
      const md = path.join(out, 'results.md');
      const errors = errorTable(sweep, data.unit);
      let appended = `\nErrors to three significant digits:\n\n${errors}\n`;
      log(`\n${name}:\n${errors}`);
      const shown = sweep.repeats[0] ?? sweep.runs.find((r) => r.setting.id === sweep.best.id);
      if (shown) {
        const block = predictedVsTrue(shown.extra as Predictions, data.unit);
        appended += `\nPredicted vs true on the test part, run \`${shown.runId}\`:\n\n${block}\n`;
        log(`\n${name}: predicted vs true, run ${shown.runId}\n${block}`);
      }
      await writeFileAtomic(md, `${await readFile(md, 'utf8')}${appended}`);
      results.sweeps[name] = sweep;
    }
    if (multiStep.length > 0) {
      results.multiStep[name] = await runMultiStepSweep(
        name,
        data,
        multiStep,
        options,
        backend.name,
        log,
      );
    }
  }
  log(`wrote ${options.out}`);
  return results;
}

/**
 * The multi-step sweep of one series into `<out>/<series>-multistep/`: every multi-step setting
 * (direct vector output, seq2seq with teacher forcing, one-to-many), the best by validation MSE
 * (free-running forecasts over every lead time) repeated with new seeds, against persistence.
 */
async function runMultiStepSweep(
  name: SeriesName,
  data: Awaited<ReturnType<typeof prepareSeries>>,
  settings: WindowingSetting[],
  options: WindowingOptions,
  backend: string,
  log: (line: string) => void,
): Promise<SweepResults<WindowingSetting>> {
  const out = path.join(options.out, `${name}-multistep`);
  const horizons = [...new Set(settings.map((s) => s.horizon))].join(', ');
  const notes =
    `${data.description}. Train ${data.trainEnd}, validation ${data.valEnd - data.trainEnd}, test ${data.rows.length - data.valEnd} steps (time order, standardized on train); ` +
    `multi-step forecasts ${horizons} steps ahead from every origin whose horizon lies inside the part; errors over all lead times, in the target's units; ` +
    `persistence repeats the last observed value; best setting by validation MSE (free-running forecasts); backend ${backend}.`;
  log(`== ${name}, multi-step: ${notes}`);
  const sweep = await runSweep({
    title: `windowing: ${name}, multi-step forecasts`,
    settings,
    metric: 'val_mse',
    minimize: true,
    columns: [
      'val_mse',
      'test_mse',
      'test_rmse',
      'test_mae',
      'persistence_test_rmse',
      'persistence_test_mae',
    ],
    out,
    seed: options.seed,
    repeats: options.repeats,
    notes,
    log,
    run: async (setting, { seed }) => {
      const outcome = await trainMultiStep(data, setting, seed, { verbose: options.verbose });
      const m = outcome.metrics;
      log(
        `  test RMSE ${m.test_rmse.toExponential(3)}, MAE ${m.test_mae.toExponential(3)} (persistence ${m.persistence_test_rmse.toExponential(3)}, ${m.persistence_test_mae.toExponential(3)})`,
      );
      return outcome;
    },
  });
  const md = path.join(out, 'results.md');
  const errors = errorTable(sweep, data.unit);
  let appended = `\nErrors to three significant digits (over every lead time):\n\n${errors}\n`;
  log(`\n${name}, multi-step:\n${errors}`);
  const shown = sweep.repeats[0] ?? sweep.runs.find((r) => r.setting.id === sweep.best.id);
  if (shown) {
    const block = multiStepBlock(shown.extra as MultiStepPredictions, data.unit);
    appended += `\nMAE by lead time and test forecasts, run \`${shown.runId}\`:\n\n${block}\n`;
    log(`\n${name}: MAE by lead time, run ${shown.runId}\n${block}`);
  }
  await writeFileAtomic(md, `${await readFile(md, 'utf8')}${appended}`);
  return sweep;
}
