import type {
  ConvConfig,
  MergeMode,
  RecurrentCell,
  RegularizerConfig,
  SequenceModelConfig,
} from './model-config';
import {
  checkNonNegative,
  checkOneOf,
  checkPositiveInt,
  checkRate,
  configError,
  isPositiveInt,
} from './validate';

/** One layer of a planned model, with its output shape (no batch) and parameter count. */
export type PlannedLayer = {
  params: number;
  trainable: boolean;
  outputShape: (number | null)[];
} & (
  | {
      kind: 'embedding';
      inputDim: number;
      outputDim: number;
      /** Row-major `[inputDim, outputDim]`. */
      weights?: Float32Array;
      maskZero: boolean;
    }
  | {
      kind: 'conv1d';
      filters: number;
      kernelSize: number;
      strides: number;
      padding: 'valid' | 'same';
      activation: string;
    }
  | {
      kind: 'pool';
      type: 'max' | 'average';
      size: number;
      strides: number;
      padding: 'valid' | 'same';
    }
  | {
      kind: 'recurrent';
      cell: RecurrentCell;
      units: number;
      returnSequences: boolean;
      bidirectional: boolean;
      mergeMode: MergeMode;
      /** GRU with Keras 2's `reset_after` (two bias rows). */
      resetAfter: boolean;
    }
  | { kind: 'repeatVector'; n: number }
  | { kind: 'flatten' }
  | { kind: 'globalPool'; type: 'max' | 'average' }
  | { kind: 'dense'; units: number; activation: string; timeDistributed: boolean }
  | { kind: 'dropout'; rate: number }
);

/** A validated config with defaults filled in, and its layers. */
export interface ModelPlan {
  layers: PlannedLayer[];
  task: 'classification' | 'regression';
  outputActivation: string;
  dropout: number;
  recurrentDropout: number;
  activation: string;
  kernelRegularizer?: RegularizerConfig;
  recurrentRegularizer?: RegularizerConfig;
  biasRegularizer?: RegularizerConfig;
  stateful: boolean;
  batchSize?: number;
  inputShape: (number | null)[];
  layerImplementation: 'auto' | 'fused' | 'stock';
}

const CELLS = ['simpleRNN', 'lstm', 'gru'] as const;
const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;
const GATES: Record<RecurrentCell, number> = { simpleRNN: 1, lstm: 4, gru: 3 };

/** Parameters of one direction of a recurrent layer (a GRU with `resetAfter` has two bias rows). */
export function recurrentParams(
  cell: RecurrentCell,
  inputDim: number,
  units: number,
  resetAfter = false,
): number {
  const biasRows = cell === 'gru' && resetAfter ? 2 : 1;
  return GATES[cell] * (inputDim * units + units * units + biasRows * units);
}

function convLength(
  length: number | null,
  window: number,
  strides: number,
  padding: 'valid' | 'same',
): number | null {
  if (length === null) return null;
  return padding === 'same'
    ? Math.ceil(length / strides)
    : Math.floor((length - window) / strides) + 1;
}

function checkRegularizer(value: unknown, field: string): RegularizerConfig | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    configError(field, 'an object { l1?, l2? }', value);
  }
  const { l1, l2 } = value as RegularizerConfig;
  if (l1 !== undefined) checkNonNegative(l1, `${field}.l1`);
  if (l2 !== undefined) checkNonNegative(l2, `${field}.l2`);
  return { l1: l1 ?? 0, l2: l2 ?? 0 };
}

function unitsList(units: unknown, layers: unknown, field: string, layersField: string): number[] {
  if (Array.isArray(units)) {
    if (units.length === 0) configError(field, 'a positive integer or a non-empty array', units);
    units.forEach((u, i) => {
      checkPositiveInt(u, `${field}[${i}]`);
    });
    if (layers !== undefined && layers !== units.length) {
      configError(layersField, `${units.length} (the length of ${field}) or nothing`, layers);
    }
    return [...units] as number[];
  }
  checkPositiveInt(units, field);
  const n = layers === undefined ? 1 : checkPositiveInt(layers, layersField);
  return Array.from({ length: n }, () => units as number);
}

