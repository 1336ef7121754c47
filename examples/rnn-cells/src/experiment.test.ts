import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellParamsByFormula, unitsForParams } from './cells';
import { runRnnCellsExperiment } from './experiment';
import { parseRnnCellsArgs } from './options';

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('rnn-cells example', () => {
  it('runs in quick mode and writes the continuation, histories, metrics and tables', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-cells-example-'));
    const options = parseRnnCellsArgs(['--quick', '--out', out, '--quiet']);
    if (options === 'help') throw new Error('unexpected help');
    const lines: string[] = [];
    const results = await runRnnCellsExperiment(options, (l) => lines.push(l));

    // Sine: every setting and the repeat wrote a true-vs-generated continuation.
    const sine = results.sine!;
    expect(sine.runs.map((r) => r.runId)).toEqual(['sine-rnn-16', 'sine-lstm-16']);
    expect(sine.repeats).toHaveLength(1);
    for (const r of [...sine.runs, ...sine.repeats]) {
      const dir = path.join(out, 'sine', r.runId);
      const continuation = readJson(path.join(dir, 'continuation.json'));
      expect(continuation.generated).toHaveLength(100);
      expect(continuation.true).toHaveLength(100);
      expect(continuation.generated.every(Number.isFinite)).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'continuation.txt'), 'utf8')).toContain('closed-loop');
      const history = readJson(path.join(dir, 'history.json'));
      expect(history.loss).toHaveLength(3);
      expect(history.loss[2]).toBeLessThan(history.loss[0]);
      expect(readJson(path.join(dir, 'metrics.json')).continuationMse).toBeGreaterThanOrEqual(0);
    }
    expect(sine.runs[0].metrics.params).toBe(cellParamsByFormula('rnn', 1, 16, 1));
    expect(sine.runs[1].metrics.params).toBe(cellParamsByFormula('lstm', 1, 16, 1));

    // Memory: one run per setting, graded on the last k outputs.
    const memory = results.memory!;
    expect(memory.runs).toHaveLength(4);
    for (const r of memory.runs) {
      const dir = path.join(out, 'memory', r.runId);
      const history = readJson(path.join(dir, 'history.json'));
      expect(history.val_last_k_accuracy.length).toBeGreaterThanOrEqual(1);
      const metrics = readJson(path.join(dir, 'metrics.json'));
      expect(metrics.lastKAccuracy).toBeGreaterThanOrEqual(0);
      expect(metrics.lastKAccuracy).toBeLessThanOrEqual(1);
      expect(metrics.maskedAccuracy).toBeCloseTo(metrics.lastKAccuracy, 10);
    }
    expect(fs.readFileSync(path.join(out, 'memory', 'results.md'), 'utf8')).toContain(
      'lastKAccuracy',
    );
    const summary = fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('| delay | RNN(16), 635 params | LSTM(16), 1979 params |');
    expect(summary).toContain('Sine continuation');
    expect(lines.join('\n')).toContain('wrote');
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('finds the RNN units that match an LSTM parameter count', () => {
    // LSTM(32) on 11 symbols with an 11-way projection: 4·(32·43 + 32) + 32·11 + 11 = 5995.
    expect(cellParamsByFormula('lstm', 11, 32, 11)).toBe(5995);
    expect(unitsForParams('rnn', 11, 11, 5995)).toBe(67); // 67² + 23·67 + 11 = 6041
  });

  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseRnnCellsArgs(['--tasks', 'copy'])).toThrow(/--tasks/);
    expect(() => parseRnnCellsArgs(['--examples', '0'])).toThrow(/--examples/);
  });
});
