import { describe, expect, it } from 'vitest';
import { classificationReport } from './classification-report';

const yTrue = [0, 1, 2, 2, 2];
const yPred = [0, 0, 2, 2, 1];

describe('classificationReport', () => {
  it("lays out the text as scikit-learn's classification_report", () => {
    // sklearn.metrics.classification_report(y_true, y_pred, target_names=['class 0', 'class 1', 'class 2'])
    expect(
      classificationReport(yTrue, yPred, { targetNames: ['class 0', 'class 1', 'class 2'] }),
    ).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '     class 0       0.50      1.00      0.67         1',
        '     class 1       0.00      0.00      0.00         1',
        '     class 2       1.00      0.67      0.80         3',
        '',
        '    accuracy                           0.60         5',
        '   macro avg       0.50      0.56      0.49         5',
        'weighted avg       0.70      0.60      0.61         5',
        '',
      ].join('\n'),
    );
  });

  it('returns the output_dict form with outputDict', () => {
    const report = classificationReport(yTrue, yPred, { outputDict: true });
    expect(Object.keys(report)).toEqual(['0', '1', '2', 'accuracy', 'macro avg', 'weighted avg']);
    expect(report.accuracy).toBe(0.6);
    expect(report['macro avg'].recall).toBeCloseTo(0.5555555555555555, 12);
  });

  it('throws INVALID_ARGUMENT when targetNames does not match the labels', () => {
    expect(() => classificationReport(yTrue, yPred, { targetNames: ['a', 'b'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'targetNames' }),
    );
  });
});
