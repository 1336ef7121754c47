import * as tf from '@tensorflow/tfjs';
import { defaultLoss } from './compile-model';
import { RnnModelsError } from './errors';
import { mulberry32 } from './random';
import { sampleNext } from './sample-next';
import { createStepper, type ModelStepper, stepperOf } from './step-model';
import { argumentError, checkSeed } from './validate';

/** What {@link generateText} needs from an alphabet (a `CharAlphabet` of `@seqlearn/text-preprocess` fits). */
export interface TextAlphabet {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  readonly size: number;
}

/** Options for {@link generateText}. */
export interface GenerateTextOptions {
  /** Text the model starts from. */
  seedText: string;
  /** Number of characters to generate. */
  length: number;
  /** Maps text to ids and back; `size` is the model's vocabulary. */
  alphabet: TextAlphabet;
  /** Sampling temperature (0: greedy). @default 1 */
  temperature?: number;
  /** Sample among the `topK` most likely characters. @default all */
  topK?: number;
  /** Seed of the draws, an integer in [-2^31, 2^32 - 1]. @default Math.random */
  seed?: number;
  /**
   * Characters of context fed to the model. @default the model's fixed input length, or the whole
   * text so far when it takes any length
   */
  window?: number;
  /**
   * Feed each character once and carry the recurrent layers' state to the next, as char-rnn's
   * and PyTorch's sampling loops do, instead of feeding the last `window` characters again for
   * every new one: one step of arithmetic per character (see {@link createStepper}, whose models
   * it needs) instead of a pass over the window, about 40 times less work with a 40-character
   * window. The model then sees all the text so far, which a model trained on windows of a fixed
   * length never saw in training; models trained on long runs of text (char-rnn style, a target
   * at every step) are made for it. Not with `window`. @default true where it computes what
   * feeding the text again would (a model of any input length, no `window`, a model
   * {@link createStepper} can run: the window is then all the text so far, and carrying the state
   * gives the same scores up to float rounding, in linear instead of quadratic time); else false
   */
  carryState?: boolean;
}

/**
 * Generates text with a character language model, one character at a time: the last `window`
 * characters go in (one-hot `[1, steps, size]`, or ids `[1, steps]` when the model starts with an
 * `Embedding`; left-padded with zeros when shorter), the next character is drawn with
 * {@link sampleNext} and appended. Works with many-to-one models (`[1, size]` out) and many-to-many
 * ones (the last step is used). Returns only the generated characters.
 * @example
 * ```ts
 * import { createRnnClassifier, generateText } from '@seqlearn/rnn-models';
 * const letters = 'abc';
 * const alphabet = {
 *   size: 3,
 *   encode: (text) => [...text].map((ch) => letters.indexOf(ch)),
 *   decode: (ids) => ids.map((i) => letters[i]).join(''),
 * };
 * const model = createRnnClassifier({ cell: 'lstm', units: 8, inputShape: [4, 3], numClasses: 3, seed: 1 });
 * const text = generateText(model, { seedText: 'abca', length: 5, alphabet, seed: 2 });
 * console.log(text.length); // 5
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when `options` is not an object, the alphabet does
 * not fit the model (or its `encode` returns no array), `length` is bad, `seed` is not a 32-bit
 * integer, or `alphabet.encode(seedText)` gives an id outside `[0, alphabet.size)` (a character the
 * model cannot see: it would be a zero vector, or id 0, without a word).
 */
