import * as tf from '@tensorflow/tfjs';
import { batchMatMulConfig } from './batch-mat-mul';
import { castConfig } from './cast';
import { conv2DConfig } from './conv2d';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { gatherV2Config } from './gather-v2';
import { identityConfig } from './identity';
import type { DirectKernelBackend } from './kernel-io';
import { maxPoolConfig } from './max-pool';
import { maxPoolGradConfig } from './max-pool-grad';
import { registerMeanGradient } from './mean-gradient';
import { sumConfigs } from './sum';
import { unpackConfig } from './unpack';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';

/**
 * Registers seqlearn's direct training kernels for `backendName`, replacing the backend's own
 * where it has one (tfjs' kernel registry is global, so this affects every model on that backend):
 *
 * - `UnsortedSegmentSum` (the gradient of `Embedding`): one scatter-add over rows;
 * - `Conv2DBackpropFilter` (the filter gradient of `Conv1D`): an im2col and one matrix product;
 * - `MaxPoolGrad` (`MaxPooling1D`): one pass over the windows;
 * - `GatherV2` (`Embedding`) and `Unpack` (every recurrent layer): block copies;
 * - on wasm, `BatchMatMul`: explicit transposes and subnormal flushing around wasm's own kernel;
 * - on wasm, `Conv2DBackpropInput` (a `Conv1D` after an `Embedding`): one forward convolution;
 * - on wasm, `Conv2D` for a conv1d (`Conv1D`), `MaxPool` along one axis (`MaxPooling1D`), and
 *   `Sum` and `Mean` over middle axes (bias gradients, `GlobalAveragePooling1D`): SIMD kernels of
 *   the package's wasm module, the backend's own kernels otherwise;
 * - on wasm, `Identity` (tfjs clones every tensor a gradient keeps with it) and `Cast` to the same
 *   type: share the data instead of copying it.
 *
 * The wasm backend of tfjs 4.22 lacks the first two; the cpu backend has them, unusably slow.
 * {@link initBackend} calls this; call it yourself only when you select the backend yourself.
 * Calling it again is harmless.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { registerDirectKernels } from '@seqlearn/rnn-models';
 * await tf.setBackend('cpu');
 * console.log(registerDirectKernels('cpu'));
 * // ['UnsortedSegmentSum', 'Conv2DBackpropFilter', 'Unpack', 'MaxPoolGrad', 'GatherV2']
 * const sum = tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([1, 0, 1], 'int32'), 2);
 * sum.print(); // [[3, 4], [6, 8]]
 * ```
 * @returns the names of the kernels registered.
 */
export function registerDirectKernels(backendName: DirectKernelBackend): string[] {
  const configs = [
    unsortedSegmentSumConfig(backendName),
    conv2DBackpropFilterConfig(backendName),
    unpackConfig(backendName),
    maxPoolGradConfig(backendName),
    gatherV2Config(backendName),
  ];
  if (backendName === 'wasm') {
    const matMul = batchMatMulConfig();
    if (matMul) configs.push(matMul);
    configs.push(conv2DBackpropInputConfig());
    const conv = conv2DConfig();
    if (conv) configs.push(conv);
    configs.push(...sumConfigs());
    const pool = maxPoolConfig();
    if (pool) configs.push(pool);
    configs.push(identityConfig());
    const cast = castConfig();
    if (cast) configs.push(cast);
  }
  registerMeanGradient();
  for (const config of configs) {
    // tfjs warns when a kernel is registered twice; drop the earlier one first.
    if (tf.getKernel(config.kernelName, backendName)) {
      tf.unregisterKernel(config.kernelName, backendName);
    }
    tf.registerKernel(config);
  }
  return configs.map((c) => c.kernelName);
}
