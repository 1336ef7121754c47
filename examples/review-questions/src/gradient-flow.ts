import { withGradientClipping } from '@seqlearn/rnn-models';
import * as tf from '@tensorflow/tfjs';

/**
 * Question (c), vanishing and exploding gradients, measured on a SimpleRNN (tanh) whose target is
 * its **first** input: `y = x₁`, inputs `N(0, 1)`, one unit of output read from the last state,
 * MSE loss. Whatever the model learns about `y` must flow back through every step, so the
 * gradient that reaches `x₁` is the one that vanishes or explodes.
 */
export interface GradientOptions {
  /** Sequence lengths T. */
  lengths: number[];
  /**
   * Scales σ of the recurrent kernel, drawn `N(0, σ²/units)` (spectral radius about σ): below
   * about 1 the backpropagated signal shrinks at each step, above it grows.
   */
  sigmas: number[];
  units: number;
  batch: number;
  /** SGD learning rate of the update whose norm is reported. */
  learningRate: number;
  /** Global-norm clipping threshold (`clipNorm`, as `tf.clip_by_global_norm`). */
  clipNorm: number;
  seed: number;
}

/** One row of the measurement: one σ and one length. */
export interface GradientRow {
  sigma: number;
  steps: number;
  /** ‖∂L/∂x₁‖ over the batch: the gradient reaching the first step. */
  gradFirst: number;
  /** ‖∂L/∂x_T‖: the gradient at the last step. */
  gradLast: number;
  /** gradFirst / gradLast. */
  ratio: number;
  /** ‖∂L/∂W_hh‖, the recurrent kernel's gradient. */
  gradRecurrent: number;
  /** Global norm of every parameter's gradient. */
  gradGlobal: number;
  /** ‖Δθ‖ of one SGD step without clipping (measured on the weights, then undone). */
  update: number;
  /** ‖Δθ‖ of the same step through `withGradientClipping(sgd, { clipNorm })`. */
  clippedUpdate: number;
  /** The factor clipping multiplied every gradient by: min(1, clipNorm / gradGlobal). */
  clipScale: number;
}

/** A SimpleRNN(units) → Dense(1) model on `[T, 1]` inputs, recurrent kernel `N(0, σ²/units)`. */
export function recallModel(steps: number, sigma: number, units: number, seed: number) {
  const model = tf.sequential();
  model.add(
    tf.layers.simpleRNN({
      units,
      inputShape: [steps, 1],
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      recurrentInitializer: tf.initializers.randomNormal({
        mean: 0,
        stddev: sigma / Math.sqrt(units),
        seed: seed + 2,
      }),
    }),
  );
  model.add(
    tf.layers.dense({
      units: 1,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }),
    }),
  );
  return model;
}

/** A batch of `N(0, 1)` sequences and their target, the first input. */
function recallBatch(n: number, steps: number, seed: number) {
  const x = tf.randomNormal([n, steps, 1], 0, 1, 'float32', seed);
  const y = tf.tidy(() => x.slice([0, 0, 0], [n, 1, 1]).reshape([n, 1]));
  return { x, y };
}

const mseOf = (model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor) =>
  tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar;

/** ‖Δθ‖ of one step of `optimizer` with `grads`; the weights are put back afterwards. */
function stepNorm(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  grads: tf.NamedTensorMap,
): number {
  const before = model.getWeights().map((w) => w.clone());
  optimizer.applyGradients(grads);
  const after = model.getWeights();
  const norm = tf.tidy(() =>
    Math.sqrt(tf.addN(before.map((w, i) => tf.sum(tf.square(tf.sub(after[i], w))))).dataSync()[0]),
  );
  model.setWeights(before);
  tf.dispose(before);
  optimizer.dispose();
  return norm;
}

/**
 * For each σ and length T: the gradient norms at the first and last input steps, of the
 * recurrent kernel and of all parameters, and the norm of one SGD update with and without global
 * norm clipping. Clipping multiplies **every** gradient by the same factor, so the update shrinks
 * to at most `learningRate · clipNorm` while the ratio ‖∂L/∂x₁‖ / ‖∂L/∂x_T‖, the vanishing, stays
 * what it was.
 */
export function measureGradients(o: GradientOptions): GradientRow[] {
  const rows: GradientRow[] = [];
  for (const sigma of o.sigmas) {
    for (const steps of o.lengths) {
      const model = recallModel(steps, sigma, o.units, o.seed);
      const { x, y } = recallBatch(o.batch, steps, o.seed + 4);
      const [gradFirst, gradLast] = tf.tidy(() => {
        const gx = tf.grad((input: tf.Tensor) => mseOf(model, input, y))(x);
        const first = gx.slice([0, 0, 0], [o.batch, 1, 1]).norm().dataSync()[0];
        const last = gx
          .slice([0, steps - 1, 0], [o.batch, 1, 1])
          .norm()
          .dataSync()[0];
        return [first, last];
      });
      const { value, grads } = tf.variableGrads(() => mseOf(model, x, y));
      const names = Object.keys(grads);
      const recurrentName = names.find((n) => /recurrent/i.test(n));
      const [gradRecurrent, gradGlobal] = tf.tidy(() => [
        recurrentName ? grads[recurrentName].norm().dataSync()[0] : Number.NaN,
        Math.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))).dataSync()[0]),
      ]);
      const update = stepNorm(model, tf.train.sgd(o.learningRate), grads);
      const clippedUpdate = stepNorm(
        model,
        withGradientClipping(tf.train.sgd(o.learningRate), { clipNorm: o.clipNorm }),
        grads,
      );
      rows.push({
        sigma,
        steps,
        gradFirst,
        gradLast,
        ratio: gradFirst / gradLast,
        gradRecurrent,
        gradGlobal,
        update,
        clippedUpdate,
        clipScale: Math.min(1, o.clipNorm / gradGlobal),
      });
      tf.dispose([x, y, value, ...Object.values(grads)]);
      model.dispose();
    }
  }
  return rows;
}

