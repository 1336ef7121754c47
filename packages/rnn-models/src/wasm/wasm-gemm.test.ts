import { describe, expect, it } from 'vitest';
import { getFusedWasm } from './wasm-kernel';

const PAGE = 65536;

/** Deterministic values in [-1, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

interface Case {
  m: number;
  k: number;
  n: number;
  lda: number;
  ldb: number;
  ldc: number;
  accumulate: boolean;
}

/**
 * Runs the kernel's gemm on random A, B and C (row-major, with the given leading dimensions) and
 * returns C before and after, with the plain-JS product in double precision. With `bLast`, B is
 * the last allocation and ends at the last byte of the wasm memory.
 */
function run(c: Case, seed: number, bLast = false) {
  const wasm = getFusedWasm();
  if (!wasm) throw new Error('wasm SIMD unavailable');
  const rnd = seeded(seed);
  const aLen = c.m === 0 ? 0 : (c.m - 1) * c.lda + c.k;
  const bLen = c.k === 0 ? 0 : (c.k - 1) * c.ldb + c.n;
  const cLen = c.m === 0 ? 0 : (c.m - 1) * c.ldc + c.n;
  const A = Float32Array.from({ length: aLen }, rnd);
  const B = Float32Array.from({ length: bLen }, rnd);
  const C0 = Float32Array.from({ length: cLen }, rnd);
  wasm.reset();
  const pa = wasm.put(A);
  const pc = wasm.put(C0);
  let pb: number;
  if (bLast) {
    // pad so that the region holding B ends on a page boundary, and B at the region's end
    const slots = Math.ceil(bLen / 4) * 4;
    const start = wasm.alloc(0);
    const pad = (((PAGE - ((start + slots * 4) % PAGE)) % PAGE) / 4) | 0;
    wasm.alloc(pad);
    const region = wasm.alloc(slots);
    pb = region + (slots - bLen) * 4;
    wasm.view(pb, bLen).set(B);
    expect(pb + bLen * 4).toBe(wasm.view(0, 0).buffer.byteLength);
  } else {
    pb = wasm.put(B);
  }
  wasm.exports.gemm(pa, c.lda, pb, c.ldb, pc, c.ldc, c.m, c.k, c.n, c.accumulate ? 1 : 0);
  const got = wasm.read(pc, cLen);
  const want = Float64Array.from(C0);
  const scale = new Float64Array(cLen);
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let s = c.accumulate ? C0[i * c.ldc + j] : 0;
      let abs = Math.abs(s);
      for (let p = 0; p < c.k; p++) {
        const x = A[i * c.lda + p] * B[p * c.ldb + j];
        s += x;
        abs += Math.abs(x);
      }
      want[i * c.ldc + j] = s;
      scale[i * c.ldc + j] = abs;
    }
  }
  return { got, want, scale, before: C0 };
}

/** Largest |got - want| relative to the sum of the magnitudes of the terms (0 where untouched). */
function worst(r: ReturnType<typeof run>): number {
  let e = 0;
  for (let i = 0; i < r.got.length; i++) {
    e = Math.max(e, Math.abs(r.got[i] - r.want[i]) / (r.scale[i] + 1e-30));
  }
  return e;
}

const awkward: [number, number, number][] = [
  [1, 1, 1],
  [1, 300, 37],
  [2, 3, 3],
  [3, 5, 6],
  [5, 7, 10],
  [7, 9, 9],
  [9, 31, 23],
  [13, 33, 17],
  [17, 64, 33],
  [33, 40, 65],
  [70, 64, 19],
  [37, 29, 23],
  [6, 513, 2],
  [130, 12, 11],
];

describe('the fused kernel gemm', () => {
  for (const [m, k, n] of awkward) {
    for (const accumulate of [false, true]) {
      it(`computes C ${accumulate ? '+=' : '='} A·B for m=${m} k=${k} n=${n} with padded rows`, () => {
        const r = run(
          { m, k, n, lda: k + 3, ldb: n + 5, ldc: n + 2, accumulate },
          m * 1000 + k * 10 + n,
        );
        expect(worst(r)).toBeLessThan(1e-5);
      });
    }
  }

  it('leaves the padding between rows of C untouched', () => {
    const ldc = 23;
    const r = run({ m: 11, k: 37, n: 21, lda: 40, ldb: 21, ldc, accumulate: false }, 7);
    for (let i = 0; i < 10; i++) {
      for (let j = 21; j < ldc; j++) expect(r.got[i * ldc + j]).toBe(r.before[i * ldc + j]);
    }
  });

  it('computes with tight leading dimensions (lda = k, ldb = ldc = n)', () => {
    const r = run({ m: 19, k: 45, n: 27, lda: 45, ldb: 27, ldc: 27, accumulate: true }, 11);
    expect(worst(r)).toBeLessThan(1e-5);
  });

  for (const n of [1, 2, 3, 7]) {
    it(`reads no byte past the end of memory when B ends there (n=${n})`, () => {
      const r = run({ m: 6, k: 35, n, lda: 35, ldb: n, ldc: n, accumulate: true }, 13 + n, true);
      expect(worst(r)).toBeLessThan(1e-5);
    });
  }

  it('zeroes C for k = 0 without accumulate, and leaves it for k = 0 with', () => {
    const off = run({ m: 3, k: 0, n: 5, lda: 1, ldb: 5, ldc: 5, accumulate: false }, 17);
    expect(Array.from(off.got)).toEqual(new Array(15).fill(0));
    const on = run({ m: 3, k: 0, n: 5, lda: 1, ldb: 5, ldc: 5, accumulate: true }, 17);
    expect(Array.from(on.got)).toEqual(Array.from(on.before));
  });
});

describe('the fused kernel transpose', () => {
  for (const [rows, cols, ldd] of [
    [1, 1, 1],
    [3, 7, 3],
    [4, 4, 4],
    [9, 6, 9],
    [13, 33, 13],
    [64, 9, 64],
    // destination rows spread apart, as the products' right operands are (productStride)
    [8, 12, 24],
    [13, 5, 16],
  ] as const) {
    it(`transposes a ${rows} × ${cols} matrix exactly into rows ${ldd} floats apart`, () => {
      const wasm = getFusedWasm();
      if (!wasm) throw new Error('wasm SIMD unavailable');
      const rnd = seeded(rows * 100 + cols);
      const src = Float32Array.from({ length: rows * cols }, rnd);
      wasm.reset();
      const ps = wasm.put(src);
      const pd = wasm.alloc(cols * ldd);
      wasm.view(pd, cols * ldd).fill(-7);
      wasm.exports.transpose(ps, pd, rows, cols, ldd);
      const got = wasm.read(pd, cols * ldd);
      // the padding between rows is left as it was
      const want = new Float32Array(cols * ldd).fill(-7);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) want[c * ldd + r] = src[r * cols + c];
      expect(Array.from(got)).toEqual(Array.from(want));
    });
  }
});
