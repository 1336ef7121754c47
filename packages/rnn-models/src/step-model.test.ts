import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSequenceModel } from './create-sequence-model';
import { FusedGRU } from './fused/fused-gru';
import { FusedLSTM } from './fused/fused-lstm';
import { FusedSimpleRNN } from './fused/fused-simple-rnn';
import { generateText } from './generate-text';
import { initBackend } from './process-switches';
import { createStepper, stepperUnsupported } from './step-model';
import { getFusedWasm } from './wasm/wasm-kernel';

const V = 7;

/** A seeded token sequence. */
function tokens(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % V;
  });
}

/** model.predict on the whole prefix, at its last step. */
function predictLast(model: tf.LayersModel, prefix: number[], embedding: boolean): number[] {
  return tf.tidy(() => {
    const x = embedding
      ? tf.tensor2d([prefix], [1, prefix.length])
      : tf.oneHot(tf.tensor1d(prefix, 'int32'), V).expandDims(0);
    let y = model.predict(x) as tf.Tensor;
    if (y.rank === 3) y = y.slice([0, prefix.length - 1, 0], [1, 1, -1]);
    return Array.from(y.dataSync());
  });
}

function expectSteps(model: tf.LayersModel, embedding: boolean, tolerance = 2e-5): void {
  const stepper = createStepper(model);
  const seq = tokens(12, 5);
  for (let t = 0; t < seq.length; t++) {
    const out = Array.from(stepper.step(seq[t]));
    const want = predictLast(model, seq.slice(0, t + 1), embedding);
    expect(out.length).toBe(want.length);
    for (let j = 0; j < out.length; j++) expect(Math.abs(out[j] - want[j])).toBeLessThan(tolerance);
  }
  // reset starts the sequence again
  stepper.reset();
  const again = Array.from(stepper.step(seq[0]));
  const first = predictLast(model, seq.slice(0, 1), embedding);
  for (let j = 0; j < again.length; j++)
    expect(Math.abs(again[j] - first[j])).toBeLessThan(tolerance);
  stepper.dispose();
}

const init = (seed: number) => ({
  kernelInitializer: tf.initializers.glorotUniform({ seed }),
  recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
  biasInitializer: tf.initializers.randomNormal({ stddev: 0.3, seed: seed + 2 }),
});

