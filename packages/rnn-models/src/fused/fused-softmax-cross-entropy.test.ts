import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { RnnModelsError } from '../errors';
import { fusedSoftmaxCrossEntropy } from './fused-softmax-cross-entropy';

const saved = tf.getBackend();
afterAll(async () => {
  if (saved) await tf.setBackend(saved);
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

/** Logits `[...lead, classes]` spread by `scale`, and one-hot labels drawn with the same seed. */
function batch(lead: number[], classes: number, scale: number, seed: number) {
  const logits = tf.mul(tf.randomNormal([...lead, classes], 0, 1, 'float32', seed), scale);
  const ids = tf.randomUniform(lead, 0, classes, 'int32', seed + 1);
  const labels = tf.oneHot(ids, classes).toFloat();
  ids.dispose();
  return { logits: logits as tf.Tensor, labels };
}

describe.each(['cpu', 'wasm'] as const)('fusedSoftmaxCrossEntropy on %s', (backend) => {
  it('gives the value and gradients of tf.losses.softmaxCrossEntropy', async () => {
    await tf.setBackend(backend);
    // har-conv1d's head, charlm-lstm's per-step logits, and logits large enough to overflow exp
    const cases = [batch([64], 6, 1, 1), batch([8, 5], 65, 3, 2), batch([16], 10, 40, 3)];
    for (const { logits, labels } of cases) {
      const ours = tf.grads((y: tf.Tensor, x: tf.Tensor) => fusedSoftmaxCrossEntropy(y, x));
      const theirs = tf.grads(
        (y: tf.Tensor, x: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, x) as tf.Scalar,
      );
      const value = fusedSoftmaxCrossEntropy(labels, logits);
      const expected = tf.losses.softmaxCrossEntropy(labels, logits);
      expect(value.shape).toEqual([]);
      expect(value.dataSync()[0]).toBeCloseTo(expected.dataSync()[0] as number, 4);
      const [dLabels, dLogits] = ours([labels, logits]);
      const [eLabels, eLogits] = theirs([labels, logits]);
      expect(maxAbsDiff(dLogits as tf.Tensor, eLogits as tf.Tensor)).toBeLessThan(1e-6);
      // the labels' true gradient, -log softmax(x) / rows (tfjs' custom gradient gives y - softmax)
      const plain = tf.grad((y: tf.Tensor) =>
        tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1))),
      )(labels);
      expect(maxAbsDiff(dLabels as tf.Tensor, plain)).toBeLessThan(1e-5);
      tf.dispose([logits, labels, value, expected, dLabels, dLogits, eLabels, eLogits, plain]);
    }
  });

  it('takes int32 labels from tf.oneHot as tf.losses does', async () => {
    await tf.setBackend(backend);
    const { logits } = batch([20], 5, 1, 9);
    const ids = tf.randomUniform([20], 0, 5, 'int32', 10);
    const labels = tf.oneHot(ids, 5);
    expect(labels.dtype).toBe('int32');
    const ours = tf.grad((x: tf.Tensor) => fusedSoftmaxCrossEntropy(labels, x))(logits);
    const theirs = tf.grad((x: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, x) as tf.Scalar)(
      logits,
    );
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-6);
    tf.dispose([logits, ids, labels, ours, theirs]);
  });

  it('takes label distributions that are not one-hot (smoothed, weighted)', async () => {
    await tf.setBackend(backend);
    const { logits, labels } = batch([32], 7, 2, 4);
    const smooth = tf.add(tf.mul(labels, 0.9), 0.1 / 7);
    const grad = (f: (y: tf.Tensor, x: tf.Tensor) => tf.Scalar) =>
      tf.grad((x: tf.Tensor) => f(smooth, x))(logits);
    const ours = grad(fusedSoftmaxCrossEntropy);
    const theirs = grad((y, x) => tf.losses.softmaxCrossEntropy(y, x) as tf.Scalar);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-6);
    expect(fusedSoftmaxCrossEntropy(smooth, logits).dataSync()[0]).toBeCloseTo(
      tf.losses.softmaxCrossEntropy(smooth, logits).dataSync()[0] as number,
      4,
    );
    // rows that do not sum to 1 (weighted examples): the gradient of the formula itself
    const weighted = tf.mul(labels, tf.randomUniform([32, 1], 0.5, 2, 'float32', 11));
    const plain = tf.grad((x: tf.Tensor) =>
      tf.neg(tf.mean(tf.sum(tf.mul(weighted, tf.logSoftmax(x)), -1))),
    )(logits);
    const fused = tf.grad((x: tf.Tensor) => fusedSoftmaxCrossEntropy(weighted, x))(logits);
    expect(maxAbsDiff(fused, plain)).toBeLessThan(1e-6);
    tf.dispose([logits, labels, smooth, ours, theirs, weighted, plain, fused]);
  });

  it('trains a classifier to the weights the stock loss gives, in two kernel calls a step', async () => {
    await tf.setBackend(backend);
    // a softmax regression on 6 Gaussian clusters in 9 dimensions (a HAR-sized head)
    const { logits: centres } = batch([6], 9, 2, 5);
    const ids = tf.randomUniform([96], 0, 6, 'int32', 6);
    const x = tf.add(tf.gather(centres, ids), tf.randomNormal([96, 9], 0, 1, 'float32', 7));
    const y = tf.oneHot(ids, 6).toFloat();
    const run = (loss: (labels: tf.Tensor, logits: tf.Tensor) => tf.Scalar) => {
      const w = tf.variable(tf.randomNormal([9, 6], 0, 0.1, 'float32', 8));
      const b = tf.variable(tf.zeros([6]));
      const adam = tf.train.adam(0.05);
      const losses: number[] = [];
      for (let step = 0; step < 30; step++) {
        const cost = adam.minimize(() => loss(y, tf.add(tf.matMul(x, w), b)), true, [w, b]);
        losses.push(cost?.dataSync()[0] as number);
        cost?.dispose();
      }
      return { w, b, losses };
    };
    const ours = run(fusedSoftmaxCrossEntropy);
    const theirs = run((l, z) => tf.losses.softmaxCrossEntropy(l, z) as tf.Scalar);
    expect(ours.losses[29]).toBeLessThan((ours.losses[0] as number) / 3);
    expect(maxAbsDiff(ours.w, theirs.w)).toBeLessThan(1e-4);
    expect(maxAbsDiff(ours.b, theirs.b)).toBeLessThan(1e-4);
    for (const [i, v] of ours.losses.entries())
      expect(v).toBeCloseTo(theirs.losses[i] as number, 4);
    // one kernel forward and one backward, besides tfjs' clones of what the gradient keeps
    const names: string[] = [];
    const profile = await tf.profile(() =>
      tf.grad((z: tf.Tensor) => fusedSoftmaxCrossEntropy(y, z))(tf.matMul(x, ours.w)),
    );
    for (const k of profile.kernels) names.push(k.name);
    expect(names.filter((n) => n.startsWith('SeqlearnSoftmaxCrossEntropy'))).toEqual([
      'SeqlearnSoftmaxCrossEntropy',
      'SeqlearnSoftmaxCrossEntropyGrad',
    ]);
    expect(
      names.filter(
        (n) =>
          !['Identity', 'BatchMatMul', 'OnesLike', 'Fill'].includes(n) && !n.startsWith('Seqlearn'),
      ),
    ).toEqual([]);
    tf.dispose([centres, ids, x, y, ours.w, ours.b, theirs.w, theirs.b]);
  });

  it('rejects labels of another shape or dtype with INVALID_ARGUMENT', async () => {
    await tf.setBackend(backend);
    const logits = tf.zeros([4, 3]);
    // the wasm backend holds no string tensors at all
    const strings = backend === 'cpu' ? [tf.fill([4, 3], 'a', 'string')] : [];
    const bad = [tf.zeros([4, 2]), tf.zeros([4]), ...strings];
    const messages = [
      /labels of the logits' shape \[4, 3\].*got \[4, 2\]/,
      /got \[4\]/,
      /numeric onehotLabels \(float32, int32 or bool\), got string/,
    ];
    bad.forEach((labels, i) => {
      let error: unknown;
      try {
        fusedSoftmaxCrossEntropy(labels, logits);
      } catch (e) {
        error = e;
      }
      expect(RnnModelsError.isInstance(error)).toBe(true);
      expect((error as RnnModelsError).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(messages[i] as RegExp);
    });
    tf.dispose([logits, ...bad]);
  });
});
