import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './stratified-split';

/** Per-language counts of the 20,074 surnames in /work/shared/datasets/names (18 classes). */
const NAMES_COUNTS: Record<string, number> = {
  Arabic: 2000,
  Chinese: 268,
  Czech: 519,
  Dutch: 297,
  English: 3668,
  French: 277,
  German: 724,
  Greek: 203,
  Irish: 232,
  Italian: 709,
  Japanese: 991,
  Korean: 94,
  Polish: 139,
  Portuguese: 74,
  Russian: 9408,
  Scottish: 100,
  Spanish: 298,
  Vietnamese: 73,
};

function labelsFromCounts(counts: Record<string, number>): string[] {
  return Object.entries(counts).flatMap(([label, c]) => Array<string>(c).fill(label));
}

function countBy<T>(items: readonly T[]): Map<T, number> {
  const out = new Map<T, number>();
  for (const item of items) out.set(item, (out.get(item) ?? 0) + 1);
  return out;
}

describe('stratifiedSplit', () => {
  it('should keep each class share within one sample on the names class counts', () => {
    const labels = labelsFromCounts(NAMES_COUNTS);
    const n = labels.length;
    const { trainIndices, testIndices } = stratifiedSplit(labels, { testSize: 0.2, seed: 42 });
    expect(n).toBe(20074);
    expect(testIndices).toHaveLength(4015); // ceil(0.2 * 20074), as scikit-learn
    expect(trainIndices).toHaveLength(16059);
    const testCounts = countBy(testIndices.map((i) => labels[i]));
    for (const [label, c] of Object.entries(NAMES_COUNTS)) {
      const ideal = (c * 4015) / n;
      expect(Math.abs((testCounts.get(label) ?? 0) - ideal)).toBeLessThan(1);
    }
    expect(new Set([...trainIndices, ...testIndices]).size).toBe(n);
  });

  it('should put every class with two or more members in both parts, even rare ones', () => {
    const counts = { common: 970, rare: 2, scarce: 3, few: 5, single: 1 };
    const labels = labelsFromCounts(counts);
    for (let seed = 0; seed < 20; seed++) {
      const { trainIndices, testIndices } = stratifiedSplit(labels, { testSize: 0.1, seed });
      const train = countBy(trainIndices.map((i) => labels[i]));
      const test = countBy(testIndices.map((i) => labels[i]));
      for (const label of ['common', 'rare', 'scarce', 'few']) {
        expect(train.get(label)).toBeGreaterThan(0);
        expect(test.get(label)).toBeGreaterThan(0);
      }
      expect(train.get('single')).toBe(1); // a class of one member stays in the train part
      expect(testIndices).toHaveLength(Math.ceil(0.1 * 981));
    }
  });

  it('should be reproducible with a seed and differ between seeds', () => {
    const labels = labelsFromCounts({ a: 30, b: 10, c: 5 });
    const a = stratifiedSplit(labels, { seed: 1 });
    expect(stratifiedSplit(labels, { seed: 1 })).toEqual(a);
    expect(stratifiedSplit(labels, { seed: 2 })).not.toEqual(a);
  });

  it('should keep exact sizes, disjoint parts and both-sided classes for any class counts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.integer(),
        (classCounts, testSize, seed) => {
          const labels = classCounts.flatMap((c, k) => Array<number>(c).fill(k));
          const n = labels.length;
          const nTest = Math.ceil(testSize * n);
          const shared = classCounts.filter((c) => c >= 2).length;
          const room = classCounts.reduce((a, c) => a + (c >= 2 ? c - 1 : 0), 0);
          fc.pre(nTest < n && nTest >= shared && n - nTest >= shared && nTest <= room);
          const { trainIndices, testIndices } = stratifiedSplit(labels, { testSize, seed });
          expect(testIndices).toHaveLength(nTest);
          expect(trainIndices).toHaveLength(n - nTest);
          expect(new Set([...trainIndices, ...testIndices]).size).toBe(n);
          const test = countBy(testIndices.map((i) => labels[i]));
          const train = countBy(trainIndices.map((i) => labels[i]));
          classCounts.forEach((c, k) => {
            if (c >= 2) {
              expect(test.get(k)).toBeGreaterThan(0);
              expect(train.get(k)).toBeGreaterThan(0);
            }
          });
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });

  it('should accept label tensors and one-hot rows', () => {
    const ids = [0, 0, 0, 0, 1, 1, 1, 1];
    const oneHot = ids.map((k) => (k === 0 ? [1, 0] : [0, 1]));
    const fromArray = stratifiedSplit(ids, { testSize: 0.5, seed: 4 });
    const t = tf.tensor1d(ids, 'int32');
    const t2 = tf.tensor2d(oneHot);
    expect(stratifiedSplit(t, { testSize: 0.5, seed: 4 })).toEqual(fromArray);
    expect(stratifiedSplit(oneHot, { testSize: 0.5, seed: 4 })).toEqual(fromArray);
    expect(stratifiedSplit(t2, { testSize: 0.5, seed: 4 })).toEqual(fromArray);
    tf.dispose([t, t2]);
    expect(countBy(fromArray.testIndices.map((i) => ids[i]))).toEqual(
      new Map([
        [0, 2],
        [1, 2],
      ]),
    );
  });

  it('should not mutate the labels', () => {
    const labels = ['x', 'y', 'x', 'y', 'x', 'y'];
    stratifiedSplit(labels, { testSize: 2, seed: 1 });
    expect(labels).toEqual(['x', 'y', 'x', 'y', 'x', 'y']);
  });

  it('should throw INVALID_ARGUMENT when the test part cannot hold one sample per class', () => {
    // sklearn: "The test_size = 2 should be greater or equal to the number of classes = 3".
    const labels = labelsFromCounts({ a: 10, b: 10, c: 10 });
    expect(() => stratifiedSplit(labels, { testSize: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'testSize' }),
    );
    expect(() => stratifiedSplit(['a', 'b', 'c', 'd'], { testSize: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'testSize' }),
    );
  });
});

const namesDir = '/work/shared/datasets/names';

describe.skipIf(!existsSync(namesDir))('stratifiedSplit on the real names data', () => {
  it('should keep the language shares of the 20,074 surnames in both parts', () => {
    const labels: string[] = [];
    for (const file of readdirSync(namesDir).filter((f) => f.endsWith('.txt'))) {
      const lines = readFileSync(join(namesDir, file), 'utf8').split('\n').filter(Boolean);
      labels.push(...lines.map(() => file.replace(/\.txt$/, '')));
    }
    const { trainIndices, testIndices } = stratifiedSplit(labels, { testSize: 0.2, seed: 0 });
    const all = countBy(labels);
    const test = countBy(testIndices.map((i) => labels[i]));
    const train = countBy(trainIndices.map((i) => labels[i]));
    expect(all.size).toBe(18);
    for (const [label, c] of all) {
      expect(
        Math.abs((test.get(label) ?? 0) / testIndices.length - c / labels.length),
      ).toBeLessThan(1 / testIndices.length);
      expect(train.get(label)).toBeGreaterThan(0);
    }
  });
});
