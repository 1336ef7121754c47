import { memoryTask } from '@seqlearn/datasets';
import { lastKAccuracy } from '@seqlearn/eval-metrics';
import { clipByGlobalNorm, createSequenceModel } from '@seqlearn/rnn-models';
import { shuffle } from '@seqlearn/sequence-windows';
import * as tf from '@tensorflow/tfjs';

/**
 * Questions (d) and (e): SimpleRNN vs LSTM on the copy-memory task (`memoryTask` of
 * `@seqlearn/datasets`) as the delay grows. Each sequence shows `k` digits, `delay` blanks and a
 * delimiter; the model must output the digits during the last `k` steps.
 */
export interface MemoryOptions {
  cells: ('simpleRNN' | 'lstm')[];
  delays: number[];
  units: number;
  /** Digits to recall. */
  k: number;
  /** Sequences drawn from the `train` split: the first 80% train, the last 20% validate. */
  examples: number;
  /** Sequences of the independent `test` split, scored once at the end. */
  testExamples: number;
  /** At most this many epochs; training stops once the validation accuracy reaches `stopAt`. */
  epochs: number;
  stopAt: number;
  batchSize: number;
  learningRate: number;
  clipNorm: number;
  seed: number;
  log?: (line: string) => void;
}

/** One cell at one delay. */
export interface MemoryRun {
  cell: 'simpleRNN' | 'lstm';
  delay: number;
  /** Sequence length, 2k + delay + 1. */
  steps: number;
  params: number;
  /** Accuracy on the last k outputs of the test split (chance 1/9). */
  testAccuracy: number;
  /** Accuracy on the validation sequences at the last epoch (the stopping rule reads this one). */
  valAccuracy: number;
  /** Epochs run (fewer than the maximum when the validation accuracy reached `stopAt`). */
  epochs: number;
  seconds: number;
  /** Validation accuracy after each epoch. */
  valCurve: number[];
}

const SYMBOLS = 11; // digits 0-8, blank 9, delimiter 10

function oneHot(rows: number[][]): tf.Tensor3D {
  return tf.tidy(
    () => tf.oneHot(tf.tensor2d(rows, undefined, 'int32'), SYMBOLS).toFloat() as tf.Tensor3D,
  );
}

/** Predicted symbols of the last k steps, `[n][k]`. */
function recall(model: tf.LayersModel, x: tf.Tensor3D, k: number): number[][] {
  return tf.tidy(() => {
    const [n, t] = x.shape;
    const p = model.predict(x, { batchSize: 256 }) as tf.Tensor3D;
    return p
      .slice([0, t - k, 0], [n, k, SYMBOLS])
      .argMax(-1)
      .arraySync() as number[][];
  });
}

/**
 * Trains one cell per delay: one-hot symbols in, a recurrent layer of `units` that returns every
 * step (`createSequenceModel` with `returnSequences`), a softmax over the 11 symbols per step.
 * The loss is the cross-entropy of the last `k` steps only (the blanks elsewhere are trivial and
 * would swamp it), Adam with global-norm clipping; accuracy is graded on the last `k` outputs.
 */
