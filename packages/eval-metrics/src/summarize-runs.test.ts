import { describe, expect, it } from 'vitest';
import { studentTQuantile } from './student-t';
import { summarizeRuns } from './summarize-runs';

describe('summarizeRuns', () => {
  it('uses the sample standard deviation (ddof = 1) and a Student-t interval', () => {
    const s = summarizeRuns([0.71, 0.74, 0.73]);
    expect(s.std).toBeCloseTo(0.015275252316519468, 12); // np.std(x, ddof=1)
    // scipy.stats.t.interval(0.95, 2, loc=mean, scale=std/sqrt(3))
    expect(s.ci[0]).toBeCloseTo(0.6887208363292718, 9);
    expect(s.ci[1]).toBeCloseTo(0.7646124970040613, 9);
  });

  it('gives NaN spread for a single run', () => {
    const s = summarizeRuns([0.5]);
    expect(s.mean).toBe(0.5);
    expect(s.std).toBeNaN();
    expect(s.ci[0]).toBeNaN();
  });

  it('throws on empty input, NaN, or a confidence outside (0, 1)', () => {
    expect(() => summarizeRuns([])).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => summarizeRuns([1, Number.NaN])).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }),
    );
    expect(() => summarizeRuns([1, 2], { confidence: 95 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'confidence' }),
    );
  });
});

describe('studentTQuantile', () => {
  it('matches scipy.stats.t.ppf', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174698, 8);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764451051977987, 9);
    expect(studentTQuantile(0.995, 30)).toBeCloseTo(2.749995653567353, 9);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977987, 9);
  });
});
