import type * as tf from '@tensorflow/tfjs';

/**
 * Where the pooling windows run along one axis of a `[batch, height, width, channels]` input
 * whose other spatial axis is 1 wide (what `MaxPooling1D` and `tf.maxPool` on a conv1d's output
 * run): the line's lengths and window, or `null`.
 */
export function poolLine(info: tf.backend_util.Conv2DInfo): {
  shape: { length: number; outLength: number };
  window: { pool: number; stride: number; pad: number };
} | null {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const { padInfo } = info;
  if (info.inWidth === 1 && info.filterWidth === 1 && info.outWidth === 1 && padInfo.left === 0) {
    return {
      shape: { length: info.inHeight, outLength: info.outHeight },
      window: { pool: info.filterHeight, stride: info.strideHeight, pad: padInfo.top },
    };
  }
  if (info.inHeight === 1 && info.filterHeight === 1 && info.outHeight === 1 && padInfo.top === 0) {
    return {
      shape: { length: info.inWidth, outLength: info.outWidth },
      window: { pool: info.filterWidth, stride: info.strideWidth, pad: padInfo.left },
    };
  }
  return null;
}
