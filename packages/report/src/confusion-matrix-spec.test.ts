import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { confusionMatrixCells, confusionMatrixSpec } from './confusion-matrix-spec';

// The confusion matrix of eval-metrics' README example (scikit-learn's confusion_matrix).
const cm = {
  labels: ['Czech', 'Greek', 'Irish'],
  matrix: [
    [3, 1, 0],
    [0, 2, 0],
    [1, 0, 1],
  ],
};

describe('confusionMatrixCells', () => {
  it('gives every cell with its share of the row', () => {
    const cells = confusionMatrixCells(cm);
    expect(cells).toHaveLength(9);
    expect(cells[0]).toEqual({ true: 'Czech', predicted: 'Czech', count: 3, rate: 0.75 });
    expect(cells[7]).toEqual({ true: 'Irish', predicted: 'Greek', count: 0, rate: 0 });
  });

  it('gives 0 for the shares of an empty row', () => {
    const cells = confusionMatrixCells({
      labels: ['a', 'b'],
      matrix: [
        [0, 0],
        [1, 1],
      ],
    });
    expect(cells.slice(0, 2).map((c) => c.rate)).toEqual([0, 0]);
  });

  it('throws INVALID_ARGUMENT for a matrix that is not square with one row per label', () => {
    for (const bad of [
      { labels: ['a', 'b'], matrix: [[1, 2]] },
      { labels: ['a', 'b'], matrix: [[1, 2], [3]] },
      { labels: ['a'], matrix: [[-1]] },
      { labels: [], matrix: [] },
    ]) {
      expect(() => confusionMatrixCells(bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'confusionMatrix' }),
      );
    }
  });
});

describe('confusionMatrixSpec', () => {
  it('colours and labels counts by default, in label order on both axes', () => {
    const spec = confusionMatrixSpec(cm);
    expect(spec.title).toBe('Confusion matrix (counts)');
    const encoding = spec.encoding as Record<string, { field: string; sort: string[] }>;
    expect(encoding.x).toMatchObject({ field: 'predicted', sort: cm.labels });
    expect(encoding.y).toMatchObject({ field: 'true', sort: cm.labels });
    const [rect, text] = spec.layer as { encoding: { color?: { field?: string } } }[];
    expect(rect.encoding.color?.field).toBe('count');
    expect(text).toBeDefined();
    expect(spec.width).toEqual({ step: 44 });
    expect(() => compile(spec as never)).not.toThrow();
  });

  it('uses the share of the row with normalize', () => {
    const spec = confusionMatrixSpec(cm, { normalize: true, title: 'T', cellSize: 20 });
    expect(spec.title).toBe('T');
    expect(spec.width).toEqual({ step: 20 });
    const [rect] = spec.layer as { encoding: { color: { field: string; scale: unknown } } }[];
    expect(rect.encoding.color).toMatchObject({ field: 'rate', scale: { domain: [0, 1] } });
    expect(() => compile(spec as never)).not.toThrow();
  });

  it('drops the cell labels beyond 20 classes', () => {
    const k = 21;
    const labels = Array.from({ length: k }, (_, i) => `c${i}`);
    const matrix = labels.map((_, i) => labels.map((__, j) => (i === j ? 5 : 1)));
    expect(confusionMatrixSpec({ labels, matrix }).layer).toHaveLength(1);
  });
});
