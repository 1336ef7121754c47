import * as tf from '@tensorflow/tfjs';

/**
 * The gradient of `Mean`, as tfjs-core's but without its `ones(x.shape)`: tfjs fills that array
 * in JavaScript and uploads it on every backward pass (about 0.9 ms of a `har-conv1d` step for
 * `GlobalAveragePooling1D`'s 254k floats on wasm). Here the backend fills the ones (`OnesLike`)
 * and the small output gradient is divided before it is broadcast: the same values. (wasm's
 * `Tile`, the other way to broadcast, took 17 ms for that shape.)
 */
export const meanGradConfig: tf.GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { axis } = attrs as unknown as { axis: number | number[] };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const [, reduceShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const reduceSize = tf.util.sizeFromShape(reduceShape);
    const derX = () => {
      const expandedShape = x.shape.slice();
      for (const a of axes) expandedShape[a] = 1;
      const scaled = tf.div(tf.reshape(dy as tf.Tensor, expandedShape), reduceSize);
      return tf.mul(scaled, tf.onesLike(x));
    };
    return { x: derX };
  },
};

/** Installs {@link meanGradConfig} in place of tfjs-core's (gradients are not per backend). */
export function registerMeanGradient(): void {
  tf.registerGradient(meanGradConfig);
}
