// Helpers for the kernel tests (not exported from the package).
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { BackendName } from '../backend';
import { initBackend } from '../process-switches';

const KERNELS = [
  'UnsortedSegmentSum',
  'Conv2DBackpropFilter',
  'Unpack',
  'BatchMatMul',
  'MaxPoolGrad',
];
// Captured when this module loads, before any test registers seqlearn's kernels for cpu.
const stockCpu = new Map(KERNELS.map((name) => [name, tf.getKernel(name, 'cpu')!]));

/** Runs `fn` on the cpu backend with tfjs' own kernels, and returns its result as arrays. */
export async function withStockCpu(fn: () => tf.Tensor | tf.Tensor[]): Promise<number[][]> {
  await tf.setBackend('cpu');
  const ours = KERNELS.map((name) => tf.getKernel(name, 'cpu'));
  for (const name of KERNELS) {
    if (tf.getKernel(name, 'cpu')) tf.unregisterKernel(name, 'cpu');
    tf.registerKernel(stockCpu.get(name)!);
  }
  try {
    return toArrays(fn());
  } finally {
    for (const [i, name] of KERNELS.entries()) {
      tf.unregisterKernel(name, 'cpu');
      tf.registerKernel(ours[i] ?? stockCpu.get(name)!);
    }
  }
}

/** Runs `fn` on `backend` as {@link initBackend} sets it up, and returns its result as arrays. */
export async function withBackend(
  backend: BackendName,
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<number[][]> {
  await initBackend({ backend, log: false });
  return toArrays(fn());
}

function toArrays(out: tf.Tensor | tf.Tensor[]): number[][] {
  const list = Array.isArray(out) ? out : [out];
  const arrays = list.map((t) => Array.from(t.dataSync()));
  for (const t of list) t.dispose();
  return arrays;
}

/** Seeded uniform numbers in [lo, hi) (a 32-bit LCG), for test inputs. */
export function seededValues(n: number, seed: number, lo = -1, hi = 1): number[] {
  let state = seed >>> 0;
  return Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * state) / 2 ** 32;
  });
}

/** Expects arrays of equal length whose elements differ by at most `tolerance`. */
export function expectClose(actual: number[][], expected: number[][], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (const [i, values] of actual.entries()) {
    expect(values.length).toBe(expected[i].length);
    let worst = 0;
    for (const [j, v] of values.entries()) worst = Math.max(worst, Math.abs(v - expected[i][j]));
    expect(worst).toBeLessThanOrEqual(tolerance);
  }
}
