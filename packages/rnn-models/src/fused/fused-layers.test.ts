import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFusedImplementation } from '../process-switches';
import { getFusedWasm } from '../wasm/wasm-kernel';
import { FusedGRU } from './fused-gru';
import { FusedLSTM } from './fused-lstm';
import type { FusedRecurrentArgs } from './fused-recurrent';
import { FusedSimpleRNN } from './fused-simple-rnn';
import type { FusedImplementation } from './recurrence';

type Kind = 'lstm' | 'gru' | 'simpleRNN';
type Layer = tf.layers.Layer;

const FUSED = { lstm: FusedLSTM, gru: FusedGRU, simpleRNN: FusedSimpleRNN };
const STOCK = {
  lstm: (a: object) => tf.layers.lstm(a as Parameters<typeof tf.layers.lstm>[0]),
  gru: (a: object) => tf.layers.gru(a as Parameters<typeof tf.layers.gru>[0]),
  simpleRNN: (a: object) => tf.layers.simpleRNN(a as Parameters<typeof tf.layers.simpleRNN>[0]),
};

const B = 3;
const T = 6;
const F = 4;
const H = 5;

/** Inputs whose trailing (or leading) steps are all zero, so `Masking` masks them. */
function inputs(seed: number, padded: boolean): tf.Tensor3D {
  return tf.tidy(() => {
    const x = tf.randomNormal([B, T, F], 0, 1, 'float32', seed) as tf.Tensor3D;
    if (!padded) return x;
    // example 0: none masked, example 1: last 2 masked, example 2: first 3 masked
    const keep = tf.tensor3d(
      [
        [1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 0, 0],
        [0, 0, 0, 1, 1, 1],
      ].flat(),
      [B, T, 1],
    );
    return tf.mul(x, keep) as tf.Tensor3D;
  });
}

interface Run {
  output: Float32Array;
  grads: Float32Array[];
}

/** Applies the layers in order (passing the mask along) and returns the output and the gradients
 * of sum(output · R) w.r.t. the input and every weight. */
function run(layers: Layer[], x: tf.Tensor3D, masked: boolean): Run {
  return tf.tidy(() => {
    const xv = tf.variable(x);
    const weights = layers.flatMap((l) =>
      l.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
    );
    let out!: tf.Tensor;
    const r = tf.randomNormal(
      layers[layers.length - 1].computeOutputShape([B, T, F]) as number[],
      0,
      1,
      'float32',
      7,
    );
    const mask0: tf.Tensor | undefined = masked ? tf.any(tf.notEqual(x, 0), -1) : undefined;
    const { grads } = tf.variableGrads(() => {
      let h: tf.Tensor = xv;
      let mask = mask0;
      for (const layer of layers) {
        const next = layer.apply(h, mask ? { mask } : {}) as tf.Tensor;
        mask = mask ? ((layer.computeMask(h, mask) as tf.Tensor | null) ?? undefined) : undefined;
        h = next;
      }
      out = tf.keep(h);
      return tf.sum(tf.mul(h, tf.reshape(r, h.shape)));
    }, [xv, ...weights]);
    const result = {
      output: out.dataSync() as Float32Array,
      grads: [xv, ...weights].map((v) => grads[v.name].dataSync() as Float32Array),
    };
    out.dispose();
    xv.dispose();
    return result;
  }) as unknown as Run;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Builds a stack of stock layers and the same stack of fused layers with equal weights. */
function pair(kind: Kind, stack: Partial<FusedRecurrentArgs>[]): [Layer[], Layer[]] {
  const stock: Layer[] = [];
  const fused: Layer[] = [];
  let shape: number[] = [B, T, F];
  stack.forEach((options, i) => {
    const args = {
      units: H,
      recurrentActivation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 10 + i }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: 20 + i }),
      biasInitializer: tf.initializers.randomNormal({ seed: 30 + i, stddev: 0.5 }),
      ...options,
    };
    const s = STOCK[kind](args);
    const f = new FUSED[kind](args as FusedRecurrentArgs);
    tf.tidy(() => {
      s.apply(tf.zeros(shape));
      f.apply(tf.zeros(shape));
    });
    f.setWeights(s.getWeights());
    shape = s.computeOutputShape(shape) as number[];
    stock.push(s);
    fused.push(f);
  });
  return [stock, fused];
}

