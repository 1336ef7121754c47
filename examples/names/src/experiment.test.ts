import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSettings } from '@seqlearn/example-kit';
import { describe, expect, it } from 'vitest';
import { runNamesExperiment } from './experiment';
import { completeSettings, type NamesSetting, parseNamesArgs } from './options';

function quickOptions(extra: string[] = []) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'names-example-'));
  const options = parseNamesArgs(['--quick', '--quiet', '--out', out, ...extra]);
  if (options === 'help') throw new Error('unexpected help');
  return options;
}

describe('names example', () => {
  it('trains 1 and 2 layers with and without class weights and writes every file', async () => {
    const options = quickOptions();
    const lines: string[] = [];
    const results = await runNamesExperiment(options, (l) => lines.push(l));

    expect(results.data.classNames).toHaveLength(18);
    expect(results.data.trainIdx.length + results.data.testIdx.length).toBe(3000);
    expect(results.runs.map((r) => r.runId)).toEqual([
      'simplernn16-1layer-b64-unweighted',
      'simplernn16-1layer-b64-weighted',
      'simplernn16-2layer-b64-unweighted',
      'simplernn16-2layer-b64-weighted',
    ]);
    for (const run of results.runs) {
      const dir = path.join(options.out, run.runId);
      const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
      expect(history.loss).toHaveLength(1);
      expect(Number.isFinite(history.loss[0])).toBe(true);
      const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
      expect(metrics.accuracy).toBeGreaterThan(0);
      const extra = JSON.parse(fs.readFileSync(path.join(dir, 'extra.json'), 'utf8'));
      expect(Object.keys(extra.recall)).toEqual(results.data.classNames);
      const cm = JSON.parse(fs.readFileSync(path.join(dir, 'confusion-matrix.json'), 'utf8'));
      expect(cm.labels).toEqual(results.data.classNames);
      expect(cm.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(
        results.data.testIdx.length,
      );
    }
    const md = fs.readFileSync(path.join(options.out, 'results.md'), 'utf8');
    expect(md).toContain('balancedAccuracy');
    expect(md).toContain('| Russian |');
    expect(lines.join('\n')).toContain('balanced accuracy');
  });

  it('with class weights, recall moves from the majority class to the rare ones', async () => {
    const results = await runNamesExperiment(
      quickOptions(['--layers', '1', '--epochs', '2']),
      () => {},
    );
    const [plain, weighted] = results.runs;
    const recall = (r: typeof plain) => (r.extra as { recall: Record<string, number> }).recall;
    expect(recall(weighted).Russian).toBeLessThan(recall(plain).Russian);
    expect(weighted.metrics.balancedAccuracy).toBeGreaterThan(plain.metrics.balancedAccuracy);
  });

  it('runs a sweep file and repeats the best setting with new seeds', async () => {
    const options = quickOptions(['--repeats', '2']);
    options.settings = completeSettings(
      await readSettings<NamesSetting>(
        path.join(import.meta.dirname, '..', 'sweeps', 'quick.json'),
      ),
      { units: 8, batchSize: 64, epochs: 1, learningRate: 0.003 },
    );
    const results = await runNamesExperiment(options, () => {});
    expect(results.runs.map((r) => r.runId)).toEqual(['units8', 'units16-unweighted']);
    expect(results.repeats).toHaveLength(2);
    expect(results.summary.balancedAccuracy.n).toBe(2);
    expect(fs.readFileSync(path.join(options.out, 'results.md'), 'utf8')).toContain('95% CI');
  });

  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseNamesArgs(['--class-weight', 'maybe'])).toThrow(/--class-weight/);
    expect(() => parseNamesArgs(['--units', '0'])).toThrow(/--units/);
    expect(() => parseNamesArgs(['--nope'])).toThrow(/nope/);
  });
});
