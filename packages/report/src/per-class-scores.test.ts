import { describe, expect, it } from 'vitest';
import { perClassScores } from './per-class-scores';

describe('perClassScores', () => {
  it('matches scikit-learn’s classification_report for the eval-metrics README example', () => {
    // y_true = [0,0,0,0,1,1,2,2], y_pred = [0,0,0,1,1,1,2,0]; classification_report(...,
    // output_dict=True) in scikit-learn 1.2 gives these figures.
    const scores = perClassScores({
      labels: ['Czech', 'Greek', 'Irish'],
      matrix: [
        [3, 1, 0],
        [0, 2, 0],
        [1, 0, 1],
      ],
    });
    expect(scores.classes.map((c) => c.label)).toEqual(['Czech', 'Greek', 'Irish']);
    const get = (k: 'precision' | 'recall' | 'f1' | 'support') => scores.classes.map((c) => c[k]);
    expect(get('precision')).toEqual([0.75, 2 / 3, 1]);
    expect(get('recall')).toEqual([0.75, 1, 0.5]);
    expect(get('f1')[0]).toBeCloseTo(0.75, 12);
    expect(get('f1')[1]).toBeCloseTo(0.8, 12);
    expect(get('f1')[2]).toBeCloseTo(2 / 3, 12);
    expect(get('support')).toEqual([4, 2, 2]);
    expect(scores.accuracy).toBe(0.75);
    expect(scores.macro.precision).toBeCloseTo(0.8055555555555555, 12);
    expect(scores.macro.recall).toBeCloseTo(0.75, 12);
    expect(scores.macro.f1).toBeCloseTo(0.7388888888888889, 12);
    expect(scores.weighted.precision).toBeCloseTo(0.7916666666666666, 12);
    expect(scores.weighted.f1).toBeCloseTo(0.7416666666666667, 12);
    expect(scores.macro.support).toBe(8);
  });

  it('scores 0 for a class never predicted and one never true (zero_division=0)', () => {
    const scores = perClassScores({
      labels: ['a', 'b', 'c'],
      matrix: [
        [2, 1, 0],
        [0, 0, 0],
        [1, 0, 0],
      ],
    });
    expect(scores.classes[1]).toEqual({ label: 'b', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(scores.classes[2]).toEqual({ label: 'c', precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('throws INVALID_ARGUMENT for a matrix of zeros or a bad shape', () => {
    expect(() =>
      perClassScores({
        labels: ['a', 'b'],
        matrix: [
          [0, 0],
          [0, 0],
        ],
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'confusionMatrix' }));
    expect(() => perClassScores({ labels: ['a', 'b'], matrix: [[1, 0]] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
