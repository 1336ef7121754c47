import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import {
  type HistoryRun,
  learningCurveData,
  learningCurveMetrics,
  learningCurveSpec,
} from './learning-curve-spec';

// Two runs of the har quick sweep (tfjs History.history, 2 epochs).
const runs: HistoryRun[] = [
  {
    runId: 'lstm8',
    history: {
      loss: [1.8183568318684895, 1.7141307989756267],
      accuracy: [0.22916666666666666, 0.3125],
      val_loss: [1.7658011118570964, 1.6913528442382812],
      val_accuracy: [0.25, 0.2916666666666667],
    },
  },
  { runId: 'gru8', history: { acc: [0.15, 0.28], loss: [1.94, 1.73], val_loss: [1.86, null] } },
];

describe('learningCurveMetrics', () => {
  it('lists loss first, then the other metrics with val_ keys folded in', () => {
    expect(learningCurveMetrics(runs)).toEqual(['loss', 'accuracy', 'acc']);
  });

  it('leaves out a metric with no finite value', () => {
    expect(learningCurveMetrics([{ runId: 'a', history: { loss: [null], acc: [0.5] } }])).toEqual([
      'acc',
    ]);
  });

  it('throws INVALID_ARGUMENT for runs that are not an array', () => {
    expect(() => learningCurveMetrics({} as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'runs' }),
    );
  });
});

describe('learningCurveData', () => {
  it('gives one point per run, epoch (1-based) and key, splitting val_ keys', () => {
    const points = learningCurveData(runs);
    expect(points).toHaveLength(8 + 5);
    expect(points[0]).toEqual({
      run: 'lstm8',
      epoch: 1,
      split: 'train',
      metric: 'loss',
      value: 1.8183568318684895,
    });
    expect(points).toContainEqual({
      run: 'lstm8',
      epoch: 2,
      split: 'validation',
      metric: 'accuracy',
      value: 0.2916666666666667,
    });
  });

  it('leaves out null values', () => {
    const gru = learningCurveData(runs).filter((p) => p.run === 'gru8' && p.split === 'validation');
    expect(gru).toEqual([
      { run: 'gru8', epoch: 1, split: 'validation', metric: 'loss', value: 1.86 },
    ]);
  });
});

describe('learningCurveSpec', () => {
  it('plots one metric per epoch, colour by run and dashes for validation', () => {
    const spec = learningCurveSpec(runs, { metric: 'loss' });
    expect(spec.title).toBe('loss per epoch');
    expect((spec.data as { values: unknown[] }).values).toHaveLength(7);
    const encoding = spec.encoding as Record<string, { field?: string; scale?: unknown }>;
    expect(encoding.x.field).toBe('epoch');
    expect(encoding.color.field).toBe('run');
    expect(encoding.strokeDash.scale).toEqual({
      domain: ['train', 'validation'],
      range: [
        [1, 0],
        [5, 3],
      ],
    });
    expect(() => compile(spec as never)).not.toThrow();
  });

  it('takes title, width and height', () => {
    const spec = learningCurveSpec(runs, { metric: 'acc', title: 'T', width: 300, height: 100 });
    expect(spec).toMatchObject({ title: 'T', width: 300, height: 100 });
  });

  it('centres a one-epoch history and lists only the splits present', () => {
    const spec = learningCurveSpec([{ runId: 'a', history: { loss: [2.3] } }], { metric: 'loss' });
    const encoding = spec.encoding as Record<string, { scale?: { domain?: unknown } }>;
    expect(encoding.x.scale?.domain).toEqual([0.5, 1.5]);
    expect(encoding.strokeDash.scale?.domain).toEqual(['train']);
  });

  it('throws INVALID_ARGUMENT without a metric', () => {
    expect(() => learningCurveSpec(runs, { metric: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'metric' }),
    );
  });
});
