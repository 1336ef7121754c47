import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRnnClassifier, createRnnRegressor } from './create-rnn-classifier';
import { createSequenceModel } from './create-sequence-model';
import { generateSequence } from './generate-sequence';
import { generateText } from './generate-text';
import { LSTMCell } from './lstm-cell';
import { train } from './train';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const letters = 'abc';
const alphabet = {
  size: 3,
  encode: (text: string) => [...text].map((ch) => letters.indexOf(ch)),
  decode: (ids: readonly number[]) => ids.map((i) => letters[i]).join(''),
};

describe('generateText', () => {
  it('continues a learned pattern greedily', async () => {
    const text = 'abc'.repeat(20);
    const ids = alphabet.encode(text);
    const xs: number[][][] = [];
    const ys: number[] = [];
    for (let i = 0; i + 3 < ids.length; i++) {
      xs.push(ids.slice(i, i + 3).map((id) => [0, 1, 2].map((k) => (k === id ? 1 : 0))));
      ys.push(ids[i + 3]);
    }
    const model = createRnnClassifier({
      cell: 'lstm',
      units: 8,
      inputShape: [3, 3],
      numClasses: 3,
      seed: 1,
    });
    await train(
      model,
      { x: xs, y: ys },
      {
        loss: 'sparseCategoricalCrossentropy',
        epochs: 30,
        batchSize: 16,
        learningRate: 0.05,
        seed: 1,
        verbose: 0,
      },
    );
    expect(generateText(model, { seedText: 'ab', length: 7, alphabet, temperature: 0 })).toBe(
      'cabcabc',
    );
  });

  it('repeats itself for the same seed and takes ids when the model starts with an Embedding', () => {
    const model = createSequenceModel({
      inputShape: [4],
      embedding: { inputDim: 3, outputDim: 2 },
      cell: 'gru',
      units: 4,
      numClasses: 3,
      seed: 2,
    });
    const a = generateText(model, { seedText: 'abc', length: 12, alphabet, seed: 5 });
    const b = generateText(model, { seedText: 'abc', length: 12, alphabet, seed: 5 });
    expect(a).toHaveLength(12);
    expect(a).toBe(b);
  });

  it('rejects an alphabet of another size than the model', () => {
    const model = createRnnClassifier({ cell: 'gru', units: 2, inputShape: [3, 4], numClasses: 4 });
    expect(() => generateText(model, { seedText: 'a', length: 1, alphabet })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'alphabet' }),
    );
  });
});

describe('generateSequence', () => {
  it('feeds each prediction back through the model window', () => {
    const model = createRnnRegressor({ cell: 'simpleRNN', units: 3, inputShape: [4, 1], seed: 3 });
    const seed = [0.1, 0.2, 0.3, 0.4, 0.5];
    const out = generateSequence(model, seed, 3) as number[];
    const values = [...seed];
    for (let k = 0; k < 3; k++) {
      const y = model.predict(tf.tensor3d([values.slice(-4).map((v) => [v])])) as tf.Tensor;
      values.push(y.dataSync()[0]);
    }
    expect(out).toEqual(values.slice(5));
  });

  it("uses a cell's closed-loop generate", () => {
    const cell = new LSTMCell({ inputSize: 2, units: 3, outputSize: 2, seed: 4 });
    const seed = [
      [0, 1],
      [1, 0],
    ];
    expect(generateSequence(cell, seed, 4)).toEqual(cell.generate(seed, 4));
  });

  it('rejects a seed shorter than the window', () => {
    const model = createRnnRegressor({ cell: 'gru', units: 2, inputShape: [5, 1] });
    expect(() => generateSequence(model, [1, 2], 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'seed' }),
    );
  });
});