const CASES: { title: string; stack: Partial<FusedRecurrentArgs>[]; masked?: boolean }[] = [
  { title: 'the last output', stack: [{}] },
  { title: 'the whole sequence', stack: [{ returnSequences: true }] },
  { title: 'masked steps', stack: [{ returnSequences: true }], masked: true },
  { title: 'masked steps, last output', stack: [{}], masked: true },
  { title: 'goBackwards', stack: [{ goBackwards: true, returnSequences: true }] },
  { title: 'goBackwards with masks', stack: [{ goBackwards: true }], masked: true },
  { title: 'two stacked layers', stack: [{ returnSequences: true }, { units: 3 }], masked: true },
  {
    // 64 units: the products' right operands (U, Uᵀ, W, Wᵀ of the second layer, dG) are laid out
    // with their rows spread apart (productStride), which the small cases never reach
    title: 'two stacked layers of 64 and 16 units',
    stack: [{ units: 64, returnSequences: true }, { units: 16 }],
    masked: true,
  },
  {
    title: 'hardSigmoid gates and relu, no bias',
    stack: [
      {
        recurrentActivation: 'hardSigmoid',
        activation: 'relu',
        useBias: false,
        returnSequences: true,
      },
    ],
  },
];

const backends = ['cpu', 'wasm'];
const implementations: FusedImplementation[] = ['wasm', 'tf'];

for (const backend of backends) {
  describe(`fused layers on the ${backend} backend`, () => {
    let previous = '';
    beforeAll(async () => {
      previous = tf.getBackend() ?? 'cpu';
      await tf.setBackend(backend);
    });
    afterAll(async () => {
      setFusedImplementation('auto');
      await tf.setBackend(previous);
    });

    for (const impl of implementations) {
      for (const kind of ['lstm', 'gru', 'simpleRNN'] as Kind[]) {
        for (const c of CASES) {
          if (kind === 'simpleRNN' && c.title.startsWith('hardSigmoid')) continue;
          it(`${kind} (${impl} loop) matches the stock layer for ${c.title}`, () => {
            setFusedImplementation(impl);
            const [stock, fused] = pair(kind, c.stack);
            const x = inputs(1, c.masked ?? false);
            const a = run(stock, x, c.masked ?? false);
            const b = run(fused, x, c.masked ?? false);
            expect(maxDiff(a.output, b.output)).toBeLessThan(1e-5);
            expect(b.grads.length).toBe(a.grads.length);
            for (let i = 0; i < a.grads.length; i++) {
              expect(maxDiff(a.grads[i], b.grads[i])).toBeLessThan(1e-4);
            }
            for (const l of [...stock, ...fused]) l.dispose();
            x.dispose();
          });
        }
      }
    }
  });
}

describe('returnState', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => {
    setFusedImplementation('auto');
  });
  for (const impl of implementations) {
    for (const kind of ['lstm', 'gru'] as Kind[]) {
      for (const returnSequences of [false, true]) {
        it(`${kind} (${impl} loop) returns the final states of the stock layer, with their gradients (returnSequences ${returnSequences})`, () => {
          setFusedImplementation(impl);
          const [[stock], [fused]] = pair(kind, [{ returnState: true, returnSequences }]);
          const x = inputs(3, true);
          const mask = tf.any(tf.notEqual(x, 0), -1);
          const results = [stock, fused].map((layer) =>
            tf.tidy(() => {
              const vars = layer.trainableWeights.map(
                (w) => (w as unknown as { val: tf.Variable }).val,
              );
              let outs: tf.Tensor[] = [];
              const { grads } = tf.variableGrads(() => {
                const o = layer.apply(x, { mask }) as tf.Tensor[];
                outs = o.map((t) => tf.keep(t));
                return tf.addN(o.map((t, i) => tf.sum(tf.mul(t, i + 1)))) as tf.Scalar;
              }, vars);
              const r = {
                shapes: outs.map((t) => t.shape),
                values: outs.map((t) => Array.from(t.dataSync())),
                grads: vars.map((v) => Array.from(grads[v.name].dataSync())),
              };
              tf.dispose(outs);
              return r;
            }),
          );
          const [a, b] = results as unknown as {
            shapes: number[][];
            values: number[][];
            grads: number[][];
          }[];
          expect(b.shapes).toEqual(a.shapes);
          expect(b.shapes.length).toBe(kind === 'lstm' ? 3 : 2);
          for (let i = 0; i < a.values.length; i++)
            expect(maxDiff(a.values[i], b.values[i])).toBeLessThan(1e-5);
          for (let i = 0; i < a.grads.length; i++)
            expect(maxDiff(a.grads[i], b.grads[i])).toBeLessThan(1e-4);
          tf.dispose([x, mask]);
          stock.dispose();
          fused.dispose();
        });
      }
    }
  }
});

