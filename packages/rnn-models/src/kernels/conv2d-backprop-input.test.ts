import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import {
  expectClose,
  seededValues,
  withBackend,
  withStockCpu,
} from '../__fixtures__/kernel-test-utils';

type Pad = 'valid' | 'same' | tf.backend_util.ExplicitPadding;

function inputGradient(
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: [number, number],
  pad: Pad,
): () => tf.Tensor {
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad);
  const dy = seededValues(tf.util.sizeFromShape(info.outShape), 71);
  const w = seededValues(tf.util.sizeFromShape(filterShape), 72);
  return () =>
    tf
      .engine()
      .runKernel(
        'Conv2DBackpropInput',
        { dy: tf.tensor(dy, info.outShape), filter: tf.tensor(w, filterShape) },
        { inputShape, strides, pad, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
}

describe('conv2DBackpropInput (wasm)', () => {
  const cases: {
    name: string;
    stride: number;
    pad: 'valid' | 'same';
    kernel: number;
    width: number;
  }[] = [
    { name: 'stride 1, padding valid', stride: 1, pad: 'valid', kernel: 5, width: 17 },
    { name: 'stride 1, padding same', stride: 1, pad: 'same', kernel: 4, width: 17 },
    { name: 'stride 2, padding same', stride: 2, pad: 'same', kernel: 3, width: 17 },
    {
      name: 'stride 3, padding valid, width not covered',
      stride: 3,
      pad: 'valid',
      kernel: 2,
      width: 18,
    },
  ];
  for (const { name, stride, pad, kernel, width } of cases) {
    it(`matches the cpu backend's own kernel for a Conv1D with ${name}`, async () => {
      const op = inputGradient([3, 1, width, 4], [1, kernel, 4, 5], [1, stride], pad);
      expectClose(await withBackend('wasm', op), await withStockCpu(op), 1e-4);
    });
  }

  it("matches the cpu backend's own kernel for a 2-d filter with explicit padding", async () => {
    const pad: Pad = [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ];
    const op = inputGradient([2, 6, 7, 3], [3, 2, 3, 4], [2, 1], pad);
    expectClose(await withBackend('wasm', op), await withStockCpu(op), 1e-4);
  });

  it('gives the input gradient of an Embedding → Conv1D pair as the cpu backend does', async () => {
    const table = seededValues(10 * 6, 73);
    const filter = seededValues(3 * 6 * 4, 74);
    const op = () =>
      tf.grad((t: tf.Tensor) =>
        tf
          .conv1d(
            tf.gather(t, tf.tensor2d([[1, 2, 3, 4, 5, 9, 9]], [1, 7], 'int32')) as tf.Tensor3D,
            tf.tensor3d(filter, [3, 6, 4]),
            1,
            'same',
          )
          .square()
          .sum(),
      )(tf.tensor2d(table, [10, 6]));
    expectClose(await withBackend('wasm', op), await withStockCpu(op), 1e-4);
  });
});
