import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statefulBatches } from './stateful-batches';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('statefulBatches', () => {
  it('should let row i of each batch continue row i of the previous batch', () => {
    const { x, y, batches, dropped } = statefulBatches(range(13), { batchSize: 2, length: 3 });
    expect(batches).toBe(2);
    expect(x.squeeze([2]).arraySync()).toEqual([
      [0, 1, 2],
      [6, 7, 8],
      [3, 4, 5],
      [9, 10, 11],
    ]);
    expect(y.squeeze([2]).arraySync()).toEqual([
      [1, 2, 3],
      [7, 8, 9],
      [4, 5, 6],
      [10, 11, 12],
    ]);
    expect(dropped).toBe(0);
    tf.dispose([x, y]);
  });

  it('should keep continuity, the target shift and the batch count for any sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 3 }),
        (steps, batchSize, length, targetShift) => {
          const streamSteps = Math.floor((steps - targetShift) / batchSize);
          const batches = Math.floor(streamSteps / length);
          fc.pre(batches >= 1);
          const out = statefulBatches(range(steps), { batchSize, length, targetShift });
          const x = out.x.squeeze<tf.Tensor2D>([2]).arraySync();
          const y = out.y.squeeze<tf.Tensor2D>([2]).arraySync();
          tf.dispose([out.x, out.y]);
          expect(out.batches).toBe(batches);
          expect(x).toHaveLength(batches * batchSize);
          for (let b = 0; b < batches; b++) {
            for (let i = 0; i < batchSize; i++) {
              const row = x[b * batchSize + i];
              if (b > 0) expect(row[0]).toBe(x[(b - 1) * batchSize + i][length - 1] + 1);
              expect(y[b * batchSize + i]).toEqual(row.map((v) => v + targetShift));
              expect(row.every((v, t) => t === 0 || v === row[t - 1] + 1)).toBe(true);
            }
          }
          expect(Math.max(...y.flat())).toBeLessThan(steps);
          expect(out.dropped).toBe(steps - targetShift - batches * batchSize * length);
        },
      ),
      { seed: 8, numRuns: 200 },
    );
  });

  it('should keep the features of a multivariate series', () => {
    const { x, y } = statefulBatches(
      range(9).map((i) => [i, -i]),
      { batchSize: 2, length: 2 },
    );
    expect(x.shape).toEqual([4, 2, 2]);
    expect(y.arraySync()[0]).toEqual([
      [1, -1],
      [2, -2],
    ]);
    tf.dispose([x, y]);
  });

  it('should throw WINDOW_TOO_LONG when the series cannot fill one batch', () => {
    expect(() => statefulBatches(range(6), { batchSize: 2, length: 3 })).toThrow(
      expect.objectContaining({ code: 'WINDOW_TOO_LONG', argument: 'length' }),
    );
  });

  it('should throw INVALID_ARGUMENT for a non-integer batch size or length', () => {
    expect(() => statefulBatches(range(20), { batchSize: 2.5, length: 3 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'batchSize' }),
    );
    expect(() => statefulBatches(range(20), { batchSize: 2, length: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'length' }),
    );
  });
});

const shakespeare = '/work/shared/datasets/shakespeare/input.txt';

describe.skipIf(!existsSync(shakespeare))('statefulBatches on tiny-shakespeare', () => {
  it('should give rows that read as continuous text, each target the next character', () => {
    const text = readFileSync(shakespeare, 'utf8').slice(0, 100_000);
    const codes = Array.from(text, (c) => c.charCodeAt(0));
    const { x, y, batches } = statefulBatches(codes, { batchSize: 32, length: 100 });
    const decode = (rows: number[][]) => rows.map((r) => String.fromCharCode(...r));
    const xs = decode(x.squeeze<tf.Tensor2D>([2]).arraySync());
    const ys = decode(y.squeeze<tf.Tensor2D>([2]).arraySync());
    tf.dispose([x, y]);
    const streamSteps = Math.floor((codes.length - 1) / 32);
    expect(batches).toBe(Math.floor(streamSteps / 100));
    for (let i = 0; i < 32; i++) {
      // Stream i, read batch after batch, is one contiguous slice of the play.
      const stream = Array.from({ length: batches }, (_, b) => xs[b * 32 + i]).join('');
      expect(stream).toBe(text.slice(i * streamSteps, i * streamSteps + batches * 100));
      const next = Array.from({ length: batches }, (_, b) => ys[b * 32 + i]).join('');
      expect(next).toBe(text.slice(i * streamSteps + 1, i * streamSteps + 1 + batches * 100));
    }
  });
});
