import * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from '../errors';
import {
  type Conv1dGeometry,
  conv1dBackwardInPlace,
  conv1dBackwardInto,
  conv1dBiasActInPlace,
  conv1dBiasActInto,
  conv1dGeometry,
  conv1dInputGradInto,
} from '../wasm/conv1d';
import {
  allocate,
  type DirectKernelBackend,
  ensureKernels,
  kernelConfig,
  view,
} from '../wasm/kernel-io';
import { activeFusedImplementation } from './recurrence';

/** The options of `tf.layers.conv1d` (Keras' `Conv1D`), which {@link FusedConv1D} takes as is. */
export type FusedConv1DArgs = Parameters<typeof tf.layers.conv1d>[0];

/** What tfjs-layers' (unexported) `Conv1D` class holds that {@link FusedConv1D} reads. */
interface Conv1DLayer extends tf.layers.Layer {
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  useBias: boolean;
  activation: { getClassName(): string } | null;
  strides: number[];
  dilationRate: number[];
  padding: string;
  dataFormat: string;
  filters: number;
  kernelSize: number[];
}

type Conv1DClass = new (args: FusedConv1DArgs) => Conv1DLayer;

/** tfjs-layers' `Conv1D` class: the constructor of a `tf.layers.conv1d` layer. */
const StockConv1D = Object.getPrototypeOf(
  // a name of its own, so that no generated layer name (conv1d_Conv1D1, ...) is used up
  tf.layers.conv1d({ filters: 1, kernelSize: 1, name: 'seqlearn_stock_conv1d_lookup' }),
).constructor as Conv1DClass;

const FORWARD_KERNEL = 'SeqlearnConv1D';
const BACKWARD_KERNEL = 'SeqlearnConv1DBackprop';
const INPUT_GRAD_KERNEL = 'SeqlearnConv1DBackpropInput';

interface ForwardAttrs {
  padding: 'valid' | 'same';
  relu: boolean;
  hasBias: boolean;
}

interface BackwardAttrs extends ForwardAttrs {
  kernelSize: number;
}

const isOne = (value: unknown) =>
  value == null || value === 1 || (Array.isArray(value) && value.every((v) => v === 1));

/**
 * Which options of a `tf.layers.conv1d` config (or a saved Keras `Conv1D` config) the fused
 * kernel cannot run; empty when it can. It runs channels-last float32 convolutions with stride 1,
 * dilation 1, padding `'valid'` or `'same'` and activation `'linear'` or `'relu'`; anything else
 * runs tfjs' own Conv1D (the layer still works, unfused).
 * @example
 * ```ts
 * import { unsupportedConv1DOptions } from '@seqlearn/rnn-models';
 * console.log(unsupportedConv1DOptions({ filters: 8, kernelSize: 3, strides: 2 })); // [ 'strides' ]
 * ```
 */
export function unsupportedConv1DOptions(options: FusedConv1DArgs | object): string[] {
  const config = options as Record<string, unknown>;
  const bad: string[] = [];
  if (!isOne(config.strides)) bad.push('strides');
  if (!isOne(config.dilationRate)) bad.push('dilationRate');
  if (config.padding != null && config.padding !== 'valid' && config.padding !== 'same')
    bad.push('padding');
  const activation = config.activation;
  if (activation != null && activation !== 'linear' && activation !== 'relu')
    bad.push('activation');
  if (config.dataFormat != null && config.dataFormat !== 'channelsLast') bad.push('dataFormat');
  if (config.dtype != null && config.dtype !== 'float32') bad.push('dtype');
  return bad;
}

/**
 * A Conv1D layer whose convolution, bias and activation run as one WebAssembly SIMD kernel on the
 * `wasm` and `cpu` backends, and whose backward pass (relu mask, bias gradient and filter gradient)
 * is one kernel too; tfjs' gradient machinery computes the input gradient only when something
 * upstream needs it (never for a first layer). It is tfjs-layers' `Conv1D` with the same options
 * and weights, and saves as Keras' `Conv1D`, so a saved model loads in stock tfjs. Options the
 * kernel does not run (strides or dilation other than 1, `'causal'` padding, activations other
 * than `'linear'` and `'relu'`; see {@link FusedConv1D.supportsConfig}), other backends and
 * `setFusedImplementation('tf')` run the stock layer's own ops.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FusedConv1D } from '@seqlearn/rnn-models';
 * const layer = new FusedConv1D({ filters: 4, kernelSize: 3, activation: 'relu' });
 * console.log(layer.apply(tf.ones([2, 10, 3])).shape, layer.getClassName()); // [ 2, 8, 4 ] Conv1D
 * ```
 */
