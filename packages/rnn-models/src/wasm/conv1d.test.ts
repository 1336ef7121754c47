import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededValues, withBackend, withStockCpu } from '../__fixtures__/kernel-test-utils';
import { kernelThreads, setKernelThreads } from '../process-switches';
import { setMinMacsPerShare } from './conv1d';

// Two kernel threads, and shares of any size, so the batch shares run on a worker too.
let threadsBefore = 1;
let macsBefore = 0;
beforeAll(() => {
  threadsBefore = kernelThreads();
  setKernelThreads(2);
  macsBefore = setMinMacsPerShare(1);
});
afterAll(() => {
  setKernelThreads(threadsBefore);
  setMinMacsPerShare(macsBefore);
});

/** Expects equal-length arrays within `tolerance` relative to the largest expected magnitude. */
function expectRelClose(actual: number[][], expected: number[][], tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  for (const [i, values] of actual.entries()) {
    expect(values.length).toBe(expected[i].length);
    const scale = Math.max(1, ...expected[i].map(Math.abs));
    let worst = 0;
    for (const [j, v] of values.entries()) worst = Math.max(worst, Math.abs(v - expected[i][j]));
    expect(worst / scale).toBeLessThanOrEqual(tolerance);
  }
}

async function expectWasmMatchesCpu(op: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const expected = await withStockCpu(op);
  expectRelClose(await withBackend('wasm', op), expected);
}

interface Case {
  batch: number;
  steps: number;
  features: number;
  kernel: number;
  filters: number;
  pad: 'valid' | 'same';
}

const cases: Case[] = [
  { batch: 3, steps: 17, features: 4, kernel: 5, filters: 5, pad: 'valid' },
  { batch: 1, steps: 9, features: 3, kernel: 3, filters: 8, pad: 'same' },
  { batch: 2, steps: 13, features: 9, kernel: 5, filters: 64, pad: 'valid' },
  { batch: 1, steps: 7, features: 1, kernel: 2, filters: 3, pad: 'same' },
  { batch: 2, steps: 11, features: 6, kernel: 4, filters: 13, pad: 'same' },
  { batch: 4, steps: 6, features: 7, kernel: 1, filters: 17, pad: 'valid' },
  // Enough samples and rows to be shared out among kernel threads.
  { batch: 11, steps: 40, features: 5, kernel: 3, filters: 16, pad: 'same' },
];

function conv1dLoss(c: Case): () => tf.Tensor[] {
  const xs = seededValues(c.batch * c.steps * c.features, 31);
  const ws = seededValues(c.kernel * c.features * c.filters, 32);
  return () => {
    const x = tf.tensor3d(xs, [c.batch, c.steps, c.features]);
    const w = tf.tensor3d(ws, [c.kernel, c.features, c.filters]);
    const y = tf.conv1d(x, w, 1, c.pad);
    // A weighted loss, so every output position gets a different gradient.
    const r = tf.tensor(seededValues(y.size, 33), y.shape);
    const loss = (xv: tf.Tensor, wv: tf.Tensor) =>
      tf
        .conv1d(xv as tf.Tensor3D, wv as tf.Tensor3D, 1, c.pad)
        .mul(r)
        .sum();
    return [y, ...tf.grads(loss)([x, w])];
  };
}

describe('the conv1d kernels of the wasm module', () => {
  for (const c of cases) {
    const name = `F=${c.features}, K=${c.kernel}, C=${c.filters}, T=${c.steps}, batch ${c.batch}, ${c.pad}`;
    it(`give tf.conv1d's output and gradients as the cpu backend does (${name})`, async () => {
      await expectWasmMatchesCpu(conv1dLoss(c));
    });
  }

  it('take a conv2d with filter height 1 over several rows', async () => {
    const xs = seededValues(2 * 3 * 10 * 4, 41);
    const ws = seededValues(3 * 4 * 5, 42);
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor4d(xs, [2, 3, 10, 4]);
      const w = tf.tensor4d(ws, [1, 3, 4, 5]);
      const f = (xv: tf.Tensor, wv: tf.Tensor) =>
        tf
          .conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, 1, 'same')
          .square()
          .sum();
      const [dx, dw] = tf.grads(f)([x, w]);
      return [tf.conv2d(x, w, 1, 'same'), dx, dw];
    });
  });

  it('give strided and dilated convolutions (general paths) as the cpu backend does', async () => {
    const xs = seededValues(2 * 15 * 3, 43);
    const ws = seededValues(3 * 3 * 4, 44);
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor3d(xs, [2, 15, 3]);
      const w = tf.tensor3d(ws, [3, 3, 4]);
      const strided = (xv: tf.Tensor, wv: tf.Tensor) =>
        tf
          .conv1d(xv as tf.Tensor3D, wv as tf.Tensor3D, 2, 'same')
          .square()
          .sum();
      const dilated = tf.conv1d(x, w, 1, 'valid', 'NWC', 2);
      return [...tf.grads(strided)([x, w]), dilated];
    });
  });
});

