import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRun, parseConfusionMatrix, parseHistory, parseMetrics } from './load-run';

const fixtures = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const har = path.join(fixtures, 'har-quick');
const names = path.join(fixtures, 'names-quick');

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seqlearn-report-load-'));
  temps.push(dir);
  return dir;
}
async function write(file: string, content: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
});

describe('loadRun', () => {
  it('reads a har quick-mode folder: title, metric, best, sweep runs then repeats', async () => {
    const run = await loadRun(har);
    expect(run.dir).toBe(har);
    expect(run.title).toBe('har: activity recognition');
    expect(run.metric).toBe('val_accuracy');
    expect(run.bestId).toBe('simplernn8');
    expect(run.runs.map((r) => [r.runId, r.kind])).toEqual([
      ['simplernn8', 'sweep'],
      ['lstm8', 'sweep'],
      ['gru8', 'sweep'],
      ['conv1d-16x5', 'sweep'],
      ['simplernn8-seed43', 'repeat'],
    ]);
    expect(run.notes).toEqual([]);
    expect(run.resultsMarkdown).toMatch(/^# har: activity recognition/);
  });

  it('keeps each run’s history, metrics, seconds, seed and confusion matrix', async () => {
    const lstm = (await loadRun(har)).runs[1];
    expect(Object.keys(lstm.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(lstm.history.loss).toHaveLength(2);
    expect(lstm.metrics.test_accuracy).toBeCloseTo(0.20833, 4);
    expect(lstm.seconds).toBeGreaterThan(0);
    expect(lstm.seed).toBe(42);
    expect(lstm.setting).toMatchObject({ id: 'lstm8', model: 'lstm' });
    expect(lstm.confusionMatrix?.labels).toHaveLength(6);
    expect(lstm.confusionMatrix?.matrix.flat().reduce((a, b) => a + b, 0)).toBe(48);
  });

  it('reads the repeated-run summary with null where JSON wrote NaN', async () => {
    const { summary } = await loadRun(har);
    expect(summary.val_accuracy).toEqual({
      n: 1,
      mean: 0.25,
      std: null,
      min: 0.25,
      max: 0.25,
      ci: [null, null],
      confidence: 0.95,
    });
  });

  it('reads extra.json and one-epoch histories keyed acc (names)', async () => {
    const run = await loadRun(names);
    expect(run.runs).toHaveLength(4);
    expect(run.runs.every((r) => r.kind === 'sweep')).toBe(true);
    expect(run.runs[0].history).toEqual({ loss: [expect.any(Number)], acc: [expect.any(Number)] });
    expect(run.runs[0].extra).toMatchObject({ recall: { Arabic: expect.any(Number) } });
    expect(run.summary).toEqual({});
  });

  it('reads runs from their folders when there is no results.json, and says so', async () => {
    const dir = await tempDir();
    await fs.cp(path.join(har, 'gru8'), path.join(dir, 'gru8'), { recursive: true });
    await write(path.join(dir, 'lstm8', 'history.json'), { loss: [1.8, 1.7] });
    await write(path.join(dir, 'notes', 'readme.txt'), 'not a run');
    const run = await loadRun(dir);
    expect(run.title).toBe(path.basename(dir));
    expect(run.bestId).toBeUndefined();
    expect(run.runs.map((r) => r.runId)).toEqual(['gru8', 'lstm8']);
    expect(run.runs[0].seconds).toBeGreaterThan(0);
    expect(run.runs[0].metrics).not.toHaveProperty('seconds');
    expect(run.runs[1].metrics).toEqual({});
    expect(run.notes).toEqual([expect.stringMatching(/^No results\.json/), 'lstm8: no metrics.']);
  });

  it('reads the phase the example kit adds to config.json (final runs are repeats)', async () => {
    const dir = await tempDir();
    await write(path.join(dir, 'a', 'config.json'), {
      id: 'a',
      units: 8,
      seed: 42,
      phase: 'selection',
    });
    await write(path.join(dir, 'a-seed43', 'config.json'), {
      id: 'a',
      units: 8,
      seed: 43,
      phase: 'final',
    });
    await write(path.join(dir, 'a-seed43', 'metrics.json'), { acc: 0.5, seconds: 2 });
    const run = await loadRun(dir);
    expect(run.runs.map((r) => [r.runId, r.kind, r.seed])).toEqual([
      ['a', 'sweep', 42],
      ['a-seed43', 'repeat', 43],
    ]);
    expect(run.runs[1].setting).toEqual({ id: 'a', units: 8 });
  });

  it('notes a sweep that has not chosen its best setting yet', async () => {
    const dir = await tempDir();
    await write(path.join(dir, 'results.json'), {
      title: 't',
      metric: 'acc',
      chosen: false,
      runs: [{ runId: 'a', phase: 'selection', metrics: { acc: 0.5 } }],
      best: { id: 'a' },
      repeats: [],
    });
    const run = await loadRun(dir);
    expect(run.notes).toEqual([
      'The sweep has not finished: the best setting is the best so far.',
      'a: no history.',
    ]);
  });

  it('reads a folder holding one run’s own files as that one run', async () => {
    const dir = await tempDir();
    await fs.cp(path.join(har, 'lstm8'), dir, { recursive: true });
    const run = await loadRun(dir);
    expect(run.runs).toHaveLength(1);
    expect(run.runs[0].runId).toBe(path.basename(dir));
    expect(run.runs[0].confusionMatrix?.labels[0]).toBe('WALKING');
  });

  it('fills what a results.json record lacks from the run’s folder', async () => {
    const dir = await tempDir();
    await write(path.join(dir, 'results.json'), {
      title: 't',
      metric: 'acc',
      runs: [{ runId: 'a', setting: { id: 'a' }, seed: 1, metrics: { acc: 0.5 } }],
      best: { id: 'a' },
      repeats: [],
      summary: {},
    });
    await write(path.join(dir, 'a', 'history.json'), { loss: [1, 0.5] });
    await write(path.join(dir, 'a', 'confusion-matrix.json'), {
      labels: ['x', 'y'],
      matrix: [
        [1, 0],
        [1, 2],
      ],
    });
    const [a] = (await loadRun(dir)).runs;
    expect(a.metrics).toEqual({ acc: 0.5 });
    expect(a.history).toEqual({ loss: [1, 0.5] });
    expect(a.confusionMatrix?.labels).toEqual(['x', 'y']);
  });

  it('notes a best setting that has no run in the folder', async () => {
    const dir = await tempDir();
    await write(path.join(dir, 'results.json'), { title: 't', best: { id: 'gone' }, runs: [] });
    const run = await loadRun(dir);
    expect(run.runs).toEqual([]);
    expect(run.notes).toContain('The best setting gone has no run in this folder.');
  });

  it('throws INVALID_JSON naming a malformed file', async () => {
    const dir = await tempDir();
    await fs.cp(har, dir, { recursive: true });
    const file = path.join(dir, 'gru8', 'history.json');
    await write(file, '{"loss": [1.9, ');
    await expect(loadRun(dir)).rejects.toThrow(
      expect.objectContaining({
        code: 'INVALID_JSON',
        file,
        message: expect.stringContaining(file),
      }),
    );
  });

  it('throws INVALID_JSON for a malformed results.json', async () => {
    const dir = await tempDir();
    await write(path.join(dir, 'results.json'), 'not json');
    await expect(loadRun(dir)).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_JSON', file: path.join(dir, 'results.json') }),
    );
  });

  it('throws INVALID_RUN_FILE naming the file and field of a wrong shape', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'r1', 'metrics.json');
    await write(file, { accuracy: 'high' });
    await expect(loadRun(dir)).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_RUN_FILE', file, argument: 'accuracy' }),
    );
    await write(file, {});
    await write(path.join(dir, 'results.json'), { runs: {} });
    await expect(loadRun(dir)).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_RUN_FILE', argument: 'runs' }),
    );
  });

  it('throws NOT_FOUND for a missing folder or a file', async () => {
    const dir = await tempDir();
    await expect(loadRun(path.join(dir, 'nope'))).rejects.toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', argument: 'dir' }),
    );
    await write(path.join(dir, 'f.json'), {});
    await expect(loadRun(path.join(dir, 'f.json'))).rejects.toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it('throws EMPTY_RUN for a folder with none of the run files', async () => {
    const dir = await tempDir();
    await write(path.join(dir, 'other', 'model.json'), {});
    await expect(loadRun(dir)).rejects.toThrow(expect.objectContaining({ code: 'EMPTY_RUN' }));
  });

  it('throws INVALID_ARGUMENT for an empty path', async () => {
    await expect(loadRun('')).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'dir' }),
    );
  });
});

