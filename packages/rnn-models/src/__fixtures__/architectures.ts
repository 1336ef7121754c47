import * as tf from '@tensorflow/tfjs';
import type { TextClassifierConfig } from '../create-text-classifier';
import type { SequenceModelConfig } from '../model-config';

const pretrained = Array.from({ length: 12 }, (_, i) =>
  Array.from({ length: 4 }, (_, j) => ((i * 4 + j) % 7) / 7 - 0.5),
);

/** One config per architecture and option the factories offer, small enough to train in a test. */
export const ARCHITECTURES: Record<string, SequenceModelConfig | TextClassifierConfig> = {
  'simpleRNN classifier': { cell: 'simpleRNN', units: 6, inputShape: [5, 3], numClasses: 3 },
  'lstm classifier, 2 layers': { cell: 'lstm', units: [6, 4], inputShape: [5, 3], numClasses: 3 },
  'gru classifier, 3 layers': {
    cell: 'gru',
    units: 4,
    layers: 3,
    inputShape: [5, 3],
    numClasses: 3,
  },
  'lstm regressor': { cell: 'lstm', units: 5, inputShape: [6, 1], outputUnits: 2 },
  'gru regressor with hidden dense': {
    cell: 'gru',
    units: 5,
    inputShape: [6, 2],
    dense: [4],
    task: 'regression',
  },
  'conv1d classifier (flatten)': {
    inputShape: [12, 3],
    conv: [{ filters: 4, kernelSize: 3, pool: { size: 2 } }],
    numClasses: 3,
  },
  'conv1d regressor (global average)': {
    inputShape: [12, 2],
    conv: [{ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }],
    pooling: 'globalAverage',
  },
  'bidirectional lstm, concat': {
    cell: 'lstm',
    units: 4,
    inputShape: [5, 3],
    numClasses: 2,
    bidirectional: true,
  },
  'bidirectional gru, sum': {
    cell: 'gru',
    units: [4, 3],
    inputShape: [5, 3],
    numClasses: 2,
    bidirectional: true,
    mergeMode: 'sum',
  },
  'bidirectional simpleRNN, mul': {
    cell: 'simpleRNN',
    units: 4,
    inputShape: [5, 3],
    numClasses: 2,
    bidirectional: true,
    mergeMode: 'mul',
  },
  'bidirectional lstm, ave': {
    cell: 'lstm',
    units: 3,
    inputShape: [5, 3],
    numClasses: 2,
    bidirectional: true,
    mergeMode: 'ave',
  },
  'dropout and recurrent dropout': {
    cell: 'lstm',
    units: [4, 4],
    inputShape: [5, 3],
    numClasses: 2,
    dropout: 0.2,
    recurrentDropout: 0.2,
    outputDropout: 0.5,
  },
  'L1/L2 regularizers': {
    cell: 'gru',
    units: 4,
    inputShape: [5, 3],
    numClasses: 2,
    kernelRegularizer: { l2: 0.01 },
    recurrentRegularizer: { l1: 0.01 },
    biasRegularizer: { l1: 0.001, l2: 0.001 },
  },
  'learned embedding with maskZero': {
    inputShape: [7],
    embedding: { inputDim: 12, outputDim: 4, maskZero: true },
    cell: 'lstm',
    units: 5,
    numClasses: 2,
  },
  'pretrained frozen embedding': {
    inputShape: [7],
    embedding: { inputDim: 12, outputDim: 4, weights: pretrained, trainable: false },
    cell: 'gru',
    units: 5,
    numClasses: 2,
  },
  'pretrained fine-tuned embedding': {
    inputShape: [7],
    embedding: { inputDim: 12, outputDim: 4, weights: pretrained, trainable: true },
    cell: 'simpleRNN',
    units: 5,
    numClasses: 2,
  },
  'cnn + lstm': {
    inputShape: [16, 2],
    conv: [{ filters: 4, kernelSize: 3, pool: { size: 2 } }],
    cell: 'lstm',
    units: 5,
    numClasses: 3,
  },
  'many-to-many (TimeDistributed)': {
    cell: 'lstm',
    units: [5, 4],
    inputShape: [6, 3],
    returnSequences: true,
    numClasses: 3,
  },
  'encoder-decoder (RepeatVector)': {
    cell: 'lstm',
    units: 6,
    inputShape: [5, 2],
    decoder: { steps: 3, units: [6, 4] },
    outputUnits: 2,
  },
  'stateful lstm': {
    cell: 'lstm',
    units: 4,
    inputShape: [5, 2],
    batchSize: 4,
    stateful: true,
    outputUnits: 1,
  },
  'char CNN': {
    kind: 'charCnn',
    vocabSize: 20,
    maxLength: 40,
    numClasses: 4,
    filters: 3,
    kernelSize: 5,
  },
  'word CNN with dropout': {
    kind: 'wordCnn',
    vocabSize: 30,
    maxLength: 40,
    numClasses: 4,
    filters: 3,
    kernelSize: 5,
    embeddingDim: 6,
    dropout: 0.5,
  },
  'char GRU, 2 layers': {
    kind: 'charGru',
    vocabSize: 20,
    maxLength: 10,
    numClasses: 4,
    units: 5,
    layers: 2,
  },
  'word GRU with dropout': {
    kind: 'wordGru',
    vocabSize: 30,
    maxLength: 10,
    numClasses: 4,
    units: 5,
    dropout: 0.3,
    embeddingDim: 6,
  },
};

/** Small seeded inputs and targets that fit a built model. */
export function dataFor(model: tf.LayersModel, n = 8): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const input = model.inputs[0].shape;
    const batch = input[0] ?? n;
    const tail = input.slice(1).map((d) => d ?? 5);
    const first = model.layers[0];
    const isIds = first.getClassName() === 'Embedding';
    const x = isIds
      ? tf.floor(
          tf.randomUniform(
            [batch, ...tail],
            0,
            (first.getConfig().inputDim as number) - 0.001,
            'float32',
            1,
          ),
        )
      : tf.randomNormal([batch, ...tail], 0, 1, 'float32', 1);
    const output = model.outputs[0].shape;
    const outTail = output.slice(1).map((d) => d ?? 5) as number[];
    const last = model.layers[model.layers.length - 1].getConfig();
    const activation =
      (last.activation as string | undefined) ??
      (last.layer as { config: { activation: string } }).config.activation;
    let y: tf.Tensor;
    if (activation === 'softmax') {
      const classes = outTail[outTail.length - 1];
      const labels = tf.floor(
        tf.randomUniform([batch, ...outTail.slice(0, -1)], 0, classes - 0.001, 'float32', 2),
      );
      y = tf
        .oneHot(tf.cast(labels.flatten(), 'int32') as tf.Tensor1D, classes)
        .reshape([batch, ...outTail]);
    } else {
      y = tf.randomNormal([batch, ...outTail], 0, 1, 'float32', 2);
    }
    return { x, y };
  });
}

/** Number of trainable parameters of a built model. */
export function trainableCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce(
    (s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
}
