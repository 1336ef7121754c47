import path from 'node:path';
import {
  markdownTable,
  writeFileAtomic,
  writeJsonAtomic,
  writeRunReport,
} from '@seqlearn/example-kit';
import { initBackend } from '@seqlearn/rnn-models';
import { EMBEDDINGS_COMPARISON } from './embeddings-note';
import {
  formatGradients,
  type GradientOptions,
  type GradientRow,
  gradientCells,
  measureGradients,
  type RecallRun,
  type RecallTrainingOptions,
  trainRecall,
} from './gradient-flow';
import { formatMappingForms, type MappingForm, mappingForms } from './mapping-forms';
import {
  LSTM_VS_RNN_NOTE,
  type MemoryOptions,
  type MemoryRun,
  memoryTable,
  runMemoryDelays,
} from './memory-delay';
import {
  answerParamQuestion,
  formatParamAnswer,
  PARAM_QUESTIONS,
  type ParamAnswer,
} from './param-counts';

/** The parts of the review, in the order they are answered. */
export const PARTS = ['forms', 'params', 'gradients', 'memory', 'embeddings'] as const;
export type Part = (typeof PARTS)[number];

/** Options of {@link runReviewQuestions}. */
export interface ReviewOptions {
  /** Folder that receives `answers.json` and `answers.md`. */
  out: string;
  /** Small measurements (seconds) instead of the full ones (minutes). @default false */
  quick?: boolean;
  /** Seed of the weights and data of the measured parts. @default 42 */
  seed?: number;
  /** Parts to answer. @default every part */
  parts?: readonly Part[];
  /** Override of the memory task's maximum epochs. */
  memoryEpochs?: number;
  /** Per-epoch lines of the memory task. @default false */
  verbose?: boolean;
}

/** What {@link runReviewQuestions} returns and writes to `answers.json`. */
export interface ReviewAnswers {
  backend: string;
  quick: boolean;
  seed: number;
  /** (a) The input/output forms, built and run. */
  forms?: MappingForm[];
  /** The parameter counts of two stacked classifiers. */
  params: ParamAnswer[];
  /** (c) Gradient norms by length, with and without clipping, and training with and without it. */
  gradients?: {
    options: GradientOptions;
    rows: GradientRow[];
    training: { options: RecallTrainingOptions; runs: RecallRun[] };
  };
  /** (d, e) SimpleRNN vs LSTM on the copy-memory task as the delay grows. */
  memory?: { options: Omit<MemoryOptions, 'log'>; runs: MemoryRun[]; note: string };
  embeddings?: string;
}

/** Settings of the measured parts, full and `--quick`. */
export function reviewSettings(quick: boolean, seed: number) {
  const gradients: GradientOptions = {
    lengths: quick ? [5, 20, 50] : [5, 10, 20, 50, 100, 200],
    sigmas: [1, 2],
    units: 32,
    batch: 32,
    learningRate: 0.05,
    clipNorm: 1,
    seed,
  };
  const training: RecallTrainingOptions = {
    lengths: quick ? [5, 20] : [10, 50],
    sigmas: [1, 2],
    units: 32,
    batch: 32,
    steps: quick ? 30 : 300,
    learningRate: 0.05,
    clipNorm: 1,
    validation: 256,
    seed,
  };
  const memory: Omit<MemoryOptions, 'log'> = quick
    ? {
        cells: ['simpleRNN', 'lstm'],
        delays: [2, 5],
        units: 16,
        k: 2,
        examples: 320,
        testExamples: 128,
        epochs: 3,
        stopAt: 0.99,
        batchSize: 32,
        learningRate: 0.01,
        clipNorm: 5,
        seed,
      }
    : {
        cells: ['simpleRNN', 'lstm'],
        delays: [5, 10, 20, 40],
        units: 32,
        k: 3,
        examples: 2560,
        testExamples: 512,
        epochs: 15,
        stopAt: 0.99,
        batchSize: 32,
        learningRate: 0.01,
        clipNorm: 5,
        seed,
      };
  return { gradients, training, memory };
}

