import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFusedLayers, setFusedImplementation } from '../process-switches';
import { FusedGRU } from './fused-gru';
import { FusedLSTM } from './fused-lstm';
import { unsupportedFusedOptions } from './fused-recurrent';
import { FusedSimpleRNN } from './fused-simple-rnn';

let previous = '';
beforeAll(async () => {
  previous = tf.getBackend() ?? 'cpu';
  await tf.setBackend('cpu');
  TOKENS = tf.tensor2d(
    [
      [0, 0, 3, 4, 5, 6, 7],
      [1, 2, 3, 4, 5, 6, 7],
      [0, 0, 0, 0, 0, 9, 11],
      [8, 9, 10, 0, 0, 0, 0],
    ],
    [4, 7],
  );
});
afterAll(async () => {
  setFusedImplementation('auto');
  await tf.setBackend(previous);
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * PyTorch's GRU (torch.nn.GRU docs), written out with Keras' weight layout: kernel [F, 3H] and
 * recurrent kernel [H, 3H] with gates z, r, n; bias [2, 3H] = input bias, recurrent bias.
 *   z = σ(x W_z + b_iz + h U_z + b_hz), r = σ(x W_r + b_ir + h U_r + b_hr)
 *   n = tanh(x W_n + b_in + r ⊙ (h U_n + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h
 */
function torchGru(x: number[][][], W: number[][], U: number[][], bias: number[][]): number[][][] {
  const H = U.length;
  return x.map((seq) => {
    let h = new Array(H).fill(0);
    return seq.map((xt) => {
      const gx = (g: number, j: number) =>
        xt.reduce((s, v, f) => s + v * W[f][g * H + j], 0) + bias[0][g * H + j];
      const gh = (g: number, j: number) =>
        h.reduce((s, v, i) => s + v * U[i][g * H + j], 0) + bias[1][g * H + j];
      const z = h.map((_, j) => sigmoid(gx(0, j) + gh(0, j)));
      const r = h.map((_, j) => sigmoid(gx(1, j) + gh(1, j)));
      const n = h.map((_, j) => Math.tanh(gx(2, j) + r[j] * gh(2, j)));
      h = h.map((hp, j) => (1 - z[j]) * n[j] + z[j] * hp);
      return h;
    });
  });
}

describe('FusedGRU with resetAfter', () => {
  const x = [
    [
      [0.5, -1.0],
      [1.5, 0.25],
      [-0.75, 2.0],
    ],
    [
      [-0.3, 0.8],
      [0.1, -0.6],
      [1.2, 0.4],
    ],
  ];
  const W = [
    [0.1, -0.2, 0.3, 0.4, -0.5, 0.6],
    [-0.7, 0.8, 0.05, -0.15, 0.25, -0.35],
  ];
  const U = [
    [0.2, 0.1, -0.3, 0.5, -0.4, 0.35],
    [-0.25, 0.45, 0.15, -0.05, 0.3, -0.6],
  ];
  const bias = [
    [0.1, -0.1, 0.2, 0.05, 0.3, -0.2],
    [-0.15, 0.25, 0.05, -0.3, 0.1, 0.4],
  ];
  const expected = torchGru(x, W, U, bias).flat(2);

  for (const impl of ['wasm', 'tf'] as const) {
    it(`computes PyTorch's GRU equations (${impl} loop)`, () => {
      setFusedImplementation(impl);
      const layer = new FusedGRU({ units: 2, resetAfter: true, returnSequences: true });
      tf.tidy(() => {
        layer.apply(tf.zeros([2, 3, 2]));
        layer.setWeights([tf.tensor2d(W), tf.tensor2d(U), tf.tensor2d(bias)]);
        const out = layer.apply(tf.tensor3d(x)) as tf.Tensor;
        expect(maxDiff(out.dataSync(), expected)).toBeLessThan(1e-5);
      });
      expect(layer.getWeights()[2].shape).toEqual([2, 6]);
      layer.dispose();
    });
  }

  it('has the same gradients in the wasm kernel as tfjs autodiff through tf ops', () => {
    const grads = (impl: 'wasm' | 'tf') =>
      tf.tidy(() => {
        setFusedImplementation(impl);
        const layer = new FusedGRU({
          units: 5,
          resetAfter: true,
          goBackwards: true,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
          recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }),
          biasInitializer: tf.initializers.randomNormal({ seed: 3 }),
        });
        const xs = tf.randomNormal([3, 6, 4], 0, 1, 'float32', 4);
        const mask = tf.tensor2d(
          [
            [1, 1, 1, 1, 1, 1],
            [1, 1, 1, 1, 0, 0],
            [0, 0, 1, 1, 1, 1],
          ],
          [3, 6],
        );
        layer.apply(xs);
        const xv = tf.variable(xs);
        const vars = [
          xv,
          ...layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
        ];
        const { grads: g } = tf.variableGrads(
          () => tf.sum(tf.square(layer.apply(xv, { mask }) as tf.Tensor)),
          vars,
        );
        const out = vars.map((v) => Array.from(g[v.name].dataSync()));
        xv.dispose();
        layer.dispose();
        return out;
      });
    const a = grads('wasm');
    const b = grads('tf');
    expect(a.length).toBe(4);
    for (let i = 0; i < a.length; i++) expect(maxDiff(a[i], b[i])).toBeLessThan(1e-4);
  });
});

describe('supportsConfig', () => {
  it('accepts the Keras defaults and the options the fused loop implements', () => {
    expect(FusedLSTM.supportsConfig({ units: 8, returnSequences: true, goBackwards: true })).toBe(
      true,
    );
    expect(FusedGRU.supportsConfig({ units: 8, resetAfter: true, activation: 'relu' })).toBe(true);
    expect(FusedSimpleRNN.supportsConfig({ units: 8, recurrentDropout: 0 })).toBe(true);
  });

  it('names what the fused layers cannot do', () => {
    expect(
      unsupportedFusedOptions({
        units: 8,
        dropout: 0.1,
        recurrentDropout: 0.2,
        stateful: true,
        activation: 'elu',
      }),
    ).toEqual(['stateful', 'dropout', 'recurrentDropout', 'activation']);
    expect(FusedLSTM.supportsConfig({ units: 8, recurrentDropout: 0.2 })).toBe(false);
  });

  it('makes the constructor throw INVALID_CONFIG for an unsupported option', () => {
    expect(() => new FusedLSTM({ units: 4, dropout: 0.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', argument: 'dropout' }),
    );
  });
});

/** A model with a maskZero embedding and two recurrent layers, fused or stock, same weights. */
function textModel(fused: boolean): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.embedding({
      inputDim: 12,
      outputDim: 4,
      inputLength: 7,
      maskZero: true,
      embeddingsInitializer: tf.initializers.randomNormal({ seed: 1 }),
    }),
  );
  const a = {
    units: 6,
    returnSequences: true,
    recurrentActivation: 'sigmoid' as const,
    kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: 3 }),
  };
  const b = {
    units: 5,
    recurrentActivation: 'sigmoid' as const,
    kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: 5 }),
  };
  model.add(fused ? new FusedLSTM(a) : tf.layers.lstm(a));
  model.add(fused ? new FusedGRU(b) : tf.layers.gru(b));
  model.add(
    tf.layers.dense({
      units: 3,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }),
    }),
  );
  return model;
}

