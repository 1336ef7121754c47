import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MinMaxScaler, minMaxScale } from './min-max-scale';

const SKLEARN_DATA = [
  [-1, 2],
  [-0.5, 6],
  [0, 10],
  [1, 18],
];

describe('MinMaxScaler', () => {
  it('should match scikit-learn MinMaxScaler on its documented example', () => {
    // sklearn: MinMaxScaler().fit(data): data_max_ [1., 18.]; transform(data) ->
    // [[0, 0], [0.25, 0.25], [0.5, 0.5], [1, 1]]; transform([[2, 2]]) -> [[1.5, 0.]]
    const scaler = new MinMaxScaler().fit(SKLEARN_DATA);
    expect(scaler.dataMax).toEqual([1, 18]);
    expect(scaler.transform(SKLEARN_DATA)).toEqual([
      [0, 0],
      [0.25, 0.25],
      [0.5, 0.5],
      [1, 1],
    ]);
    expect(scaler.transform([[2, 2]])).toEqual([[1.5, 0]]);
  });

  it('should map onto a featureRange and clip when asked', () => {
    const scaler = minMaxScale([0, 10], { featureRange: [-1, 1], clip: true });
    expect(scaler.transform([5, 20, -10])).toEqual([0, 1, -1]);
  });

  it('should apply the training range to test data without clipping by default', () => {
    expect(minMaxScale([10, 20, 30]).transform([15, 40])).toEqual([0.25, 1.5]);
  });

  it('should give a constant feature a range of 1', () => {
    expect(minMaxScale([3, 3]).transform([3, 4])).toEqual([0, 1]);
  });

  it('should transform tensors to tensors of the same shape and invert', () => {
    const t = tf.tensor3d([0, 10, 2, 20, 4, 30], [1, 3, 2]);
    const scaler = minMaxScale(t);
    const before = tf.memory().numTensors;
    const out = scaler.transform(t);
    expect(out.shape).toEqual([1, 3, 2]);
    expect(out.arraySync()).toEqual([
      [
        [0, 0],
        [0.5, 0.5],
        [1, 1],
      ],
    ]);
    const back = scaler.inverseTransform(out);
    expect(back.arraySync()).toEqual(t.arraySync());
    tf.dispose([out, back]);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('should survive toJSON / fromJSON', () => {
    const scaler = minMaxScale(SKLEARN_DATA, { featureRange: [0, 2] });
    const copy = MinMaxScaler.fromJSON(JSON.stringify(scaler));
    expect(copy.featureRange).toEqual([0, 2]);
    expect(copy.transform([[0, 10]])).toEqual(scaler.transform([[0, 10]]));
    expect(scaler.toJSON()).toEqual({
      kind: 'MinMaxScaler',
      featureRange: [0, 2],
      clip: false,
      dataMin: [-1, 2],
      dataMax: [1, 18],
    });
  });

  it('should throw INVALID_ARGUMENT for a featureRange whose min is not below its max', () => {
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'featureRange' }),
    );
  });

  it('should throw NOT_FITTED, SHAPE_MISMATCH and BAD_JSON where due', () => {
    expect(() => new MinMaxScaler().transform([1])).toThrow(
      expect.objectContaining({ code: 'NOT_FITTED' }),
    );
    expect(() => minMaxScale([[1, 2]]).transform([1, 2])).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
    expect(() =>
      MinMaxScaler.fromJSON({
        kind: 'MinMaxScaler',
        featureRange: [0, 1],
        clip: false,
        dataMin: [0],
        dataMax: [],
      }),
    ).toThrow(expect.objectContaining({ code: 'BAD_JSON', argument: 'dataMax' }));
  });
});
