import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelThreads, setFusedImplementation, setKernelThreads } from '../process-switches';
import { FusedAdam } from './fused-adam';

/** A small least-squares problem with three variables of different shapes. */
function problem(seed: number) {
  const x = tf.randomNormal([32, 5], 0, 1, 'float32', seed);
  const y = tf.randomNormal([32, 3], 0, 1, 'float32', seed + 1);
  const w = tf.variable(tf.randomNormal([5, 3], 0, 0.5, 'float32', seed + 2));
  const b = tf.variable(tf.zeros([3]));
  const s = tf.variable(tf.scalar(0.5));
  const loss = () =>
    tf.tidy(
      () => tf.mean(tf.square(tf.sub(tf.mul(tf.add(tf.matMul(x, w), b), s), y))) as tf.Scalar,
    );
  return { vars: [w, b, s], loss, dispose: () => tf.dispose([x, y, w, b, s]) };
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(
      worst,
      Math.abs((a[i] as number) - (b[i] as number)) / (1e-3 + Math.abs(b[i] as number)),
    );
  }
  return worst;
}

const saved = tf.getBackend();
afterAll(async () => {
  if (saved) await tf.setBackend(saved);
});

describe.each([
  ['cpu', 'wasm'],
  ['wasm', 'wasm'],
  ['cpu', 'tf'],
] as const)('FusedAdam on %s, update by %s', (backend, implementation) => {
  beforeAll(() => {
    setFusedImplementation(implementation);
  });
  afterAll(() => {
    setFusedImplementation('auto');
  });

  it('takes the steps tf.train.adam takes (bias correction, defaults and custom betas)', async () => {
    await tf.setBackend(backend);
    for (const args of [[], [0.01, 0.8, 0.99, 1e-6]] as number[][]) {
      const ours = problem(1);
      const theirs = problem(1);
      const fused = new FusedAdam(...(args as []));
      const stock = tf.train.adam(...(args as []));
      for (let step = 0; step < 12; step++) {
        fused.minimize(ours.loss, false, ours.vars);
        stock.minimize(theirs.loss, false, theirs.vars);
      }
      ours.vars.forEach((v, i) => {
        expect(
          maxRelDiff(v.dataSync() as Float32Array, theirs.vars[i]!.dataSync() as Float32Array),
        ).toBeLessThan(1e-5);
      });
      const [ourWeights, theirWeights] = [await fused.getWeights(), await stock.getWeights()];
      const slot = (name: string) => name.replace(/^.*\//, '');
      expect(ourWeights.map((w) => slot(w.name))).toEqual(theirWeights.map((w) => slot(w.name)));
      ourWeights.forEach((w, i) => {
        expect(
          maxRelDiff(
            w.tensor.dataSync() as Float32Array,
            theirWeights[i]!.tensor.dataSync() as Float32Array,
          ),
        ).toBeLessThan(1e-5);
      });
      expect(fused.iterations).toBe(12);
      fused.dispose();
      stock.dispose();
      ours.dispose();
      theirs.dispose();
    }
  });

  it('updates a large variable in shares over the kernel threads as tf.train.adam does', async () => {
    await tf.setBackend(backend);
    const previous = kernelThreads();
    setKernelThreads(3);
    const init = tf.randomNormal([1000, 203], 0, 1, 'float32', 9); // 203,000 floats: 3 shares
    const ours = tf.variable(init);
    const theirs = tf.variable(init);
    const grad = tf.randomNormal([1000, 203], 0, 1, 'float32', 10);
    const fused = new FusedAdam(0.01);
    const stock = tf.train.adam(0.01);
    for (let step = 0; step < 3; step++) {
      fused.applyGradients({ [ours.name]: tf.mul(grad, step + 1) });
      stock.applyGradients({ [theirs.name]: tf.mul(grad, step + 1) });
    }
    expect(
      maxRelDiff(ours.dataSync() as Float32Array, theirs.dataSync() as Float32Array),
    ).toBeLessThan(1e-5);
    setKernelThreads(previous);
    tf.dispose([init, ours, theirs, grad]);
    fused.dispose();
    stock.dispose();
  });

  it('hands its state to tf.train.adam and back (getWeights / setWeights)', async () => {
    await tf.setBackend(backend);
    const a = problem(5);
    const b = problem(5);
    const first = new FusedAdam(0.02);
    const reference = tf.train.adam(0.02);
    for (let step = 0; step < 4; step++) {
      first.minimize(a.loss, false, a.vars);
      reference.minimize(b.loss, false, b.vars);
    }
    // a stock Adam continues from FusedAdam's state, and a fresh FusedAdam from the stock one's
    const stockNext = tf.train.adam(0.02);
    await stockNext.setWeights(await first.getWeights());
    const fusedNext = new FusedAdam(0.02);
    await fusedNext.setWeights(await reference.getWeights());
    for (let step = 0; step < 4; step++) {
      stockNext.minimize(a.loss, false, a.vars);
      fusedNext.minimize(b.loss, false, b.vars);
    }
    a.vars.forEach((v, i) => {
      expect(
        maxRelDiff(v.dataSync() as Float32Array, b.vars[i]!.dataSync() as Float32Array),
      ).toBeLessThan(1e-5);
    });
    for (const o of [first, reference, stockNext, fusedNext]) o.dispose();
    a.dispose();
    b.dispose();
  });

  it('trains a model through model.fit, saves as Adam and leaks no tensors', async () => {
    await tf.setBackend(backend);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    const optimizer = new FusedAdam(0.05);
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const x = tf.randomNormal([64, 4], 0, 1, 'float32', 3);
    const y = tf.oneHot(tf.cast(tf.greater(tf.sum(x, 1), 0), 'int32'), 2);
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 }); // builds the moment slots
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const losses = history.history.loss as number[];
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
    expect(optimizer.getClassName()).toBe('Adam');
    expect(optimizer.getConfig()).toMatchObject({ learningRate: 0.05, beta1: 0.9, beta2: 0.999 });
    tf.dispose([x, y]);
    model.dispose();
  });
});
