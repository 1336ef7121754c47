import path from 'node:path';
import {
  markdownTable,
  readSettings,
  runSweep,
  type Setting,
  type SweepResults,
  writeFileAtomic,
} from '@seqlearn/example-kit';
import { initBackend } from '@seqlearn/rnn-models';
import { cellLabel, cellParamsByFormula } from './cells';
import { type MemorySetting, runMemorySetting } from './memory-task';
import type { RnnCellsOptions } from './options';
import { runSineSetting, type SineSetting } from './sine-task';

/** What {@link runRnnCellsExperiment} returns. */
export interface RnnCellsResults {
  backend: string;
  sine?: SweepResults<SineSetting>;
  memory?: SweepResults<MemorySetting>;
  /** The summary written to `summary.md`. */
  summary: string;
}

/**
 * Runs the sine and memory sweeps of the rnn-cells example into `options.out/sine` and
 * `options.out/memory` (each with `runSweep`: every setting, then the best again with new seeds),
 * and writes `summary.md`: the sine continuation figures, and the memory task's accuracy on the
 * last k outputs by delay for every cell, with parameter counts.
 */
export async function runRnnCellsExperiment(
  options: RnnCellsOptions,
  log: (line: string) => void = console.log,
): Promise<RnnCellsResults> {
  const backend = await initBackend({ log: options.verbose ? log : false });
  const settings = await readSettings<Setting>(options.sweep);
  const sineSettings = settings.filter((s) => taskOf(s) === 'sine') as SineSetting[];
  const memorySettings = settings.filter((s) => taskOf(s) === 'memory') as MemorySetting[];
  const unknown = settings.filter((s) => taskOf(s) !== 'sine' && taskOf(s) !== 'memory');
  if (unknown.length > 0) {
    throw new Error(
      `${options.sweep}: expected task "sine" or "memory", got ${JSON.stringify(unknown[0])}`,
    );
  }
  const notes = `Backend ${backend.name}; seed ${options.seed}; sweep \`${path.basename(options.sweep)}\`${options.quick ? ' (quick mode)' : ''}.`;
  const results: RnnCellsResults = { backend: backend.name, summary: '' };
  const sweepLog = (line: string) => log(line);

  if (options.tasks.includes('sine') && sineSettings.length > 0) {
    const out = path.join(options.out, 'sine');
    log(`\n== sine continuation: ${sineSettings.length} settings`);
    results.sine = await runSweep({
      title: 'rnn-cells: closed-loop sine continuation (MSE, SGD, clipNorm 5)',
      settings: sineSettings,
      metric: 'continuationMse',
      minimize: true,
      out,
      seed: options.seed,
      repeats: options.repeats,
      log: sweepLog,
      notes,
      run: (setting, { seed, runId }) =>
        runSineSetting(setting, seed, {
          dir: path.join(out, runId),
          verbose: options.verbose,
          epochs: options.epochs,
          log,
        }),
    });
  }
  if (options.tasks.includes('memory') && memorySettings.length > 0) {
    const out = path.join(options.out, 'memory');
    log(`\n== memory task: ${memorySettings.length} settings`);
    results.memory = await runSweep({
      title: 'rnn-cells: copy-memory task, accuracy on the last k outputs',
      settings: memorySettings,
      metric: 'lastKAccuracy',
      out,
      seed: options.seed,
      repeats: options.repeats,
      log: sweepLog,
      notes: `${notes} ${options.examples} training and ${options.testExamples} test sequences.`,
      columns: ['lastKAccuracy', 'valLoss', 'params', 'epochsRun'],
      run: (setting, { seed }) =>
        runMemorySetting(setting, seed, {
          examples: options.examples,
          testExamples: options.testExamples,
          verbose: options.verbose,
          epochs: options.epochs,
          log,
        }),
    });
  }
  results.summary = summaryMarkdown(results, options);
  await writeFileAtomic(path.join(options.out, 'summary.md'), results.summary);
  log(`\n${results.summary}`);
  log(`wrote ${options.out}`);
  return results;
}

function fmt(x: number | undefined, digits = 4): string {
  return x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits);
}

/** The text of `summary.md`. */
export function summaryMarkdown(results: RnnCellsResults, options: RnnCellsOptions): string {
  const lines = [
    '# rnn-cells summary',
    '',
    `Backend ${results.backend}, seed ${options.seed}.`,
    '',
  ];
  if (results.sine) {
    lines.push(
      '## Sine continuation (closed loop)',
      '',
      markdownTable(
        [
          'setting',
          'cell',
          'params',
          'final train MSE',
          'continuation MSE',
          'first-period MSE',
          'train time (s)',
        ],
        results.sine.runs.map((r) => {
          const s = r.setting as SineSetting;
          return [
            r.runId,
            cellLabel(s.cell, s.units),
            String(r.metrics.params),
            fmt(r.metrics.finalTrainLoss),
            fmt(r.metrics.continuationMse),
            fmt(r.metrics.firstPeriodMse),
            r.seconds.toFixed(1),
          ];
        }),
      ),
      '',
    );
    const m = results.sine.summary.continuationMse;
    if (m) {
      lines.push(
        `Best: \`${results.sine.best.id}\`, continuation MSE ${fmt(m.mean)} ± ${fmt(m.std)} over ${m.n} more seeds.`,
        '',
      );
    }
  }
  if (results.memory) {
    const runs = results.memory.runs;
    const cellKey = (s: MemorySetting) => `${cellLabel(s.cell, s.units)}`;
    const cells = [...new Set(runs.map((r) => cellKey(r.setting as MemorySetting)))];
    const delays = [...new Set(runs.map((r) => (r.setting as MemorySetting).delay))].sort(
      (a, b) => a - b,
    );
    const params = new Map<string, number>();
    for (const r of runs) params.set(cellKey(r.setting as MemorySetting), r.metrics.params);
    const k = (runs[0].setting as MemorySetting).k ?? 3;
    lines.push(
      `## Memory task: accuracy on the last ${k} outputs (chance 0.111), with the epochs run (training stops at 0.99) and the training time`,
      '',
      markdownTable(
        ['delay', ...cells.map((c) => `${c}, ${params.get(c)} params`)],
        delays.map((d) => [
          String(d),
          ...cells.map((c) => {
            const r = runs.find(
              (x) =>
                (x.setting as MemorySetting).delay === d &&
                cellKey(x.setting as MemorySetting) === c,
            );
            return r
              ? `${fmt(r.metrics.lastKAccuracy, 3)} (${r.metrics.epochsRun} ep, ${r.seconds.toFixed(0)} s)`
              : '-';
          }),
        ]),
      ),
      '',
      "Parameter counts (11 one-hot symbols in, 11 logits out, by formula `g·(u·(11 + u) + u) + 11u + 11`, g = 1 for the RNN, 4 for the LSTM; each equals the size of the cell's variables):",
      '',
      ...cells.map((c) => {
        const r = runs.find((x) => cellKey(x.setting as MemorySetting) === c)!;
        const s = r.setting as MemorySetting;
        return `- ${c}: ${cellParamsByFormula(s.cell, 11, s.units, 11)} by formula, ${r.metrics.params} built`;
      }),
      '',
    );
    const m = results.memory.summary.lastKAccuracy;
    if (m) {
      lines.push(
        `Best: \`${results.memory.best.id}\`, last-k accuracy ${fmt(m.mean, 3)} ± ${fmt(m.std, 3)} over ${m.n} more seeds.`,
        '',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function taskOf(setting: Setting): unknown {
  return (setting as { task?: unknown }).task;
}
