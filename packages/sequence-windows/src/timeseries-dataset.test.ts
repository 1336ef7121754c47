import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TimeseriesBatch, timeseriesDataset } from './timeseries-dataset';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);

async function collect(ds: tf.data.Dataset<TimeseriesBatch>) {
  const xs: number[][][] = [];
  const ys: unknown[] = [];
  const sizes: number[] = [];
  await ds.forEachAsync(({ xs: x, ys: y }) => {
    xs.push(...(x.arraySync() as number[][][]));
    ys.push(...(y.arraySync() as unknown[]));
    sizes.push(x.shape[0]);
    tf.dispose([x, y]);
  });
  return { xs, ys, sizes };
}

async function collectInputs(ds: tf.data.Dataset<tf.Tensor3D>) {
  const xs: number[][] = [];
  await ds.forEachAsync((x) => {
    xs.push(...(x.squeeze<tf.Tensor2D>([2]).arraySync() as number[][]));
    x.dispose();
  });
  return xs;
}

/** Keras' timeseries_dataset_from_array written out naively (numpy-style), for comparison. */
function kerasReference(
  data: number[][],
  targets: number[] | null,
  o: {
    sequenceLength: number;
    sequenceStride: number;
    samplingRate: number;
    startIndex: number;
    endIndex: number;
  },
) {
  let numSeqs = o.endIndex - o.startIndex - (o.sequenceLength - 1) * o.samplingRate;
  if (targets) numSeqs = Math.min(numSeqs, targets.length - o.startIndex);
  const xs: number[][][] = [];
  const ys: number[] = [];
  for (let p = 0; p < numSeqs; p += o.sequenceStride) {
    xs.push(range(o.sequenceLength).map((t) => data[o.startIndex + p + t * o.samplingRate]));
    if (targets) ys.push(targets[o.startIndex + p]);
  }
  return { xs, ys };
}