/** Options of {@link trainRecall}. */
export interface RecallTrainingOptions {
  lengths: number[];
  sigmas: number[];
  units: number;
  batch: number;
  /** SGD steps (a new batch each). */
  steps: number;
  learningRate: number;
  clipNorm: number;
  /** Held-out sequences the final MSE is measured on. */
  validation: number;
  seed: number;
}

/** One training run of {@link trainRecall}. */
export interface RecallRun {
  sigma: number;
  steps: number;
  /** `null`: no clipping. */
  clipNorm: number | null;
  /** Validation MSE after training (predicting 0 scores about 1, the variance of x₁); NaN if it diverged. */
  valMse: number;
  /** Largest ‖Δθ‖ of one step among the finite ones. */
  maxUpdate: number;
  /** The SGD step at which the weights became NaN/∞, or null. */
  divergedAt: number | null;
  seconds: number;
}

/**
 * Trains the first-input recall model with plain SGD, with and without `clipNorm`, to show what
 * clipping does in training: it caps every step at `learningRate · clipNorm` and so keeps a run
 * from blowing up, but it does not make the first step's signal reach the weights at long T.
 */
export async function trainRecall(o: RecallTrainingOptions): Promise<RecallRun[]> {
  const runs: RecallRun[] = [];
  for (const sigma of o.sigmas) {
    for (const steps of o.lengths) {
      for (const clipNorm of [null, o.clipNorm]) {
        const started = Date.now();
        const model = recallModel(steps, sigma, o.units, o.seed);
        const sgd = tf.train.sgd(o.learningRate);
        const optimizer = clipNorm === null ? sgd : withGradientClipping(sgd, { clipNorm });
        let maxUpdate = 0;
        let divergedAt: number | null = null;
        for (let s = 0; s < o.steps; s++) {
          const { x, y } = recallBatch(o.batch, steps, o.seed * 7919 + 1000 + s);
          const before = model.getWeights().map((w) => w.clone());
          const loss = optimizer.minimize(() => mseOf(model, x, y), true);
          const after = model.getWeights();
          const update = tf.tidy(() =>
            Math.sqrt(
              tf.addN(before.map((w, i) => tf.sum(tf.square(tf.sub(after[i], w))))).dataSync()[0],
            ),
          );
          tf.dispose([x, y, loss as tf.Tensor, ...before]);
          if (!Number.isFinite(update)) {
            divergedAt = s;
            break;
          }
          maxUpdate = Math.max(maxUpdate, update);
          if (s % 20 === 0) await new Promise((r) => setImmediate(r));
        }
        const val = recallBatch(o.validation, steps, o.seed + 99);
        const valMse =
          divergedAt === null
            ? tf.tidy(() => mseOf(model, val.x, val.y).dataSync()[0])
            : Number.NaN;
        tf.dispose([val.x, val.y]);
        optimizer.dispose();
        model.dispose();
        runs.push({
          sigma,
          steps,
          clipNorm,
          valMse,
          maxUpdate,
          divergedAt,
          seconds: (Date.now() - started) / 1000,
        });
      }
    }
  }
  return runs;
}

const e = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : String(v));

/** One gradient row as table cells, for the printed answer and for answers.md. */
export function gradientCells(r: GradientRow): string[] {
  return [
    String(r.sigma),
    String(r.steps),
    e(r.gradFirst),
    e(r.gradLast),
    e(r.ratio),
    e(r.gradRecurrent),
    e(r.gradGlobal),
    e(r.update),
    e(r.clippedUpdate),
    e(r.clipScale),
  ];
}

/** The printed form of question (c). */
export function formatGradients(
  rows: GradientRow[],
  runs: RecallRun[],
  o: { learningRate: number; clipNorm: number; trainLearningRate: number; trainSteps: number },
): string {
  const head = [
    'σ',
    'T',
    '‖∂L/∂x₁‖',
    '‖∂L/∂x_T‖',
    'x₁/x_T',
    '‖∂L/∂W_hh‖',
    '‖∇θ‖',
    '‖Δθ‖ SGD',
    `‖Δθ‖ clip ${o.clipNorm}`,
    'clip scale',
  ];
  const table = rows.map(gradientCells);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padStart(widths[i])).join('  ')}`;
  const trainHead = ['σ', 'T', 'clipNorm', 'val MSE', 'max ‖Δθ‖', 'diverged'];
  const trainRows = runs.map((r) => [
    String(r.sigma),
    String(r.steps),
    r.clipNorm === null ? 'none' : String(r.clipNorm),
    Number.isFinite(r.valMse) ? r.valMse.toFixed(3) : '-',
    e(r.maxUpdate),
    r.divergedAt === null ? 'no' : `at step ${r.divergedAt}`,
  ]);
  const tw = trainHead.map((h, i) => Math.max(h.length, ...trainRows.map((r) => r[i].length)));
  const tline = (cells: string[]) => `  ${cells.map((c, i) => c.padStart(tw[i])).join('  ')}`;
  return [
    '(c) Vanishing and exploding gradients: SimpleRNN(tanh) whose target is its first input (y = x₁),',
    `    recurrent kernel N(0, σ²/units); one batch, SGD learning rate ${o.learningRate}, clipNorm ${o.clipNorm}`,
    line(head),
    ...table.map(line),
    '',
    `    Training it (plain SGD, learning rate ${o.trainLearningRate}, ${o.trainSteps} steps; val MSE of predicting 0 is about 1):`,
    tline(trainHead),
    ...trainRows.map(tline),
  ].join('\n');
}
