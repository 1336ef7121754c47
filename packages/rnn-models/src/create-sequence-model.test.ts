import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURES, dataFor } from './__fixtures__/architectures';
import { compileModel } from './compile-model';
import { createSequenceModel } from './create-sequence-model';
import { createTextClassifier, isTextClassifierConfig } from './create-text-classifier';
import { FusedGRU } from './fused/fused-gru';
import { FusedLSTM } from './fused/fused-lstm';
import { FusedRecurrent } from './fused/fused-recurrent';
import { FusedSimpleRNN } from './fused/fused-simple-rnn';
import type { SequenceModelConfig } from './model-config';
import { registerFusedLayers } from './process-switches';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function build(config: (typeof ARCHITECTURES)[string], seed = 1): tf.Sequential {
  return isTextClassifierConfig(config)
    ? createTextClassifier({ ...config, seed })
    : createSequenceModel({ ...config, seed });
}

describe('createSequenceModel', () => {
  for (const [name, config] of Object.entries(ARCHITECTURES)) {
    it(`builds and trains a few steps: ${name}`, async () => {
      const model = compileModel(build(config), { learningRate: 0.01 });
      const { x, y } = dataFor(model);
      const batchSize = model.inputs[0].shape[0] ?? 4;
      const history = await model.fit(x, y, { epochs: 2, batchSize, shuffle: false, verbose: 0 });
      const losses = history.history.loss as number[];
      expect(losses).toHaveLength(2);
      for (const l of losses) expect(Number.isFinite(l)).toBe(true);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it('keeps a frozen pretrained embedding and fine-tunes a trainable one', async () => {
    const matrix = ARCHITECTURES['pretrained frozen embedding'] as SequenceModelConfig;
    const rows = matrix.embedding!.weights as number[][];
    for (const trainable of [false, true]) {
      const model = compileModel(
        createSequenceModel({ ...matrix, embedding: { ...matrix.embedding!, trainable }, seed: 2 }),
        { learningRate: 0.1 },
      );
      expect(Array.from(model.layers[0].getWeights()[0].dataSync())).toEqual(
        Array.from(Float32Array.from(rows.flat())),
      );
      const { x, y } = dataFor(model);
      await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      const after = Array.from(model.layers[0].getWeights()[0].dataSync());
      const same = after.every((v, i) => v === Math.fround(rows.flat()[i]));
      expect(same).toBe(!trainable);
      tf.dispose([x, y]);
    }
  });

  it('takes pretrained weights as { matrix, shape }, the form buildEmbeddingMatrix returns', () => {
    const matrix = Float32Array.from({ length: 12 }, (_, i) => i / 10);
    const model = createSequenceModel({
      inputShape: [3],
      embedding: {
        inputDim: 4,
        outputDim: 3,
        weights: { matrix, shape: [4, 3] },
        trainable: false,
      },
      cell: 'gru',
      units: 2,
      numClasses: 2,
    });
    expect(Array.from(model.layers[0].getWeights()[0].dataSync())).toEqual(Array.from(matrix));
    expect(() =>
      createSequenceModel({
        inputShape: [3],
        embedding: { inputDim: 5, outputDim: 3, weights: { matrix, shape: [4, 3] } },
        cell: 'gru',
        units: 2,
        numClasses: 2,
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', argument: 'embedding.weights' }));
  });

  it('masks id 0 with maskZero: trailing padding does not change the prediction', () => {
    const model = createSequenceModel({
      ...(ARCHITECTURES['learned embedding with maskZero'] as SequenceModelConfig),
      seed: 3,
    });
    const padded = model.predict(tf.tensor2d([[3, 5, 7, 0, 0, 0, 0]])) as tf.Tensor;
    const other = model.predict(
      tf.tensor2d([[3, 5, 7, 0, 0, 0, 0].map((v, i) => (i < 3 ? v : 0))]),
    ) as tf.Tensor;
    const unpadded = createSequenceModel({
      ...(ARCHITECTURES['learned embedding with maskZero'] as SequenceModelConfig),
      inputShape: [3],
      seed: 3,
    }).predict(tf.tensor2d([[3, 5, 7]])) as tf.Tensor;
    const a = padded.dataSync();
    const b = unpadded.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    tf.dispose([padded, other, unpadded]);
  });

  it('gives each bidirectional merge mode its output size', () => {
    const base = {
      cell: 'lstm',
      units: 3,
      inputShape: [4, 2],
      numClasses: 2,
      bidirectional: true,
    } as const;
    const sizes = (['concat', 'sum', 'mul', 'ave'] as const).map(
      (mergeMode) => createSequenceModel({ ...base, mergeMode }).layers[0].outputShape,
    );
    expect(sizes).toEqual([
      [null, 6],
      [null, 3],
      [null, 3],
      [null, 3],
    ]);
  });

  it('starts the backward direction from other weights than the forward one', () => {
    const model = createSequenceModel({
      cell: 'gru',
      units: 3,
      inputShape: [4, 2],
      numClasses: 2,
      bidirectional: true,
      seed: 4,
    });
    const w = model.layers[0].getWeights();
    expect(Array.from(w[0].dataSync())).not.toEqual(Array.from(w[w.length / 2].dataSync()));
  });

  it('keeps state across batches when stateful until resetStates', () => {
    const model = createSequenceModel({
      ...(ARCHITECTURES['stateful lstm'] as SequenceModelConfig),
      seed: 5,
    });
    const x = tf.randomNormal([4, 5, 2], 0, 1, 'float32', 9);
    const first = (model.predict(x) as tf.Tensor).dataSync();
    const second = (model.predict(x) as tf.Tensor).dataSync();
    model.resetStates();
    const third = (model.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(second)).not.toEqual(Array.from(first));
    expect(Array.from(third)).toEqual(Array.from(first));
  });

  it('adds the L1/L2 penalties of recurrent layers to the training loss (tfjs alone drops them)', async () => {
    const base = { cell: 'gru', units: 4, inputShape: [5, 3], numClasses: 2, seed: 6 } as const;
    const variants: SequenceModelConfig[] = [
      { ...base, kernelRegularizer: { l2: 10 } },
      { ...base, recurrentRegularizer: { l1: 10 } },
      { ...base, bidirectional: true, recurrentRegularizer: { l2: 10 } },
    ];
    for (const variant of variants) {
      const plain = compileModel(
        createSequenceModel({
          ...variant,
          kernelRegularizer: undefined,
          recurrentRegularizer: undefined,
        }),
        {
          optimizer: 'sgd',
          learningRate: 1e-9,
        },
      );
      const penalised = compileModel(createSequenceModel(variant), {
        optimizer: 'sgd',
        learningRate: 1e-9,
      });
      const { x, y } = dataFor(plain);
      const a = (await plain.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 })).history
        .loss[0] as number;
      const b = (await penalised.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 })).history
        .loss[0] as number;
      expect(b).toBeGreaterThan(a + 1);
      tf.dispose([x, y]);
    }
  });

  it('builds the encoder-decoder with RepeatVector and TimeDistributed', () => {
    const model = createSequenceModel(
      ARCHITECTURES['encoder-decoder (RepeatVector)'] as SequenceModelConfig,
    );
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      'LSTM',
      'RepeatVector',
      'LSTM',
      'LSTM',
      'TimeDistributed',
    ]);
    expect(model.outputs[0].shape).toEqual([null, 3, 2]);
  });

  it('builds the char CNN of the Wikipedia exercise with the course sizes', () => {
    const model = createTextClassifier({
      kind: 'charCnn',
      vocabSize: 256,
      maxLength: 100,
      numClasses: 15,
      seed: 0,
    });
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      'Embedding',
      'Conv1D',
      'MaxPooling1D',
      'Conv1D',
      'MaxPooling1D',
      'GlobalMaxPooling1D',
      'Dense',
    ]);
    // conv1: 20·256·10 + 10, conv2: 20·10·10 + 10, dense: 10·15 + 15
    expect(
      model.trainableWeights.reduce(
        (s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
        0,
      ),
    ).toBe(51210 + 2010 + 165);
  });

  it('rejects configs that cannot be built, naming the field', () => {
    const cases: [unknown, string][] = [
      [
        { cell: 'lstm', units: 4, inputShape: [5, 3], numClasses: 2, mergeMode: 'max' },
        'mergeMode',
      ],
      [{ cell: 'lstm', units: 4, inputShape: [5, 3], stateful: true }, 'batchSize'],
      [
        { inputShape: [5, 3], conv: [{ filters: 2, kernelSize: 9 }], numClasses: 2 },
        'conv[0].kernelSize',
      ],
      [{ inputShape: [null, 3], conv: [{ filters: 2, kernelSize: 2 }], numClasses: 2 }, 'pooling'],
      [
        {
          inputShape: [5],
          embedding: { inputDim: 3, outputDim: 2, weights: [[1, 2]] },
          cell: 'gru',
          units: 2,
        },
        'embedding.weights',
      ],
      [
        {
          inputShape: [5],
          embedding: { inputDim: 3, outputDim: 2, maskZero: true },
          conv: [{ filters: 1, kernelSize: 2 }],
          cell: 'gru',
          units: 2,
        },
        'embedding.maskZero',
      ],
      [
        { cell: 'lstm', units: 4, inputShape: [5, 3], kernelRegularizer: { l2: -1 } },
        'kernelRegularizer.l2',
      ],
      [
        { cell: 'lstm', units: 4, inputShape: [5, 3], numClasses: 2, outputUnits: 3 },
        'outputUnits',
      ],
      [{ inputShape: [5, 3] }, 'cell'],
    ];
    for (const [config, argument] of cases) {
      expect(() => createSequenceModel(config as SequenceModelConfig), argument).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', argument }),
      );
    }
  });

  it('leaks no tensors when building and disposing', () => {
    const config = ARCHITECTURES['pretrained fine-tuned embedding'] as SequenceModelConfig;
    createSequenceModel(config).dispose(); // warm-up: tfjs caches a few scalars on first use
    const before = tf.memory().numTensors;
    createSequenceModel({ ...config, seed: 1, bidirectional: true }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** The recurrent layers of a model, the two directions of a Bidirectional included. */
function recurrentLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.flatMap((layer) => {
    const w = layer as unknown as {
      forwardLayer?: tf.layers.Layer;
      backwardLayer?: tf.layers.Layer;
    };
    if (w.forwardLayer && w.backwardLayer) return [w.forwardLayer, w.backwardLayer];
    return ['LSTM', 'GRU', 'SimpleRNN'].includes(layer.getClassName()) ? [layer] : [];
  });
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

describe('createSequenceModel layerImplementation', () => {
  const base = { units: 4, inputShape: [5, 3], numClasses: 2, seed: 1 } as const;

  it("builds fused layers by default ('auto') where the options allow, in Bidirectional too", () => {
    const cases = [
      ['lstm', FusedLSTM],
      ['gru', FusedGRU],
      ['simpleRNN', FusedSimpleRNN],
    ] as const;
    for (const [cell, cls] of cases) {
      for (const bidirectional of [false, true]) {
        const model = createSequenceModel({ ...base, cell, layers: 2, bidirectional });
        const layers = recurrentLayers(model);
        expect(layers).toHaveLength(bidirectional ? 4 : 2);
        for (const layer of layers) expect(layer).toBeInstanceOf(cls);
        expect(layers.map((l) => l.getClassName())).toEqual(
          layers.map(() => ({ lstm: 'LSTM', gru: 'GRU', simpleRNN: 'SimpleRNN' })[cell]),
        );
        model.dispose();
      }
    }
  });

  it("falls back to the stock layers with 'auto' for dropout, recurrentDropout and stateful", () => {
    const variants: SequenceModelConfig[] = [
      { ...base, cell: 'lstm', dropout: 0.2 },
      { ...base, cell: 'gru', recurrentDropout: 0.2, bidirectional: true },
      { ...(ARCHITECTURES['stateful lstm'] as SequenceModelConfig), seed: 1 },
    ];
    for (const config of variants) {
      const model = createSequenceModel(config);
      const layers = recurrentLayers(model);
      expect(layers.length).toBeGreaterThan(0);
      for (const layer of layers) expect(layer).not.toBeInstanceOf(FusedRecurrent);
      model.dispose();
    }
  });

  it("throws INVALID_CONFIG naming the unsupported option with 'fused'", () => {
    expect(() =>
      createSequenceModel({
        ...base,
        cell: 'lstm',
        recurrentDropout: 0.2,
        layerImplementation: 'fused',
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', argument: 'recurrentDropout' }));
    const model = createSequenceModel({ ...base, cell: 'gru', layerImplementation: 'fused' });
    expect(recurrentLayers(model)[0]).toBeInstanceOf(FusedGRU);
    model.dispose();
  });

  it("builds the tfjs layers with 'stock'", () => {
    for (const bidirectional of [false, true]) {
      const model = createSequenceModel({
        ...base,
        cell: 'lstm',
        bidirectional,
        layerImplementation: 'stock',
      });
      const layers = recurrentLayers(model);
      expect(layers).toHaveLength(bidirectional ? 2 : 1);
      for (const layer of layers) expect(layer).not.toBeInstanceOf(FusedRecurrent);
      model.dispose();
    }
  });

  it("leaves the class registry as it found it, and keeps 'stock' stock under registerFusedLayers", () => {
    const lstmClass = () => tf.serialization.SerializationMap.getMap().classNameMap.LSTM?.[0];
    const stockClass = lstmClass();
    createSequenceModel({ ...base, cell: 'lstm', bidirectional: true }).dispose();
    expect(lstmClass()).toBe(stockClass);
    const unregister = registerFusedLayers();
    try {
      const fusedClass = lstmClass();
      expect(fusedClass).not.toBe(stockClass);
      const model = createSequenceModel({
        ...base,
        cell: 'lstm',
        bidirectional: true,
        layerImplementation: 'stock',
      });
      for (const layer of recurrentLayers(model)) expect(layer).not.toBeInstanceOf(FusedRecurrent);
      expect(lstmClass()).toBe(fusedClass);
      model.dispose();
    } finally {
      unregister();
    }
  });

  it('rejects an unknown layerImplementation', () => {
    expect(() =>
      createSequenceModel({
        ...base,
        cell: 'lstm',
        layerImplementation: 'fast' as unknown as 'auto',
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', argument: 'layerImplementation' }));
  });

  for (const [name, config] of Object.entries(ARCHITECTURES)) {
    if (isTextClassifierConfig(config) || config.cell === undefined) continue;
    it(`gives the same initial weights and predictions fused and stock for one seed: ${name}`, () => {
      const fused = createSequenceModel({ ...config, seed: 3 });
      const stock = createSequenceModel({ ...config, seed: 3, layerImplementation: 'stock' });
      const a = fused.getWeights();
      const b = stock.getWeights();
      expect(a.map((w) => w.shape)).toEqual(b.map((w) => w.shape));
      for (let i = 0; i < a.length; i++) expect(maxDiff(a[i], b[i])).toBe(0);
      const { x, y } = dataFor(fused);
      const pa = fused.predict(x) as tf.Tensor;
      const pb = stock.predict(x) as tf.Tensor;
      expect(maxDiff(pa, pb)).toBeLessThan(1e-5);
      tf.dispose([x, y, pa, pb]);
      fused.dispose();
      stock.dispose();
    });
  }

  it('adds the same L1/L2 penalties to the loss with fused and stock layers', () => {
    const variants: SequenceModelConfig[] = [
      { ...base, cell: 'gru', kernelRegularizer: { l2: 10 }, biasRegularizer: { l1: 1 } },
      { ...base, cell: 'lstm', bidirectional: true, recurrentRegularizer: { l2: 10 } },
    ];
    for (const variant of variants) {
      const penalty = (layerImplementation: 'auto' | 'stock') => {
        const model = createSequenceModel({ ...variant, layerImplementation });
        // What model.fit adds to the loss: each layer's penalties (Container.calculateLosses).
        const total = tf.tidy(() =>
          model.layers
            .flatMap((layer) => layer.calculateLosses())
            .reduce((sum, loss) => sum + loss.dataSync()[0], 0),
        );
        model.dispose();
        return total;
      };
      const fused = penalty('auto');
      expect(fused).toBeGreaterThan(1);
      expect(fused).toBeCloseTo(penalty('stock'), 3);
    }
  });

  describe('resetAfter', () => {
    it('builds a fused GRU with two bias rows, as Keras 2 and PyTorch', () => {
      const model = createSequenceModel({ ...base, cell: 'gru', resetAfter: true });
      const [layer] = recurrentLayers(model);
      expect(layer).toBeInstanceOf(FusedGRU);
      expect((layer as FusedGRU).resetAfter).toBe(true);
      expect(layer.getWeights().map((w) => w.shape)).toEqual([
        [3, 12],
        [4, 12],
        [2, 12],
      ]);
      model.dispose();
    });

    it('is refused with stock layers, options the fused layers lack, or another cell', () => {
      const cases: [SequenceModelConfig, string][] = [
        [{ ...base, cell: 'gru', resetAfter: true, layerImplementation: 'stock' }, 'resetAfter'],
        [{ ...base, cell: 'gru', resetAfter: true, dropout: 0.1 }, 'dropout'],
        [{ ...base, cell: 'lstm', resetAfter: true }, 'resetAfter'],
      ];
      for (const [config, argument] of cases) {
        expect(() => createSequenceModel(config), argument).toThrow(
          expect.objectContaining({ code: 'INVALID_CONFIG', argument }),
        );
      }
    });
  });
});
