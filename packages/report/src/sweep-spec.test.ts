import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { RunData } from './load-run';
import { sweepSpec } from './sweep-spec';

const runs: Pick<RunData, 'runId' | 'metrics'>[] = [
  { runId: 'simplernn8', metrics: { val_accuracy: 0.4166666666666667 } },
  { runId: 'lstm8', metrics: { val_accuracy: 0.2916666666666667 } },
  { runId: 'broken', metrics: { val_accuracy: null } },
  { runId: 'gru8', metrics: { test_accuracy: 0.41 } },
];

describe('sweepSpec', () => {
  it('has one bar per run with the metric, in run order, the best flagged', () => {
    const spec = sweepSpec(runs, { metric: 'val_accuracy', bestId: 'simplernn8' });
    expect(spec.title).toBe('val_accuracy per setting');
    expect((spec.data as { values: unknown[] }).values).toEqual([
      { run: 'simplernn8', value: 0.4166666666666667, best: true },
      { run: 'lstm8', value: 0.2916666666666667, best: false },
    ]);
    expect(() => compile(spec as never)).not.toThrow();
  });

  it('flags no run without bestId, and takes title and width', () => {
    const spec = sweepSpec(runs, { metric: 'val_accuracy', title: 'T', width: 200 });
    expect(spec).toMatchObject({ title: 'T', width: 200 });
    expect((spec.data as { values: { best: boolean }[] }).values.some((v) => v.best)).toBe(false);
  });

  it('throws INVALID_ARGUMENT without a metric', () => {
    expect(() => sweepSpec(runs, { metric: undefined as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'metric' }),
    );
  });
});
