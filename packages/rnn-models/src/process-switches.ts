// Every switch of seqlearn that changes state shared by the whole process: tfjs' engine and its
// registries are globals, and so are the kernel threads. Nothing else in the package flips them;
// model factories, train, generation and saving only read them. In particular no function of the
// package replaces a global (Math.random, console), patches a tfjs class, or adds or removes a
// listener of the application's `process` while it runs.
//
// Also shared by the process, but private to seqlearn and replacing nothing: the fused layers,
// FusedConv1D and FusedAdam register kernels under names of their own (`SeqlearnConv1D`, ...) on
// first use (`SeqlearnRecurrence` and its two gradient kernels for the recurrent layers); and
// createSequenceModel and loadModel swap the serialization registry entries of `LSTM`, `GRU`,
// `SimpleRNN` and `Conv1D` while they build a model, then put back what was there.
//
// On the wasm backend, the direct kernels (MaxPool, MaxPoolGrad, Sum, Mean) and FusedConv1D
// instantiate, once, a small kernel module on the backend's own WebAssembly.Memory, so as to run on
// the tensors where they are (src/wasm/heap-kernels.ts): it has no data segment and no start
// function, so instantiating it writes nothing; its kernels write only the outputs and scratch
// tensors they allocate through the backend.
//
// One more effect on the process, documented at setRelaxedSimd: on Node.js 20 the first
// compilation of the kernels (the first kernel call, or initBackend) turns on V8's
// `--experimental-wasm-relaxed-simd`, unless SEQLEARN_RELAXED_SIMD=0 or setRelaxedSimd(false) came
// first; it only lets WebAssembly modules compiled afterwards use relaxed SIMD instructions.

import * as tf from '@tensorflow/tfjs';
import { type BackendInfo, type InitBackendOptions, selectBackend } from './backend';
import { RnnModelsError } from './errors';
import {
  chooseFusedImplementation as chooseImplementation,
  type FusedImplementation,
} from './fused/recurrence';
import { installFusedLayerClasses } from './fused/register-fused-layers';
import { directKernelConfigs } from './kernels/register-direct-kernels';
import type { DirectKernelBackend } from './wasm/kernel-io';
import {
  chooseRelaxedSimd,
  getFusedWasm,
  kernelThreadCount,
  useKernelThreads,
} from './wasm/wasm-kernel';

/**
 * Selects the fastest tfjs backend available and prepares it for training: native TensorFlow
 * through `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` when the application installed
 * one (they are never dependencies of seqlearn), else `@tensorflow/tfjs-backend-wasm` with the
 * gradient kernels it lacks registered (see {@link registerDirectKernels}), else the plain cpu
 * backend, which gets the same direct kernels in place of its slow ones. `SEQLEARN_BACKEND`
 * (`node-gpu`, `node`, `wasm` or `cpu`) overrides the automatic order; the `backend` option
 * overrides both. Calling it again is cheap and returns the same answer; asking for another
 * backend switches.
 *
 * What it changes in the process: tfjs' active backend (`tf.setBackend`, for every model of the
 * process); on wasm and cpu, tfjs' kernel registry for that backend (see
 * {@link registerDirectKernels}); on first use of the wasm backend, Emscripten's two rethrowing
 * `uncaughtException`/`unhandledRejection` handlers, which the backend installs, are removed
 * again so that Node reports errors itself. Listeners of the application, added before or during
 * the call, stay as they are. It starts no kernel thread (see {@link setKernelThreads}).
 *
 * @example
 * ```ts
 * import { initBackend } from '@seqlearn/rnn-models';
 * const info = await initBackend({ backend: 'wasm', log: false });
 * console.log(info.name, info.kernelsRegistered);
 * // wasm ['UnsortedSegmentSum', 'Conv2DBackpropFilter', 'Unpack', 'MaxPoolGrad', 'GatherV2',
 * //   'BatchMatMul', 'Conv2DBackpropInput']
 * ```
 * @throws {RnnModelsError} `BACKEND_NOT_INSTALLED` when the backend asked for needs a package
 * that is not installed (the message names it); `BACKEND_INIT_FAILED` when the backend asked for
 * is installed but does not start; `INVALID_ARGUMENT` for an unknown backend name, or options
 * that are not an object (`initBackend('wasm')` instead of `initBackend({ backend: 'wasm' })`).
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  return selectBackend(options, (name) => ({
    kernelsRegistered: registerDirectKernels(name),
    kernelThreads: kernelThreads(),
    relaxedSimd: getFusedWasm()?.relaxedSimd ?? false,
  }));
}

/**
 * Registers seqlearn's direct training kernels for `backendName`, replacing the backend's own
 * where it has one:
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
 * - on wasm, `MaxPool` and `MaxPoolGrad` along one axis and `Sum` and `Mean` over middle axes run
 *   in the backend's own memory, where the tensors are: a small module of those kernels (no data
 *   segment, no start function, so instantiating it writes nothing) is instantiated once on the
 *   backend's `WebAssembly.Memory`;
 * - on wasm, `Identity` (tfjs clones every tensor a gradient keeps with it) and `Cast` to the same
 *   type: share the data instead of copying it.
 *
 * The wasm backend of tfjs 4.22 lacks the first two; the cpu backend has them, unusably slow.
 * {@link initBackend} calls this; call it yourself only when you select the backend yourself.
 * Calling it again is harmless.
 *
 * What it changes in the process: tfjs' kernel registry, which is global, so every model of the
 * process that runs on `backendName` uses these kernels from now on; and tfjs' gradient registry
 * entry of `Mean` (a gradient that runs on any backend). Nothing is undone later.
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
  const { configs, gradients } = directKernelConfigs(backendName);
  for (const gradient of gradients) tf.registerGradient(gradient);
  for (const config of configs) {
    // tfjs warns when a kernel is registered twice; drop the earlier one first.
    if (tf.getKernel(config.kernelName, backendName)) {
      tf.unregisterKernel(config.kernelName, backendName);
    }
    tf.registerKernel(config);
  }
  return configs.map((c) => c.kernelName);
}

/**
 * Makes `tf.loadLayersModel` (and `tf.layers.bidirectional`, which copies its layer through the
 * registry) build `FusedLSTM`, `FusedGRU`, `FusedSimpleRNN` and `FusedConv1D` for the Keras
 * classes `LSTM`, `GRU`, `SimpleRNN` and `Conv1D`, so a saved model loads with fused layers,
 * including a GRU with `resetAfter: true` that stock tfjs refuses. Configs the fused layers do
 * not support (see `FusedLSTM.supportsConfig`, `FusedConv1D.supportsConfig`) still build the
 * stock layer. Nothing is registered until this is called.
 *
 * What it changes in the process: tfjs' serialization registry (`tf.serialization`), global, for
 * those four class names, until the returned function puts the stock classes back.
 * @example
 * ```ts
 * import { registerFusedLayers } from '@seqlearn/rnn-models';
 * const unregister = registerFusedLayers();
 * // ... tf.loadLayersModel(...) now builds fused layers
 * unregister();
 * ```
 */