/**
 * Answers the review questions and writes them to `out/answers.json` and `out/answers.md`:
 * (a) the input/output forms, each built and run; the parameter counts of the two stacked
 * classifiers (formula with its arithmetic, `countParams`, and two built models); (c) gradient
 * norms at the first and last step by sequence length, with and without `clipNorm`, and a short
 * training with and without it; (d, e) SimpleRNN vs LSTM on the copy-memory task as the delay
 * grows; and the comparison of pretrained and task-learned embeddings.
 */
export async function runReviewQuestions(
  { out, quick = false, seed = 42, parts = PARTS, memoryEpochs, verbose = false }: ReviewOptions,
  log: (line: string) => void = console.log,
): Promise<ReviewAnswers> {
  const backend = await initBackend({ log: false });
  const want = (p: Part) => parts.includes(p);
  const settings = reviewSettings(quick, seed);
  if (memoryEpochs !== undefined) settings.memory.epochs = memoryEpochs;
  const answers: ReviewAnswers = { backend: backend.name, quick, seed, params: [] };

  if (want('forms')) {
    answers.forms = mappingForms();
    log(`${formatMappingForms(answers.forms)}\n`);
  }
  if (want('params')) {
    answers.params = PARAM_QUESTIONS.map(answerParamQuestion);
    for (const a of answers.params) log(`${formatParamAnswer(a)}\n`);
  }
  if (want('gradients')) {
    const rows = measureGradients(settings.gradients);
    const runs = await trainRecall(settings.training);
    answers.gradients = {
      options: settings.gradients,
      rows,
      training: { options: settings.training, runs },
    };
    log(
      `${formatGradients(rows, runs, {
        learningRate: settings.gradients.learningRate,
        clipNorm: settings.gradients.clipNorm,
        trainLearningRate: settings.training.learningRate,
        trainSteps: settings.training.steps,
      })}\n`,
    );
  }
  if (want('memory')) {
    const m = settings.memory;
    log(
      `(d, e) SimpleRNN vs LSTM on the copy-memory task: k = ${m.k} digits, delays ${m.delays.join(', ')}; ` +
        `${Math.round(m.examples * 0.8)} training and ${m.examples - Math.round(m.examples * 0.8)} validation sequences, ${m.testExamples} test; ` +
        `${m.units} units, Adam ${m.learningRate}, clipNorm ${m.clipNorm}, at most ${m.epochs} epochs (stop at validation accuracy ${m.stopAt})`,
    );
    const runs = await runMemoryDelays({ ...m, log: verbose ? log : undefined });
    answers.memory = { options: m, runs, note: LSTM_VS_RNN_NOTE };
    await writeMemoryRuns(path.join(out, 'memory'), runs, log);
    const t = memoryTable(runs);
    log(`${LSTM_VS_RNN_NOTE}\n`);
    log(`  test accuracy on the last ${m.k} outputs (chance 0.111), epochs run, training time:`);
    log(markdownTable(t.head, t.rows));
    log('');
  }
  if (want('embeddings')) {
    answers.embeddings = EMBEDDINGS_COMPARISON;
    log(EMBEDDINGS_COMPARISON);
  }

  await writeJsonAtomic(path.join(out, 'answers.json'), answers);
  await writeFileAtomic(path.join(out, 'answers.md'), answersMarkdown(answers));
  log(`\nwrote ${out}`);
  return answers;
}

/**
 * One run folder per cell and delay (`config.json`, `history.json` with the validation accuracy
 * per epoch, `metrics.json`), as the sweeps write them, and the report of them all.
 */
async function writeMemoryRuns(
  dir: string,
  runs: readonly MemoryRun[],
  log: (line: string) => void,
): Promise<void> {
  for (const r of runs) {
    const run = path.join(dir, `${r.cell}-delay${r.delay}`);
    await writeJsonAtomic(path.join(run, 'config.json'), {
      id: `${r.cell}-delay${r.delay}`,
      cell: r.cell,
      delay: r.delay,
      steps: r.steps,
    });
    await writeJsonAtomic(path.join(run, 'history.json'), { val_accuracy: r.valCurve });
    await writeJsonAtomic(path.join(run, 'metrics.json'), {
      val_accuracy: r.valAccuracy,
      test_accuracy: r.testAccuracy,
      params: r.params,
      epochs: r.epochs,
      seconds: r.seconds,
    });
  }
  await writeRunReport(dir, log);
}

