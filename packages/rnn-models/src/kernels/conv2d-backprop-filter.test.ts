import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import {
  expectClose,
  seededValues,
  withBackend,
  withStockCpu,
} from '../__fixtures__/kernel-test-utils';

type Pad = 'valid' | 'same' | tf.backend_util.ExplicitPadding;

function filterGradient(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: [number, number],
  pad: Pad,
  dataFormat: 'NHWC' | 'NCHW',
): () => tf.Tensor {
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    strides,
    1,
    pad,
    undefined,
    false,
    dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst',
  );
  const dyShape = info.outShape;
  const x = seededValues(tf.util.sizeFromShape(xShape), 11);
  const dy = seededValues(tf.util.sizeFromShape(dyShape), 12);
  return () =>
    tf
      .engine()
      .runKernel('Conv2DBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, dyShape) }, {
        strides,
        pad,
        dataFormat,
        filterShape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

describe('conv2DBackpropFilter', () => {
  const conv1dCases: { name: string; stride: number; pad: 'valid' | 'same'; kernel: number }[] = [
    { name: 'stride 1, padding valid', stride: 1, pad: 'valid', kernel: 5 },
    { name: 'stride 1, padding same', stride: 1, pad: 'same', kernel: 4 },
    { name: 'stride 2, padding same', stride: 2, pad: 'same', kernel: 3 },
    { name: 'stride 3, padding valid', stride: 3, pad: 'valid', kernel: 2 },
  ];
  for (const { name, stride, pad, kernel } of conv1dCases) {
    it(`matches the cpu backend's own kernel for a Conv1D with ${name}`, async () => {
      const op = filterGradient([3, 1, 17, 4], [1, kernel, 4, 5], [1, stride], pad, 'NHWC');
      const expected = await withStockCpu(op);
      expectClose(await withBackend('wasm', op), expected, 1e-4);
      expectClose(await withBackend('cpu', op), expected, 1e-4);
    });
  }

  it("matches the cpu backend's own kernel for a 2-d filter with explicit padding", async () => {
    const pad: Pad = [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ];
    const op = filterGradient([2, 5, 6, 3], [3, 2, 3, 4], [2, 1], pad, 'NHWC');
    const expected = await withStockCpu(op);
    expectClose(await withBackend('wasm', op), expected, 1e-4);
    expectClose(await withBackend('cpu', op), expected, 1e-4);
  });

  it("matches the cpu backend's own kernel for channels-first data", async () => {
    const op = filterGradient([2, 3, 5, 6], [2, 3, 3, 4], [1, 2], 'same', 'NCHW');
    const expected = await withStockCpu(op);
    expectClose(await withBackend('wasm', op), expected, 1e-4);
    expectClose(await withBackend('cpu', op), expected, 1e-4);
  });

  it('gives the filter gradient of tf.conv1d as the cpu backend does', async () => {
    const x = seededValues(2 * 20 * 3, 21);
    const f = seededValues(3 * 3 * 6, 22);
    const op = () =>
      tf.grad((filter: tf.Tensor) =>
        tf
          .conv1d(tf.tensor3d(x, [2, 20, 3]), filter as tf.Tensor3D, 2, 'same')
          .square()
          .sum(),
      )(tf.tensor3d(f, [3, 3, 6]));
    const expected = await withStockCpu(op);
    expectClose(await withBackend('wasm', op), expected, 1e-4);
    expectClose(await withBackend('cpu', op), expected, 1e-4);
  });
});
