import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RnnModelsError } from '../errors';
import { kernelThreads, setFusedImplementation, setKernelThreads } from '../process-switches';
import { defaultKernelThreads, QUEUE_CAPACITY } from '../wasm/kernel-threads';
import { getFusedWasm } from '../wasm/wasm-kernel';
import { FusedGRU } from './fused-gru';
import { FusedLSTM } from './fused-lstm';
import type { FusedRecurrentArgs } from './fused-recurrent';
import { FusedSimpleRNN } from './fused-simple-rnn';
import { setMinTransposeFloats } from './recurrence';

// Batch 24: with 3 threads each share has 8 rows, the least the layers hand to a thread.
const B = 24;
const T = 7;
const F = 5;
const H = 6;

type Kind = 'lstm' | 'gru' | 'gruResetAfter' | 'simpleRNN';

function makeLayer(kind: Kind, returnSequences: boolean): tf.layers.Layer {
  const args = {
    units: H,
    returnSequences,
    recurrentActivation: 'sigmoid',
    kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    biasInitializer: tf.initializers.randomNormal({ seed: 3, stddev: 0.5 }),
  } as FusedRecurrentArgs;
  if (kind === 'lstm') return new FusedLSTM(args);
  if (kind === 'simpleRNN') return new FusedSimpleRNN(args);
  return new FusedGRU({ ...args, resetAfter: kind === 'gruResetAfter' });
}

function stockLayer(kind: Kind, returnSequences: boolean): tf.layers.Layer {
  const args = { units: H, returnSequences, recurrentActivation: 'sigmoid' as const };
  if (kind === 'lstm') return tf.layers.lstm(args);
  if (kind === 'simpleRNN') return tf.layers.simpleRNN(args);
  return tf.layers.gru(args);
}

/** Inputs with a different number of trailing zero (masked) steps per example. */
function inputs(): tf.Tensor3D {
  return tf.tidy(() => {
    const x = tf.randomNormal([B, T, F], 0, 1, 'float32', 11);
    const keep = new Float32Array(B * T);
    for (let b = 0; b < B; b++) for (let t = 0; t < T - (b % 4); t++) keep[b * T + t] = 1;
    return tf.mul(x, tf.tensor3d(keep, [B, T, 1])) as tf.Tensor3D;
  });
}

/** Output and gradients of sum(output · R) w.r.t. the input and every weight, masked. */
function run(layer: tf.layers.Layer, x: tf.Tensor3D): Float32Array[] {
  return tf.tidy(() => {
    const xv = tf.variable(x);
    const weights = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const mask = tf.any(tf.notEqual(x, 0), -1);
    let out!: tf.Tensor;
    const { grads } = tf.variableGrads(() => {
      const y = layer.apply(xv, { mask }) as tf.Tensor;
      out = tf.keep(y);
      const r = tf.randomNormal(y.shape, 0, 1, 'float32', 5);
      return tf.sum(tf.mul(y, r));
    }, [xv, ...weights]);
    const result = [out, ...[xv, ...weights].map((v) => grads[v.name] as tf.Tensor)].map(
      (t) => t.dataSync() as Float32Array,
    );
    xv.dispose();
    return result;
  }) as unknown as Float32Array[];
}

