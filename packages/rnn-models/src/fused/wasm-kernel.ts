import { RnnModelsError } from '../errors';
import { defaultKernelThreads, type KernelCall, KernelThreads } from './kernel-threads';
import {
  FUSED_WASM_BASE64,
  FUSED_WASM_SHARED_BASE64,
  FUSED_WASM_SHARED_MAXIMUM_PAGES,
} from './wasm-binary';

/** Activation codes understood by the wasm kernels (see assembly/fused.ts). */
export const ACTIVATION_CODES = {
  linear: 0,
  tanh: 1,
  sigmoid: 2,
  hardSigmoid: 3,
  relu: 4,
} as const;

/** The activations the fused layers compute. */
export type FusedActivation = keyof typeof ACTIVATION_CODES;

type Ptr = number;

/** The part of the WebAssembly API used here (the package compiles without DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};
declare function atob(data: string): string;

/** The functions that assembly/fused.ts exports; pointers are byte offsets into `memory`. */
export interface FusedWasmExports {
  gemm(
    a: Ptr,
    lda: number,
    b: Ptr,
    ldb: number,
    c: Ptr,
    ldc: number,
    m: number,
    k: number,
    n: number,
    accumulate: number,
  ): void;
  transpose(src: Ptr, dst: Ptr, rows: number, cols: number): void;
  rnnForward(
    xp: Ptr,
    u: Ptr,
    hs: Ptr,
    mask: Ptr,
    T: number,
    B: number,
    H: number,
    act: number,
  ): void;
  rnnBackward(
    hs: Ptr,
    dhs: Ptr,
    uT: Ptr,
    dg: Ptr,
    mask: Ptr,
    T: number,
    B: number,
    H: number,
    act: number,
  ): void;
  lstmForward(
    xp: Ptr,
    u: Ptr,
    hs: Ptr,
    cs: Ptr,
    ac: Ptr,
    mask: Ptr,
    T: number,
    B: number,
    H: number,
    act: number,
    ract: number,
  ): void;
  lstmBackward(
    gates: Ptr,
    cs: Ptr,
    ac: Ptr,
    dhs: Ptr,
    dc: Ptr,
    uT: Ptr,
    dg: Ptr,
    mask: Ptr,
    T: number,
    B: number,
    H: number,
    act: number,
    ract: number,
  ): void;
  gruForward(
    xp: Ptr,
    u: Ptr,
    brec: Ptr,
    hs: Ptr,
    aux: Ptr,
    rec: Ptr,
    mask: Ptr,
    T: number,
    B: number,
    H: number,
    act: number,
    ract: number,
    resetAfter: number,
  ): void;
  gruBackward(
    gates: Ptr,
    hs: Ptr,
    aux: Ptr,
    dhs: Ptr,
    uT: Ptr,
    dgx: Ptr,
    dgr: Ptr,
    dtmp: Ptr,
    mask: Ptr,
    T: number,
    B: number,
    H: number,
    act: number,
    ract: number,
    resetAfter: number,
  ): void;
}

const HEAP_BASE = 65536;
const PAGE = 65536;

/**
 * The instantiated kernel module and a bump allocator over its memory. Every call of a fused op
 * starts with {@link FusedWasm.reset}, allocates its buffers, copies in, runs and copies out; the
 * memory holds nothing between calls, so interleaved layers cannot disturb each other. Where the
 * memory is shared, {@link FusedWasm.parallel} runs independent kernel calls on worker threads.
 */
export class FusedWasm {
  readonly exports: FusedWasmExports;
  private readonly memory: WasmMemory;
  private readonly module: object;
  private readonly shared: boolean;
  private pool: KernelThreads | null = null;
  private top = HEAP_BASE;
  private readonly arrays = new Map<number, Float32Array[]>();

  constructor(memory: WasmMemory, exports: FusedWasmExports, module: object, shared: boolean) {
    this.memory = memory;
    this.exports = exports;
    this.module = module;
    this.shared = shared;
  }

  /** Threads that {@link FusedWasm.parallel} spreads calls over (1 = the calling thread only). */
  get threads(): number {
    return this.pool?.size ?? 1;
  }

  /**
   * Uses `threads` threads from now on (the calling one included), starting or stopping workers;
   * stays at 1 where the memory is not shared or workers are unavailable. Returns the count in use.
   */
  useThreads(threads: number): number {
    if (threads === this.threads) return threads;
    this.pool?.close();
    this.pool = null;
    if (threads > 1 && this.shared) {
      const names = Object.keys(this.exports).filter(
        (name) => typeof (this.exports as unknown as Record<string, unknown>)[name] === 'function',
      );
      this.pool = KernelThreads.start(threads, this.module, this.memory, names);
    }
    return this.threads;
  }

  /**
   * Runs independent kernel calls (disjoint outputs) at once, one per thread; more calls than
   * threads run in rounds. Returns when all are done.
   */
  parallel(calls: readonly KernelCall[]): void {
    const local = this.exports as unknown as Record<string, unknown>;
    if (this.pool && !this.pool.ready()) {
      // a worker could not start (or died): carry on with the calling thread alone
      this.pool.close();
      this.pool = null;
    }
    if (!this.pool || calls.length < 2) {
      for (const call of calls) {
        (local[call.name] as (...args: readonly number[]) => void)(...call.args);
      }
      return;
    }
    for (let i = 0; i < calls.length; i += this.pool.size) {
      this.pool.run(calls.slice(i, i + this.pool.size), local);
    }
  }

  /**
   * Runs the export `name` once per range, at once on the kernel threads: `args(start, count)`
   * gives the arguments of the share `[start, start + count)` (see {@link FusedWasm.split}).
   */
  shares(
    name: string,
    ranges: readonly [number, number][],
    args: (start: number, count: number) => number[],
  ): void {
    this.parallel(ranges.map(([start, end]) => ({ name, args: args(start, end - start) })));
  }

