import type * as tf from '@tensorflow/tfjs';
import type { DirectKernelBackend } from '../wasm/kernel-io';
import { batchMatMulConfig } from './batch-mat-mul';
import { castConfig } from './cast';
import { conv2DConfig } from './conv2d';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { gatherV2Config } from './gather-v2';
import { identityConfig } from './identity';
import { maxPoolConfig } from './max-pool';
import { maxPoolGradConfig } from './max-pool-grad';
import { meanGradConfig } from './mean-gradient';
import { sumConfigs } from './sum';
import { unpackConfig } from './unpack';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';

/**
 * The kernels (and the one gradient) that `registerDirectKernels` (process-switches.ts, which
 * documents them and what registering them changes) installs for `backendName`.
 */
export function directKernelConfigs(backendName: DirectKernelBackend): {
  configs: tf.KernelConfig[];
  gradients: tf.GradConfig[];
} {
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
  return { configs, gradients: [meanGradConfig] };
}