describe('parseHistory', () => {
  it('keeps numbers and nulls (NaN in JSON)', () => {
    expect(parseHistory({ loss: [1, null] }, 'h.json')).toEqual({ loss: [1, null] });
  });

  it('throws INVALID_RUN_FILE for a key that is not an array of numbers', () => {
    expect(() => parseHistory({ loss: 1 }, 'h.json')).toThrow(
      expect.objectContaining({ code: 'INVALID_RUN_FILE', file: 'h.json', argument: 'loss' }),
    );
    expect(() => parseHistory({ loss: [1, 'x'] }, 'h.json')).toThrow(
      expect.objectContaining({ argument: 'loss[1]' }),
    );
    expect(() => parseHistory([1], 'h.json')).toThrow(
      expect.objectContaining({ argument: 'history' }),
    );
  });

  it('does not mutate its input', () => {
    const input = { loss: [1, 2] };
    parseHistory(input, 'h.json').loss.push(3);
    expect(input).toEqual({ loss: [1, 2] });
  });
});

describe('parseMetrics', () => {
  it('keeps numbers and nulls', () => {
    expect(parseMetrics({ a: 1, b: null }, 'm.json')).toEqual({ a: 1, b: null });
  });

  it('throws INVALID_RUN_FILE for a non-numeric metric', () => {
    expect(() => parseMetrics({ a: true }, 'm.json')).toThrow(
      expect.objectContaining({ code: 'INVALID_RUN_FILE', argument: 'a' }),
    );
  });
});