/** Checks pretrained embedding weights (rows, or `{ matrix, shape }`) and flattens them. */
function embeddingWeights(weights: unknown, inputDim: number, outputDim: number): Float32Array {
  const expected = `a [${inputDim}][${outputDim}] matrix (inputDim × outputDim), as rows or { matrix, shape }`;
  if (Array.isArray(weights)) {
    const ok =
      weights.length === inputDim &&
      weights.every((row) => Array.isArray(row) && row.length === outputDim);
    if (!ok) {
      const first = weights[0];
      configError(
        'embedding.weights',
        expected,
        `[${weights.length}, ${Array.isArray(first) ? first.length : '?'}]`,
      );
    }
    return Float32Array.from((weights as number[][]).flat());
  }
  if (
    typeof weights === 'object' &&
    weights !== null &&
    'matrix' in weights &&
    'shape' in weights
  ) {
    const { matrix, shape } = weights as { matrix: ArrayLike<number>; shape: readonly number[] };
    if (
      !Array.isArray(shape) ||
      shape[0] !== inputDim ||
      shape[1] !== outputDim ||
      matrix?.length !== inputDim * outputDim
    ) {
      configError('embedding.weights', expected, { shape, length: matrix?.length });
    }
    return Float32Array.from(matrix);
  }
  return configError('embedding.weights', expected, weights);
}

/**
 * Validates a {@link SequenceModelConfig} and lays out its layers with their shapes and parameter
 * counts. Throws `INVALID_CONFIG` naming the first bad field.
 */