describe('timeseriesDataset', () => {
  it('should match Keras example 1 (sequence_length 10, sampling_rate 2, sequence_stride 3)', async () => {
    const xs = await collectInputs(
      timeseriesDataset(range(99), null, {
        sequenceLength: 10,
        samplingRate: 2,
        sequenceStride: 3,
      }),
    );
    expect(xs[0]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(xs[1]).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(xs[2]).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(xs.at(-1)).toEqual([78, 80, 82, 84, 86, 88, 90, 92, 94, 96]);
    expect(xs).toHaveLength(27);
  });

  it('should match Keras example 2 (past 10 steps predict the next)', async () => {
    const data = range(20, 1);
    const { xs, ys, sizes } = await collect(
      timeseriesDataset(data.slice(0, 10), data.slice(10), { sequenceLength: 10 }),
    );
    expect(sizes).toEqual([1]);
    expect(xs[0].map((row) => row[0])).toEqual(range(10, 1));
    expect(ys).toEqual([11]);
  });

  it('should batch by 128 by default with a smaller last batch and report its size', async () => {
    const ds = timeseriesDataset(range(300), range(300), { sequenceLength: 5 });
    const { sizes } = await collect(ds);
    expect(sizes).toEqual([128, 128, 40]); // 296 sequences
    expect(ds.size).toBe(3);
  });

  it('should equal the Keras semantics for any lengths, strides, rates and index bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          steps: fc.integer({ min: 2, max: 60 }),
          features: fc.integer({ min: 1, max: 3 }),
          sequenceLength: fc.integer({ min: 1, max: 10 }),
          sequenceStride: fc.integer({ min: 1, max: 4 }),
          samplingRate: fc.integer({ min: 1, max: 3 }),
          batchSize: fc.integer({ min: 1, max: 7 }),
          start: fc.integer({ min: 0, max: 10 }),
          cut: fc.integer({ min: 0, max: 10 }),
          targetCut: fc.integer({ min: 0, max: 20 }),
        }),
        async (p) => {
          const startIndex = p.start;
          const endIndex = p.steps - p.cut;
          const targets = range(p.steps - p.targetCut, 1000);
          const numSeqs = Math.min(
            endIndex - startIndex - (p.sequenceLength - 1) * p.samplingRate,
            targets.length - startIndex,
          );
          fc.pre(startIndex < endIndex && numSeqs > 0);
          const data = range(p.steps).map((i) => range(p.features).map((f) => i * 10 + f));
          const o = { ...p, startIndex, endIndex };
          const ref = kerasReference(data, targets, o);
          const got = await collect(timeseriesDataset(data, targets, o));
          expect(got.xs).toEqual(ref.xs);
          expect(got.ys).toEqual(ref.ys);
          expect(
            got.sizes.every((s, i) => s === (i < got.sizes.length - 1 ? p.batchSize : s)),
          ).toBe(true);
          expect(got.sizes.length).toBe(Math.ceil(ref.xs.length / p.batchSize));
        },
      ),
      { seed: 6, numRuns: 150 },
    );
  });

  it('should never let the target of a forecasting setup appear in its input window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 12, max: 80 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 3 }),
        async (steps, sequenceLength, horizon) => {
          fc.pre(sequenceLength + horizon < steps);
          // The usual setup: the target of the window starting at i is data[i + sequenceLength + horizon - 1].
          const data = range(steps);
          const targets = data.slice(sequenceLength + horizon - 1);
          const { xs, ys } = await collect(
            timeseriesDataset(data, targets, { sequenceLength, batchSize: 4 }),
          );
          xs.forEach((window, i) => {
            const flat = window.map((row) => row[0]);
            expect(flat).not.toContain(ys[i]);
            expect(ys[i] as number).toBeGreaterThan(Math.max(...flat));
          });
        },
      ),
      { seed: 7, numRuns: 100 },
    );
  });

  it('should shuffle reproducibly with a seed, keep the same sequences and reshuffle each pass', async () => {
    const make = () =>
      timeseriesDataset(range(50), range(50), {
        sequenceLength: 4,
        batchSize: 8,
        shuffle: true,
        seed: 3,
      });
    const plain = await collect(
      timeseriesDataset(range(50), range(50), { sequenceLength: 4, batchSize: 8 }),
    );
    const ds = make();
    const first = await collect(ds);
    const second = await collect(ds);
    const again = await collect(make());
    expect(again.ys).toEqual(first.ys);
    expect(first.ys).not.toEqual(plain.ys);
    expect(second.ys).not.toEqual(first.ys);
    const sorted = (ys: unknown[]) => [...(ys as number[])].sort((a, b) => a - b);
    expect(sorted(first.ys)).toEqual(plain.ys);
    // Each target stays with its own window.
    first.xs.forEach((w, i) => {
      expect(first.ys[i]).toBe(w[0][0]);
    });
  });

  it('should build batches lazily, holding one batch of tensors at a time', async () => {
    const ds = timeseriesDataset(range(10_000), range(10_000), {
      sequenceLength: 50,
      batchSize: 32,
    });
    const before = tf.memory().numTensors;
    const it = await ds.iterator();
    const first = await it.next();
    expect(tf.memory().numTensors - before).toBe(2); // xs and ys of one batch, not 9,951 windows
    tf.dispose(first.value as TimeseriesBatch);
    const second = await it.next();
    expect((second.value as TimeseriesBatch).xs.shape).toEqual([32, 50, 1]);
    tf.dispose(second.value as TimeseriesBatch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('should train a Keras-style model through fitDataset', async () => {
    const series = range(120).map((i) => [Math.sin(i / 5)]);
    const targets = series.slice(8).map((row) => row[0]);
    const ds = timeseriesDataset(series, targets, { sequenceLength: 8, batchSize: 16 });
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [8, 1] }),
        tf.layers.dense({ units: 1, kernelInitializer: 'zeros' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const first = await model.fitDataset(ds, { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors; // weights and the optimizer's slots now exist
    const history = await model.fitDataset(ds, { epochs: 4, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(loss.at(-1)).toBeLessThan(first.history.loss[0] as number);
    expect(tf.memory().numTensors).toBe(before); // every batch was disposed
    model.dispose();
  });

  it('should accept typed arrays and tensors and 2-D targets', async () => {
    const data = tf.tensor2d(range(20).map((i) => [i, -i]));
    const targets = Float32Array.from(range(20));
    const { xs, ys } = await collect(
      timeseriesDataset(data, targets, { sequenceLength: 3, batchSize: 100 }),
    );
    expect(xs[0]).toEqual([
      [0, -0],
      [1, -1],
      [2, -2],
    ]);
    expect(ys).toHaveLength(18);
    const twoD = await collect(
      timeseriesDataset(
        range(10),
        range(10).map((i) => [i, 2 * i]),
        { sequenceLength: 2 },
      ),
    );
    expect(twoD.ys[3]).toEqual([3, 6]);
    data.dispose();
  });

  it('should throw WINDOW_TOO_LONG when no whole sequence fits', () => {
    expect(() =>
      timeseriesDataset(range(10), null, { sequenceLength: 6, samplingRate: 2 }),
    ).toThrow(expect.objectContaining({ code: 'WINDOW_TOO_LONG', argument: 'sequenceLength' }));
  });

  it('should throw INVALID_ARGUMENT for non-integer strides and indices out of range', () => {
    expect(() =>
      timeseriesDataset(range(10), null, { sequenceLength: 2, sequenceStride: 1.5 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'sequenceStride' }));
    expect(() => timeseriesDataset(range(10), null, { sequenceLength: 2, endIndex: 11 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'endIndex' }),
    );
    expect(() =>
      timeseriesDataset(range(10), null, { sequenceLength: 2, startIndex: 5, endIndex: 5 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'startIndex' }));
  });

  it('should throw SHAPE_MISMATCH for ragged feature rows', () => {
    expect(() => timeseriesDataset([[1, 2], [3]], null, { sequenceLength: 1 })).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', argument: 'data' }),
    );
  });
});
