import { createSequenceModel } from '@seqlearn/rnn-models';
import * as tf from '@tensorflow/tfjs';

/** One input/output form of a recurrent network, built and run once. */
export interface MappingForm {
  form: string;
  /** A task of that form. */
  example: string;
  /** The one line that builds it. */
  code: string;
  /** Symbolic shapes, `null` for the batch (and free lengths). */
  inputShape: (number | null)[];
  outputShape: (number | null)[];
  /** Shapes of a real batch of 2 through `model.predict`. */
  batchInput: number[];
  batchOutput: number[];
  params: number;
}

interface Spec {
  form: string;
  example: string;
  code: string;
  build: () => tf.LayersModel;
  input: number[];
}

/** A `tf.sequential` one-to-many model: one vector, repeated, read by a recurrent layer. */
function oneToMany(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.repeatVector({ n: 6, inputShape: [16] }));
  model.add(
    tf.layers.simpleRNN({
      units: 8,
      returnSequences: true,
      recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  model.add(
    tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 20, activation: 'softmax' }) }),
  );
  return model;
}

const SPECS: Spec[] = [
  {
    form: 'one-to-one',
    example: 'classify one feature vector (a sequence of length 1: a plain feed-forward net)',
    code: "createSequenceModel({ cell: 'simpleRNN', units: 8, inputShape: [1, 16], numClasses: 3 })",
    build: () =>
      createSequenceModel({
        cell: 'simpleRNN',
        units: 8,
        inputShape: [1, 16],
        numClasses: 3,
        seed: 1,
      }),
    input: [2, 1, 16],
  },
  {
    form: 'one-to-many',
    example: 'caption an image: one vector in, a sequence of 6 words (of 20) out',
    code: 'tf.sequential([repeatVector({ n: 6, inputShape: [16] }), simpleRNN({ units: 8, returnSequences: true }), timeDistributed(dense({ units: 20, softmax }))])',
    build: oneToMany,
    input: [2, 16],
  },
  {
    form: 'many-to-one',
    example: 'sentiment of a sentence: 10 word vectors in, one of 2 classes out',
    code: "createSequenceModel({ cell: 'lstm', units: 8, inputShape: [10, 16], numClasses: 2 })",
    build: () =>
      createSequenceModel({ cell: 'lstm', units: 8, inputShape: [10, 16], numClasses: 2, seed: 1 }),
    input: [2, 10, 16],
  },
  {
    form: 'many-to-many, synced',
    example: 'tag every word (part of speech) or every video frame: one of 5 labels per step',
    code: "createSequenceModel({ cell: 'gru', units: 8, inputShape: [10, 16], numClasses: 5, returnSequences: true })",
    build: () =>
      createSequenceModel({
        cell: 'gru',
        units: 8,
        inputShape: [10, 16],
        numClasses: 5,
        returnSequences: true,
        seed: 1,
      }),
    input: [2, 10, 16],
  },
  {
    form: 'many-to-many, encoder-decoder',
    example: 'translate: 10 words in, 7 words (of 20) out, lengths independent',
    code: "createSequenceModel({ cell: 'lstm', units: 8, inputShape: [10, 16], numClasses: 20, decoder: { steps: 7 } })",
    build: () =>
      createSequenceModel({
        cell: 'lstm',
        units: 8,
        inputShape: [10, 16],
        numClasses: 20,
        decoder: { steps: 7 },
        seed: 1,
      }),
    input: [2, 10, 16],
  },
];

/**
 * Question (a): the input/output forms of recurrent networks, each built once (with
 * `createSequenceModel` of `@seqlearn/rnn-models`, or `tf.layers` where the factory has no such
 * form: one-to-many) and run on a batch of 2, with its symbolic and real shapes.
 */
export function mappingForms(): MappingForm[] {
  return SPECS.map((spec) => {
    const model = spec.build();
    const output = tf.tidy(() => {
      const x = tf.randomNormal(spec.input, 0, 1, 'float32', 7);
      return (model.predict(x) as tf.Tensor).shape;
    });
    const form: MappingForm = {
      form: spec.form,
      example: spec.example,
      code: spec.code,
      inputShape: [...model.inputs[0].shape],
      outputShape: [...model.outputs[0].shape],
      batchInput: spec.input,
      batchOutput: output,
      params: model.countParams(),
    };
    model.dispose();
    return form;
  });
}

const shape = (s: (number | null)[]) => `[${s.map((d) => (d === null ? 'null' : d)).join(', ')}]`;

/** The printed form of question (a). */
export function formatMappingForms(forms: MappingForm[]): string {
  const width = Math.max(...forms.map((f) => f.form.length));
  return [
    '(a) Input/output forms of recurrent networks, each built and run on a batch of 2',
    '    (shapes with null for the batch; then the real batch through model.predict)',
    ...forms.flatMap((f) => [
      `  ${f.form.padEnd(width)}  ${shape(f.inputShape)} -> ${shape(f.outputShape)}   batch ${shape(f.batchInput)} -> ${shape(f.batchOutput)}   ${f.params} params`,
      `  ${' '.repeat(width)}  e.g. ${f.example}`,
      `  ${' '.repeat(width)}  ${f.code}`,
    ]),
  ].join('\n');
}
