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
import type { WindowingOptions } from './options';
import { prepareSeries, SERIES_STEPS, type SeriesName } from './series-data';
import { type Predictions, trainSetting, type WindowingSetting } from './train-setting';

/** What {@link runWindowing} returns. */
export interface WindowingResults {
  backend: string;
  lecture: ReturnType<typeof lectureCase>;
  sweeps: Partial<Record<SeriesName, SweepResults<WindowingSetting>>>;
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
  const e = (v: number | undefined) => (v === undefined ? '-' : v.toExponential(2));
  const keys = ['val_mse', 'test_mse', 'test_mae', 'test_r2', 'persistence_test_mse'];
  const rows = [...sweep.runs, ...sweep.repeats].map((r) => [
    r.runId,
    ...keys.map((k) => (k === 'test_r2' ? r.metrics[k].toFixed(4) : e(r.metrics[k]))),
    r.seconds.toFixed(1),
  ]);
  const lines = [
    markdownTable(
      ['run', 'val MSE', 'test MSE', 'test MAE', 'test R²', 'persistence test MSE', 'train s'],
      rows,
    ),
  ];
  const m = sweep.summary;
  if (m.test_mse) {
    lines.push(
      '',
      `\`${sweep.best.id}\` over ${m.test_mse.n} seeds: test MSE ${e(m.test_mse.mean)} ± ${e(m.test_mse.std)}${unit ? ` (${unit.trim()}²)` : ''}, ` +
        `test MAE ${e(m.test_mae.mean)} ± ${e(m.test_mae.std)}, test R² ${m.test_r2.mean.toFixed(4)} ± ${m.test_r2.std.toFixed(4)}.`,
    );
  }
  return lines.join('\n');
}

/**
 * The windowing example: prints the lecture's case, then for each series runs the sweep
 * (shift, reshape and stateful windowing; SimpleRNN, LSTM, GRU, bidirectional LSTM), picks the
 * setting with the lowest validation MSE, repeats it with new seeds and appends predicted vs true
 * on the test part to each series' `results.md`.
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
  const results: WindowingResults = { backend: backend.name, lecture, sweeps: {} };
  for (const name of options.series) {
    const steps = SERIES_STEPS[options.quick ? 'quick' : 'full'][name];
    const data = await prepareSeries(name, { steps, seed: options.seed });
    const out = path.join(options.out, name);
    const notes =
      `${data.description}. ${steps} steps: train ${data.trainEnd}, validation ${data.valEnd - data.trainEnd}, ` +
      `test ${steps - data.valEnd} (time order, standardized on train); next-step prediction; ` +
      `best setting by validation MSE; MSE/MAE in the target's units; backend ${backend.name}.`;
    log(`== ${name}: ${notes}`);
    const sweep = await runSweep({
      title: `windowing: ${name}`,
      settings,
      metric: 'val_mse',
      minimize: true,
      columns: ['val_mse', 'test_mse', 'test_mae', 'test_r2', 'persistence_test_mse'],
      out,
      seed: options.seed,
      repeats: options.repeats,
      notes,
      log,
      run: async (setting, seed) => {
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
  log(`wrote ${options.out}`);
  return results;
}