describe('parseConfusionMatrix', () => {
  it('reads labels and a square count matrix', () => {
    const cm = parseConfusionMatrix(
      {
        labels: ['a', 'b'],
        matrix: [
          [3, 1],
          [0, 2],
        ],
      },
      'cm.json',
    );
    expect(cm).toEqual({
      labels: ['a', 'b'],
      matrix: [
        [3, 1],
        [0, 2],
      ],
    });
  });

  it('throws INVALID_RUN_FILE for a matrix that does not fit the labels', () => {
    expect(() => parseConfusionMatrix({ labels: ['a', 'b'], matrix: [[1, 2]] }, 'cm.json')).toThrow(
      expect.objectContaining({ code: 'INVALID_RUN_FILE', argument: 'matrix' }),
    );
    expect(() =>
      parseConfusionMatrix({ labels: ['a', 'b'], matrix: [[1, 2], [3]] }, 'cm.json'),
    ).toThrow(expect.objectContaining({ argument: 'matrix[1]' }));
    expect(() =>
      parseConfusionMatrix(
        {
          labels: ['a', 'b'],
          matrix: [
            [1, 2],
            [3, -1],
          ],
        },
        'cm.json',
      ),
    ).toThrow(expect.objectContaining({ argument: 'matrix[1][1]' }));
    expect(() => parseConfusionMatrix({ labels: [], matrix: [] }, 'cm.json')).toThrow(
      expect.objectContaining({ argument: 'labels' }),
    );
  });
});
