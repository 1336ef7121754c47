import { countParams, createSequenceModel, type RecurrentCell } from '@seqlearn/rnn-models';
import * as tf from '@tensorflow/tfjs';

/** A review question about a stacked recurrent classifier. */
export interface ParamQuestion {
  /** Short id, used as a key in `answers.json`. */
  id: string;
  /** The question as asked. */
  question: string;
  cell: Extract<RecurrentCell, 'simpleRNN' | 'lstm'>;
  /** Units of each recurrent layer, in order. */
  units: number[];
  /** Dimension of one input step. */
  inputDim: number;
  /** Classes of the softmax output. */
  numClasses: number;
}

/** One layer's count, with the formula and the arithmetic that give it. */
export interface LayerDerivation {
  layer: string;
  formula: string;
  arithmetic: string;
  params: number;
}

/** The answer to a {@link ParamQuestion}, by three routes that must agree. */
export interface ParamAnswer {
  id: string;
  question: string;
  layers: LayerDerivation[];
  /** Sum of the per-layer formulas. */
  byFormula: number;
  /** `countParams(config)` from `@seqlearn/rnn-models`, which plans the model without building it. */
  byCountParams: number;
  /** `model.countParams()` of the model `createSequenceModel(config)` builds. */
  byBuiltModel: number;
  /** `model.countParams()` of the same stack written directly with `tf.layers`. */
  byPlainTfjs: number;
  agree: boolean;
}

/** The two questions of the review: two recurrent layers of 32 and 64 units, d = 30, 10 classes. */
export const PARAM_QUESTIONS: ParamQuestion[] = [
  {
    id: 'simplernn-32-64',
    question:
      'How many trainable parameters has a network of two SimpleRNN layers (32 then 64 units) on inputs of dimension 30, followed by a Dense softmax layer over 10 classes?',
    cell: 'simpleRNN',
    units: [32, 64],
    inputDim: 30,
    numClasses: 10,
  },
  {
    id: 'lstm-32-64',
    question: 'The same network with LSTM layers instead of SimpleRNN layers?',
    cell: 'lstm',
    units: [32, 64],
    inputDim: 30,
    numClasses: 10,
  },
];

const GATES: Record<ParamQuestion['cell'], number> = { simpleRNN: 1, lstm: 4 };
const NAMES: Record<ParamQuestion['cell'], string> = { simpleRNN: 'SimpleRNN', lstm: 'LSTM' };

/**
 * Derives the count layer by layer. A recurrent layer of `u` units on inputs of dimension `d` has
 * an input kernel `d·u`, a recurrent kernel `u·u` and a bias `u` per gate: one gate for SimpleRNN,
 * four for LSTM (input, forget, cell candidate, output). The Dense output has `d·n + n`.
 */
export function deriveParams(q: ParamQuestion): LayerDerivation[] {
  const g = GATES[q.cell];
  const layers: LayerDerivation[] = [];
  let d = q.inputDim;
  for (const u of q.units) {
    const perGate = u * d + u * u + u;
    const sum = `${u}·${d} + ${u}·${u} + ${u} = ${u * d} + ${u * u} + ${u} = ${perGate}`;
    layers.push({
      layer: `${NAMES[q.cell]}(${u}) on d = ${d}`,
      formula: g === 1 ? 'u·d + u·u + u' : `${g}·(u·d + u·u + u)`,
      arithmetic: g === 1 ? sum : `${g}·(${sum}) = ${g * perGate}`,
      params: g * perGate,
    });
    d = u;
  }
  const n = q.numClasses;
  layers.push({
    layer: `Dense(${n}) on d = ${d}`,
    formula: 'd·n + n',
    arithmetic: `${d}·${n} + ${n} = ${d * n} + ${n} = ${d * n + n}`,
    params: d * n + n,
  });
  return layers;
}

function plainTfjsCount(q: ParamQuestion): number {
  const model = tf.sequential();
  q.units.forEach((units, i) => {
    const args = {
      units,
      returnSequences: i < q.units.length - 1,
      // The count does not depend on the initializer; tfjs' default orthogonal one is slow.
      recurrentInitializer: 'glorotUniform' as const,
      ...(i === 0 ? { inputShape: [null, q.inputDim] } : {}),
    };
    model.add(q.cell === 'lstm' ? tf.layers.lstm(args) : tf.layers.simpleRNN(args));
  });
  model.add(tf.layers.dense({ units: q.numClasses, activation: 'softmax' }));
  const count = model.countParams();
  model.dispose();
  return count;
}

/** Answers one question by formula, by `countParams`, and by building the model two ways. */
export function answerParamQuestion(q: ParamQuestion): ParamAnswer {
  const layers = deriveParams(q);
  const byFormula = layers.reduce((a, l) => a + l.params, 0);
  const config = {
    cell: q.cell,
    units: q.units,
    inputShape: [null, q.inputDim],
    numClasses: q.numClasses,
    seed: 1,
  };
  const byCountParams = countParams(config);
  const model = createSequenceModel(config);
  const byBuiltModel = model.countParams();
  model.dispose();
  const byPlainTfjs = plainTfjsCount(q);
  return {
    id: q.id,
    question: q.question,
    layers,
    byFormula,
    byCountParams,
    byBuiltModel,
    byPlainTfjs,
    agree: new Set([byFormula, byCountParams, byBuiltModel, byPlainTfjs]).size === 1,
  };
}

/** The printed form of an answer: the question, the arithmetic per layer, the three checks. */
export function formatParamAnswer(a: ParamAnswer): string {
  const width = Math.max(...a.layers.map((l) => l.layer.length));
  return [
    `Q: ${a.question}`,
    ...a.layers.map((l) => `  ${l.layer.padEnd(width)}  ${l.formula.padEnd(20)}  ${l.arithmetic}`),
    `  total by formula: ${a.layers.map((l) => l.params).join(' + ')} = ${a.byFormula}`,
    `  countParams(config): ${a.byCountParams}   createSequenceModel(config).countParams(): ${a.byBuiltModel}   plain tf.layers model.countParams(): ${a.byPlainTfjs}`,
    `A: ${a.byFormula} trainable parameters${a.agree ? ' (all four agree)' : '  ** THE COUNTS DISAGREE **'}`,
  ].join('\n');
}
