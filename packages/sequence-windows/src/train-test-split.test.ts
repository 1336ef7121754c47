import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trainTestSplit } from './train-test-split';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('trainTestSplit', () => {
  it('should round a fractional testSize up, as scikit-learn does', () => {
    // sklearn: train_test_split(range(10), test_size=0.25) -> 7 train, 3 test (ceil(2.5)).
    const { trainIndices, testIndices } = trainTestSplit(10, { testSize: 0.25, seed: 0 });
    expect(testIndices).toHaveLength(3);
    expect(trainIndices).toHaveLength(7);
    // sklearn: test_size=0.2 on the 20,074 names -> ceil(4014.8) = 4015 test.
    expect(trainTestSplit(20074, { testSize: 0.2, seed: 0 }).testIndices).toHaveLength(4015);
  });

  it('should default to testSize 0.25', () => {
    expect(trainTestSplit(9, { seed: 1 }).testIndices).toHaveLength(3); // ceil(2.25)
  });

  it('should take an integer testSize as a count', () => {
    expect(trainTestSplit(10, { testSize: 1, seed: 1 }).testIndices).toHaveLength(1);
    expect(trainTestSplit(10, { testSize: 4, seed: 1 }).trainIndices).toHaveLength(6);
  });

  it('should round a fractional trainSize down and leave the rest out when both are given', () => {
    const { trainIndices, testIndices } = trainTestSplit(10, {
      trainSize: 0.55,
      testSize: 2,
      seed: 1,
    });
    expect(trainIndices).toHaveLength(5); // floor(5.5)
    expect(testIndices).toHaveLength(2);
  });

  it('should keep the input order without shuffling', () => {
    expect(trainTestSplit(10, { testSize: 0.25, shuffle: false })).toEqual({
      trainIndices: [0, 1, 2, 3, 4, 5, 6],
      testIndices: [7, 8, 9],
    });
  });

  it('should be reproducible with a seed and differ between seeds', () => {
    const a = trainTestSplit(100, { seed: 5 });
    expect(trainTestSplit(100, { seed: 5 })).toEqual(a);
    expect(trainTestSplit(100, { seed: 6 })).not.toEqual(a);
  });

  it('should take the sample count from an array or a tensor', () => {
    expect(trainTestSplit(range(8), { seed: 1 }).testIndices).toHaveLength(2);
    const x = tf.zeros([12, 3, 2]);
    expect(trainTestSplit(x, { seed: 1 }).testIndices).toHaveLength(3);
    x.dispose();
  });

  it('should return disjoint parts that cover every index for any size and seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer(),
        (n, testSize, seed) => {
          const nTest = Math.ceil(testSize * n);
          fc.pre(nTest < n);
          const { trainIndices, testIndices } = trainTestSplit(n, { testSize, seed });
          expect(testIndices).toHaveLength(nTest);
          expect([...trainIndices, ...testIndices].sort((a, b) => a - b)).toEqual(range(n));
        },
      ),
      { seed: 2 },
    );
  });

  it('should throw INVALID_ARGUMENT for sizes out of range', () => {
    for (const testSize of [0, -0.1, 1.5, 10, 11, Number.NaN]) {
      expect(() => trainTestSplit(10, { testSize })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'testSize' }),
      );
    }
    expect(() => trainTestSplit(10, { trainSize: 0.7, testSize: 0.4 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => trainTestSplit(-1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'n' }),
    );
  });

  it('should throw INVALID_ARGUMENT when the train part would be empty', () => {
    // sklearn: train_test_split(range(1), test_size=0.5) raises (train set empty).
    expect(() => trainTestSplit(1, { testSize: 0.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'testSize' }),
    );
  });

  it('should stratify when given labels', () => {
    const labels = [...Array(80).fill('a'), ...Array(20).fill('b')];
    const { testIndices } = trainTestSplit(100, { testSize: 0.2, seed: 3, stratify: labels });
    expect(testIndices.filter((i) => labels[i] === 'b')).toHaveLength(4);
    expect(testIndices.filter((i) => labels[i] === 'a')).toHaveLength(16);
  });

  it('should stratify both parts when trainSize and testSize leave samples out', () => {
    const labels = [...Array(60).fill(0), ...Array(30).fill(1), ...Array(10).fill(2)];
    const { trainIndices, testIndices } = trainTestSplit(100, {
      trainSize: 0.5,
      testSize: 0.2,
      seed: 8,
      stratify: labels,
    });
    const count = (idx: number[], k: number) => idx.filter((i) => labels[i] === k).length;
    expect([0, 1, 2].map((k) => count(trainIndices, k))).toEqual([30, 15, 5]);
    expect([0, 1, 2].map((k) => count(testIndices, k))).toEqual([12, 6, 2]);
    expect(new Set([...trainIndices, ...testIndices]).size).toBe(70);
  });

  it('should refuse stratify without shuffling or with the wrong number of labels', () => {
    expect(() => trainTestSplit(4, { stratify: [0, 0, 1, 1], shuffle: false })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'stratify' }),
    );
    expect(() => trainTestSplit(5, { stratify: [0, 0, 1, 1] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'stratify' }),
    );
  });
});