describe('createStepper', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: false });
  });

  const layersOf = {
    'stock LSTM (hardSigmoid gates)': (o: object) => tf.layers.lstm({ units: 6, ...o }),
    'stock GRU': (o: object) => tf.layers.gru({ units: 6, recurrentActivation: 'sigmoid', ...o }),
    'stock SimpleRNN (relu)': (o: object) =>
      tf.layers.simpleRNN({ units: 6, activation: 'relu', ...o }),
    FusedLSTM: (o: object) => new FusedLSTM({ units: 6, ...o }),
    'FusedGRU (resetAfter)': (o: object) => new FusedGRU({ units: 6, resetAfter: true, ...o }),
    'FusedGRU (tfjs formulation)': (o: object) => new FusedGRU({ units: 6, ...o }),
    FusedSimpleRNN: (o: object) => new FusedSimpleRNN({ units: 6, ...o }),
  };
  for (const [name, make] of Object.entries(layersOf)) {
    it(`gives model.predict's output for the sequence so far: two ${name} layers on one-hot input, dropout, a TimeDistributed softmax`, () => {
      const model = tf.sequential({
        layers: [
          make({ inputShape: [null, V], returnSequences: true, ...init(1) }) as tf.layers.Layer,
          tf.layers.dropout({ rate: 0.5 }),
          make({ returnSequences: true, ...init(4) }) as tf.layers.Layer,
          tf.layers.timeDistributed({
            layer: tf.layers.dense({ units: V, activation: 'softmax' }),
          }),
        ],
      });
      expectSteps(model, false);
      model.dispose();
    });
  }

  it('runs an Embedding model from the factories (many-to-one, a hidden ReLU layer, output dropout, linear outputs)', () => {
    const model = createSequenceModel({
      embedding: { inputDim: V, outputDim: 4 },
      inputShape: [null],
      cell: 'gru',
      units: [5, 6],
      dense: [8],
      outputDropout: 0.2,
      task: 'regression',
      outputUnits: V,
      seed: 3,
    });
    expectSteps(model, true);
    model.dispose();
  });

  it('frees its copy of the weights on dispose, and steps no more', () => {
    const model = createSequenceModel({
      inputShape: [null, V],
      cell: 'lstm',
      units: 256,
      numClasses: V,
      seed: 1,
    });
    const memory = () => (getFusedWasm()?.view(0, 1).buffer.byteLength ?? 0) / 2 ** 20;
    const first = createStepper(model);
    first.step(1);
    first.dispose();
    const before = memory();
    // 40 steppers of 1 MiB of recurrent weights each, made and disposed in turn
    for (let i = 0; i < 40; i++) createStepper(model).dispose();
    expect(memory() - before).toBeLessThan(4);
    expect(() => first.step(1)).toThrow(/step\(\) after dispose\(\)/);
    model.dispose();
  });

  it('rejects tokens outside the vocabulary and things that are no model, and leaks no tensors', () => {
    const model = createSequenceModel({
      inputShape: [null, V],
      cell: 'gru',
      units: 4,
      numClasses: V,
      seed: 1,
    });
    const before = tf.memory().numTensors;
    const stepper = createStepper(model);
    for (const bad of [V, -2, 1.5, Number.NaN]) {
      expect(() => stepper.step(bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'token' }),
      );
    }
    expect(() => stepper.step(V)).toThrow(/expected an integer id in \[0, 7\) .*got 7/);
    expect(stepper.step(-1)).toHaveLength(V); // no token: a zero input
    stepper.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const notAModel of [null, {}, 'model']) {
      expect(stepperUnsupported(notAModel as never)).toMatch(/not a tf\.LayersModel/);
      expect(() => createStepper(notAModel as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'model' }),
      );
    }
    expect(() =>
      generateText(model, {
        seedText: '',
        length: 1,
        alphabet: { size: V, encode: () => [], decode: () => '' },
        carryState: 'yes' as never,
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'carryState' }));
    model.dispose();
  });

  it('names what it cannot step, and throws INVALID_ARGUMENT for it', () => {
    const bidirectional = createSequenceModel({
      inputShape: [null, V],
      cell: 'lstm',
      units: 4,
      bidirectional: true,
      numClasses: V,
      seed: 1,
    });
    expect(stepperUnsupported(bidirectional)).toMatch(/Bidirectional layer/);
    expect(() => createStepper(bidirectional)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'model' }),
    );
    const conv = createSequenceModel({
      inputShape: [10, V],
      conv: [{ filters: 3, kernelSize: 2 }],
      cell: 'lstm',
      units: 4,
      numClasses: V,
      seed: 1,
    });
    expect(stepperUnsupported(conv)).toMatch(/Conv1D layer/);
    const plain = createSequenceModel({
      inputShape: [null, V],
      cell: 'lstm',
      units: 4,
      numClasses: V,
      seed: 1,
    });
    expect(stepperUnsupported(plain)).toBeNull();
    for (const m of [bidirectional, conv, plain]) m.dispose();
  });
});

describe('generateText with carryState', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: false });
  });
  const letters = 'abcdefg';
  const alphabet = {
    size: V,
    encode: (text: string) => [...text].map((ch) => letters.indexOf(ch)),
    decode: (ids: readonly number[]) => ids.map((i) => letters[i]).join(''),
  };

  it('samples what feeding the whole text again samples, for a model of any input length, and is the default there', async () => {
    const model = createSequenceModel({
      inputShape: [null, V],
      cell: 'lstm',
      units: 16,
      numClasses: V,
      seed: 2,
    });
    for (const seed of [1, 2, 3]) {
      const options = { seedText: 'abcabcgfe', length: 25, alphabet, seed };
      const carried = generateText(model, { ...options, carryState: true });
      expect(carried).toHaveLength(25);
      expect(carried).toBe(generateText(model, { ...options, carryState: false }));
    }
    // the default carries the state here (any input length, no window): no tfjs op runs
    const kernelsOf = async (options: Parameters<typeof generateText>[1]) =>
      (await tf.profile(() => generateText(model, options) as unknown as tf.Tensor)).kernels.length;
    const plain = { seedText: 'abcabc', length: 5, alphabet, seed: 9 };
    expect(await kernelsOf(plain)).toBe(0);
    expect(await kernelsOf({ ...plain, carryState: false })).toBeGreaterThan(0);
    expect(await kernelsOf({ ...plain, window: 4 })).toBeGreaterThan(0);
    expect(generateText(model, plain)).toBe(generateText(model, { ...plain, carryState: false }));
    // an empty seed starts from the same zero input as the window mode
    const empty = { seedText: '', length: 10, alphabet, seed: 4 };
    expect(generateText(model, { ...empty, carryState: true })).toBe(
      generateText(model, { ...empty, carryState: false }),
    );
    expect(() =>
      generateText(model, { seedText: 'ab', length: 2, alphabet, carryState: true, window: 4 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'window' }));
    model.dispose();
  });
});
