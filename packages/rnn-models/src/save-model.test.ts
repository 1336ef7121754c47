import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURES, dataFor } from './__fixtures__/architectures';
import { compileModel } from './compile-model';
import { createSequenceModel } from './create-sequence-model';
import { createTextClassifier, isTextClassifierConfig } from './create-text-classifier';
import { FusedRecurrent } from './fused/fused-recurrent';
import { loadExtra, loadModel, saveModel } from './save-model';
import { train } from './train';

const root = mkdtempSync(join(tmpdir(), 'rnn-models-save-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('saveModel and loadModel', () => {
  it('round-trip a trained model with identical predictions', async () => {
    const model = compileModel(
      createSequenceModel({
        cell: 'lstm',
        units: [6, 4],
        inputShape: [5, 3],
        numClasses: 3,
        bidirectional: true,
        seed: 1,
      }),
      { learningRate: 0.01 },
    );
    const { x, y } = dataFor(model);
    await train(model, { x, y }, { epochs: 2, batchSize: 4, seed: 1, verbose: 0 });
    const dir = join(root, 'lstm');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  for (const name of [
    'learned embedding with maskZero',
    'cnn + lstm',
    'encoder-decoder (RepeatVector)',
    'char CNN',
    'L1/L2 regularizers',
  ]) {
    it(`round-trips exactly: ${name}`, async () => {
      const config = ARCHITECTURES[name];
      const model = isTextClassifierConfig(config)
        ? createTextClassifier({ ...config, seed: 2 })
        : createSequenceModel({ ...config, seed: 2 });
      const { x } = dataFor(model);
      const dir = join(root, name.replace(/\W+/g, '-'));
      await saveModel(model, dir);
      const loaded = await loadModel(dir);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
        Array.from((model.predict(x) as tf.Tensor).dataSync()),
      );
    });
  }

  it('loads the fused layers the factories build by default, and predicts exactly as before', async () => {
    const model = createSequenceModel({
      cell: 'gru',
      units: [5, 3],
      inputShape: [6, 2],
      numClasses: 3,
      bidirectional: true,
      seed: 7,
    });
    const dir = join(root, 'fused-bidirectional');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const inner = (layer: tf.layers.Layer) =>
      (layer as unknown as { forwardLayer: tf.layers.Layer }).forwardLayer;
    expect(inner(model.layers[0])).toBeInstanceOf(FusedRecurrent);
    expect(inner(loaded.layers[0])).toBeInstanceOf(FusedRecurrent);
    const { x } = dataFor(model);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
  });

  for (const cell of ['lstm', 'gru', 'simpleRNN'] as const) {
    it(`saves fused ${cell} layers as Keras classes that stock tfjs loads (within 1e-5)`, async () => {
      const model = createSequenceModel({
        embedding: { inputDim: 9, outputDim: 4, maskZero: true },
        inputShape: [7],
        cell,
        units: [6, 4],
        numClasses: 3,
        seed: 8,
      });
      const dir = join(root, `fused-${cell}`);
      await saveModel(model, dir);
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      const classes = json.modelTopology.config.layers.map(
        (l: { class_name: string }) => l.class_name,
      );
      const keras = { lstm: 'LSTM', gru: 'GRU', simpleRNN: 'SimpleRNN' }[cell];
      expect(classes).toEqual(['Embedding', keras, keras, 'Dense']);
      // tf.loadLayersModel with the stock tfjs-layers classes registered
      const stock = await loadModel(dir, { layerImplementation: 'stock' });
      for (const layer of stock.layers) expect(layer).not.toBeInstanceOf(FusedRecurrent);
      const x = tf.tensor2d(
        [
          [0, 0, 3, 4, 5, 6, 7],
          [1, 2, 3, 4, 5, 6, 8],
          [8, 7, 1, 0, 0, 0, 0],
        ],
        [3, 7],
      );
      const a = (model.predict(x) as tf.Tensor).dataSync();
      const b = (stock.predict(x) as tf.Tensor).dataSync();
      expect(b.length).toBe(a.length);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
    });
  }

  it('loads a GRU saved with resetAfter, which only the fused layers read', async () => {
    const model = createSequenceModel({
      cell: 'gru',
      units: 4,
      inputShape: [5, 2],
      numClasses: 2,
      resetAfter: true,
      seed: 9,
    });
    const dir = join(root, 'reset-after');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.layers[0].getWeights()[2].shape).toEqual([2, 12]);
    const { x } = dataFor(model);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
    await expect(loadModel(dir, { layerImplementation: 'stock' })).rejects.toThrow();
  });

  it('writes model.json and one weights file in the tfjs layout, with no temporary files left', async () => {
    const model = createSequenceModel({
      cell: 'gru',
      units: 3,
      inputShape: [4, 2],
      numClasses: 2,
      seed: 3,
    });
    const dir = join(root, 'layout');
    await saveModel(model, dir);
    const first = readdirSync(dir).sort();
    await saveModel(
      createSequenceModel({ cell: 'gru', units: 3, inputShape: [4, 2], numClasses: 2, seed: 4 }),
      dir,
    );
    const second = readdirSync(dir).sort();
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(second.some((f) => f.endsWith('.tmp'))).toBe(false);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual([
      `./${second.find((f) => f.startsWith('weights.'))}`,
    ]);
  });

  it('keeps preprocessing state beside the model', async () => {
    const model = createSequenceModel({
      cell: 'simpleRNN',
      units: 2,
      inputShape: [3, 2],
      numClasses: 2,
    });
    const dir = join(root, 'extra');
    const extra = {
      alphabet: { letters: 'abc', unknown: 'skip' },
      scaler: { mean: [0.5], scale: [2] },
    };
    await saveModel(model, dir, { extra });
    expect(await loadExtra(dir)).toEqual(extra);
    expect(await loadExtra(join(root, 'layout'))).toBeUndefined();
  });

  it('rejects an unknown layerImplementation', async () => {
    await expect(
      loadModel(join(root, 'layout'), { layerImplementation: 'fused' as 'auto' }),
    ).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'layerImplementation' }),
    );
  });

  it('rejects a folder without model.json', async () => {
    await expect(loadModel(join(root, 'nothing-here'))).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'dir' }),
    );
  });
});
