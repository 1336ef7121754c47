import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSequenceModel } from './create-sequence-model';
import { createTextClassifier } from './create-text-classifier';
import { describeModel } from './describe-model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('describeModel', () => {
  it('lists every layer with its type, output shape and parameters, then the totals', () => {
    const model = createSequenceModel({
      cell: 'lstm',
      units: [32, 64],
      inputShape: [null, 30],
      numClasses: 10,
      name: 'review',
    });
    const text = describeModel(model);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "review"');
    expect(text).toMatch(/\(LSTM, fused\)\s+\(None, None, 32\)\s+8,064/);
    expect(text).toMatch(/\(LSTM, fused\)\s+\(None, 64\)\s+24,832/);
    expect(text).toMatch(/\(Dense\)\s+\(None, 10\)\s+650/);
    expect(text).toContain('Total params: 33,546');
    expect(text).toContain('Trainable params: 33,546');
    expect(text).toContain('Non-trainable params: 0');
  });

  it('names wrapped layers and counts frozen weights as non-trainable', () => {
    const model = createTextClassifier({
      kind: 'charGru',
      vocabSize: 10,
      maxLength: 6,
      numClasses: 3,
    });
    const text = describeModel(model);
    expect(text).toContain('Non-trainable params: 100');
    const bidi = createSequenceModel({
      cell: 'gru',
      units: 2,
      inputShape: [3, 2],
      numClasses: 2,
      bidirectional: true,
    });
    expect(describeModel(bidi)).toMatch(/\(Bidirectional\(GRU\), fused\)\s+\(None, 4\)/);
  });

  it('says which recurrent layers are stock and why', () => {
    const base = { units: 2, inputShape: [3, 2], numClasses: 2 } as const;
    const dropout = describeModel(
      createSequenceModel({ ...base, cell: 'lstm', dropout: 0.1, recurrentDropout: 0.2 }),
    );
    expect(dropout).toMatch(/\(LSTM, stock: dropout, recurrentDropout\)\s+\(None, 2\)\s+40/);
    const asked = describeModel(
      createSequenceModel({
        ...base,
        cell: 'simpleRNN',
        bidirectional: true,
        layerImplementation: 'stock',
      }),
    );
    expect(asked).toMatch(
      /\(Bidirectional\(SimpleRNN\), stock: layerImplementation: 'stock'\)\s+\(None, 4\)\s+20/,
    );
  });

  it('marks nothing but recurrent layers, and a hand-built stock layer as plain stock', () => {
    const model = tf.sequential();
    model.add(tf.layers.gru({ units: 2, inputShape: [3, 2] }));
    model.add(tf.layers.dense({ units: 1 }));
    const text = describeModel(model);
    expect(text).toMatch(/\(GRU, stock\)\s+\(None, 2\)/);
    expect(text).toMatch(/ \(Dense\)\s+\(None, 1\)/);
  });
});