export class FusedConv1D extends StockConv1D {
  /** Whether the fused kernel runs this `tf.layers.conv1d` config (else the stock ops do). */
  static supportsConfig(config: FusedConv1DArgs | object): boolean {
    return unsupportedConv1DOptions(config).length === 0;
  }

  /**
   * Runs the convolution (fused when the config and backend allow it).
   * @throws {RnnModelsError} `SHAPE_MISMATCH` (argument `inputs`) for inputs with other channels
   * than the layer was built for.
   */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    // the fused kernel reads x as [batch, steps, kernel channels]: other channels would read past
    // the filter (tfjs checks this in apply, not when call is used directly)
    const channels = this.kernel ? this.kernel.read().shape[1] : undefined;
    if (channels !== undefined && x?.rank === 3 && x.shape[2] !== channels) {
      throw new RnnModelsError({
        code: 'SHAPE_MISMATCH',
        argument: 'inputs',
        message: `${this.name}: expected inputs [batch, steps, ${channels}] (the layer was built for ${channels} channels), got [${x.shape.join(', ')}]`,
      });
    }
    const attrs = this.fusedAttrs(x);
    if (!attrs || !this.kernel) return super.call(inputs, kwargs) as tf.Tensor;
    const backendName = tf.getBackend() as DirectKernelBackend;
    ensureConv1DKernels(backendName);
    const named: tf.NamedTensorMap = { x, w: this.kernel.read() };
    if (attrs.hasBias && this.bias) named.b = this.bias.read();
    return tf
      .engine()
      .runKernel(FORWARD_KERNEL, named, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }

  /** The fused kernel's attributes, or `null` where the stock path must run. */
  private fusedAttrs(x: tf.Tensor | undefined): ForwardAttrs | null {
    const backend = tf.getBackend();
    if (backend !== 'wasm' && backend !== 'cpu') return null;
    if (activeFusedImplementation() !== 'wasm') return null;
    if (x?.rank !== 3 || x.dtype !== 'float32') return null;
    const activation = this.activation?.getClassName() ?? 'linear';
    const config = {
      strides: this.strides,
      dilationRate: this.dilationRate,
      padding: this.padding,
      dataFormat: this.dataFormat,
      activation: activation.toLowerCase() === 'relu' ? 'relu' : activation.toLowerCase(),
      dtype: this.dtype,
    };
    if (!FusedConv1D.supportsConfig(config)) return null;
    if (!geometryOf(x.shape as number[], this.kernelSize[0], this.filters, this.padding as 'same'))
      return null;
    return {
      padding: this.padding as 'valid' | 'same',
      relu: config.activation === 'relu',
      hasBias: this.useBias && this.bias != null,
    };
  }
}

/** The conv1d geometry of input `[batch, steps, F]`, `k` taps and `c` filters; `null` if none. */
function geometryOf(
  shape: number[],
  k: number,
  c: number,
  padding: 'valid' | 'same',
): Conv1dGeometry | null {
  const [batch, steps, f] = shape;
  if (padding === 'valid' && steps < k) return null;
  const info = tf.backend_util.computeConv2DInfo(
    [batch, 1, steps, f],
    [1, k, f, c],
    [1, 1],
    1,
    padding,
  );
  return conv1dGeometry(info);
}

function kernelFailed(what: string): RnnModelsError {
  return new RnnModelsError({
    code: 'KERNEL_FAILED',
    message: `FusedConv1D: the ${what} kernel could not run (expected room in the wasm kernels' memory for this call, got an allocation failure); use a smaller batch or setFusedImplementation('tf')`,
  });
}

/** y = act(conv1d(x, w) + b): inputs x [B, T, F], w [K, F, C], b [C] (optional). */
const forward = kernelConfigs(FORWARD_KERNEL, ({ inputs, backend, attrs }) => {
  const { x, w, b } = inputs as Record<'x' | 'w' | 'b', tf.TensorInfo | undefined>;
  const a = attrs as unknown as ForwardAttrs;
  const [k, , c] = (w as tf.TensorInfo).shape;
  const g = geometryOf((x as tf.TensorInfo).shape, k, c, a.padding) as Conv1dGeometry;
  const out = allocate(backend, [g.batch, g.outWidth, c], 'float32');
  // on wasm, where tfjs keeps the tensors when that is possible (nothing copied)
  if (
    conv1dBiasActInPlace(backend, x as tf.TensorInfo, w as tf.TensorInfo, b ?? null, a.relu, g, out)
  ) {
    return out;
  }
  const xs = view(backend, x as tf.TensorInfo) as Float32Array;
  const ws = view(backend, w as tf.TensorInfo) as Float32Array;
  const bs = b ? (view(backend, b) as Float32Array) : null;
  if (!conv1dBiasActInto(xs, ws, bs, a.relu, g, view(backend, out) as Float32Array)) {
    throw kernelFailed('forward');
  }
  return out;
});

