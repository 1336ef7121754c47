import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNamesExperiment } from './experiment';
import { parseNamesArgs } from './options';

describe('names example', () => {
  it('runs in quick mode and writes history, metrics and a results table for every setting', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'names-example-'));
    const options = parseNamesArgs(['--quick', '--out', out, '--quiet']);
    if (options === 'help') throw new Error('unexpected help');
    const lines: string[] = [];
    const results = await runNamesExperiment(options, (l) => lines.push(l));

    expect(results.classNames).toHaveLength(18);
    expect(results.runs.map((r) => r.id)).toEqual([
      'simplernn-1layer-unweighted',
      'simplernn-1layer-weighted',
      'simplernn-2layer-unweighted',
      'simplernn-2layer-weighted',
    ]);
    for (const run of results.runs) {
      const dir = path.join(out, run.id);
      const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
      expect(history.loss).toHaveLength(1);
      expect(Number.isFinite(history.loss[0])).toBe(true);
      const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
      expect(metrics.accuracy).toBeGreaterThan(0);
      expect(Object.keys(metrics.recall)).toEqual(results.classNames);
      const cm = JSON.parse(fs.readFileSync(path.join(dir, 'confusion-matrix.json'), 'utf8'));
      expect(cm.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(results.testSize);
    }
    expect(fs.readFileSync(path.join(out, 'results.md'), 'utf8')).toContain('balanced accuracy');
    expect(lines.join('\n')).toContain('Russian');
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseNamesArgs(['--class-weight', 'maybe'])).toThrow(/--class-weight/);
    expect(() => parseNamesArgs(['--units', '0'])).toThrow(/--units/);
  });
});
