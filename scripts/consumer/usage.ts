// Type-checked (ESM, CJS, bundler) and run by scripts/consumer-test.mjs against the installed
// tarballs: a user's program that touches every package's public API with types.
import { loadNames, type TextClassificationData } from '@seqlearn/datasets';
import {
  accuracy,
  balancedAccuracy,
  computeClassWeight,
  confusionMatrix,
  EvalMetricsError,
} from '@seqlearn/eval-metrics';
import { countParams, createRnnClassifier, type RnnClassifierConfig } from '@seqlearn/rnn-models';
import { type SplitIndices, stratifiedSplit } from '@seqlearn/sequence-windows';
import { CharAlphabet, NAME_LETTERS, oneHot, unicodeToAscii } from '@seqlearn/text-preprocess';
import type * as tf from '@tensorflow/tfjs';

async function main(): Promise<void> {
  const data: TextClassificationData = await loadNames();
  const alphabet = new CharAlphabet(NAME_LETTERS);
  const sample = data.records.filter((_, i) => i % 50 === 0);
  const labels: number[] = sample.map((r) => r.label);
  const split: SplitIndices = stratifiedSplit(labels, { testSize: 0.2, seed: 1 });
  const x: tf.Tensor3D = oneHot(
    sample.map((r) => alphabet.encode(unicodeToAscii(r.text))),
    { depth: alphabet.size, maxlen: 12 },
  );
  const config: RnnClassifierConfig = {
    cell: 'simpleRNN',
    units: 8,
    inputShape: [12, alphabet.size],
    numClasses: data.classNames.length,
    seed: 1,
  };
  const model: tf.LayersModel = createRnnClassifier(config);
  if (model.countParams() !== countParams(config)) throw new Error('countParams disagrees');
  const predicted = Array.from((model.predict(x) as tf.Tensor).argMax(-1).dataSync());
  const weights: Record<number, number> = computeClassWeight(
    'balanced',
    data.classNames.map((_, i) => i),
    labels,
  );
  const cm: number[][] = confusionMatrix(labels, predicted, {
    labels: data.classNames.map((_, i) => i),
  });
  let caught = false;
  try {
    accuracy([0, 1], [0]);
  } catch (error) {
    caught = EvalMetricsError.isInstance(error) && error.code === 'LENGTH_MISMATCH';
  }
  if (!caught) throw new Error('expected a typed LENGTH_MISMATCH error');
  console.log(
    `records ${data.records.length}, train ${split.trainIndices.length}, params ${countParams(config)}, ` +
      `classes weighted ${Object.keys(weights).length}, matrix ${cm.length}x${cm.length}, ` +
      `balanced accuracy (untrained) ${balancedAccuracy(labels, predicted).toFixed(3)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
