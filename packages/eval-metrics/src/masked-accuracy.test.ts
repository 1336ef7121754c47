import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { lastKAccuracy, maskedAccuracy } from './masked-accuracy';

describe('maskedAccuracy', () => {
  it('grades only the positions the mask selects', () => {
    expect(
      maskedAccuracy(
        [
          [1, 2, 0],
          [3, 3, 0],
        ],
        [
          [1, 1, 2],
          [3, 3, 3],
        ],
        [
          [1, 1, 0],
          [1, 1, 0],
        ],
      ),
    ).toBe(0.75);
  });

  it('takes the argmax of scores with one more axis, from tensors', () => {
    const scores = tf.tensor3d([
      [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
    ]);
    expect(maskedAccuracy([[0, 0]], scores, [[1, 1]])).toBe(0.5);
    scores.dispose();
  });

  it('throws EMPTY_INPUT when the mask selects nothing and LENGTH_MISMATCH on shapes', () => {
    expect(() => maskedAccuracy([[1]], [[1]], [[0]])).toThrow(
      expect.objectContaining({ code: 'EMPTY_INPUT', argument: 'mask' }),
    );
    expect(() => maskedAccuracy([[1, 2]], [[1]], [[1, 1]])).toThrow(
      expect.objectContaining({ code: 'LENGTH_MISMATCH', argument: 'yPred' }),
    );
  });
});

describe('lastKAccuracy', () => {
  it('grades the last k steps of each sequence', () => {
    const yTrue = [
      [0, 0, 1, 2],
      [0, 0, 3, 4],
    ];
    const yPred = [
      [9, 9, 1, 2],
      [9, 9, 3, 0],
    ];
    expect(lastKAccuracy(yTrue, yPred, 2)).toBe(0.75);
    expect(lastKAccuracy(yTrue, yPred, 1)).toBe(0.5);
  });

  it('throws INVALID_ARGUMENT when k exceeds the steps', () => {
    expect(() => lastKAccuracy([[1, 2]], [[1, 2]], 3)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'k' }),
    );
  });
});
