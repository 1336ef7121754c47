import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastOrthogonal } from './fast-orthogonal';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fastOrthogonal', () => {
  it("gives tfjs' Orthogonal result for the same seed (wide and tall)", () => {
    for (const shape of [
      [4, 12],
      [12, 4],
      [5, 5],
    ]) {
      const mine = fastOrthogonal(3).apply(shape);
      const theirs = tf.initializers.orthogonal({ seed: 3 }).apply(shape);
      const a = mine.dataSync();
      const b = theirs.dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
      tf.dispose([mine, theirs]);
    }
  });

  it('has orthonormal rows for a wide recurrent kernel', () => {
    const w = fastOrthogonal(1).apply([8, 32]) as tf.Tensor2D;
    const gram = tf.matMul(w, w, false, true).arraySync() as number[][];
    gram.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(v).toBeCloseTo(i === j ? 1 : 0, 5);
      });
    });
    w.dispose();
  });

  it('serialises as Orthogonal with its seed', () => {
    const init = fastOrthogonal(5);
    expect(init.getClassName()).toBe('Orthogonal');
    expect(init.getConfig()).toEqual({ gain: 1, seed: 5 });
  });
});
