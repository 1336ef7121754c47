// Kernels that run where the tfjs wasm backend keeps its tensors: max pooling, its gradient, sums
// over middle axes, and a Conv1D's forward pass and weight gradients where those run on one
// thread. A small module of them (assembly/heap/kernels.ts) is instantiated on the backend's own
// WebAssembly memory, and each call gets the byte offsets of its tensors there. The main kernel
// module cannot: it has a memory of its own (shared with its threads), so its kernels copy their
// operands in and their results out, which for a pooling costs more than the pooling (3 MB of
// copies for 1 ms of `har-conv1d`'s 5-6 ms step). The heap module has no data segment and no
// start function (scripts/build-wasm.mjs checks both), so instantiating it writes nothing into
// the backend's memory; its kernels only write outputs and scratch allocated through the backend.

import type * as tf from '@tensorflow/tfjs';
import { backendNameOf, view } from './kernel-io';
import { HEAP_WASM_BASE64, HEAP_WASM_RELAXED_BASE64 } from './wasm-binary';
import { HEAP_EXPORT_NAMES, type HeapExports } from './wasm-exports';
import { decodeBase64, getFusedWasm } from './wasm-kernel';

/** The part of the WebAssembly API used here (the package compiles without DOM types). */
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

/** What tfjs-backend-wasm's `BackendWasm` holds of its Emscripten module. */
interface WasmBackendLike {
  wasm?: { asm?: { memory?: unknown } };
}

/** The compiled heap module, plain and relaxed-SIMD (null: does not compile here). */
const compiled = new Map<boolean, object | null>();
const instances = new WeakMap<object, { relaxed: boolean; kernels: HeapExports | null }>();

function compile(relaxed: boolean): object | null {
  if (!compiled.has(relaxed)) {
    try {
      const base64 = relaxed ? HEAP_WASM_RELAXED_BASE64 : HEAP_WASM_BASE64;
      compiled.set(relaxed, new WebAssembly.Module(decodeBase64(base64)));
    } catch {
      compiled.set(relaxed, null);
    }
  }
  return compiled.get(relaxed) ?? null;
}

/**
 * The heap kernels on the memory of `backend` (a tfjs-backend-wasm backend), or `null` where they
 * cannot run there: another backend, a runtime without WebAssembly SIMD, or a backend whose
 * memory this module cannot import (a shared memory of a threaded build). They are the
 * relaxed-SIMD build (fused multiply-adds) exactly when the main kernel module is, so that a
 * Conv1D gives the same bits wherever it runs.
 */
export function heapKernels(backend: unknown): HeapExports | null {
  const memory = (backend as WasmBackendLike).wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const relaxed = getFusedWasm()?.relaxedSimd === true;
  const known = instances.get(memory);
  if (known !== undefined && known.relaxed === relaxed) return known.kernels;
  let kernels: HeapExports | null = null;
  try {
    const module = compile(relaxed);
    if (!module) throw new Error('the heap module does not compile here');
    const { exports } = new WebAssembly.Instance(module, { env: { memory } });
    const picked: Record<string, unknown> = {};
    for (const name of HEAP_EXPORT_NAMES) {
      if (typeof exports[name] !== 'function') throw new Error(`heap module lacks ${name}`);
      picked[name] = exports[name];
    }
    kernels = picked as unknown as HeapExports;
  } catch {
    kernels = null;
  }
  instances.set(memory, { relaxed, kernels });
  return kernels;
}

/** The byte offset of a tensor's values in the memory of its (wasm) backend. */
export function heapOffset(
  backend: unknown,
  info: { dataId: object; shape: number[]; dtype: string },
): number {
  if (backendNameOf(backend) !== 'wasm') {
    throw new Error('heapOffset: not a tfjs-backend-wasm backend');
  }
  return view(backend, info as tf.TensorInfo).byteOffset;
}
