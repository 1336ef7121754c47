import { describe, expect, it } from 'vitest';
import { formatConfusionMatrix } from './format-confusion-matrix';

describe('formatConfusionMatrix', () => {
  it('aligns counts under class names', () => {
    const text = formatConfusionMatrix(
      [
        [120, 3],
        [7, 40],
      ],
      { labels: ['English', 'Irish'] },
    );
    expect(text).toBe(
      ['true\\pred  English  Irish', 'English        120      3', 'Irish            7     40'].join(
        '\n',
      ),
    );
  });

  it('prints fractions with the given digits and cuts long headers', () => {
    const text = formatConfusionMatrix(
      [
        [0.125, 0.875],
        [0.5, 0.5],
      ],
      { labels: ['Vietnamese', 'Portuguese'], digits: 2, maxHeaderLength: 4 },
    );
    expect(text.split('\n')).toEqual([
      'true\\pred   Viet  Port',
      'Vietnamese  0.12  0.88',
      'Portuguese  0.50  0.50',
    ]);
  });

  it('throws INVALID_ARGUMENT on a non-square matrix or wrong label count', () => {
    expect(() => formatConfusionMatrix([[1, 2]])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'matrix' }),
    );
    expect(() => formatConfusionMatrix([[1]], { labels: ['a', 'b'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'labels' }),
    );
  });
});
