import { RnnModelsError } from '../errors';
import {
  defaultKernelThreads,
  type KernelCall,
  KernelThreads,
  QUEUE_CAPACITY,
} from './kernel-threads';
import {
  FUSED_WASM_BASE64,
  FUSED_WASM_RELAXED_BASE64,
  FUSED_WASM_SHARED_BASE64,
  FUSED_WASM_SHARED_MAXIMUM_PAGES,
  FUSED_WASM_SHARED_RELAXED_BASE64,
} from './wasm-binary';
import { type Ptr, WASM_EXPORT_ARITY, type WasmExportName, type WasmExports } from './wasm-exports';

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

export type { Ptr, WasmExportName, WasmExports };

/** The part of the WebAssembly API used here (the package compiles without DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
};
declare function atob(data: string): string;

/** Every export, callable by name with its numeric arguments (how kernel calls are dispatched). */
type KernelTable = { readonly [K in WasmExportName]: (...args: readonly number[]) => void };

/**
 * Whether `exports` holds every function of the generated {@link WasmExports} with its declared
 * number of parameters: the run-time check that lets the instance's untyped exports be used as
 * the typed table without a cast.
 */
function isKernelModule(
  exports: Record<string, unknown>,
): exports is Record<string, unknown> & WasmExports & KernelTable {
  return Object.entries(WASM_EXPORT_ARITY).every(([name, arity]) => {
    const fn = exports[name];
    return typeof fn === 'function' && fn.length === arity;
  });
}

const HEAP_BASE = 65536;
const PAGE = 65536;

/**
 * The instantiated kernel module and a bump allocator over its memory. Every call of a fused op
 * starts with {@link FusedWasm.reset}, allocates its buffers, copies in, runs and copies out; the
 * memory holds nothing between calls, so interleaved layers cannot disturb each other. Where the
 * memory is shared, {@link FusedWasm.parallel} runs independent kernel calls on worker threads,
 * which start with the first such call: creating the module or asking its thread count starts none.
 */
export class FusedWasm {
  readonly exports: WasmExports;
  private readonly table: KernelTable;
  private readonly memory: WasmMemory;
  private readonly module: object;
  private readonly shared: boolean;
  private pool: KernelThreads | null = null;
  /** Threads asked for; 1 once workers turned out not to start. */
  private wanted = 1;
  private top = HEAP_BASE;
  private pinnedTop = HEAP_BASE;
  private readonly pinned: { ptr: number; freed: boolean }[] = [];
  private resets = 0;

  /** Whether this is the relaxed-SIMD build (fused multiply-adds in the products). */
  readonly relaxedSimd: boolean;

  constructor(
    memory: WasmMemory,
    exports: WasmExports & KernelTable,
    module: object,
    shared: boolean,
    relaxedSimd = false,
  ) {
    this.relaxedSimd = relaxedSimd;
    this.memory = memory;
    this.exports = exports;
    this.table = exports;
    this.module = module;
    this.shared = shared;
  }

  /**
   * Threads that {@link FusedWasm.parallel} spreads calls over (1 = the calling thread only),
   * whether or not their workers have started yet.
   */
  get threads(): number {
    if (this.pool) return this.pool.size;
    return this.shared && KernelThreads.available() ? this.wanted : 1;
  }

  /**
   * Uses `threads` threads from now on (the calling one included), stopping running workers;
   * new ones start with the next {@link FusedWasm.parallel} call. Stays at 1 where the memory is
   * not shared or workers are unavailable. Returns the count in use.
   */
  useThreads(threads: number): number {
    if (threads === this.threads && this.wanted === threads) return threads;
    this.pool?.close();
    this.pool = null;
    this.wanted = threads;
    return this.threads;
  }