describe('MaxPoolGrad on the wasm module', () => {
  const pools: {
    name: string;
    shape: [number, number, number, number];
    size: [number, number];
    strides: [number, number];
    pad: 'valid' | 'same';
  }[] = [
    {
      name: 'MaxPooling1D pool 2, odd length',
      shape: [3, 13, 1, 6],
      size: [2, 1],
      strides: [2, 1],
      pad: 'valid',
    },
    {
      name: 'MaxPooling1D pool 2, windows tiling the input',
      shape: [10, 12, 1, 7],
      size: [2, 1],
      strides: [2, 1],
      pad: 'valid',
    },
    {
      name: 'overlapping windows, same',
      shape: [2, 9, 1, 5],
      size: [3, 1],
      strides: [2, 1],
      pad: 'same',
    },
    { name: 'along the width', shape: [2, 1, 11, 9], size: [1, 3], strides: [1, 1], pad: 'valid' },
    {
      name: 'a 2-d pool (general path)',
      shape: [1, 6, 5, 3],
      size: [2, 2],
      strides: [2, 1],
      pad: 'same',
    },
  ];
  for (const p of pools) {
    it(`matches the cpu backend for ${p.name}`, async () => {
      const xs = seededValues(tf.util.sizeFromShape(p.shape), 51);
      await expectWasmMatchesCpu(() => {
        const x = tf.tensor4d(xs, p.shape);
        const f = (xv: tf.Tensor) => {
          const y = tf.maxPool(xv as tf.Tensor4D, p.size, p.strides, p.pad);
          return y.mul(tf.tensor(seededValues(y.size, 52), y.shape)).sum();
        };
        return [tf.maxPool(x, p.size, p.strides, p.pad), tf.grad(f)(x)];
      });
    });
  }
  it('lets a NaN never win a window, as the cpu backend does', async () => {
    // NaN in the first or the second row of a pair, never both: every output stays finite.
    const shape: [number, number, number, number] = [2, 8, 1, 5];
    const xs = seededValues(tf.util.sizeFromShape(shape), 53);
    for (let i = 0; i < xs.length; i += 7) {
      const row = Math.floor(i / 5);
      if (row % 2 === 0 && Number.isFinite(xs[i + 5])) xs[i] = Number.NaN;
      else if (row % 2 === 1 && Number.isFinite(xs[i - 5])) xs[i] = Number.NaN;
    }
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor4d(xs, shape);
      const f = (xv: tf.Tensor) => tf.maxPool(xv as tf.Tensor4D, [2, 1], [2, 1], 'valid').sum();
      return [tf.maxPool(x, [2, 1], [2, 1], 'valid'), tf.grad(f)(x)];
    });
  });
});

describe('Sum and Mean over middle axes on the wasm module', () => {
  it("match the cpu backend's reductions, with and without keepDims, and the fallbacks", async () => {
    const xs = seededValues(12 * 53 * 13, 61);
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor3d(xs, [12, 53, 13]);
      return [
        tf.sum(x, [0, 1]),
        tf.sum(x, [1, 0], true),
        tf.sum(x.reshape([636, 13]), 0),
        tf.sum(x, 1),
        tf.mean(x, 1),
        tf.mean(x, [0, 1], true),
        tf.mean(x.reshape([12, 53, 13, 1]), [1, 2]),
        tf.sum(x, [0, 2]),
        tf.sum(x, -1),
        tf.mean(x),
        tf.sum(tf.tensor2d(xs.slice(0, 12), [3, 4]), 0),
      ];
    });
  });
});

describe('Identity and Cast on wasm', () => {
  it('share data that outlives the tensor it was cloned from', async () => {
    const xs = seededValues(40, 62);
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor2d(xs, [8, 5]);
      const copy = tf.clone(x);
      const same = tf.cast(x, 'float32');
      const ints = tf.cast(x.mul(10), 'int32');
      x.dispose();
      return [copy, same, ints, tf.cast(ints, 'float32')];
    });
  });
});

describe('training a Conv1D model on wasm', () => {
  it('takes the same Adam steps as the cpu backend', async () => {
    const [batch, steps, features, classes] = [5, 21, 7, 3];
    const xs = seededValues(batch * steps * features, 71);
    const labels = Array.from({ length: batch }, (_, i) => i % classes);
    const train = () => {
      const model = tf.sequential({
        layers: [
          tf.layers.conv1d({
            inputShape: [steps, features],
            filters: 12,
            kernelSize: 5,
            activation: 'relu',
            padding: 'same',
          }),
          tf.layers.maxPooling1d({ poolSize: 2 }),
          tf.layers.conv1d({ filters: 10, kernelSize: 3, activation: 'relu' }),
          tf.layers.globalAveragePooling1d(),
          tf.layers.dense({ units: classes }),
        ],
      });
      model.setWeights(
        model
          .getWeights()
          .map((w, i) => tf.tensor(seededValues(w.size, 80 + i, -0.5, 0.5), w.shape)),
      );
      const optimizer = tf.train.adam(1e-2);
      const x = tf.tensor3d(xs, [batch, steps, features]);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
      const losses: tf.Tensor[] = [];
      for (let s = 0; s < 3; s++) {
        const cost = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
          true,
        );
        losses.push(cost!);
      }
      return [...losses, ...model.getWeights().map((w) => w.clone())];
    };
    await expectWasmMatchesCpu(train);
  });
});