export async function runMemoryDelays(o: MemoryOptions): Promise<MemoryRun[]> {
  const runs: MemoryRun[] = [];
  const k = o.k;
  for (const delay of o.delays) {
    const all = await memoryTask.load({
      examples: o.examples,
      k,
      delay,
      seed: o.seed,
      split: 'train',
    });
    const test = await memoryTask.load({
      examples: o.testExamples,
      k,
      delay,
      seed: o.seed,
      split: 'test',
    });
    const nTrain = Math.round(o.examples * 0.8);
    const trainRecs = all.records.slice(0, nTrain);
    const valRecs = all.records.slice(nTrain);
    const steps = trainRecs[0].input.length;
    const x = oneHot(trainRecs.map((r) => r.input));
    const y = tf.tidy(() => oneHot(trainRecs.map((r) => r.target.slice(steps - k))));
    const xVal = oneHot(valRecs.map((r) => r.input));
    const xTest = oneHot(test.records.map((r) => r.input));
    const lastK = (recs: typeof trainRecs) => recs.map((r) => r.target.slice(steps - k));
    for (const cell of o.cells) {
      const started = Date.now();
      const model = createSequenceModel({
        cell,
        units: o.units,
        inputShape: [steps, SYMBOLS],
        numClasses: SYMBOLS,
        returnSequences: true,
        seed: o.seed,
      });
      const optimizer = tf.train.adam(o.learningRate);
      const valCurve: number[] = [];
      let epoch = 0;
      while (epoch < o.epochs) {
        const order = shuffle(
          Array.from({ length: nTrain }, (_, i) => i),
          { seed: (o.seed * 1000 + epoch) >>> 0 },
        );
        for (let b = 0; b < nTrain; b += o.batchSize) {
          const idx = tf.tensor1d(order.slice(b, b + o.batchSize), 'int32');
          const xb = tf.gather(x, idx) as tf.Tensor3D;
          const yb = tf.gather(y, idx);
          const n = xb.shape[0];
          const { value, grads } = tf.variableGrads(() => {
            const p = model.apply(xb, { training: true }) as tf.Tensor3D;
            const last = p.slice([0, steps - k, 0], [n, k, SYMBOLS]);
            return tf.neg(tf.mean(tf.sum(tf.mul(yb, tf.log(tf.add(last, 1e-7))), -1))) as tf.Scalar;
          });
          const names = Object.keys(grads);
          const { clipped } = clipByGlobalNorm(
            names.map((name) => grads[name]),
            o.clipNorm,
          );
          optimizer.applyGradients(names.map((name, i) => ({ name, tensor: clipped[i] })));
          tf.dispose([idx, xb, yb, value, ...Object.values(grads), ...clipped]);
        }
        epoch++;
        const acc = lastKAccuracy(lastK(valRecs), recall(model, xVal, k), k);
        valCurve.push(acc);
        o.log?.(
          `  ${cell} delay ${delay} epoch ${epoch}: validation last-${k} accuracy ${acc.toFixed(3)}`,
        );
        if (acc >= o.stopAt) break;
        await new Promise((r) => setImmediate(r));
      }
      const testAccuracy = lastKAccuracy(lastK(test.records), recall(model, xTest, k), k);
      runs.push({
        cell,
        delay,
        steps,
        params: model.countParams(),
        testAccuracy,
        valAccuracy: valCurve.at(-1) ?? Number.NaN,
        epochs: epoch,
        seconds: (Date.now() - started) / 1000,
        valCurve,
      });
      optimizer.dispose();
      model.dispose();
    }
    tf.dispose([x, y, xVal, xTest]);
  }
  return runs;
}

const NAME = { simpleRNN: 'SimpleRNN', lstm: 'LSTM' } as const;

/** The delay table: one row per delay, one column per cell (test accuracy, epochs, seconds). */
export function memoryTable(runs: MemoryRun[]): { head: string[]; rows: string[][] } {
  const cells = [...new Set(runs.map((r) => r.cell))];
  const delays = [...new Set(runs.map((r) => r.delay))];
  const head = [
    'delay',
    'steps',
    ...cells.map((c) => `${NAME[c]}(${runs.find((r) => r.cell === c)?.params} params)`),
  ];
  const rows = delays.map((d) => {
    const row = runs.filter((r) => r.delay === d);
    return [
      String(d),
      String(row[0].steps),
      ...cells.map((c) => {
        const r = row.find((x) => x.cell === c);
        return r ? `${r.testAccuracy.toFixed(3)} (${r.epochs} ep, ${r.seconds.toFixed(0)} s)` : '-';
      }),
    ];
  });
  return { head, rows };
}

/** The written part of (d): why an LSTM should hold information longer than a SimpleRNN. */
export const LSTM_VS_RNN_NOTE = `Why an LSTM should keep information longer than a SimpleRNN

- A SimpleRNN rewrites its whole state at every step, h_t = tanh(W x_t + U h_{t-1} + b): the
  gradient reaching a step d steps back is a product of d Jacobians U^T·diag(tanh'), which
  shrinks (or grows) geometrically with d, as (c) measures.
- An LSTM keeps a cell state updated additively, c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t: along c the
  Jacobian is diag(f_t), so with the forget gate near 1 (Keras starts its bias at 1) the signal
  and its gradient pass many steps unchanged, and the input and output gates decide when to
  write and read. That is why LSTMs are the usual answer for long dependencies.
- It does not mean an LSTM learns any given long-delay task faster: it has four times the
  parameters per unit, and gated models can sit on a plateau for many epochs before they learn
  to store and recall (the per-epoch validation curves are in answers.json). The measurement
  below shows what happens on this task with a fixed budget of epochs.`;
