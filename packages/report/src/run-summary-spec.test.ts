import { summarizeRuns } from '@seqlearn/eval-metrics';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { RunSummaryData } from './load-run';
import { errorBar, runSummarySpec, type SummaryPoint } from './run-summary-spec';

// summarizeRuns([0.71, 0.74, 0.73]): mean 0.72667, std 0.015275, 95% CI [0.68872, 0.76461]
// (scipy.stats.t.interval(0.95, 2, loc=mean, scale=std/sqrt(3))).
const accuracy = summarizeRuns([0.71, 0.74, 0.73]);
const repeats = [
  { runId: 'gru-seed43', metrics: { accuracy: 0.71, loss: 0.9 } },
  { runId: 'gru-seed44', metrics: { accuracy: 0.74, loss: 0.8 } },
  { runId: 'gru-seed45', metrics: { accuracy: 0.73, loss: 0.85 } },
];
const values = (spec: ReturnType<typeof runSummarySpec>) =>
  (spec.data as { values: SummaryPoint[] }).values;

describe('runSummarySpec', () => {
  it('draws the mean with its 95% confidence interval by default', () => {
    const spec = runSummarySpec({ accuracy });
    expect(spec.title).toBe('Repeated runs: mean with 95% CI');
    const [mean] = values(spec);
    expect(mean.metric).toBe('accuracy');
    expect(mean.mean).toBeCloseTo(0.7266667, 6);
    expect(mean.low).toBeCloseTo(0.68872, 4);
    expect(mean.high).toBeCloseTo(0.76461, 4);
    expect(mean.n).toBe(3);
    expect(() => compile(spec as never)).not.toThrow();
  });

  it('draws mean ± std with interval: std', () => {
    const spec = runSummarySpec({ accuracy }, { interval: 'std' });
    expect(spec.title).toBe('Repeated runs: mean with ± std');
    const [mean] = values(spec);
    expect(mean.low).toBeCloseTo(0.7266667 - 0.0152753, 6);
    expect(mean.high).toBeCloseTo(0.7266667 + 0.0152753, 6);
  });

  it('adds each run as a dot, for the chosen metrics only', () => {
    const loss = summarizeRuns([0.9, 0.8, 0.85]);
    const spec = runSummarySpec({ accuracy, loss }, { runs: repeats, metrics: ['loss'] });
    expect(values(spec).map((v) => [v.metric, v.run ?? 'mean'])).toEqual([
      ['loss', 'mean'],
      ['loss', 'gru-seed43'],
      ['loss', 'gru-seed44'],
      ['loss', 'gru-seed45'],
    ]);
  });

  it('draws no error bar for one run (std and ci null, as read from JSON)', () => {
    const one: RunSummaryData = {
      n: 1,
      mean: 0.25,
      std: null,
      min: 0.25,
      max: 0.25,
      ci: [null, null],
      confidence: 0.95,
    };
    const spec = runSummarySpec({ val_accuracy: one });
    expect(values(spec)[0]).toEqual({ metric: 'val_accuracy', mean: 0.25, n: 1 });
    expect((spec.spec as { layer: unknown[] }).layer).toHaveLength(2);
    expect(errorBar(one, 'std')).toBeUndefined();
    expect(() => compile(spec as never)).not.toThrow();
  });

  it('throws INVALID_ARGUMENT for an unknown interval', () => {
    expect(() => runSummarySpec({ accuracy }, { interval: 'sem' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'interval' }),
    );
  });
});
