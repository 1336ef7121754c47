import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURES, dataFor } from './__fixtures__/architectures';
import { compileModel } from './compile-model';
import { createSequenceModel } from './create-sequence-model';
import { createTextClassifier, isTextClassifierConfig } from './create-text-classifier';
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

  it('rejects a folder without model.json', async () => {
    await expect(loadModel(join(root, 'nothing-here'))).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'dir' }),
    );
  });
});
