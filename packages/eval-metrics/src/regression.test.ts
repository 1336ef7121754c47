import { describe, expect, it } from 'vitest';
import { meanAbsoluteError } from './mean-absolute-error';
import { meanSquaredError, rootMeanSquaredError } from './mean-squared-error';
import { r2Score } from './r2-score';

const yTrue = [3, -0.5, 2, 7];
const yPred = [2.5, 0, 2, 8];

describe('regression metrics', () => {
  it('match the scikit-learn docstring examples', () => {
    expect(meanSquaredError(yTrue, yPred)).toBe(0.375);
    expect(rootMeanSquaredError(yTrue, yPred)).toBeCloseTo(0.6123724356957945, 12);
    expect(meanAbsoluteError(yTrue, yPred)).toBe(0.5);
    expect(r2Score(yTrue, yPred)).toBeCloseTo(0.9486081370449679, 12);
  });

  it('return one score per output with raw_values', () => {
    // sklearn.metrics.mean_absolute_error([[0.5,1],[-1,1],[7,-6]], [[0,2],[-1,2],[8,-5]], multioutput='raw_values')
    expect(
      meanAbsoluteError(
        [
          [0.5, 1],
          [-1, 1],
          [7, -6],
        ],
        [
          [0, 2],
          [-1, 2],
          [8, -5],
        ],
        { multioutput: 'raw_values' },
      ),
    ).toEqual([0.5, 1]);
  });

  it('throw LENGTH_MISMATCH on different shapes and INVALID_VALUE on NaN', () => {
    expect(() => meanSquaredError([1, 2], [1])).toThrow(
      expect.objectContaining({ code: 'LENGTH_MISMATCH', argument: 'yPred' }),
    );
    expect(() => meanSquaredError([1, Number.NaN], [1, 2])).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE', argument: 'yTrue' }),
    );
    expect(() => r2Score([], [])).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
  });
});
