import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURES, dataFor } from './__fixtures__/architectures';
import { compileModel } from './compile-model';
import { createSequenceModel } from './create-sequence-model';
import { createTextClassifier, isTextClassifierConfig } from './create-text-classifier';
import type { SequenceModelConfig } from './model-config';

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