describe('fused kernels on worker threads', () => {
  let minTransposeFloats = 0;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    setFusedImplementation('wasm');
    // the backward pass's transposes shared out too, at these small sizes
    minTransposeFloats = setMinTransposeFloats(1);
  });
  afterAll(async () => {
    setMinTransposeFloats(minTransposeFloats);
    setFusedImplementation('auto');
    setKernelThreads(defaultKernelThreads());
  });

  it('starts the threads asked for', () => {
    expect(setKernelThreads(3)).toBe(3);
    expect(kernelThreads()).toBe(3);
    expect(setKernelThreads(1)).toBe(1);
    expect(kernelThreads()).toBe(1);
  });

  const kinds: Kind[] = ['lstm', 'gru', 'gruResetAfter', 'simpleRNN'];
  // 3 threads: one share of the batch each; 2 threads: three shares through the shared queue
  for (const [kind, returnSequences, threads] of kinds.flatMap((k) =>
    [true, false].flatMap((r) => [3, 2].map((n) => [k, r, n] as const)),
  )) {
    it(`${kind}${returnSequences ? ', whole sequence' : ''}: ${threads} threads give the same bits as 1`, () => {
      const x = inputs();
      const layer = makeLayer(kind, returnSequences);
      tf.tidy(() => {
        layer.apply(tf.zeros([B, T, F]));
      });
      setKernelThreads(1);
      const one = run(layer, x);
      setKernelThreads(threads);
      const three = run(layer, x);
      expect(three.length).toBe(one.length);
      for (const [i, values] of three.entries())
        expect(Array.from(values)).toEqual(Array.from(one[i]!));
      if (kind !== 'gruResetAfter') {
        // and the stock tfjs-layers layer agrees with the threaded run
        const stock = stockLayer(kind, returnSequences);
        tf.tidy(() => {
          stock.apply(tf.zeros([B, T, F]));
        });
        stock.setWeights(layer.getWeights());
        const reference = run(stock, x);
        reference.forEach((values, i) => {
          const got = three[i]!;
          let worst = 0;
          for (let j = 0; j < values.length; j++) {
            worst = Math.max(worst, Math.abs(values[j]! - got[j]!));
          }
          expect(worst).toBeLessThan(i === 0 ? 1e-5 : 1e-4);
        });
        stock.dispose();
      }
      layer.dispose();
      x.dispose();
    });
  }

  it('reports a kernel that fails on a worker as KERNEL_FAILED', () => {
    setKernelThreads(2);
    const wasm = getFusedWasm();
    expect(wasm?.threads).toBe(2);
    if (!wasm) return;
    wasm.reset();
    const a = wasm.alloc(16);
    const outside = 2 ** 32 - 64; // far past the end of the memory: the worker traps
    const call = (c: number) => ({ name: 'gemm' as const, args: [a, 4, a, 4, c, 4, 4, 4, 4, 0] });
    let error: unknown;
    try {
      wasm.parallel([call(wasm.alloc(16)), call(outside)]);
    } catch (e) {
      error = e;
    }
    expect(RnnModelsError.isInstance(error)).toBe(true);
    expect((error as RnnModelsError).code).toBe('KERNEL_FAILED');
    expect((error as Error).message).toMatch(/gemm on worker 1: .*out of bounds/);
    // and the threads still serve the next call
    wasm.parallel([call(wasm.alloc(16)), call(wasm.alloc(16))]);
  });

  it('drops the threads when a worker has died between calls, and carries on alone', async () => {
    setKernelThreads(2);
    const wasm = getFusedWasm();
    if (!wasm) return;
    wasm.reset();
    const a = wasm.alloc(16);
    wasm.view(a, 16).fill(1);
    const out = [wasm.alloc(16), wasm.alloc(16)];
    const call = (c: number) => ({ name: 'gemm' as const, args: [a, 4, a, 4, c, 4, 4, 4, 4, 0] });
    wasm.parallel(out.map(call)); // starts the workers
    const workers = (wasm as unknown as { pool: { workers: { terminate(): Promise<number> }[] } })
      .pool.workers;
    await workers[0]?.terminate(); // its 'exit' event has run when this settles
    await new Promise((resolve) => setTimeout(resolve, 10));
    wasm.parallel(out.map(call));
    expect(wasm.threads).toBe(1);
    for (const c of out) expect(Array.from(wasm.view(c, 16))).toEqual(new Array(16).fill(4));
    expect(setKernelThreads(2)).toBe(2); // and new threads can be had
  });

  it('runs more calls than threads through the shared queue, each once', () => {
    setKernelThreads(2);
    const wasm = getFusedWasm();
    if (!wasm) return;
    wasm.reset();
    const a = wasm.alloc(16);
    wasm.view(a, 16).fill(1);
    // 7 calls, then more than the queue holds at once (they run in rounds)
    for (const n of [7, QUEUE_CAPACITY + 6]) {
      const out = Array.from({ length: n }, () => wasm.alloc(16));
      for (const c of out) wasm.view(c, 16).fill(0);
      // accumulate: a call that ran twice would leave 8s, one that never ran 0s
      wasm.parallel(
        out.map((c) => ({ name: 'gemm' as const, args: [a, 4, a, 4, c, 4, 4, 4, 4, 1] })),
      );
      for (const c of out) expect(Array.from(wasm.view(c, 16))).toEqual(new Array(16).fill(4));
    }
  });

  it('reports a queued call that fails as KERNEL_FAILED, and serves the next calls', () => {
    setKernelThreads(2);
    const wasm = getFusedWasm();
    if (!wasm) return;
    wasm.reset();
    const a = wasm.alloc(16);
    const outside = 2 ** 32 - 64;
    const call = (c: number) => ({ name: 'gemm' as const, args: [a, 4, a, 4, c, 4, 4, 4, 4, 0] });
    const calls = [call(wasm.alloc(16)), call(wasm.alloc(16)), call(outside), call(wasm.alloc(16))];
    let error: unknown;
    try {
      wasm.parallel(calls);
    } catch (e) {
      error = e;
    }
    expect((error as RnnModelsError).code).toBe('KERNEL_FAILED');
    expect((error as Error).message).toMatch(/out of bounds/);
    wasm.parallel([call(wasm.alloc(16)), call(wasm.alloc(16)), call(wasm.alloc(16))]);
  });

  it('splits work into a given number of shares per thread, for the queue', () => {
    setKernelThreads(2);
    const wasm = getFusedWasm();
    if (!wasm) return;
    expect(wasm.split(64, 8, 1, 4)).toEqual(
      Array.from({ length: 8 }, (_, i) => [8 * i, 8 * i + 8]),
    );
    expect(wasm.split(24, 8, 1, 4)).toEqual([
      [0, 8],
      [8, 16],
      [16, 24],
    ]);
    setKernelThreads(1);
    expect(wasm.split(64, 8, 1, 4)).toEqual([[0, 64]]);
  });

  it('splits work into at most one share per thread, aligned', () => {
    setKernelThreads(2);
    const wasm = getFusedWasm();
    if (!wasm) return;
    expect(wasm.split(64, 8)).toEqual([
      [0, 32],
      [32, 64],
    ]);
    expect(wasm.split(10, 8)).toEqual([[0, 10]]);
    expect(wasm.split(256, 16, 8)).toEqual([
      [0, 128],
      [128, 256],
    ]);
    expect(wasm.split(72, 16, 8)).toEqual([
      [0, 40],
      [40, 72],
    ]);
  });

  it('rejects a bad thread count', () => {
    expect(() => setKernelThreads(0)).toThrow(/whole number of threads >= 1; got 0/);
    const saved = process.env.SEQLEARN_THREADS;
    process.env.SEQLEARN_THREADS = 'two';
    try {
      expect(() => defaultKernelThreads()).toThrow(/SEQLEARN_THREADS .* got "two"/);
      process.env.SEQLEARN_THREADS = '3';
      expect(defaultKernelThreads()).toBe(3);
    } finally {
      if (saved === undefined) delete process.env.SEQLEARN_THREADS;
      else process.env.SEQLEARN_THREADS = saved;
    }
  });
});

const built = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'index.js');
describe.skipIf(!existsSync(built))('a program that used the kernel threads', () => {
  it('exits by itself when it is done', () => {
    const code = `
      import * as tf from '@tensorflow/tfjs';
      import { FusedLSTM, kernelThreads, setKernelThreads } from ${JSON.stringify(built)};
      await tf.setBackend('cpu');
      setKernelThreads(2);
      const layer = new FusedLSTM({ units: 8 });
      const y = layer.apply(tf.ones([32, 5, 3]));
      console.log(kernelThreads(), y.shape.join('x'));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim().split('\n').at(-1)).toBe('2 32x8');
  });
});