export function registerFusedLayers(): () => void {
  return installFusedLayerClasses();
}

/**
 * Chooses how the fused layers run (see {@link FusedImplementation}); returns the previous choice.
 *
 * What it changes in the process: every fused layer and `FusedAdam` of the process, from their
 * next call on.
 * @example
 * ```ts
 * import { setFusedImplementation } from '@seqlearn/rnn-models';
 * setFusedImplementation('tf'); // tf ops everywhere, e.g. to compare
 * ```
 */
export function setFusedImplementation(choice: FusedImplementation): FusedImplementation {
  return chooseImplementation(choice);
}

/**
 * Sets how many threads seqlearn's wasm kernels (fused layers, `FusedConv1D`, `FusedAdam`, the
 * direct kernels' SIMD paths) use, the calling one included (default: the `SEQLEARN_THREADS`
 * environment variable, else the number of cores, at most 8). Threads need Node's
 * `worker_threads` and `SharedArrayBuffer`; elsewhere the kernels stay on one thread.
 *
 * What it changes in the process: the worker threads seqlearn keeps. Running workers stop at
 * once; `threads - 1` new ones start with the next kernel call that has work to share, not here.
 * They never keep a finished program alive.
 * @returns the number of threads in use afterwards.
 * @throws {RnnModelsError} `INVALID_ARGUMENT` unless `threads` is a whole number >= 1.
 * @example
 * ```ts
 * import { setKernelThreads } from '@seqlearn/rnn-models';
 * setKernelThreads(1); // e.g. to leave the other cores to other work
 * ```
 */
export function setKernelThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RnnModelsError({
      code: 'INVALID_ARGUMENT',
      argument: 'threads',
      message: `setKernelThreads: expected a whole number of threads >= 1; got ${threads}`,
    });
  }
  return useKernelThreads(threads);
}

/**
 * How many threads seqlearn's wasm kernels use (1 where threads are unavailable). Reading it
 * changes nothing: it starts no worker (they start with the first kernel call that shares work).
 * @example
 * ```ts
 * import { kernelThreads } from '@seqlearn/rnn-models';
 * console.log(kernelThreads()); // 2 on a 2-core machine
 * ```
 */
export function kernelThreads(): number {
  return kernelThreadCount();
}

/**
 * Whether seqlearn's wasm kernels use relaxed SIMD's fused multiply-add in their matrix products
 * (about 1.1-1.4× faster products on x64 with FMA3): `'auto'` (the default, unless the
 * `SEQLEARN_RELAXED_SIMD=0` environment variable says otherwise) uses it where the runtime
 * compiles relaxed SIMD, `false` never. A fused multiply-add rounds once where a multiply and an
 * add round twice, so results differ from the plain build in the last bits, and between machines
 * with and without FMA hardware; runs on one machine stay repeatable.
 *
 * What it changes in the process: the kernel module, compiled again now (its
 * threads stop and restart). On Node.js 20, whose V8 keeps relaxed SIMD behind a flag, the first
 * compilation with relaxed SIMD wanted turns on V8's `--experimental-wasm-relaxed-simd` (through
 * `v8.setFlagsFromString`), which lets every WebAssembly module compiled afterwards use relaxed
 * SIMD instructions and changes nothing else; Node.js 22 and later, and browsers since Chrome
 * 114 and Firefox 120, have them without a flag.
 * @returns whether the kernels now use relaxed SIMD (false where the runtime lacks it).
 * @example
 * ```ts
 * import { setRelaxedSimd } from '@seqlearn/rnn-models';
 * setRelaxedSimd(false); // the plain SIMD build, e.g. to compare results bit for bit
 * ```
 */
export function setRelaxedSimd(choice: boolean | 'auto'): boolean {
  if (typeof choice !== 'boolean' && choice !== 'auto') {
    throw new RnnModelsError({
      code: 'INVALID_ARGUMENT',
      argument: 'choice',
      message: `setRelaxedSimd: expected true, false or 'auto'; got ${String(choice)}`,
    });
  }
  chooseRelaxedSimd(choice);
  return getFusedWasm()?.relaxedSimd ?? false;
}