/** [dw [K, F, C], db [C] (when hasBias)] from x, dy and the forward output y. */
const backward = kernelConfigs(BACKWARD_KERNEL, ({ inputs, backend, attrs }) => {
  const { x, dy, y } = inputs as Record<'x' | 'dy' | 'y', tf.TensorInfo>;
  const a = attrs as unknown as BackwardAttrs;
  const [, , f] = x.shape;
  const c = dy.shape[2];
  const g = geometryOf(x.shape, a.kernelSize, c, a.padding) as Conv1dGeometry;
  const dwInfo = allocate(backend, [a.kernelSize, f, c], 'float32');
  const dbInfo = a.hasBias ? allocate(backend, [c], 'float32') : null;
  if (conv1dBackwardInPlace(backend, x, dy, y, a.relu, g, dwInfo, dbInfo)) {
    return dbInfo ? [dwInfo, dbInfo] : [dwInfo];
  }
  const ok = conv1dBackwardInto(
    view(backend, x) as Float32Array,
    view(backend, dy) as Float32Array,
    view(backend, y) as Float32Array,
    a.relu,
    g,
    {
      dw: view(backend, dwInfo) as Float32Array,
      db: dbInfo ? (view(backend, dbInfo) as Float32Array) : null,
      dz: null,
    },
  );
  if (!ok) throw kernelFailed('backward');
  return dbInfo ? [dwInfo, dbInfo] : [dwInfo];
});

/** dx [B, T, F] from dy, the filter w [K, F, C] and the forward output y (for the relu mask). */
const inputGrad = kernelConfigs(INPUT_GRAD_KERNEL, ({ inputs, backend, attrs }) => {
  const { dy, w, y } = inputs as Record<'dy' | 'w' | 'y', tf.TensorInfo>;
  const a = attrs as unknown as ForwardAttrs & { inputShape: [number, number, number] };
  const [k, , c] = w.shape;
  const g = geometryOf(a.inputShape, k, c, a.padding) as Conv1dGeometry;
  const dx = allocate(backend, [...a.inputShape], 'float32');
  const ok = conv1dInputGradInto(
    view(backend, dy) as Float32Array,
    view(backend, w) as Float32Array,
    g,
    view(backend, dx) as Float32Array,
    a.relu ? (view(backend, y) as Float32Array) : null,
  );
  if (!ok) throw kernelFailed('input gradient');
  return dx;
});

function kernelConfigs(
  name: string,
  fn: Parameters<typeof kernelConfig>[2],
): (backendName: DirectKernelBackend) => tf.KernelConfig {
  return (backendName) => kernelConfig(name, backendName, fn);
}

/**
 * The backward pass. The weight gradients come from one kernel run when tfjs asks for the
 * gradient function (so within its backward scope, which frees what is not used); the input
 * gradient (dy masked by the relu, dy · wᵀ and a col2im, one kernel) only when its closure is
 * called, which tfjs does only where the input leads back to something being differentiated.
 */
const gradient: tf.GradConfig = {
  kernelName: FORWARD_KERNEL,
  inputsToSave: ['x', 'w'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, w, y] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const a = attrs as unknown as ForwardAttrs;
    const dy3 = dy as tf.Tensor3D;
    const k = w.shape[0];
    const weights = tf.engine().runKernel(BACKWARD_KERNEL, { x, dy: dy3, y }, {
      ...a,
      kernelSize: k,
    } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return {
      x: () =>
        tf.engine().runKernel(INPUT_GRAD_KERNEL, { dy: dy3, w, y }, {
          ...a,
          inputShape: x.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor,
      w: () => weights[0],
      b: () => weights[1],
    };
  },
};

/** Registers the kernels and the gradient for `backendName`, once. */
function ensureConv1DKernels(backendName: DirectKernelBackend): void {
  ensureKernels(
    backendName,
    { [FORWARD_KERNEL]: forward, [BACKWARD_KERNEL]: backward, [INPUT_GRAD_KERNEL]: inputGrad },
    gradient,
  );
}
