import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { confusionMatrix } from './confusion-matrix';

const yTrue = [0, 1, 2, 2, 1, 0, 3, 3, 3, 1];
const yPred = [0, 2, 2, 2, 1, 1, 3, 0, 3, 1];

describe('confusionMatrix', () => {
  it('counts true labels in rows and predictions in columns (sklearn confusion_matrix)', () => {
    // sklearn.metrics.confusion_matrix(yt, yp, labels=[0, 1, 2, 3, 4])
    expect(confusionMatrix(yTrue, yPred, { labels: [0, 1, 2, 3, 4] })).toEqual([
      [1, 1, 0, 0, 0],
      [0, 2, 1, 0, 0],
      [0, 0, 2, 0, 0],
      [1, 0, 0, 2, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it('normalizes over predicted columns', () => {
    // sklearn.metrics.confusion_matrix(yt, yp, normalize='pred')
    const m = confusionMatrix(yTrue, yPred, { normalize: 'pred' });
    expect(m[0]).toEqual([0.5, 1 / 3, 0, 0]);
    expect(m[3]).toEqual([0.5, 0, 0, 1]);
  });

  it('leaves rows of absent classes at 0 when normalizing over true rows', () => {
    const m = confusionMatrix([0, 0], [0, 1], { labels: [0, 1], normalize: 'true' });
    expect(m).toEqual([
      [0.5, 0.5],
      [0, 0],
    ]);
  });

  it('accepts typed arrays, tensors and string labels', () => {
    const t = tf.tensor1d([0, 1, 1], 'int32');
    expect(confusionMatrix(t, new Float32Array([0, 1, 0]))).toEqual([
      [1, 0],
      [1, 1],
    ]);
    t.dispose();
    expect(confusionMatrix(['b', 'a'], ['a', 'a'])).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('does not mutate its inputs', () => {
    const a = [1, 0, 1];
    const b = [0, 0, 1];
    confusionMatrix(a, b, { normalize: 'all' });
    expect(a).toEqual([1, 0, 1]);
    expect(b).toEqual([0, 0, 1]);
  });

  it('throws typed errors on bad input', () => {
    expect(() => confusionMatrix([0, 1], [0])).toThrow(
      expect.objectContaining({ code: 'LENGTH_MISMATCH', argument: 'yPred' }),
    );
    expect(() => confusionMatrix([], [])).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => confusionMatrix([0, Number.NaN], [0, 1])).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE', argument: 'yTrue' }),
    );
    expect(() => confusionMatrix([0, 2], [0, 1], { labels: [0, 1] })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_LABEL', argument: 'yTrue' }),
    );
    expect(() => confusionMatrix([0, 0.5], [0, 1])).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }),
    );
    expect(() =>
      confusionMatrix([0, 1], [0, 1], { normalize: 'rows' as unknown as 'true' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'normalize' }));
    expect(() => confusionMatrix([[0, 1]] as unknown as number[], [0])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'yTrue' }),
    );
  });
});
