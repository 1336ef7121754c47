import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '@seqlearn/rnn-models';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkSettings, runWindowing } from './experiment';
import { lectureCase } from './lecture-case';
import { makeOrigins } from './multi-step';
import { parseWindowingArgs } from './options';
import { prepareSeries } from './series-data';
import { residualModel } from './train-setting';

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
        'shift-lstm16-l1',
        'shift-lstm16-l2',
        'shift-lstm16-residual',
        'shift-cnn8-lstm16',
      ]);
      expect(sweep?.repeats).toHaveLength(1);
      for (const run of [...(sweep?.runs ?? []), ...(sweep?.repeats ?? [])]) {
        const dir = path.join(out, series, run.runId);
        const history = read(path.join(dir, 'history.json'));
        expect(history.loss).toHaveLength(2);
        expect(history.val_loss).toHaveLength(2);
        const metrics = read(path.join(dir, 'metrics.json'));
        for (const k of [
          'val_mse',
          'test_mse',
          'test_rmse',
          'test_mae',
          'persistence_test_mse',
          'persistence_test_rmse',
          'persistence_test_mae',
        ]) {
          expect(Number.isFinite(metrics[k]) && metrics[k] > 0).toBe(true);
        }
        expect(metrics.test_rmse).toBeCloseTo(Math.sqrt(metrics.test_mse), 10);
        const p = read(path.join(dir, 'extra.json'));
        expect(p.predicted).toHaveLength(p.true.length);
        expect(p.predicted.every(Number.isFinite)).toBe(true);
      }
      const md = fs.readFileSync(path.join(out, series, 'results.md'), 'utf8');
      expect(md).toContain('| stateful-lstm16 |');
      expect(md).toContain('Predicted vs true on the test part');
      expect(md).toContain('Errors to three significant digits');

      // Multi-step: direct, seq2seq (teacher forcing) and one-to-many, 4 steps ahead.
      const multi = results.multiStep[series];
      expect(multi?.runs.map((r) => r.runId)).toEqual([
        'direct-lstm16-h4',
        'seq2seq-lstm16-h4',
        'onetomany-lstm16-h4',
      ]);
      expect(multi?.repeats).toHaveLength(1);
      for (const run of [...(multi?.runs ?? []), ...(multi?.repeats ?? [])]) {
        const dir = path.join(out, `${series}-multistep`, run.runId);
        const history = read(path.join(dir, 'history.json'));
        expect(history.loss).toHaveLength(2);
        expect(history.val_loss).toHaveLength(2);
        const metrics = read(path.join(dir, 'metrics.json'));
        for (const k of [
          'val_mse',
          'test_mse',
          'test_rmse',
          'test_mae',
          'persistence_test_rmse',
          'persistence_test_mae',
        ]) {
          expect(Number.isFinite(metrics[k]) && metrics[k] > 0).toBe(true);
        }
        const p = read(path.join(dir, 'extra.json'));
        expect(p.horizon).toBe(4);
        expect(p.maeByStep).toHaveLength(4);
        expect(p.maeByStep.every(Number.isFinite)).toBe(true);
        for (const sample of p.samples) {
          expect(sample.predicted).toHaveLength(4);
          // Persistence repeats the last observed value over the horizon.
          expect(new Set(sample.persistence).size).toBe(1);
        }
        // The mean of the per-lead MAEs is the MAE over every lead time.
        const mean = p.maeByStep.reduce((a: number, b: number) => a + b, 0) / 4;
        expect(mean).toBeCloseTo(metrics.test_mae, 8);
      }
      const multiMd = fs.readFileSync(path.join(out, `${series}-multistep`, 'results.md'), 'utf8');
      expect(multiMd).toContain('| seq2seq-lstm16-h4 |');
      expect(multiMd).toContain('MAE by lead time');
    }
    // The persistence baseline is the previous true value.
    const p = read(path.join(out, 'power', 'shift-lstm16', 'extra.json'));
    expect(p.persistence.slice(1)).toEqual(p.true.slice(0, -1));
    expect(lines.join('\n')).toContain('predicted ');
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('rejects settings that mix what cannot be combined', () => {
    const base = {
      id: 'x',
      windowing: 'shift' as const,
      cell: 'lstm' as const,
      units: 4,
      length: 4,
      batchSize: 4,
      epochs: 1,
      learningRate: 0.01,
    };
    expect(() => checkSettings([{ ...base, model: 'seq2seq' }])).toThrow(/horizon/);
    expect(() => checkSettings([{ ...base, windowing: 'stateful', model: 'residual' }])).toThrow(
      /stateful/,
    );
    expect(() => checkSettings([{ ...base, model: 'direct', horizon: 3 }])).not.toThrow();
  });

  it('rejects an unknown series', () => {
    expect(() => parseWindowingArgs(['--series', 'stocks'])).toThrow(/--series/);
  });
});

describe('model parts', () => {
  it('the residual model adds the last input value to the dense output (identity skip)', async () => {
    await initBackend({ log: false });
    const model = residualModel(
      {
        id: 'r',
        windowing: 'shift',
        cell: 'lstm',
        units: 4,
        length: 5,
        batchSize: 4,
        epochs: 1,
        learningRate: 0.01,
        model: 'residual',
      },
      1,
      2,
    );
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'LSTM',
      'Dense',
      'LastStepTarget',
      'Add',
    ]);
    // With the dense layer zeroed the model is the persistence forecast.
    const dense = model.layers[2];
    dense.setWeights(dense.getWeights().map((w) => tf.zerosLike(w)));
    const x = tf.tensor3d([
      [
        [1, 9],
        [2, 9],
        [3, 9],
        [4, 9],
        [5, 9],
      ],
      [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [-7, 3],
      ],
    ]);
    const y = model.predict(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([5, -7]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('multi-step origins: inputs before the origin, targets from it, decoder inputs shifted by one', async () => {
    const data = await prepareSeries('dampedSine', { steps: 60, seed: 3 });
    const o = makeOrigins(data, data.trainEnd, data.valEnd, 8, 3);
    const target = data.rows.map((r) => r[0]);
    expect(o.origins[0]).toBe(data.trainEnd);
    expect(o.origins.at(-1)).toBe(data.valEnd - 3);
    const i = 2;
    const t = o.origins[i];
    expect(o.y[i]).toEqual(target.slice(t, t + 3));
    expect(o.shifted[i]).toEqual(target.slice(t - 1, t + 2));
    const x = o.x.arraySync() as number[][][];
    expect(x[i].map((r) => r[0])).toEqual(target.slice(t - 8, t).map((v) => Math.fround(v)));
    o.x.dispose();
  });
});
