import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FusedLSTM } from '../fused/fused-lstm';
import { initBackend, setRelaxedSimd } from '../process-switches';
import { getFusedWasm } from './wasm-kernel';

/** Deterministic values in [-1, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** C = A·B by the module's gemm, [m, k]·[k, n]. */
function gemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const wasm = getFusedWasm();
  if (!wasm) throw new Error('wasm SIMD unavailable');
  wasm.reset();
  const pa = wasm.put(a);
  const pb = wasm.put(b);
  const pc = wasm.alloc(m * n);
  wasm.exports.gemm(pa, k, pb, n, pc, n, m, k, n, 0);
  return wasm.read(pc, m * n);
}

/**
 * Loss and gradients of a fused LSTM on fixed data: what one training step sees. `between` runs
 * after the forward pass, before the backward.
 */
function lstmStep(between: () => void = () => {}): number[] {
  return tf.tidy(() => {
    const layer = new FusedLSTM({
      units: 16,
      returnSequences: true,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    });
    const x = tf.randomNormal([8, 12, 5], 0, 1, 'float32', 3);
    layer.build(x.shape);
    const weights = layer.trainableWeights.map((w) => w.read());
    const { value, grads } = tf.variableGrads(
      () => {
        const loss = tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar;
        between();
        return loss;
      },
      layer.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    const out = [value.dataSync()[0]];
    for (const g of Object.values(grads)) out.push(...g.dataSync());
    tf.dispose(weights);
    return out;
  });
}

describe('relaxed SIMD', () => {
  const previous = process.env.SEQLEARN_RELAXED_SIMD;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: false });
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.SEQLEARN_RELAXED_SIMD;
    else process.env.SEQLEARN_RELAXED_SIMD = previous;
    setRelaxedSimd('auto');
  });

  it('is the default on Node.js 20 and later, and SEQLEARN_RELAXED_SIMD=0 or false turns it off', () => {
    delete process.env.SEQLEARN_RELAXED_SIMD;
    expect(setRelaxedSimd('auto')).toBe(true);
    expect(getFusedWasm()?.relaxedSimd).toBe(true);
    process.env.SEQLEARN_RELAXED_SIMD = '0';
    expect(setRelaxedSimd('auto')).toBe(false);
    process.env.SEQLEARN_RELAXED_SIMD = 'false';
    expect(setRelaxedSimd('auto')).toBe(false);
    // an explicit choice wins over the environment
    expect(setRelaxedSimd(true)).toBe(true);
    delete process.env.SEQLEARN_RELAXED_SIMD;
    expect(setRelaxedSimd(false)).toBe(false);
    expect(() => setRelaxedSimd('yes' as never)).toThrow(/expected true, false or 'auto'; got yes/);
  });

  it('lets a backward pass finish on the module its forward pass ran on when the build changes between them', () => {
    expect(setRelaxedSimd(true)).toBe(true);
    const expected = lstmStep();
    // a new module from the next kernel call on: the backward must still read the old one
    expect(lstmStep(() => setRelaxedSimd(false))).toEqual(expected);
    setRelaxedSimd('auto');
  });

  it('computes the same products and LSTM gradients as the plain build, to rounding', () => {
    const rnd = seeded(7);
    const [m, k, n] = [37, 129, 70];
    const a = Float32Array.from({ length: m * k }, rnd);
    const b = Float32Array.from({ length: k * n }, rnd);
    const exact = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
        exact[i * n + j] = s;
      }
    setRelaxedSimd(false);
    const plain = gemm(a, b, m, k, n);
    const plainStep = lstmStep();
    expect(setRelaxedSimd(true)).toBe(true);
    const relaxed = gemm(a, b, m, k, n);
    const relaxedStep = lstmStep();
    // and repeatable: the same build gives the same bits twice
    expect(gemm(a, b, m, k, n)).toEqual(relaxed);
    expect(lstmStep()).toEqual(relaxedStep);
    for (let i = 0; i < m * n; i++) {
      expect(Math.abs(plain[i] - exact[i])).toBeLessThan(1e-4);
      expect(Math.abs(relaxed[i] - exact[i])).toBeLessThan(1e-4);
    }
    expect(relaxedStep.length).toBe(plainStep.length);
    for (let i = 0; i < plainStep.length; i++) {
      expect(relaxedStep[i]).toBeCloseTo(plainStep[i], 3);
    }
  });
});
