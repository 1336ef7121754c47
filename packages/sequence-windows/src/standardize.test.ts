import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Scaled } from './scaler-data';
import { StandardScaler, standardize } from './standardize';

describe('StandardScaler', () => {
  it('should match scikit-learn StandardScaler on its documented example', () => {
    // sklearn: StandardScaler().fit([[0, 0], [0, 0], [1, 1], [1, 1]]): mean_ [0.5, 0.5],
    // scale_ [0.5, 0.5]; transform([[2, 2]]) -> [[3., 3.]]
    const scaler = new StandardScaler().fit([
      [0, 0],
      [0, 0],
      [1, 1],
      [1, 1],
    ]);
    expect(scaler.mean).toEqual([0.5, 0.5]);
    expect(scaler.scale).toEqual([0.5, 0.5]);
    expect(scaler.transform([[2, 2]])).toEqual([[3, 3]]);
  });

  it('should apply the training statistics to test data', () => {
    const scaler = standardize([0, 2, 4, 6]); // mean 3, population std sqrt(5)
    const out = scaler.transform([3, 8]);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(5 / Math.sqrt(5), 12);
  });

  it('should pool examples and steps of [examples, steps, features] windows per feature', () => {
    const windows = [
      [
        [1, 100],
        [3, 300],
      ],
      [
        [5, 500],
        [7, 700],
      ],
    ];
    const scaler = standardize(windows);
    expect(scaler.mean).toEqual([4, 400]);
    const out = scaler.transform(windows);
    expect(out[1][1][0]).toBeCloseTo(3 / Math.sqrt(5), 12);
    expect(out[1][1][1]).toBeCloseTo(3 / Math.sqrt(5), 12);
  });

  it('should return the form of its input: tensor, Float64Array, Float32Array', () => {
    const t = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const scaler = standardize(t);
    const out = scaler.transform(t);
    expect(out.shape).toEqual([2, 2, 2]);
    const f64 = standardize([1, 3]).transform(Float64Array.from([2, 5]));
    expect(f64).toBeInstanceOf(Float64Array);
    expect(Array.from(f64)).toEqual([0, 3]);
    const one = standardize(Float32Array.from([1, 2, 3]));
    expect(one.transform(Float32Array.from([2]))).toEqual(Float32Array.from([0]));
    tf.dispose([t, out]);
  });

  it('should type its output after its input (checked by tsc)', () => {
    const scaler = standardize([[1, 2]]);
    expectTypeOf(scaler.transform([[1, 2]])).toEqualTypeOf<number[][]>();
    expectTypeOf<Scaled<Float64Array>>().toEqualTypeOf<Float64Array>();
    expectTypeOf<Scaled<Int32Array>>().toEqualTypeOf<Float32Array>();
    expectTypeOf<Scaled<tf.Tensor3D>>().toEqualTypeOf<tf.Tensor3D>();
    expectTypeOf<Scaled<number[][][]>>().toEqualTypeOf<number[][][]>();
    expectTypeOf<Scaled<readonly Float32Array[]>>().toEqualTypeOf<number[][]>();
  });

  it('should give constant features a scale of 1', () => {
    const scaler = standardize([
      [5, 1],
      [5, 3],
    ]);
    expect(scaler.scale).toEqual([1, 1]);
    expect(scaler.transform([[6, 2]])).toEqual([[1, 0]]);
  });

  it('should skip centring or scaling with withMean / withStd false', () => {
    expect(standardize([0, 2], { withMean: false }).transform([2])).toEqual([2]);
    expect(standardize([0, 2], { withStd: false }).transform([2])).toEqual([1]);
  });

  it('should round-trip through inverseTransform for any data', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -1e3, max: 1e3, noNaN: true }),
            fc.double({ min: -1e3, max: 1e3, noNaN: true }),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        (rows) => {
          const scaler = standardize(rows);
          const back = scaler.inverseTransform(scaler.transform(rows));
          back.forEach((row, i) => {
            row.forEach((v, f) => {
              expect(v).toBeCloseTo(rows[i][f], 6);
            });
          });
        },
      ),
      { seed: 10 },
    );
  });

  it('should survive toJSON / fromJSON, as an object or as text', () => {
    const scaler = standardize([
      [1, 10],
      [3, 30],
    ]);
    const json = scaler.toJSON();
    expect(json).toEqual({
      kind: 'StandardScaler',
      withMean: true,
      withStd: true,
      mean: [2, 20],
      var: [1, 100],
      scale: [1, 10],
      nSamplesSeen: 2,
    });
    for (const copy of [
      StandardScaler.fromJSON(json),
      StandardScaler.fromJSON(JSON.stringify(scaler)),
    ]) {
      expect(copy.transform([[2, 50]])).toEqual([[0, 3]]);
    }
  });

  it('should not mutate its input', () => {
    const rows = [
      [1, 2],
      [3, 4],
    ];
    standardize(rows).transform(rows);
    expect(rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('should throw NOT_FITTED before fit and SHAPE_MISMATCH for another feature count', () => {
    expect(() => new StandardScaler().transform([1])).toThrow(
      expect.objectContaining({ code: 'NOT_FITTED' }),
    );
    expect(() => standardize([[1, 2]]).transform([[1, 2, 3]])).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', argument: 'x' }),
    );
  });

  it('should throw SHAPE_MISMATCH for ragged rows and BAD_JSON for malformed JSON', () => {
    expect(() => standardize([[1, 2], [3]])).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
    expect(() => StandardScaler.fromJSON('{')).toThrow(
      expect.objectContaining({ code: 'BAD_JSON' }),
    );
    expect(() => StandardScaler.fromJSON({ kind: 'MinMaxScaler' } as never)).toThrow(
      expect.objectContaining({ code: 'BAD_JSON', argument: 'kind' }),
    );
    expect(() =>
      StandardScaler.fromJSON({
        kind: 'StandardScaler',
        withMean: true,
        withStd: true,
        mean: [1],
        var: [1, 2],
        scale: [1],
        nSamplesSeen: 1,
      }),
    ).toThrow(expect.objectContaining({ code: 'BAD_JSON', argument: 'var' }));
  });
});