  /**
   * Runs independent kernel calls (disjoint outputs) at once, one per thread; more calls than
   * threads run in rounds. Returns when all are done. The first call that has work for several
   * threads starts the workers.
   */
  parallel(calls: readonly KernelCall[]): void {
    if (!this.pool && calls.length > 1 && this.threads > 1) {
      this.pool = KernelThreads.start(
        this.wanted,
        this.module,
        this.memory,
        Object.keys(WASM_EXPORT_ARITY),
      );
      if (!this.pool) this.wanted = 1;
    }
    if (this.pool && !this.pool.ready()) {
      // a worker could not start (or died): carry on with the calling thread alone
      this.pool.close();
      this.pool = null;
      this.wanted = 1;
    }
    if (!this.pool || calls.length < 2) {
      for (const call of calls) this.table[call.name](...call.args);
      return;
    }
    // more calls than threads go through the pool's shared queue, each thread taking the next
    for (let i = 0; i < calls.length; i += QUEUE_CAPACITY) {
      this.pool.run(calls.slice(i, i + QUEUE_CAPACITY), this.table);
    }
  }

  /**
   * Runs the export `name` once per range, at once on the kernel threads: `args(start, count)`
   * gives the arguments of the share `[start, start + count)` (see {@link FusedWasm.split}).
   */
  shares(
    name: WasmExportName,
    ranges: readonly [number, number][],
    args: (start: number, count: number) => number[],
  ): void {
    this.parallel(ranges.map(([start, end]) => ({ name, args: args(start, end - start) })));
  }

  /**
   * Cuts `[0, count)` into at most {@link FusedWasm.threads} × `perThread` ranges (one where the
   * kernels run on one thread) of at least `minimum` items each, every boundary a multiple of
   * `align`: how {@link FusedWasm.parallel} callers share work. With `perThread` above 1 the
   * ranges go through the kernel threads' shared queue, so that a thread that runs slower takes
   * fewer of them.
   */
  split(count: number, minimum = 1, align = 1, perThread = 1): [number, number][] {
    const units = Math.ceil(count / align);
    const most = this.threads > 1 ? this.threads * perThread : 1;
    const parts = Math.max(1, Math.min(most, Math.floor(count / Math.max(1, minimum)), units));
    const ranges: [number, number][] = [];
    for (let p = 0; p < parts; p++) {
      const start = Math.min(count, Math.round((p * units) / parts) * align);
      const end =
        p === parts - 1 ? count : Math.min(count, Math.round(((p + 1) * units) / parts) * align);
      if (end > start) ranges.push([start, end]);
    }
    return ranges;
  }

  /** Stops the kernel threads; the next call that shares work starts them again. */
  close(): void {
    this.pool?.close();
    this.pool = null;
  }

  /** Frees every buffer but the pinned ones. */
  reset(): void {
    this.top = this.pinnedTop;
    this.resets++;
  }

  /**
   * Copies `data` into a buffer that {@link FusedWasm.reset} leaves alone, for data that many
   * kernel calls read (a stepper's weights), until {@link FusedWasm.unpin}. Frees every unpinned
   * buffer, as a reset does.
   */
  pin(data: Float32Array): Ptr {
    const ptr = this.pinAlloc(data.length);
    this.view(ptr, data.length).set(data);
    return ptr;
  }

  /** A pinned buffer of `floats` floats, uninitialised (see {@link FusedWasm.pin}). */
  pinAlloc(floats: number): Ptr {
    this.top = this.pinnedTop;
    this.resets++;
    const ptr = this.alloc(floats);
    this.pinnedTop = this.top;
    this.pinned.push({ ptr, freed: false });
    return ptr;
  }

  /** Frees a pinned buffer; the space returns once every buffer pinned after it is freed too. */
  unpin(ptr: Ptr): void {
    const block = this.pinned.find((b) => b.ptr === ptr && !b.freed);
    if (!block) return;
    block.freed = true;
    while (this.pinned.length && this.pinned[this.pinned.length - 1].freed) {
      this.pinnedTop = (this.pinned.pop() as { ptr: number }).ptr;
    }
  }