export function planModel(config: SequenceModelConfig): ModelPlan {
  if (typeof config !== 'object' || config === null) configError('config', 'an object', config);
  const layers: PlannedLayer[] = [];
  const { embedding, conv, cell, stateful = false } = config;

  // Input
  const inputShape = config.inputShape;
  const rank = embedding ? 1 : 2;
  const expectedShape = embedding ? '[steps] (token ids)' : '[steps, features]';
  if (
    !Array.isArray(inputShape) ||
    inputShape.length !== rank ||
    !inputShape.every((d, i) => (i === 0 && d === null) || isPositiveInt(d))
  ) {
    configError(
      'inputShape',
      `${expectedShape} of positive integers (steps may be null)`,
      inputShape,
    );
  }
  let steps: number | null = inputShape[0];
  let features = embedding ? 0 : (inputShape[1] as number);

  let batchSize: number | undefined;
  if (config.batchSize !== undefined) batchSize = checkPositiveInt(config.batchSize, 'batchSize');
  if (typeof stateful !== 'boolean') configError('stateful', 'a boolean', stateful);
  if (stateful && batchSize === undefined) {
    configError('batchSize', 'a positive integer when stateful is true', config.batchSize);
  }
  if (config.seed !== undefined && !Number.isInteger(config.seed)) {
    configError('seed', 'an integer', config.seed);
  }

  if (embedding !== undefined) {
    if (typeof embedding !== 'object' || embedding === null) {
      configError(
        'embedding',
        'an object { inputDim, outputDim, weights?, trainable?, maskZero? }',
        embedding,
      );
    }
    const inputDim = checkPositiveInt(embedding.inputDim, 'embedding.inputDim');
    const outputDim = checkPositiveInt(embedding.outputDim, 'embedding.outputDim');
    const { weights, trainable = true, maskZero = false } = embedding;
    let flatWeights: Float32Array | undefined;
    if (weights !== undefined) {
      flatWeights = embeddingWeights(weights, inputDim, outputDim);
    }
    if (typeof trainable !== 'boolean') configError('embedding.trainable', 'a boolean', trainable);
    if (typeof maskZero !== 'boolean') configError('embedding.maskZero', 'a boolean', maskZero);
    if (maskZero && conv && conv.length > 0) {
      configError(
        'embedding.maskZero',
        'false when conv layers follow (Conv1D does not support masking)',
        maskZero,
      );
    }
    if (maskZero && !cell) {
      configError('embedding.maskZero', 'false in a model without recurrent layers', maskZero);
    }
    features = outputDim;
    layers.push({
      kind: 'embedding',
      inputDim,
      outputDim,
      weights: flatWeights,
      maskZero,
      params: inputDim * outputDim,
      trainable,
      outputShape: [steps, features],
    });
  }

  if (conv !== undefined) {
    if (!Array.isArray(conv)) configError('conv', 'an array of { filters, kernelSize, ... }', conv);
    conv.forEach((c: ConvConfig, i) => {
      const f = `conv[${i}]`;
      if (typeof c !== 'object' || c === null)
        configError(f, 'an object { filters, kernelSize, ... }', c);
      const filters = checkPositiveInt(c.filters, `${f}.filters`);
      const kernelSize = checkPositiveInt(c.kernelSize, `${f}.kernelSize`);
      const strides = checkPositiveInt(c.strides ?? 1, `${f}.strides`);
      const padding = checkOneOf(c.padding ?? 'valid', ['valid', 'same'], `${f}.padding`);
      const activation = checkOneOf(
        c.activation ?? 'relu',
        ['relu', 'tanh', 'sigmoid', 'linear', 'elu', 'selu'],
        `${f}.activation`,
      );
      const nextSteps = convLength(steps, kernelSize, strides, padding);
      if (nextSteps !== null && nextSteps < 1) {
        configError(`${f}.kernelSize`, `at most the ${steps} steps that reach it`, kernelSize);
      }
      layers.push({
        kind: 'conv1d',
        filters,
        kernelSize,
        strides,
        padding,
        activation,
        params: kernelSize * features * filters + filters,
        trainable: true,
        outputShape: [nextSteps, filters],
      });
      steps = nextSteps;
      features = filters;
      if (c.pool !== undefined) {
        const p = c.pool;
        const size = checkPositiveInt(p?.size, `${f}.pool.size`);
        const pStrides = checkPositiveInt(p.strides ?? size, `${f}.pool.strides`);
        const pPadding = checkOneOf(p.padding ?? 'valid', ['valid', 'same'], `${f}.pool.padding`);
        const type = checkOneOf(p.type ?? 'max', ['max', 'average'], `${f}.pool.type`);
        const pooled = convLength(steps, size, pStrides, pPadding);
        if (pooled !== null && pooled < 1) {
          configError(`${f}.pool.size`, `at most the ${steps} steps that reach it`, size);
        }
        layers.push({
          kind: 'pool',
          type,
          size,
          strides: pStrides,
          padding: pPadding,
          params: 0,
          trainable: true,
          outputShape: [pooled, features],
        });
        steps = pooled;
      }
    });
  }

  const dropout = checkRate(config.dropout ?? 0, 'dropout');
  const recurrentDropout = checkRate(config.recurrentDropout ?? 0, 'recurrentDropout');
  const activation = checkOneOf(
    config.activation ?? 'tanh',
    ['tanh', 'relu', 'sigmoid', 'linear'],
    'activation',
  );
  const bidirectional = config.bidirectional ?? false;
  if (typeof bidirectional !== 'boolean') configError('bidirectional', 'a boolean', bidirectional);
  const mergeMode = checkOneOf(config.mergeMode ?? 'concat', MERGE_MODES, 'mergeMode');
  const returnSequences = config.returnSequences ?? false;
  if (typeof returnSequences !== 'boolean')
    configError('returnSequences', 'a boolean', returnSequences);
  const layerImplementation = checkOneOf(
    config.layerImplementation ?? 'auto',
    ['auto', 'fused', 'stock'],
    'layerImplementation',
  );
  const resetAfter = config.resetAfter ?? false;
  if (typeof resetAfter !== 'boolean') configError('resetAfter', 'a boolean', resetAfter);
  if (resetAfter && cell !== 'gru') {
    configError('resetAfter', "false or unset unless cell is 'gru'", resetAfter);
  }
  const decoder = config.decoder;
  if (decoder !== undefined && returnSequences) {
    configError(
      'returnSequences',
      'false or unset with a decoder (an encoder-decoder already returns sequences)',
      true,
    );
  }

  const pushRecurrent = (units: number, seqOut: boolean) => {
    const one = recurrentParams(cell!, features, units, resetAfter);
    features = bidirectional && mergeMode === 'concat' ? 2 * units : units;
    layers.push({
      kind: 'recurrent',
      cell: cell!,
      units,
      returnSequences: seqOut,
      bidirectional,
      mergeMode,
      resetAfter,
      params: bidirectional ? 2 * one : one,
      trainable: true,
      outputShape: seqOut ? [steps, features] : [features],
    });
  };

  let sequenceOut = true; // whether the running tensor still has a time axis
  if (cell !== undefined) {
    checkOneOf(cell, CELLS, 'cell');
    if (config.units === undefined)
      configError('units', 'a positive integer or an array of them', undefined);
    const units = unitsList(config.units, config.layers, 'units', 'layers');
    const lastReturnsSequences = returnSequences;
    units.forEach((u, i) => {
      pushRecurrent(u, i < units.length - 1 || lastReturnsSequences);
    });
    sequenceOut = lastReturnsSequences;
    if (decoder !== undefined) {
      if (typeof decoder !== 'object' || decoder === null) {
        configError('decoder', 'an object { steps, units? }', decoder);
      }
      const n = checkPositiveInt(decoder.steps, 'decoder.steps');
      layers.push({
        kind: 'repeatVector',
        n,
        params: 0,
        trainable: true,
        outputShape: [n, features],
      });
      steps = n;
      const decUnits = unitsList(
        decoder.units ?? units[units.length - 1],
        undefined,
        'decoder.units',
        'decoder.units',
      );
      for (const u of decUnits) pushRecurrent(u, true);
      sequenceOut = true;
    }
  } else {
    for (const f of ['units', 'layers', 'bidirectional', 'decoder'] as const) {
      if (config[f] !== undefined) configError(f, `nothing unless cell is set`, config[f]);
    }
    if (!conv || conv.length === 0) {
      if (!embedding)
        configError(
          'cell',
          `one of ${CELLS.map((c) => `'${c}'`).join(', ')} (or conv layers)`,
          cell,
        );
    }
    if (!returnSequences) {
      const pooling = checkOneOf(
        config.pooling ?? 'flatten',
        ['flatten', 'globalMax', 'globalAverage'],
        'pooling',
      );
      if (pooling === 'flatten') {
        if (steps === null)
          configError('pooling', "'globalMax' or 'globalAverage' when steps is null", pooling);
        features = steps * features;
        layers.push({ kind: 'flatten', params: 0, trainable: true, outputShape: [features] });
      } else {
        layers.push({
          kind: 'globalPool',
          type: pooling === 'globalMax' ? 'max' : 'average',
          params: 0,
          trainable: true,
          outputShape: [features],
        });
      }
      sequenceOut = false;
    }
  }
  if (cell !== undefined && config.pooling !== undefined) {
    configError(
      'pooling',
      'nothing when cell is set (the recurrent layers summarise the sequence)',
      config.pooling,
    );
  }

  const shapeOf = (n: number) => (sequenceOut ? [steps, n] : [n]);
  const dense = config.dense ?? [];
  if (!Array.isArray(dense)) configError('dense', 'an array of positive integers', dense);
  dense.forEach((u, i) => {
    checkPositiveInt(u, `dense[${i}]`);
    layers.push({
      kind: 'dense',
      units: u,
      activation: 'relu',
      timeDistributed: sequenceOut,
      params: features * u + u,
      trainable: true,
      outputShape: shapeOf(u),
    });
    features = u;
  });
  const outputDropout = checkRate(config.outputDropout ?? 0, 'outputDropout');
  if (outputDropout > 0) {
    layers.push({
      kind: 'dropout',
      rate: outputDropout,
      params: 0,
      trainable: true,
      outputShape: shapeOf(features),
    });
  }

  const task = checkOneOf(
    config.task ?? (config.numClasses !== undefined ? 'classification' : 'regression'),
    ['classification', 'regression'],
    'task',
  );
  let outUnits: number;
  let outputActivation: string;
  if (task === 'classification') {
    const numClasses = config.numClasses;
    if (!Number.isInteger(numClasses) || (numClasses as number) < 2) {
      configError('numClasses', 'an integer >= 2', numClasses);
    }
    outputActivation = checkOneOf(
      config.outputActivation ?? 'softmax',
      ['softmax', 'sigmoid'],
      'outputActivation',
    );
    outUnits = outputActivation === 'sigmoid' && numClasses === 2 ? 1 : (numClasses as number);
    if (config.outputUnits !== undefined)
      configError('outputUnits', 'nothing for a classifier (use numClasses)', config.outputUnits);
  } else {
    if (config.numClasses !== undefined)
      configError('numClasses', 'nothing for a regressor (use outputUnits)', config.numClasses);
    if (config.outputActivation !== undefined) {
      configError(
        'outputActivation',
        'nothing for a regressor (its output is linear)',
        config.outputActivation,
      );
    }
    outUnits = checkPositiveInt(config.outputUnits ?? 1, 'outputUnits');
    outputActivation = 'linear';
  }
  layers.push({
    kind: 'dense',
    units: outUnits,
    activation: outputActivation,
    timeDistributed: sequenceOut,
    params: features * outUnits + outUnits,
    trainable: true,
    outputShape: shapeOf(outUnits),
  });

  return {
    layers,
    task,
    outputActivation,
    dropout,
    recurrentDropout,
    activation,
    kernelRegularizer: checkRegularizer(config.kernelRegularizer, 'kernelRegularizer'),
    recurrentRegularizer: checkRegularizer(config.recurrentRegularizer, 'recurrentRegularizer'),
    biasRegularizer: checkRegularizer(config.biasRegularizer, 'biasRegularizer'),
    stateful,
    batchSize,
    inputShape: [...inputShape],
    layerImplementation,
  };
}