export function generateText(model: tf.LayersModel, options: GenerateTextOptions): string {
  if (typeof options !== 'object' || options === null) {
    argumentError('options', 'an options object { seedText, length, alphabet }', options);
  }
  const { seedText, length, alphabet, temperature = 1, topK, seed, window, carryState } = options;
  checkSeed(seed, 'seed');
  if (!Number.isInteger(length) || length < 0)
    argumentError('length', 'a non-negative integer', length);
  if (typeof seedText !== 'string') argumentError('seedText', 'a string', seedText);
  if (!alphabet || typeof alphabet.encode !== 'function' || typeof alphabet.decode !== 'function') {
    argumentError('alphabet', 'an object with encode(text), decode(ids) and size', alphabet);
  }
  const inputShape = model.inputs[0].shape;
  const usesIds = model.layers[0].getClassName() === 'Embedding';
  const fixedSteps = inputShape[1] ?? undefined;
  if (!usesIds && inputShape[2] !== alphabet.size) {
    argumentError('alphabet', `size ${inputShape[2]} (the model's input features)`, alphabet.size);
  }
  const outputShape = model.outputs[0].shape;
  const vocab = outputShape[outputShape.length - 1];
  if (vocab !== alphabet.size)
    argumentError('alphabet', `size ${vocab} (the model's outputs)`, alphabet.size);
  const steps = window ?? fixedSteps;
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) {
    argumentError('window', 'a positive integer', steps);
  }
  const fromProbabilities = defaultLoss(model) !== 'meanSquaredError';
  const random = mulberry32(seed ?? Math.floor(Math.random() * 2 ** 32));
  if (usesIds) {
    const inputDim = model.layers[0].getConfig().inputDim as number;
    if (alphabet.size > inputDim) {
      argumentError(
        'alphabet',
        `size <= ${inputDim} (the model's Embedding inputDim)`,
        alphabet.size,
      );
    }
  }
  const encoded: unknown = alphabet.encode(seedText);
  if (!Array.isArray(encoded)) {
    argumentError('alphabet', 'an encode(text) that returns an array of ids', encoded);
  }
  const ids = [...(encoded as number[])];
  const bad = ids.findIndex((id) => !(Number.isInteger(id) && id >= 0 && id < alphabet.size));
  if (bad >= 0) {
    throw new RnnModelsError({
      code: 'INVALID_ARGUMENT',
      argument: 'seedText',
      message: `seedText: expected characters that alphabet.encode maps to ids in [0, ${alphabet.size}), got id ${ids[bad]} at index ${bad} of alphabet.encode(${JSON.stringify(seedText)})`,
    });
  }
  const generated: number[] = [];
  if (carryState !== undefined && typeof carryState !== 'boolean') {
    argumentError('carryState', 'true or false', carryState);
  }
  let stepper: ModelStepper | null = null;
  if (carryState) {
    if (window !== undefined) {
      argumentError('window', 'unset with carryState (the state carries all the text)', window);
    }
    stepper = createStepper(model);
  } else if (carryState === undefined && window === undefined && fixedSteps === undefined) {
    // by default, carry the state where that is the same computation as feeding all the text
    // again: a model of any input length, no window, and one the stepper runs
    const made = stepperOf(model);
    if (typeof made !== 'string') stepper = made;
  }
  if (stepper) {
    try {
      // an empty seed starts from what the window mode feeds for it: a zero one-hot, or id 0
      let scores = stepper.step(ids.length ? ids[0] : usesIds ? 0 : -1);
      for (let i = 1; i < ids.length; i++) scores = stepper.step(ids[i]);
      for (let k = 0; k < length; k++) {
        const next = sampleNext(scores, { temperature, topK, fromProbabilities, random });
        generated.push(next);
        if (k + 1 < length) scores = stepper.step(next);
      }
    } finally {
      stepper.dispose();
    }
    return alphabet.decode(generated);
  }
  for (let k = 0; k < length; k++) {
    const context = steps === undefined ? ids : ids.slice(-steps);
    const width = fixedSteps ?? Math.max(context.length, 1);
    const padded = [
      ...new Array(Math.max(0, width - context.length)).fill(-1),
      ...context.slice(-width),
    ];
    const scores = tf.tidy(() => {
      const input = usesIds
        ? tf.tensor2d([padded.map((i) => Math.max(i, 0))])
        : tf.oneHot(tf.tensor1d(padded, 'int32'), alphabet.size).expandDims(0);
      let out = model.predict(input) as tf.Tensor;
      if (out.rank === 3) out = out.slice([0, out.shape[1]! - 1, 0], [1, 1, vocab]);
      return Array.from(out.dataSync());
    });
    const next = sampleNext(scores, { temperature, topK, fromProbabilities, random });
    ids.push(next);
    generated.push(next);
  }
  return alphabet.decode(generated);
}
