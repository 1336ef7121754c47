import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shiftWindows } from './shift-windows';
import { type TimeseriesBatch, timeseriesDataset } from './timeseries-dataset';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The count formula stated in the TSDoc, written out independently of the implementation. */
const expectedCount = (steps: number, length: number, shift: number, targetShift: number) =>
  Math.floor((steps - length - targetShift) / shift) + 1;

describe('shiftWindows', () => {
  it('should make 4 examples from 14 steps with length 7, shift 2 and target shift 1', () => {
    const { x, y } = shiftWindows(range(14), { length: 7, shift: 2, targetShift: 1 });
    expect(x.shape).toEqual([4, 7, 1]);
    expect(x.squeeze([2]).arraySync()).toEqual([
      [0, 1, 2, 3, 4, 5, 6],
      [2, 3, 4, 5, 6, 7, 8],
      [4, 5, 6, 7, 8, 9, 10],
      [6, 7, 8, 9, 10, 11, 12],
    ]);
    expect(y.arraySync()).toEqual([[7], [9], [11], [13]]);
    tf.dispose([x, y]);
  });

  it('should give the input moved one step on as a many-to-many target', () => {
    const { x, y } = shiftWindows(range(14), { length: 7, shift: 2, targetLength: 7 });
    expect(y.shape).toEqual([4, 7, 1]);
    expect((y.squeeze([2]).arraySync() as number[][])[0]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((y.squeeze([2]).arraySync() as number[][])[3]).toEqual([7, 8, 9, 10, 11, 12, 13]);
    tf.dispose([x, y]);
  });

  it('should default to shift 1, target shift 1 and a many-to-one target', () => {
    const { x, y } = shiftWindows(range(5), { length: 3 });
    expect(x.shape).toEqual([2, 3, 1]);
    expect(y.arraySync()).toEqual([[3], [4]]);
    tf.dispose([x, y]);
  });

  it('should take only the chosen target features of a multivariate series', () => {
    const series = range(6).map((i) => [i, 100 + i, -i]);
    const { x, y } = shiftWindows(series, {
      length: 2,
      shift: 2,
      targetShift: 2,
      targetFeatures: [1],
    });
    expect(x.shape).toEqual([2, 2, 3]);
    expect(y.arraySync()).toEqual([[103], [105]]);
    tf.dispose([x, y]);
  });

  it('should follow the count formula and never put a target in its input, for any sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 80 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 20 }),
        (steps, length, shift, targetShift, targetLengthRaw) => {
          fc.pre(length + targetShift <= steps);
          const targetLength = Math.min(length, targetLengthRaw);
          // Value = time index, so each entry says which step it came from.
          const out = shiftWindows(range(steps), { length, shift, targetShift, targetLength });
          const x = out.x.squeeze<tf.Tensor2D>([2]).arraySync();
          const y = out.y.reshape([x.length, targetLength]).arraySync() as number[][];
          tf.dispose([out.x, out.y]);
          const n = expectedCount(steps, length, shift, targetShift);
          expect(x).toHaveLength(n);
          // The last example is the last one that fits: one more would need a step past the end.
          expect(n * shift + length + targetShift - 1).toBeGreaterThanOrEqual(steps);
          x.forEach((window, i) => {
            expect(window).toEqual(range(length).map((p) => i * shift + p));
            y[i].forEach((target, k) => {
              const aligned = length - targetLength + k;
              // No leak: the target is later than every input step up to its aligned position.
              expect(target).toBeGreaterThan(Math.max(...window.slice(0, aligned + 1)));
              expect(target - window[aligned]).toBe(targetShift);
            });
          });
          if (targetLength === 1) {
            y.forEach((target, i) => {
              expect(x[i]).not.toContain(target[0]);
            });
          }
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it('should agree with timeseriesDataset given targets moved length + targetShift - 1 steps on', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 60 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (steps, length, shift, targetShift) => {
          fc.pre(length + targetShift <= steps);
          const series = range(steps).map((i) => i * 3 - 7);
          const { x, y } = shiftWindows(series, { length, shift, targetShift });
          const ds = timeseriesDataset(series, series.slice(length + targetShift - 1), {
            sequenceLength: length,
            sequenceStride: shift,
            batchSize: 1000,
          });
          const batches = (await ds.toArray()) as TimeseriesBatch[];
          expect(batches[0].xs.arraySync()).toEqual(x.arraySync());
          expect(batches[0].ys.arraySync()).toEqual(y.squeeze([1]).arraySync());
          tf.dispose([x, y, ...batches.flatMap((b) => [b.xs, b.ys])]);
        },
      ),
      { seed: 11, numRuns: 60 },
    );
  });

  it('should give the same result for an array, a typed array and a tensor', () => {
    const values = range(10).map((i) => i * i);
    const a = shiftWindows(values, { length: 4, shift: 3 });
    const b = shiftWindows(Float64Array.from(values), { length: 4, shift: 3 });
    const t = tf.tensor1d(values);
    const c = shiftWindows(t, { length: 4, shift: 3 });
    expect(b.x.arraySync()).toEqual(a.x.arraySync());
    expect(c.y.arraySync()).toEqual(a.y.arraySync());
    tf.dispose([a.x, a.y, b.x, b.y, c.x, c.y, t]);
  });

  it('should not leak tensors', () => {
    const before = tf.memory().numTensors;
    const { x, y } = shiftWindows(range(20), { length: 5 });
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('should throw INVALID_ARGUMENT for a non-integer shift', () => {
    expect(() => shiftWindows(range(14), { length: 7, shift: 1.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'shift' }),
    );
  });

  it('should throw INVALID_ARGUMENT for a target shift of 0, which would leak the target', () => {
    expect(() => shiftWindows(range(14), { length: 7, targetShift: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'targetShift' }),
    );
  });

  it('should throw INVALID_ARGUMENT for a target longer than the window or a bad feature index', () => {
    expect(() => shiftWindows(range(14), { length: 3, targetLength: 4 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'targetLength' }),
    );
    expect(() => shiftWindows(range(14), { length: 3, targetFeatures: [1] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'targetFeatures' }),
    );
  });

  it('should throw WINDOW_TOO_LONG when the window and its target shift exceed the series', () => {
    expect(() => shiftWindows(range(7), { length: 7 })).toThrow(
      expect.objectContaining({ code: 'WINDOW_TOO_LONG', argument: 'length' }),
    );
  });

  it('should throw SHAPE_MISMATCH for ragged feature rows', () => {
    expect(() => shiftWindows([[1, 2], [3, 4], [5]], { length: 1 })).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', argument: 'series' }),
    );
  });
});
