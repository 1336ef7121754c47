import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logLoss } from './log-loss';
import { rocAuc } from './roc-auc';
import { topKAccuracy } from './top-k-accuracy';

afterEach(() => {
  vi.restoreAllMocks();
});

const yScore = [
  [0.5, 0.2, 0.3],
  [0.3, 0.4, 0.3],
  [0.2, 0.4, 0.4],
  [0.7, 0.2, 0.1],
];

describe('topKAccuracy', () => {
  it('counts the true class among the k best scores (sklearn top_k_accuracy_score)', () => {
    // top_k_accuracy_score([0,1,2,2], y_score, k=1) == 0.75: on the tie of row 2 the later class ranks first
    expect(topKAccuracy([0, 1, 2, 2], yScore, { k: 1 })).toBe(0.75);
    expect(topKAccuracy([0, 1, 1, 2], yScore, { k: 1 })).toBe(0.5);
  });

  it('reads a 2-D tensor of scores without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const t = tf.tensor2d(yScore);
    expect(topKAccuracy([0, 1, 2, 2], t, { k: 1 })).toBe(0.75);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('throws when the score columns do not match the classes, or k is not positive', () => {
    expect(() => topKAccuracy([0, 1, 1, 1], yScore)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'yScore' }),
    );
    expect(() => topKAccuracy([0, 1, 2, 2], yScore, { k: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'k' }),
    );
  });
});

describe('logLoss', () => {
  it('matches sklearn log_loss on string labels', () => {
    // sklearn.metrics.log_loss(['spam','ham','ham','spam'], [[.1,.9],[.9,.1],[.8,.2],[.35,.65]])
    expect(
      logLoss(
        ['spam', 'ham', 'ham', 'spam'],
        [
          [0.1, 0.9],
          [0.9, 0.1],
          [0.8, 0.2],
          [0.35, 0.65],
        ],
      ),
    ).toBeCloseTo(0.21616187468057912, 12);
  });

  it('needs labels when yTrue holds a single class', () => {
    expect(() => logLoss([1, 1], [0.2, 0.7])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'yTrue' }),
    );
    expect(logLoss([1, 1], [0.5, 0.5], { labels: [0, 1] })).toBeCloseTo(Math.LN2, 12);
  });

  it('throws INVALID_VALUE on NaN probabilities', () => {
    expect(() => logLoss([0, 1], [0.2, Number.NaN])).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE', argument: 'yPred' }),
    );
  });
});

describe('rocAuc', () => {
  it('matches sklearn roc_auc_score on binary scores', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });

  it('scores ties as half', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
  });

  it("refuses multiclass targets unless multiClass is 'ovr', as scikit-learn's default does", () => {
    const probs = [
      [0.7, 0.2, 0.1],
      [0.2, 0.5, 0.3],
      [0.1, 0.3, 0.6],
    ];
    expect(() => rocAuc([0, 1, 2], probs)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'multiClass' }),
    );
    expect(rocAuc([0, 1, 2], probs, { multiClass: 'ovr' })).toBe(1);
  });

  it('throws when yTrue holds one class only, or multiclass rows do not sum to 1', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'yTrue' }),
    );
    expect(() =>
      rocAuc(
        [0, 1, 2],
        [
          [1, 1, 1],
          [0, 1, 0],
          [0, 0, 1],
        ],
        { multiClass: 'ovr' },
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'yScore' }));
  });
});
