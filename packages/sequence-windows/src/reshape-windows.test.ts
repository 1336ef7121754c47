import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reshapeWindows } from './reshape-windows';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('reshapeWindows', () => {
  it('should cut a [steps] series into [examples, length, 1] and report the dropped tail', () => {
    const { windows, dropped } = reshapeWindows(range(7), { length: 3 });
    expect(windows.shape).toEqual([2, 3, 1]);
    expect(windows.arraySync()).toEqual([
      [[0], [1], [2]],
      [[3], [4], [5]],
    ]);
    expect(dropped).toBe(1);
    windows.dispose();
  });

  it('should keep the features of a [steps, features] series', () => {
    const series = range(5).map((i) => [i, 10 * i]);
    const { windows, dropped } = reshapeWindows(series, { length: 2 });
    expect(windows.arraySync()).toEqual([
      [
        [0, 0],
        [1, 10],
      ],
      [
        [2, 20],
        [3, 30],
      ],
    ]);
    expect(dropped).toBe(1);
    windows.dispose();
  });

  it('should give the same windows for an array, a typed array and a tensor', () => {
    const values = range(12).map((i) => i * 0.5);
    const fromArray = reshapeWindows(values, { length: 4 }).windows;
    const fromTyped = reshapeWindows(Float32Array.from(values), { length: 4 }).windows;
    const input = tf.tensor2d(values, [12, 1]);
    const fromTensor = reshapeWindows(input, { length: 4 }).windows;
    expect(fromTyped.arraySync()).toEqual(fromArray.arraySync());
    expect(fromTensor.arraySync()).toEqual(fromArray.arraySync());
    tf.dispose([fromArray, fromTyped, input, fromTensor]);
  });

  it('should make floor(steps / length) windows of consecutive steps for any sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        (steps, length) => {
          fc.pre(length <= steps);
          const { windows, dropped } = reshapeWindows(range(steps), { length });
          const w = windows.squeeze<tf.Tensor2D>([2]).arraySync();
          windows.dispose();
          expect(w).toHaveLength(Math.floor(steps / length));
          expect(dropped).toBe(steps % length);
          w.forEach((row, i) => {
            expect(row).toEqual(range(length).map((p) => i * length + p));
          });
        },
      ),
      { seed: 4 },
    );
  });

  it('should not mutate its input or leak tensors', () => {
    const series = range(6).map((i) => [i, i]);
    const before = tf.memory().numTensors;
    reshapeWindows(series, { length: 3 }).windows.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(series).toEqual(range(6).map((i) => [i, i]));
  });

  it('should throw WINDOW_TOO_LONG when the window is longer than the series', () => {
    expect(() => reshapeWindows(range(5), { length: 6 })).toThrow(
      expect.objectContaining({ code: 'WINDOW_TOO_LONG', argument: 'length' }),
    );
  });

  it('should throw INVALID_ARGUMENT for a non-integer or non-positive length', () => {
    for (const length of [2.5, 0, -1, Number.NaN]) {
      expect(() => reshapeWindows(range(5), { length })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'length' }),
      );
    }
  });

  it('should throw SHAPE_MISMATCH for ragged feature rows or a rank-3 tensor', () => {
    expect(() => reshapeWindows([[1, 2], [3], [4, 5]], { length: 1 })).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', argument: 'series' }),
    );
    const cube = tf.zeros([2, 2, 2]);
    expect(() => reshapeWindows(cube, { length: 1 })).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', argument: 'series' }),
    );
    cube.dispose();
  });
});
