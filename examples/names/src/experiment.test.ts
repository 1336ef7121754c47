import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { availableCores, readSettings } from '@seqlearn/example-kit';
import { describe, expect, it } from 'vitest';
import { runNamesExperiment } from './experiment';
import { completeSettings, type NamesSetting, parseNamesArgs } from './options';

function quickOptions(extra: string[] = []) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'names-example-'));
  const options = parseNamesArgs(['--quick', '--quiet', '--out', out, ...extra]);
  if (options === 'help') throw new Error('unexpected help');
  return options;
}

type Parts = {
  validation: { recall: Record<string, number> };
  test?: { recall: Record<string, number> };
};

describe('names example', () => {
  it('chooses on validation, tests the chosen setting only and writes every file', async () => {
    const options = quickOptions();
    const lines: string[] = [];
    const results = await runNamesExperiment(options, (l) => lines.push(l));
    const { trainIdx, valIdx, testIdx, classNames } = results.data;

    expect(classNames).toHaveLength(18);
    expect(trainIdx.length + valIdx.length + testIdx.length).toBe(3000);
    expect(testIdx.length).toBe(600);
    expect(valIdx.length).toBe(480);
    // The three parts are disjoint.
    expect(new Set([...trainIdx, ...valIdx, ...testIdx]).size).toBe(3000);
    expect(results.runs.map((r) => r.runId)).toEqual([
      'simplernn16-1layer-b64-unweighted',
      'simplernn16-1layer-b64-weighted',
      'simplernn16-2layer-b64-unweighted',
      'simplernn16-2layer-b64-weighted',
    ]);
    // The best validation balanced accuracy picks the setting; one final run (the default).
    const bestVal = Math.max(...results.runs.map((r) => r.metrics.val_balancedAccuracy));
    expect(
      results.runs.find((r) => r.setting.id === results.best.id)?.metrics.val_balancedAccuracy,
    ).toBe(bestVal);
    expect(results.repeats.map((r) => r.runId)).toEqual([`${results.best.id}-seed43`]);
    for (const run of [...results.runs, ...results.repeats]) {
      const final = run.phase === 'final';
      const dir = path.join(options.out, run.runId);
      const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
      expect(history.loss).toHaveLength(1);
      expect(history.val_loss).toHaveLength(1);
      expect(Number.isFinite(history.loss[0])).toBe(true);
      const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
      expect(metrics.val_accuracy).toBeGreaterThan(0);
      // Test figures only for the final runs of the chosen setting.
      expect('test_accuracy' in metrics).toBe(final);
      const extra = JSON.parse(fs.readFileSync(path.join(dir, 'extra.json'), 'utf8'));
      expect(Object.keys(extra.validation.recall)).toEqual(classNames);
      expect('test' in extra).toBe(final);
      const cm = JSON.parse(fs.readFileSync(path.join(dir, 'confusion-matrix.json'), 'utf8'));
      expect(cm.labels).toEqual(classNames);
      expect(cm.split).toBe(final ? 'test' : 'validation');
      expect(cm.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(
        final ? testIdx.length : valIdx.length,
      );
    }
    const md = fs.readFileSync(path.join(options.out, 'results.md'), 'utf8');
    const [selection, chosen] = md.split('## Selection')[1].split('## Chosen setting');
    expect(selection).toContain('val_balancedAccuracy');
    expect(selection).not.toContain('test_');
    expect(chosen).toContain('test_balancedAccuracy');
    expect(md).toContain('Recall per language on the validation part');
    expect(md).toContain('Recall per language on the test part');
    expect(md).toContain('| Russian |');
    expect(lines.join('\n')).toContain('validation balanced accuracy');
  });

  it('with class weights, recall moves from the majority class to the rare ones', async () => {
    const results = await runNamesExperiment(
      quickOptions(['--layers', '1', '--epochs', '2', '--repeats', '0']),
      () => {},
    );
    const [plain, weighted] = results.runs;
    const recall = (r: typeof plain) => (r.extra as Parts).validation.recall;
    expect(recall(weighted).Russian).toBeLessThan(recall(plain).Russian);
    expect(weighted.metrics.val_balancedAccuracy).toBeGreaterThan(
      plain.metrics.val_balancedAccuracy,
    );
    expect(results.repeats).toHaveLength(0);
  });

  it('runs a sweep file and repeats the best setting with new seeds', async () => {
    const options = quickOptions(['--repeats', '2']);
    options.settings = completeSettings(
      await readSettings<NamesSetting>(
        path.join(import.meta.dirname, '..', 'sweeps', 'quick.json'),
      ),
      { units: 8, batchSize: 64, epochs: 1, learningRate: 0.003, lrDecay: 1 },
    );
    const results = await runNamesExperiment(options, () => {});
    expect(results.runs.map((r) => r.runId)).toEqual(['units8', 'units16-unweighted']);
    expect(results.repeats).toHaveLength(2);
    expect(results.summary.test_balancedAccuracy.n).toBe(2);
    expect(results.summary.val_balancedAccuracy.n).toBe(2);
    expect(fs.readFileSync(path.join(options.out, 'results.md'), 'utf8')).toContain('95% CI');
  });

  it('with --refit, trains the final runs on training + validation names, still choosing on validation', async () => {
    const options = quickOptions(['--layers', '1', '--class-weight', 'on', '--refit']);
    options.settings.push({
      ...options.settings[0],
      id: 'bigru16',
      cell: 'gru',
      bidirectional: true,
    });
    const results = await runNamesExperiment(options, () => {});
    const { trainIdx, valIdx } = results.data;
    expect(results.runs.map((r) => r.runId)).toEqual([
      'simplernn16-1layer-b64-weighted',
      'bigru16',
    ]);
    for (const run of results.runs) expect(run.metrics.val_balancedAccuracy).toBeGreaterThan(0);
    const [final] = results.repeats;
    // No validation figure (the validation names were trained on), and the test figures.
    expect(Object.keys(final.metrics).filter((k) => k.startsWith('val_'))).toEqual([]);
    expect(final.metrics.test_balancedAccuracy).toBeGreaterThan(0);
    expect(final.history.val_loss).toBeUndefined();
    // The refit trained on every training and validation name; the selection runs on training only.
    const trainSize = (r: { extra?: unknown }) => (r.extra as { trainSize: number }).trainSize;
    expect(trainSize(final)).toBe(trainIdx.length + valIdx.length);
    expect(trainSize(final)).toBe(2400);
    for (const run of results.runs) expect(trainSize(run)).toBe(trainIdx.length);
    expect(fs.readFileSync(path.join(options.out, 'results.md'), 'utf8')).toContain(
      'test_balancedAccuracy',
    );
  });

  it('gives the same results.json in worker processes as one run at a time in this process', async () => {
    // Two settings and one final run, each way; the kernels give the same bits on 1 thread (a
    // worker of 2 on 2 cores) as on all of them (this process), so the figures match exactly.
    const flags = ['--layers', '1', '--units', '8', '--repeats', '1'];
    const sequential = quickOptions([...flags, '--workers', '1']);
    const parallel = quickOptions([...flags, '--workers', '2']);
    const logged: Record<string, string[]> = { sequential: [], parallel: [] };
    await runNamesExperiment(sequential, (l) => logged.sequential.push(l));
    await runNamesExperiment(parallel, (l) => logged.parallel.push(l));
    const read = (out: string) => {
      const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
      // everything but the wall time of each run
      const runs = [...results.runs, ...results.repeats].map(
        ({ seconds, ...run }: { seconds: number; runId: string }) => run,
      );
      return { runs, best: results.best, summary: results.summary };
    };
    const expected = read(sequential.out);
    expect(expected.runs.map((r) => r.runId)).toEqual([
      'simplernn8-1layer-b64-unweighted',
      'simplernn8-1layer-b64-weighted',
      `${expected.best.id}-seed43`,
    ]);
    expect(read(parallel.out)).toEqual(expected);
    // Each run's lines are printed either way (after the sweep from worker processes).
    const runLines = (lines: string[]) => lines.filter((l) => l.startsWith('\n== ')).sort();
    expect(runLines(logged.parallel)).toHaveLength(3);
    expect(runLines(logged.parallel)).toEqual(runLines(logged.sequential));
    expect(logged.parallel.join('\n')).toContain('worker processes');
  });

  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseNamesArgs(['--class-weight', 'maybe'])).toThrow(/--class-weight/);
    expect(() => parseNamesArgs(['--units', '0'])).toThrow(/--units/);
    expect(() => parseNamesArgs(['--nope'])).toThrow(/nope/);
    expect(() => parseNamesArgs(['--lr-decay', '0'])).toThrow(/--lr-decay/);
    expect(() => parseNamesArgs(['--workers', '0'])).toThrow(/--workers/);
  });

  it('defaults to 10 epochs with the learning rate decayed by 0.8 per epoch, one worker per core', () => {
    const parsed = parseNamesArgs([]);
    if (parsed === 'help') throw new Error('unexpected help');
    expect(parsed.workers).toBe(availableCores());
    expect(parsed.settings[0]).toMatchObject({ epochs: 10, learningRate: 0.003, lrDecay: 0.8 });
    const constant = parseNamesArgs(['--lr-decay', '1', '--epochs', '5']);
    if (constant === 'help') throw new Error('unexpected help');
    expect(constant.settings[0]).toMatchObject({ epochs: 5, lrDecay: 1 });
  });
});
