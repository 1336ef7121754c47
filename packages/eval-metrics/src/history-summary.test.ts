import { describe, expect, it } from 'vitest';
import { historySummary } from './history-summary';

const history = {
  epoch: [0, 1, 2, 3],
  history: {
    loss: [1.2, 0.8, 0.7, 0.65],
    val_loss: [1.1, 0.9, 0.95, 0.9],
    val_acc: [0.5, 0.62, 0.6, 0.62],
  },
};

describe('historySummary', () => {
  it('finds the best epoch of val_loss by default (lower is better, first on ties)', () => {
    const s = historySummary(history);
    expect(s).toMatchObject({ monitor: 'val_loss', mode: 'min', best: 0.9, bestEpoch: 1 });
    expect(s.final).toBe(0.9);
    expect(s.epochs).toBe(4);
  });

  it('reads accuracy-like names as higher-is-better and counts epochs to a target', () => {
    const s = historySummary(history, { monitor: 'val_acc', target: 0.6 });
    expect(s.mode).toBe('max');
    expect(s.epochsToTarget).toBe(2);
    expect(historySummary(history, { monitor: 'val_acc', target: 0.9 }).epochsToTarget).toBe(null);
  });

  it('summarizes every metric, and accepts the bare history record', () => {
    const s = historySummary(history.history, { monitor: 'loss' });
    expect(s.metrics.val_acc).toEqual({ mode: 'max', final: 0.62, best: 0.62, bestEpoch: 1 });
  });

  it('throws INVALID_ARGUMENT for a metric that was not logged', () => {
    expect(() => historySummary(history, { monitor: 'val_f1' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'monitor' }),
    );
  });
});
