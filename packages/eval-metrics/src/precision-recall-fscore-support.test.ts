import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  f1,
  fbeta,
  precision,
  precisionRecallFscoreSupport,
  recall,
} from './precision-recall-fscore-support';

afterEach(() => {
  vi.restoreAllMocks();
});

const yTrue = ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'];
const yPred = ['cat', 'pig', 'dog', 'cat', 'cat', 'dog'];

describe('precisionRecallFscoreSupport', () => {
  it('returns per-class scores by default (sklearn average=None)', () => {
    // sklearn: (array([0.667, 0, 0]), array([1, 0, 0]), array([0.8, 0, 0]), array([2, 2, 2]))
    const r = precisionRecallFscoreSupport(yTrue, yPred);
    expect(r.precision[0]).toBeCloseTo(2 / 3, 12);
    expect(r.recall).toEqual([1, 0, 0]);
    expect(r.fScore[0]).toBeCloseTo(0.8, 12);
    expect(r.support).toEqual([2, 2, 2]);
  });

  it('averages with macro, micro and weighted', () => {
    expect(precisionRecallFscoreSupport(yTrue, yPred, { average: 'macro' }).fScore).toBeCloseTo(
      0.26666666666666666,
      12,
    );
    expect(precisionRecallFscoreSupport(yTrue, yPred, { average: 'micro' }).fScore).toBeCloseTo(
      1 / 3,
      12,
    );
    expect(precisionRecallFscoreSupport(yTrue, yPred, { average: 'weighted' }).support).toBe(
      undefined,
    );
  });

  it('throws INVALID_ARGUMENT on an unknown average', () => {
    expect(() =>
      precisionRecallFscoreSupport(yTrue, yPred, { average: 'samples' as unknown as 'macro' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'average' }));
  });
});

describe('recall', () => {
  it('gives per-class recall with average none, in labels order', () => {
    // sklearn.metrics.recall_score(yt, yp, average=None, labels=[0,1,2,3,4], zero_division=0)
    const yt = [0, 1, 2, 2, 1, 0, 3, 3, 3, 1];
    const yp = [0, 2, 2, 2, 1, 1, 3, 0, 3, 1];
    expect(recall(yt, yp, { average: 'none', labels: [0, 1, 2, 3, 4], zeroDivision: 0 })).toEqual([
      0.5,
      2 / 3,
      1,
      2 / 3,
      0,
    ]);
  });

  it('defaults to binary with posLabel 1 and refuses multiclass targets there', () => {
    expect(recall([0, 1, 1, 0], [0, 1, 0, 0])).toBe(0.5);
    expect(recall([0, 1, 1, 0], [0, 1, 0, 0], { posLabel: 0 })).toBe(1);
    expect(() => recall([0, 1, 2], [0, 1, 2])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'average' }),
    );
  });

  it("warns and scores 0 for a class never true under zeroDivision 'warn'", () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(recall([0, 0], [0, 1], { average: 'none', labels: [0, 1] })).toEqual([0.5, 0]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('precision, f1 and fbeta', () => {
  it('match sklearn on a small multiclass case', () => {
    const yt = [0, 1, 2, 0, 1, 2];
    const yp = [0, 2, 1, 0, 0, 1];
    expect(precision(yt, yp, { average: 'none' })[0]).toBeCloseTo(2 / 3, 12);
    // sklearn.metrics.f1_score(yt, yp, average='macro') == 0.26666666666666666
    expect(f1(yt, yp, { average: 'macro' })).toBeCloseTo(0.26666666666666666, 12);
    // sklearn.metrics.fbeta_score(yt, yp, beta=0.5, average='macro') == 0.23809523809523805
    expect(fbeta(yt, yp, { beta: 0.5, average: 'macro' })).toBeCloseTo(0.23809523809523805, 12);
  });
});

describe('zeroDivision', () => {
  it('NaN marks ill-defined scores and leaves them out of averages (scikit-learn >= 1.3)', () => {
    const perClass = recall([0, 0], [0, 1], { average: 'none', labels: [0, 1], zeroDivision: NaN });
    expect(perClass[0]).toBe(0.5);
    expect(perClass[1]).toBeNaN();
    expect(recall([0, 0], [0, 1], { average: 'macro', zeroDivision: Number.NaN })).toBe(0.5);
  });

  it('1 scores ill-defined classes as perfect, without a warning', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(recall([0, 0], [0, 1], { average: 'none', zeroDivision: 1 })).toEqual([0.5, 1]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('rejects other values', () => {
    expect(() => recall([0, 1], [0, 1], { zeroDivision: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'zeroDivision' }),
    );
  });
});

describe('input checks', () => {
  it('throws UNKNOWN_LABEL for a prediction outside labels and leaves inputs untouched', () => {
    const yt = [0, 1, 1];
    const yp = [0, 1, 2];
    expect(() => f1(yt, yp, { average: 'macro', labels: [0, 1] })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_LABEL', argument: 'yPred' }),
    );
    f1(yt, yp, { average: 'macro' });
    expect(yt).toEqual([0, 1, 1]);
    expect(yp).toEqual([0, 1, 2]);
  });
});
