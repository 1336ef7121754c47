import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURES, dataFor } from './__fixtures__/architectures';
import { createSequenceModel } from './create-sequence-model';
import { createTextClassifier, isTextClassifierConfig } from './create-text-classifier';
import { LSTMCell } from './lstm-cell';
import { initBackend } from './process-switches';
import { loadModel, saveModel } from './save-model';
import { train } from './train';

const root = mkdtempSync(join(tmpdir(), 'rnn-models-wasm-'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function build(name: string, seed: number): tf.Sequential {
  const config = ARCHITECTURES[name];
  return isTextClassifierConfig(config)
    ? createTextClassifier({ ...config, seed })
    : createSequenceModel({ ...config, seed });
}

describe('on the wasm backend with its gradient kernels', () => {
  it('runs on wasm', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  for (const name of [
    'learned embedding with maskZero',
    'cnn + lstm',
    'word CNN with dropout',
    'bidirectional gru, sum',
    'encoder-decoder (RepeatVector)',
  ]) {
    it(`trains with train(): ${name}`, async () => {
      const model = build(name, 1);
      const { x, y } = dataFor(model, 16);
      const { history } = await train(
        model,
        { x, y },
        { epochs: 8, batchSize: 8, learningRate: 0.02, seed: 1, verbose: 0 },
      );
      expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it('gives the same weights and the same history for the same seeds', async () => {
    const run = async () => {
      const model = build('cnn + lstm', 5);
      const { x, y } = dataFor(model, 16);
      const h = await train(model, { x, y }, { epochs: 2, batchSize: 8, seed: 3, verbose: 0 });
      tf.dispose([x, y]);
      return h.history;
    };
    expect(await run()).toEqual(await run());
  });

  it('trains a from-scratch LSTMCell with clipNorm', async () => {
    const cell = new LSTMCell({ inputSize: 1, units: 4, outputSize: 1, seed: 1 });
    const xs = Array.from({ length: 8 }, (_, k) =>
      Array.from({ length: 6 }, (_, t) => [Math.sin(k + t * 0.5)]),
    );
    const ys = xs.map((_, k) => [Math.sin(k + 3)]);
    const { history } = await train(
      cell,
      { x: xs, y: ys },
      { epochs: 20, batchSize: 8, learningRate: 0.05, clipNorm: 1, verbose: 0 },
    );
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]);
    cell.dispose();
  });

  it('saves and loads with identical predictions', async () => {
    const model = build('word GRU with dropout', 2);
    const { x } = dataFor(model);
    await saveModel(model, join(root, 'gru'));
    const loaded = await loadModel(join(root, 'gru'));
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
  });
});
