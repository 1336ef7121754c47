import { FUSED_WASM_BASE64 } from './wasm-binary';

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
  Memory: new (descriptor: { initial: number }) => WasmMemory;
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
 * memory holds nothing between calls, so interleaved layers cannot disturb each other.
 */
export class FusedWasm {
  readonly exports: FusedWasmExports;
  private readonly memory: WasmMemory;
  private top = HEAP_BASE;
  private readonly pool = new Map<number, Float32Array[]>();

  constructor(memory: WasmMemory, exports: FusedWasmExports) {
    this.memory = memory;
    this.exports = exports;
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
    if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
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
    const out = this.pool.get(floats)?.pop() ?? new Float32Array(floats);
    out.set(this.view(ptr, floats));
    return out;
  }

  /** Returns arrays from {@link FusedWasm.keep} for reuse. */
  release(...arrays: (Float32Array | null | undefined)[]): void {
    for (const array of arrays) {
      if (!array) continue;
      let list = this.pool.get(array.length);
      if (!list) {
        list = [];
        this.pool.set(array.length, list);
      }
      if (list.length < 8) list.push(array);
    }
  }
}

let instance: FusedWasm | null | undefined;

/**
 * The fused kernel module, compiled and instantiated on first use (synchronously: the module is
 * about 8 kB), or `null` where WebAssembly SIMD is not available.
 */
export function getFusedWasm(): FusedWasm | null {
  if (instance !== undefined) return instance;
  try {
    const bytes = decodeBase64(FUSED_WASM_BASE64);
    const memory = new WebAssembly.Memory({ initial: 2 });
    const module = new WebAssembly.Module(bytes);
    const wasm = new WebAssembly.Instance(module, { env: { memory } });
    instance = new FusedWasm(memory, wasm.exports as unknown as FusedWasmExports);
  } catch {
    instance = null;
  }
  return instance;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
