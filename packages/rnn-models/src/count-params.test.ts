import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURES, trainableCount } from './__fixtures__/architectures';
import { countParams, countParamsByLayer } from './count-params';
import { createSequenceModel } from './create-sequence-model';
import { createTextClassifier, isTextClassifierConfig } from './create-text-classifier';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('countParams', () => {
  it('answers the review question for two SimpleRNN layers (32, 64) on 30 features and 10 classes', () => {
    const config = {
      cell: 'simpleRNN',
      units: [32, 64],
      inputShape: [null, 30],
      numClasses: 10,
    } as const;
    // (30·32 + 32·32 + 32) + (32·64 + 64·64 + 64) + (64·10 + 10) = 2016 + 6208 + 650
    expect(countParams(config)).toBe(8874);
    expect(createSequenceModel(config).countParams()).toBe(8874);
  });

  it('answers the review question for the same with LSTM layers', () => {
    const config = {
      cell: 'lstm',
      units: [32, 64],
      inputShape: [null, 30],
      numClasses: 10,
    } as const;
    // 4 · 2016 + 4 · 6208 + 650 = 8064 + 24832 + 650
    expect(countParams(config)).toBe(33546);
    expect(createSequenceModel(config).countParams()).toBe(33546);
  });

  for (const [name, config] of Object.entries(ARCHITECTURES)) {
    it(`matches the built model for ${name}`, () => {
      const model = isTextClassifierConfig(config)
        ? createTextClassifier(config)
        : createSequenceModel(config);
      expect(countParams(config)).toBe(trainableCount(model));
      const detail = countParamsByLayer(config);
      expect(detail.trainable + detail.nonTrainable).toBe(model.countParams());
      expect(detail.layers.at(-1)?.outputShape).toEqual(model.outputs[0].shape.slice(1));
      model.dispose();
    });
  }

  it('counts the fused default and the stock layers alike', () => {
    for (const [name, config] of Object.entries(ARCHITECTURES)) {
      if (isTextClassifierConfig(config) || config.cell === undefined) continue;
      const model = createSequenceModel({ ...config, layerImplementation: 'stock' });
      expect(countParams({ ...config, layerImplementation: 'stock' }), name).toBe(
        trainableCount(model),
      );
      model.dispose();
    }
  });

  it('counts the second bias row of a GRU with resetAfter', () => {
    for (const bidirectional of [false, true]) {
      const config = {
        cell: 'gru',
        units: [8, 4],
        inputShape: [6, 3],
        numClasses: 3,
        resetAfter: true,
        bidirectional,
      } as const;
      const model = createSequenceModel(config);
      // Keras 2: GRU(8, reset_after=True) on 3 features has 3·(3·8 + 8·8 + 2·8) = 312 parameters
      const first = 3 * (3 * 8 + 8 * 8 + 2 * 8);
      expect(countParamsByLayer(config).layers[0].params).toBe(bidirectional ? 2 * first : first);
      expect(countParams(config)).toBe(trainableCount(model));
      expect(countParams(config)).toBe(model.countParams());
      model.dispose();
    }
  });

  it('leaves frozen embeddings out of the trainable count', () => {
    const config = ARCHITECTURES['pretrained frozen embedding'];
    expect(countParamsByLayer(config).nonTrainable).toBe(12 * 4);
  });

  it('creates no tensors', () => {
    const before = tf.memory().numTensors;
    countParams({ cell: 'lstm', units: 8, inputShape: [4, 2], numClasses: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a bad config as the factory does', () => {
    expect(() =>
      countParams({ cell: 'lstm', units: 8, inputShape: [4, 2], numClasses: 0 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', argument: 'numClasses' }));
  });
});