let TOKENS: tf.Tensor2D;

describe('fused layers in a tf.LayersModel', () => {
  it('carry states through the steps a maskZero embedding masks, as the stock layers do', () => {
    setFusedImplementation('auto');
    const stock = textModel(false);
    const fused = textModel(true);
    fused.setWeights(stock.getWeights());
    const a = stock.predict(TOKENS) as tf.Tensor;
    const b = fused.predict(TOKENS) as tf.Tensor;
    expect(maxDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-5);
    tf.dispose([a, b]);
    stock.dispose();
    fused.dispose();
  });

  it('save as Keras LSTM and GRU and load in stock tfjs with the same predictions', async () => {
    const fused = textModel(true);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await fused.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const topology = JSON.stringify(artifacts?.modelTopology);
    expect(topology).toContain('"class_name":"LSTM"');
    expect(topology).toContain('"class_name":"GRU"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(loaded.layers[1]).not.toBeInstanceOf(FusedLSTM);
    expect(loaded.layers[1].getWeights().map((w) => w.shape)).toEqual([[4, 24], [6, 24], [24]]);
    const a = fused.predict(TOKENS) as tf.Tensor;
    const b = loaded.predict(TOKENS) as tf.Tensor;
    expect(maxDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-5);
    tf.dispose([a, b]);
    fused.dispose();
    loaded.dispose();
  });

  it('load as fused layers after registerFusedLayers, a resetAfter GRU included', async () => {
    const model = tf.sequential();
    model.add(
      new FusedGRU({
        units: 3,
        resetAfter: true,
        inputShape: [5, 2],
        biasInitializer: tf.initializers.randomNormal({ seed: 1 }),
      }),
    );
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const memory = () => tf.io.fromMemory(artifacts as tf.io.ModelArtifacts);
    await expect(tf.loadLayersModel(memory())).rejects.toThrow();
    const unregister = registerFusedLayers();
    try {
      const loaded = await tf.loadLayersModel(memory());
      expect(loaded.layers[0]).toBeInstanceOf(FusedGRU);
      const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 2);
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expect(maxDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-6);
      tf.dispose([a, b, x]);
      loaded.dispose();
    } finally {
      unregister();
    }
    await expect(tf.loadLayersModel(memory())).rejects.toThrow();
    model.dispose();
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`train with model.fit on the ${backend} backend and leak no tensors`, async () => {
      await tf.setBackend(backend);
      try {
        const model = tf.sequential();
        const init = (seed: number) => tf.initializers.glorotUniform({ seed });
        model.add(
          new FusedLSTM({
            units: 6,
            returnSequences: true,
            inputShape: [7, 3],
            kernelInitializer: init(1),
          }),
        );
        model.add(new FusedSimpleRNN({ units: 5, kernelInitializer: init(2) }));
        model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(3) }));
        model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
        const x = tf.randomNormal([8, 7, 3], 0, 1, 'float32', 4);
        const y = tf.tensor1d([0, 1, 2, 1, 0, 2, 2, 1]);
        await model.trainOnBatch(x, y);
        const before = tf.memory().numTensors;
        const history = await model.fit(x, y, {
          epochs: 15,
          batchSize: 8,
          verbose: 0,
          shuffle: false,
        });
        expect(tf.memory().numTensors).toBe(before);
        const loss = history.history.loss as number[];
        expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.7);
        tf.dispose([x, y]);
        model.dispose();
      } finally {
        await tf.setBackend('cpu');
      }
    });
  }
});
