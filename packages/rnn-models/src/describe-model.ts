import type * as tf from '@tensorflow/tfjs';
import { conv1DImplementation, recurrentImplementation } from './layer-implementation';

function shapeText(shape: unknown): string {
  const one = (s: (number | null)[]) =>
    `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
  if (Array.isArray(shape) && Array.isArray(shape[0]))
    return (shape as (number | null)[][]).map(one).join(', ');
  return one(shape as (number | null)[]);
}

function sizeOf(variables: readonly { shape: (number | null)[] }[]): number {
  return variables.reduce((sum, v) => sum + v.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

function cell(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * A Keras-like summary of a model as text: one row per layer with its name and class (wrappers
 * show what they wrap, e.g. `Bidirectional(LSTM)`), its output shape and its parameter count, then
 * the total, trainable and non-trainable counts. Recurrent layers also say whether they are fused
 * or stock and, when stock, why (`LSTM, stock: recurrentDropout`). Print it with `console.log`.
 * @example
 * ```ts
 * import { createRnnClassifier, describeModel } from '@seqlearn/rnn-models';
 * const model = createRnnClassifier({ cell: 'lstm', units: 8, inputShape: [10, 4], numClasses: 3, name: 'demo' });
 * console.log(describeModel(model));
 * // Model: "demo"
 * // _______________________________________________________________________
 * //  Layer (type)                    Output Shape              Param #
 * // =======================================================================
 * //  lstm_LSTM1 (LSTM, fused)        (None, 8)                 416
 * //  dense_Dense1 (Dense)            (None, 3)                 27
 * // =======================================================================
 * // Total params: 443
 * // Trainable params: 443
 * // Non-trainable params: 0
 * // _______________________________________________________________________
 * ```
 */
export function describeModel(model: tf.LayersModel): string {
  const widths = [33, 26, 12];
  const rule = (c: string) => c.repeat(widths[0] + widths[1] + widths[2]);
  const lines = [`Model: "${model.name}"`, rule('_')];
  lines.push(`${cell(' Layer (type)', widths[0])}${cell('Output Shape', widths[1])}Param #`);
  lines.push(rule('='));
  for (const layer of model.layers) {
    const inner = (layer as unknown as { layer?: tf.layers.Layer }).layer;
    let type = inner ? `${layer.getClassName()}(${inner.getClassName()})` : layer.getClassName();
    const impl = recurrentImplementation(layer) ?? conv1DImplementation(layer);
    if (impl) type += impl.fused ? ', fused' : `, stock${impl.reason ? `: ${impl.reason}` : ''}`;
    let shape: string;
    try {
      shape = shapeText(layer.outputShape);
    } catch {
      shape = 'multiple';
    }
    lines.push(
      cell(` ${layer.name} (${type})`, widths[0]) +
        cell(shape, widths[1]) +
        fmt(layer.countParams()),
    );
  }
  lines.push(rule('='));
  const trainable = sizeOf(model.trainableWeights);
  const nonTrainable = sizeOf(model.nonTrainableWeights);
  lines.push(`Total params: ${fmt(trainable + nonTrainable)}`);
  lines.push(`Trainable params: ${fmt(trainable)}`);
  lines.push(`Non-trainable params: ${fmt(nonTrainable)}`);
  lines.push(rule('_'));
  return lines.join('\n');
}
