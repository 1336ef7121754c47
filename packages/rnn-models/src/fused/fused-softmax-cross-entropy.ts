import * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from '../errors';
import {
  allocate,
  type DirectKernelBackend,
  ensureKernels,
  kernelConfig,
  view,
} from '../wasm/kernel-io';

/** The loss: inputs labels and logits `[..., C]`; output the mean cross-entropy, a scalar. */
const FORWARD_KERNEL = 'SeqlearnSoftmaxCrossEntropy';
/** Its gradient with respect to the logits: inputs dy (scalar), labels, logits. */
const GRAD_KERNEL = 'SeqlearnSoftmaxCrossEntropyGrad';

type Info = tf.TensorInfo;

/**
 * Each row's log-sum-exp of `x` (rows of `classes` values), in float64: what the loss and its
 * gradient share.
 */
function logSumExps(x: Float32Array, rows: number, classes: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const at = r * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) max = Math.max(max, x[at + c] as number);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp((x[at + c] as number) - max);
    out[r] = max + Math.log(sum);
  }
  return out;
}

function forward({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: never }): Info {
  const { labels, logits } = inputs as { labels: Info; logits: Info };
  const classes = logits.shape[logits.shape.length - 1] as number;
  const rows = tf.util.sizeFromShape(logits.shape) / classes;
  const out = allocate(backend, [], 'float32');
  // views only after every allocation: a wasm allocation may move the heap
  const x = view(backend, logits) as Float32Array;
  const y = view(backend, labels) as Float32Array;
  const lse = logSumExps(x, rows, classes);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * classes;
    for (let c = 0; c < classes; c++) {
      const label = y[at + c] as number;
      if (label !== 0) total -= label * ((x[at + c] as number) - (lse[r] as number));
    }
  }
  (view(backend, out) as Float32Array)[0] = total / rows;
  return out;
}

function gradient({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: never }): Info {
  const { dy, labels, logits } = inputs as { dy: Info; labels: Info; logits: Info };
  const classes = logits.shape[logits.shape.length - 1] as number;
  const rows = tf.util.sizeFromShape(logits.shape) / classes;
  const out = allocate(backend, logits.shape, 'float32');
  const x = view(backend, logits) as Float32Array;
  const y = view(backend, labels) as Float32Array;
  const dx = view(backend, out) as Float32Array;
  const scale = ((view(backend, dy) as Float32Array)[0] as number) / rows;
  const lse = logSumExps(x, rows, classes);
  // d/dx_c of -Σ y·(x - lse) is Σy·softmax_c - y_c (softmax_c - y_c for one-hot labels)
  for (let r = 0; r < rows; r++) {
    const at = r * classes;
    let mass = 0;
    for (let c = 0; c < classes; c++) mass += y[at + c] as number;
    for (let c = 0; c < classes; c++) {
      const p = Math.exp((x[at + c] as number) - (lse[r] as number));
      dx[at + c] = scale * (mass * p - (y[at + c] as number));
    }
  }
  return out;
}

const gradConfig: tf.GradConfig = {
  kernelName: FORWARD_KERNEL,
  inputsToSave: ['labels', 'logits'],
  gradFunc: (dy, saved) => {
    const [labels, logits] = saved as [tf.Tensor, tf.Tensor];
    const rows = logits.size / (logits.shape[logits.shape.length - 1] as number);
    return {
      logits: () =>
        tf.engine().runKernel(GRAD_KERNEL, { dy: dy as tf.Tensor, labels, logits }) as tf.Tensor,
      // the labels' gradient -log softmax(x) · dy / rows, with tensor ops: rarely asked for
      labels: () => tf.mul(tf.neg(tf.logSoftmax(logits)), tf.div(dy as tf.Tensor, rows)),
    };
  },
};

const KERNELS = {
  [FORWARD_KERNEL]: (backendName: DirectKernelBackend) =>
    kernelConfig(FORWARD_KERNEL, backendName, forward),
  [GRAD_KERNEL]: (backendName: DirectKernelBackend) =>
    kernelConfig(GRAD_KERNEL, backendName, gradient),
};

/**
 * The mean softmax cross-entropy of `logits` against `onehotLabels` (`[..., classes]` both): the
 * value and gradient of `tf.losses.softmaxCrossEntropy(onehotLabels, logits)` with its defaults,
 * Keras' `categoricalCrossentropy(fromLogits: true)` and PyTorch's `F.cross_entropy`, in one
 * kernel each way instead of tfjs' thirty-odd tensor ops (each of which costs tens of
 * microseconds of JavaScript on the wasm backend, about a millisecond of a small model's
 * training step). For custom training loops on logits. Labels may be any distributions (rows
 * summing to 1), not only one-hot; their gradient, where asked for, is the true one,
 * `-log softmax(logits) / rows` (tfjs' custom gradient gives `labels - softmax(logits)`). Runs as that kernel on the wasm and cpu backends and as
 * `tf.losses.softmaxCrossEntropy` on any other.
 * @throws RnnModelsError `INVALID_ARGUMENT` when the shapes differ, are not at least 1-D, or
 *   either tensor is not numeric (int32 and bool labels are cast, as tfjs does).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { fusedSoftmaxCrossEntropy } from '@seqlearn/rnn-models';
 * const logits = tf.tensor2d([[2, 0, 0], [0, 0, 3]]);
 * const labels = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
 * console.log(fusedSoftmaxCrossEntropy(labels, logits).dataSync()[0].toFixed(4)); // 1.6672
 * ```
 */
export function fusedSoftmaxCrossEntropy(onehotLabels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  const shape = (t: tf.Tensor) => `[${t.shape.join(', ')}]`;
  if (logits.rank < 1 || !tf.util.arraysEqual(onehotLabels.shape, logits.shape)) {
    throw new RnnModelsError({
      code: 'INVALID_ARGUMENT',
      argument: 'onehotLabels',
      message: `fusedSoftmaxCrossEntropy: expected labels of the logits' shape ${shape(logits)} (at least 1-D, classes last), got ${shape(onehotLabels)}`,
    });
  }
  for (const [name, t] of [
    ['onehotLabels', onehotLabels],
    ['logits', logits],
  ] as const) {
    if (t.dtype === 'string' || t.dtype === 'complex64') {
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: name,
        message: `fusedSoftmaxCrossEntropy: expected numeric ${name} (float32, int32 or bool), got ${t.dtype}`,
      });
    }
  }
  const backendName = tf.getBackend();
  if (backendName !== 'wasm' && backendName !== 'cpu') {
    return tf.losses.softmaxCrossEntropy(onehotLabels, logits) as tf.Scalar;
  }
  ensureKernels(backendName, KERNELS, gradConfig);
  // int32 labels from tf.oneHot, as tf.losses takes them
  const float = (t: tf.Tensor) => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));
  return tf.tidy(
    () =>
      tf.engine().runKernel(FORWARD_KERNEL, {
        labels: float(onehotLabels),
        logits: float(logits),
      }) as tf.Scalar,
  );
}