const e = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : String(v));

/** `answers.md`: every answered part as tables and text. */
export function answersMarkdown(a: ReviewAnswers): string {
  const lines = ['# Review questions', ''];
  lines.push(
    `Backend ${a.backend}, seed ${a.seed}${a.quick ? ', **quick mode** (small measurements)' : ''}.`,
    '',
  );
  if (a.forms) {
    lines.push(
      '## (a) Input/output forms',
      '',
      markdownTable(
        ['form', 'example', 'built with', 'input shape', 'output shape', 'batch of 2', 'params'],
        a.forms.map((f) => [
          f.form,
          f.example,
          `\`${f.code}\``,
          JSON.stringify(f.inputShape),
          JSON.stringify(f.outputShape),
          `${JSON.stringify(f.batchInput)} → ${JSON.stringify(f.batchOutput)}`,
          String(f.params),
        ]),
      ),
      '',
    );
  }
  if (a.params.length > 0) {
    lines.push('## Parameter counts', '');
    for (const p of a.params) {
      lines.push(
        `**${p.question}**`,
        '',
        markdownTable(
          ['layer', 'formula', 'arithmetic', 'params'],
          p.layers.map((l) => [l.layer, l.formula, l.arithmetic, String(l.params)]),
        ),
        '',
        `Total ${p.byFormula}; countParams ${p.byCountParams}; built model ${p.byBuiltModel}; plain tf.layers ${p.byPlainTfjs}.`,
        '',
      );
    }
  }
  if (a.gradients) {
    const g = a.gradients;
    lines.push(
      '## (c) Vanishing and exploding gradients',
      '',
      `SimpleRNN(${g.options.units}, tanh) → Dense(1), target y = x₁ (the first input), inputs N(0, 1), MSE, a batch of ${g.options.batch}; recurrent kernel N(0, σ²/units). One SGD step (learning rate ${g.options.learningRate}) with and without clipNorm ${g.options.clipNorm}.`,
      '',
      markdownTable(
        [
          'σ',
          'T',
          '‖∂L/∂x₁‖',
          '‖∂L/∂x_T‖',
          'x₁ / x_T',
          '‖∂L/∂W_hh‖',
          '‖∇θ‖',
          '‖Δθ‖ SGD',
          `‖Δθ‖ clipNorm ${g.options.clipNorm}`,
          'clip scale',
        ],
        g.rows.map(gradientCells),
      ),
      '',
      `Training (plain SGD, learning rate ${g.training.options.learningRate}, ${g.training.options.steps} steps of ${g.training.options.batch}; validation MSE on ${g.training.options.validation} held-out sequences, about 1 for predicting 0):`,
      '',
      markdownTable(
        ['σ', 'T', 'clipNorm', 'val MSE', 'max ‖Δθ‖ of a step', 'diverged'],
        g.training.runs.map((r) => [
          String(r.sigma),
          String(r.steps),
          r.clipNorm === null ? 'none' : String(r.clipNorm),
          Number.isFinite(r.valMse) ? r.valMse.toFixed(3) : '-',
          e(r.maxUpdate),
          r.divergedAt === null ? 'no' : `at step ${r.divergedAt}`,
        ]),
      ),
      '',
    );
  }
  if (a.memory) {
    const m = a.memory;
    const t = memoryTable(m.runs);
    lines.push(
      '## (d, e) SimpleRNN vs LSTM as the delay grows',
      '',
      m.note,
      '',
      `Copy-memory task (\`memoryTask\`), k = ${m.options.k}, ${m.options.units} units, Adam ${m.options.learningRate}, clipNorm ${m.options.clipNorm}, at most ${m.options.epochs} epochs, stopping at validation accuracy ${m.options.stopAt}. Test accuracy on the last ${m.options.k} outputs (chance 0.111), epochs run and training time:`,
      '',
      markdownTable(t.head, t.rows),
      '',
    );
  }
  if (a.embeddings) lines.push('## Pretrained vs task-learned embeddings', '', a.embeddings, '');
  return `${lines.join('\n')}\n`;
}