  /**
   * Cuts `[0, count)` into at most {@link FusedWasm.threads} ranges of at least `minimum` items
   * each, every boundary a multiple of `align`: how {@link FusedWasm.parallel} callers share work.
   */
  split(count: number, minimum = 1, align = 1): [number, number][] {
    const units = Math.ceil(count / align);
    const parts = Math.max(
      1,
      Math.min(this.threads, Math.floor(count / Math.max(1, minimum)), units),
    );
    const ranges: [number, number][] = [];
    for (let p = 0; p < parts; p++) {
      const start = Math.min(count, Math.round((p * units) / parts) * align);
      const end =
        p === parts - 1 ? count : Math.min(count, Math.round(((p + 1) * units) / parts) * align);
      if (end > start) ranges.push([start, end]);
    }
    return ranges;
  }

  /** Frees every buffer. */
  reset(): void {
    this.top = HEAP_BASE;
  }

  /** Reserves `floats` 32-bit floats, 16-byte aligned; returns the byte offset. */
  alloc(floats: number): Ptr {
    const ptr = this.top;
    this.top += Math.ceil((floats * 4) / 16) * 16;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) {
      try {
        this.memory.grow(Math.ceil(need / PAGE));
      } catch (error) {
        this.top = ptr;
        throw new RnnModelsError({
          code: 'KERNEL_FAILED',
          message: `the fused kernels need ${Math.ceil((ptr + floats * 4) / 2 ** 20)} MiB of wasm memory for this call; at most ${(FUSED_WASM_SHARED_MAXIMUM_PAGES * PAGE) / 2 ** 20} MiB can be had. Use a smaller batch or shorter sequences.`,
          cause: error,
        });
      }
    }
    return ptr;
  }

  /** Allocates and fills a buffer with `data`. */
  put(data: ArrayLike<number>): Ptr {
    const ptr = this.alloc(data.length);
    this.view(ptr, data.length).set(data);
    return ptr;
  }

  /** A live view of `floats` floats at `ptr`; invalid after the next {@link alloc}. */
  view(ptr: Ptr, floats: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, floats);
  }

  /** A copy of `floats` floats at `ptr`. */
  read(ptr: Ptr, floats: number): Float32Array {
    return this.view(ptr, floats).slice();
  }

  /**
   * A copy of `floats` floats at `ptr` in a recycled array (see {@link FusedWasm.release}):
   * saved activations go from forward to backward without fresh allocations. Never hand such
   * an array to a tensor.
   */
  keep(ptr: Ptr, floats: number): Float32Array {
    const out = this.arrays.get(floats)?.pop() ?? new Float32Array(floats);
    out.set(this.view(ptr, floats));
    return out;
  }

  /** Returns arrays from {@link FusedWasm.keep} for reuse. */
  release(...arrays: (Float32Array | null | undefined)[]): void {
    for (const array of arrays) {
      if (!array) continue;
      let list = this.arrays.get(array.length);
      if (!list) {
        list = [];
        this.arrays.set(array.length, list);
      }
      if (list.length < 8) list.push(array);
    }
  }
}

let instance: FusedWasm | null | undefined;
let requestedThreads: number | undefined;

function instantiate(base64: string, memory: WasmMemory): { module: object; exports: object } {
  const module = new WebAssembly.Module(decodeBase64(base64));
  const wasm = new WebAssembly.Instance(module, { env: { memory } });
  return { module, exports: wasm.exports };
}

/**
 * The fused kernel module, compiled and instantiated on first use (synchronously: the module is
 * about 12 kB), or `null` where WebAssembly SIMD is not available. It runs on a shared memory
 * with worker threads where the host has both (Node), else on the calling thread.
 */
export function getFusedWasm(): FusedWasm | null {
  if (instance !== undefined) return instance;
  const threads = requestedThreads ?? defaultKernelThreads();
  instance = null;
  // the shared build wherever the host allows it, so that threads can be turned on at any time
  if (typeof SharedArrayBuffer !== 'undefined') {
    try {
      const memory = new WebAssembly.Memory({
        initial: 2,
        maximum: FUSED_WASM_SHARED_MAXIMUM_PAGES,
        shared: true,
      });
      const { module, exports } = instantiate(FUSED_WASM_SHARED_BASE64, memory);
      instance = new FusedWasm(memory, exports as unknown as FusedWasmExports, module, true);
      instance.useThreads(threads);
    } catch {
      instance = null;
    }
  }
  if (!instance) {
    try {
      const memory = new WebAssembly.Memory({ initial: 2 });
      const { module, exports } = instantiate(FUSED_WASM_BASE64, memory);
      instance = new FusedWasm(memory, exports as unknown as FusedWasmExports, module, false);
    } catch {
      instance = null;
    }
  }
  return instance;
}

/**
 * Sets how many threads the fused kernels use, the calling one included (default: the
 * `SEQLEARN_THREADS` environment variable, else the number of cores, at most 8). Threads need
 * Node's `worker_threads` and `SharedArrayBuffer`; elsewhere the kernels stay on one thread.
 * Returns the number of threads in use afterwards.
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
  requestedThreads = threads;
  if (instance === undefined) return getFusedWasm()?.threads ?? 1;
  return instance?.useThreads(threads) ?? 1;
}

/**
 * How many threads the fused kernels use now (1 where threads are unavailable).
 * @example
 * ```ts
 * import { kernelThreads } from '@seqlearn/rnn-models';
 * console.log(kernelThreads()); // 2 on a 2-core machine
 * ```
 */
export function kernelThreads(): number {
  return getFusedWasm()?.threads ?? 1;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
