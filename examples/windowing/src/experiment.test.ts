import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWindowing } from './experiment';
import { lectureCase } from './lecture-case';
import { parseWindowingArgs } from './options';

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('lectureCase', () => {
  it('gives 2 reshaped windows and 4 shifted examples on the 14-step series', () => {
    const c = lectureCase();
    expect(c.reshape.windows).toEqual([
      [0, 1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11, 12, 13],
    ]);
    expect(c.shift.x.map((x) => x[0])).toEqual([0, 2, 4, 6]);
    expect(c.shift.y).toEqual([7, 9, 11, 13]);
    expect(c.shiftManyToMany.y[3]).toEqual([7, 8, 9, 10, 11, 12, 13]);
    expect(c.stateful.x).toEqual([
      [0, 1, 2],
      [6, 7, 8],
      [3, 4, 5],
      [9, 10, 11],
    ]);
    expect(c.text).toContain('4 examples = floor((14 - 7 - 1) / 2) + 1');
  });
});

describe('windowing example', () => {
  it('runs the quick sweep on both series and writes histories, metrics, predictions and results', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'windowing-example-'));
    const options = parseWindowingArgs(['--quick', '--quiet', '--out', out]);
    if (options === 'help') throw new Error('unexpected help');
    const lines: string[] = [];
    const results = await runWindowing(options, (l) => lines.push(l));

    expect(read(path.join(out, 'lecture-case.json')).shift.y).toEqual([7, 9, 11, 13]);
    for (const series of ['dampedSine', 'power'] as const) {
      const sweep = results.sweeps[series];
      expect(sweep?.runs.map((r) => r.runId)).toEqual([
        'shift-lstm16',
        'reshape-lstm16',
        'stateful-lstm16',
        'shift-bilstm8',
      ]);
      expect(sweep?.repeats).toHaveLength(1);
      for (const run of [...(sweep?.runs ?? []), ...(sweep?.repeats ?? [])]) {
        const dir = path.join(out, series, run.runId);
        const history = read(path.join(dir, 'history.json'));
        expect(history.loss).toHaveLength(2);
        expect(history.val_loss).toHaveLength(2);
        const metrics = read(path.join(dir, 'metrics.json'));
        for (const k of ['val_mse', 'test_mse', 'test_mae', 'persistence_test_mse']) {
          expect(Number.isFinite(metrics[k]) && metrics[k] > 0).toBe(true);
        }
        const p = read(path.join(dir, 'extra.json'));
        expect(p.predicted).toHaveLength(p.true.length);
        expect(p.predicted.every(Number.isFinite)).toBe(true);
      }
      const md = fs.readFileSync(path.join(out, series, 'results.md'), 'utf8');
      expect(md).toContain('| stateful-lstm16 |');
      expect(md).toContain('Predicted vs true on the test part');
      expect(md).toContain('Errors to three significant digits');
    }
    // The persistence baseline is the previous true value.
    const p = read(path.join(out, 'power', 'shift-lstm16', 'extra.json'));
    expect(p.persistence.slice(1)).toEqual(p.true.slice(0, -1));
    expect(lines.join('\n')).toContain('predicted ');
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('rejects an unknown series', () => {
    expect(() => parseWindowingArgs(['--series', 'stocks'])).toThrow(/--series/);
  });
});
