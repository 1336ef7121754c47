import * as tf from '@tensorflow/tfjs';

/** Backends the direct kernels are written for. */
export type DirectKernelBackend = 'wasm' | 'cpu';

/** What tfjs passes a kernel function: its named inputs, the backend and the attributes. */
export interface KernelArgs<Backend = unknown> {
  inputs: tf.NamedTensorInfoMap;
  backend: Backend;
  attrs?: tf.NamedAttrMap;
}

/**
 * Registers, for `backendName`, each kernel of `kernels` (name → its config for a backend) and
 * `gradient`, each unless tfjs has it already: what a fused layer does on first use.
 */
export function ensureKernels(
  backendName: DirectKernelBackend,
  kernels: Record<string, (backendName: DirectKernelBackend) => tf.KernelConfig>,
  gradient: tf.GradConfig,
): void {
  for (const [name, config] of Object.entries(kernels)) {
    if (!tf.getKernel(name, backendName)) tf.registerKernel(config(backendName));
  }
  if (!tf.getGradient(gradient.kernelName)) tf.registerGradient(gradient);
}

/** The registry entry that runs `kernelFunc` as the kernel `kernelName` of `backendName`. */
export function kernelConfig(
  kernelName: string,
  backendName: DirectKernelBackend,
  kernelFunc: (args: KernelArgs<never>) => tf.TensorInfo | tf.TensorInfo[],
): tf.KernelConfig {
  return { kernelName, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

type TypedArray = Float32Array | Int32Array | Uint8Array;
type TensorInfo = tf.TensorInfo;

interface WasmLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): TypedArray;
  disposeData(dataId: object, force?: boolean): boolean;
}

interface CpuLike {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: TypedArray): TensorInfo;
  data: { get(dataId: object): { values: TypedArray } };
  readSync(dataId: object): TypedArray;
  disposeData(dataId: object, force?: boolean): boolean;
}

function isWasm(backend: unknown): backend is WasmLike {
  return typeof (backend as WasmLike).typedArrayFromHeap === 'function';
}

/** Which of the direct-kernel backends `backend` is. */
export function backendNameOf(backend: unknown): DirectKernelBackend {
  return isWasm(backend) ? 'wasm' : 'cpu';
}

function arrayFor(dtype: tf.DataType, size: number): TypedArray {
  if (dtype === 'int32') return new Int32Array(size);
  if (dtype === 'bool') return new Uint8Array(size);
  return new Float32Array(size);
}

/**
 * Allocates a tensor on `backend` without initialising it on wasm (its heap is not zeroed) and
 * zero-filled on cpu. Read its values with {@link view} after every allocation is done: a wasm
 * allocation may grow the heap and detach earlier views.
 */
export function allocate(backend: unknown, shape: number[], dtype: tf.DataType): TensorInfo {
  if (isWasm(backend)) return backend.makeOutput(shape, dtype);
  const size = shape.reduce((a, b) => a * b, 1);
  return (backend as CpuLike).makeTensorInfo(shape, dtype, arrayFor(dtype, size));
}

/** A typed-array view (wasm) or the stored array (cpu) of a tensor's values, without copying. */
export function view(backend: unknown, info: TensorInfo): TypedArray {
  if (isWasm(backend)) return backend.typedArrayFromHeap(info);
  const cpu = backend as CpuLike;
  const stored = cpu.data.get(info.dataId)?.values;
  return stored ?? cpu.readSync(info.dataId);
}

/** Frees an intermediate tensor that a kernel allocated and does not return. */
export function release(backend: unknown, info: TensorInfo): void {
  (backend as CpuLike).disposeData(info.dataId);
}