describe('vanishing gradients', () => {
  const SMALLEST_NORMAL = 2 ** -126;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => {
    setFusedImplementation('auto');
  });
  for (const kind of ['lstm', 'gru', 'simpleRNN'] as Kind[]) {
    it(`${kind} (wasm loop) sets gradients that vanish below 2^-96 through the steps to zero, leaving no subnormal floats`, () => {
      setFusedImplementation('wasm');
      const steps = 40;
      const layer = new FUSED[kind]({
        units: 8,
        recurrentActivation: 'sigmoid',
        kernelInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 1 }),
        recurrentInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 2 }),
      });
      const x = tf.randomNormal([2, steps, 4], 0, 1, 'float32', 3) as tf.Tensor3D;
      const xv = tf.variable(x);
      // A loss of 1e-25 · output: the gradient starts near float32's range floor and shrinks.
      const grads = tf.grads((v: tf.Tensor) => tf.mul(layer.apply(v) as tf.Tensor, 1e-25))([xv]);
      const dx = grads[0].dataSync() as Float32Array;
      const subnormal = dx.filter((v) => v !== 0 && Math.abs(v) < SMALLEST_NORMAL);
      expect(subnormal.length).toBe(0);
      const perStep = (t: number) => {
        let m = 0;
        for (let b = 0; b < 2; b++)
          for (let f = 0; f < 4; f++) m = Math.max(m, Math.abs(dx[(b * steps + t) * 4 + f]));
        return m;
      };
      expect(perStep(steps - 1)).toBeGreaterThan(0);
      expect(perStep(0)).toBe(0);
      tf.dispose([x, xv, ...grads]);
      layer.dispose();
    });
  }
});

describe('fused layers: the input gradient', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });
  afterAll(() => {
    setFusedImplementation('auto');
  });
  for (const kind of ['lstm', 'gru', 'simpleRNN'] as Kind[]) {
    it(`${kind}: computed for tf.grad of a plain tensor (as the stock layer's), skipped for data feeding a variable's gradient`, async () => {
      setFusedImplementation('wasm');
      const [[stock], [fused]] = pair(kind, [{}]);
      const x = inputs(5, false);
      const r = tf.randomNormal([B, H], 0, 1, 'float32', 8);
      const loss = (layer: Layer) => (v: tf.Tensor) =>
        tf.sum(tf.mul(layer.apply(v) as tf.Tensor, r));
      // x is no variable and no op made it: only tf.grad's own bookkeeping says it is wanted
      const dxStock = tf.grad(loss(stock))(x);
      const kernelsOf = async (f: () => tf.Tensor | tf.Tensor[]) =>
        (await tf.profile(() => f())).kernels.map((k) => k.name);
      let dxFused: tf.Tensor | undefined;
      const withInput = await kernelsOf(() => {
        dxFused = tf.keep(tf.grad(loss(fused))(x));
        return dxFused;
      });
      expect(withInput).toContain('SeqlearnRecurrenceBackpropInput');
      expect(maxDiff(dxFused?.dataSync() ?? [], dxStock.dataSync())).toBeLessThan(1e-5);
      const vars = fused.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
      const weightsOnly = await kernelsOf(() => {
        const { value, grads } = tf.variableGrads(() => loss(fused)(x) as tf.Scalar, vars);
        return [value, ...Object.values(grads)];
      });
      expect(weightsOnly).toContain('SeqlearnRecurrenceBackprop');
      expect(weightsOnly).not.toContain('SeqlearnRecurrenceBackpropInput');
      tf.dispose([x, r, dxStock, dxFused as tf.Tensor]);
      stock.dispose();
      fused.dispose();
    });
  }
});

describe('fused layers: saved activations', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });
  afterAll(() => {
    setFusedImplementation('auto');
  });
  it('keeps them in the kernels memory only until the backward pass: 30 training steps of a stack of two LSTMs grow nothing', () => {
    setFusedImplementation('wasm');
    const layers = [
      new FusedLSTM({ units: 64, returnSequences: true }),
      new FusedLSTM({ units: 64 }),
    ];
    const x = tf.randomNormal([32, 50, 8], 0, 1, 'float32', 1);
    const wasm = getFusedWasm();
    const bytes = () => wasm?.view(0, 1).buffer.byteLength ?? 0;
    // builds the layers
    tf.tidy(() => {
      layers[1].apply(layers[0].apply(x));
    });
    const step = () =>
      tf.tidy(() => {
        const vars = layers.flatMap((l) =>
          l.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
        );
        const { value, grads } = tf.variableGrads(() => {
          const h = layers[1].apply(layers[0].apply(x)) as tf.Tensor;
          return tf.sum(tf.square(h)) as tf.Scalar;
        }, vars);
        return [value.dataSync()[0], Object.keys(grads).length];
      });
    for (let i = 0; i < 3; i++) step();
    const after3 = bytes();
    // every step pins 2 layers × 4 buffers of [32·50, 64 or 256] floats (about 3 MiB)
    for (let i = 0; i < 30; i++) expect(step()[1]).toBe(6);
    expect(bytes()).toBe(after3);
    x.dispose();
    for (const l of layers) l.dispose();
  });
});