  /**
   * Counts {@link FusedWasm.reset} calls: a pointer taken when this read `n` still points at the
   * same data while it reads `n`.
   */
  get generation(): number {
    return this.resets;
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
}

let instance: FusedWasm | null | undefined;
let requestedThreads: number | undefined;

/** Relaxed SIMD: `undefined` for the default (see {@link chooseRelaxedSimd}). */
let relaxedChoice: boolean | undefined;

/**
 * Whether the kernels use the relaxed-SIMD build where the runtime has relaxed SIMD (`true`,
 * `'auto'`: the default, unless `SEQLEARN_RELAXED_SIMD=0`) or never (`false`). Takes effect at the
 * next kernel call: a module already compiled is dropped, its threads stopped.
 * `setRelaxedSimd` (process-switches.ts) is the public switch.
 */
export function chooseRelaxedSimd(choice: boolean | 'auto'): void {
  relaxedChoice = choice === 'auto' ? undefined : choice;
  if (instance) instance.close();
  instance = undefined;
}

interface NodeProcessLike {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

function relaxedSimdWanted(): boolean {
  if (relaxedChoice !== undefined) return relaxedChoice;
  const env = (globalThis as { process?: NodeProcessLike }).process?.env?.SEQLEARN_RELAXED_SIMD;
  return !(env === '0' || env === 'false');
}

/**
 * Whether `bytes` (a relaxed-SIMD build) compiles here. Node.js 20's V8 has relaxed SIMD behind
 * `--experimental-wasm-relaxed-simd` (on by default from Node.js 22 and Chrome 114): there the
 * flag is turned on, which only lets WebAssembly modules compiled from now on use these
 * instructions (process-switches.ts documents it).
 */
function relaxedSimdCompiles(bytes: Uint8Array): boolean {
  if (WebAssembly.validate(bytes)) return true;
  const proc = (globalThis as { process?: NodeProcessLike }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as
    | { setFlagsFromString(flags: string): void }
    | undefined;
  if (!v8) return false;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(bytes);
}

function instantiate(
  base64: string,
  memory: WasmMemory,
  shared: boolean,
  relaxed: boolean,
): FusedWasm {
  const bytes = decodeBase64(base64);
  if (relaxed && !relaxedSimdCompiles(bytes)) throw new Error('relaxed SIMD is unavailable');
  const module = new WebAssembly.Module(bytes);
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  if (!isKernelModule(exports)) {
    throw new RnnModelsError({
      code: 'KERNEL_FAILED',
      message: 'the wasm kernel module lacks exports that src/wasm/wasm-exports.ts declares',
    });
  }
  return new FusedWasm(memory, exports, module, shared, relaxed);
}

/**
 * The fused kernel module, compiled and instantiated on first use (synchronously: the module is
 * about 19 kB), or `null` where WebAssembly SIMD is not available. It runs on a shared memory
 * with worker threads where the host has both (Node), else on the calling thread.
 */
export function getFusedWasm(): FusedWasm | null {
  if (instance !== undefined) return instance;
  const threads = requestedThreads ?? defaultKernelThreads();
  instance = null;
  // the shared build wherever the host allows it, so that threads can be turned on at any time;
  // the relaxed-SIMD build of each where the runtime compiles it
  const builds: [string, boolean, boolean][] = [
    [FUSED_WASM_SHARED_RELAXED_BASE64, true, true],
    [FUSED_WASM_SHARED_BASE64, true, false],
    [FUSED_WASM_RELAXED_BASE64, false, true],
    [FUSED_WASM_BASE64, false, false],
  ];
  const relaxed = relaxedSimdWanted();
  for (const [base64, shared, relaxedBuild] of builds) {
    if (relaxedBuild && !relaxed) continue;
    if (shared && typeof SharedArrayBuffer === 'undefined') continue;
    try {
      const memory = shared
        ? new WebAssembly.Memory({ initial: 2, maximum: FUSED_WASM_SHARED_MAXIMUM_PAGES, shared })
        : new WebAssembly.Memory({ initial: 2 });
      instance = instantiate(base64, memory, shared, relaxedBuild);
      if (shared) instance.useThreads(threads);
      break;
    } catch {
      instance = null;
    }
  }
  return instance;
}

/**
 * Asks for `threads` kernel threads, the calling one included; `setKernelThreads` (the public
 * switch, in process-switches.ts) validates and documents it. Stops running workers, starts none.
 * Returns the count in use from now on.
 */
export function useKernelThreads(threads: number): number {
  requestedThreads = threads;
  if (instance === undefined) return getFusedWasm()?.threads ?? 1;
  return instance?.useThreads(threads) ?? 1;
}

/** The kernel thread count in use (1 where threads are unavailable); starts no worker. */
export function kernelThreadCount(): number {
  return getFusedWasm()?.threads ?? 1;
}

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
