import * as tf from '@tensorflow/tfjs';

type InitializerInstance = ReturnType<typeof tf.initializers.orthogonal>;
type OrthogonalCtor = new (args: {
  seed?: number;
  gain?: number;
}) => InitializerInstance & {
  seed?: number;
  gain: number;
};

const Orthogonal = tf.initializers.orthogonal({}).constructor as OrthogonalCtor;

/**
 * tfjs' `Orthogonal` initializer with the QR step done in plain JavaScript (modified Gram-Schmidt
 * in float64) instead of `tf.linalg.qr`, which takes seconds for an LSTM(64) recurrent kernel on
 * the cpu backend. Same draw and same result as tfjs' (Q with a positive-diagonal R, times `gain`);
 * it serialises as `Orthogonal`, so saved models load in plain tfjs.
 */
class FastOrthogonal extends Orthogonal {
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1];
    const tall = Math.max(rows, cols);
    const wide = Math.min(rows, cols);
    const draw = tf.randomNormal([tall, wide], 0, 1, 'float32', this.seed);
    const a = Float64Array.from(draw.dataSync());
    draw.dispose();
    // Columns of the tall [tall, wide] matrix, orthonormalised in place.
    for (let j = 0; j < wide; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < tall; i++) dot += a[i * wide + k] * a[i * wide + j];
        for (let i = 0; i < tall; i++) a[i * wide + j] -= dot * a[i * wide + k];
      }
      let norm = 0;
      for (let i = 0; i < tall; i++) norm += a[i * wide + j] ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < tall; i++) a[i * wide + j] /= norm;
    }
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < tall; i++) {
      for (let j = 0; j < wide; j++) {
        const v = this.gain * a[i * wide + j];
        if (rows >= cols) out[i * cols + j] = v;
        else out[j * cols + i] = v; // transpose the [cols, rows] Q back to [rows, cols]
      }
    }
    return tf.tensor(out, shape, dtype === 'int32' ? 'int32' : 'float32');
  }
}

/** A seeded orthogonal initializer (Keras' recurrent default) that is fast on every backend. */
export function fastOrthogonal(seed?: number, gain = 1): InitializerInstance {
  return new FastOrthogonal({ seed, gain });
}
