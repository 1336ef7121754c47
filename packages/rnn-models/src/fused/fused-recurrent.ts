import * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from '../errors';
import { ACTIVATION_CODES, type FusedActivation } from '../wasm/wasm-kernel';
import { type FusedCellKind, runRecurrence } from './recurrence';

type Initializer = ReturnType<typeof tf.initializers.zeros>;
type Regularizer = ReturnType<typeof tf.regularizers.l2>;
type Constraint = ReturnType<typeof tf.constraints.maxNorm>;
type LayerVariable =
  ReturnType<tf.layers.Layer['getWeights']> extends unknown
    ? tf.layers.Layer['weights'][number]
    : never;
type Kwargs = Record<string, unknown>;
type InitializerArg = Parameters<typeof tf.layers.lstm>[0]['kernelInitializer'];
type RegularizerArg = Parameters<typeof tf.layers.lstm>[0]['kernelRegularizer'];
type ConstraintArg = Parameters<typeof tf.layers.lstm>[0]['kernelConstraint'];

/**
 * Options shared by {@link FusedLSTM}, {@link FusedGRU} and {@link FusedSimpleRNN}: the arguments
 * of tfjs' `tf.layers.lstm` / `gru` / `simpleRNN`, with Keras' defaults.
 */
export interface FusedRecurrentArgs {
  /** Size of the state. */
  units: number;
  /** Activation of the candidate and the output. @default 'tanh' */
  activation?: FusedActivation;
  /** Activation of the gates (LSTM, GRU). @default 'sigmoid' (Keras'; stock tfjs uses 'hardSigmoid') */
  recurrentActivation?: FusedActivation;
  /** Whether the layer has biases. @default true */
  useBias?: boolean;
  /** @default 'glorotUniform' */
  kernelInitializer?: InitializerArg;
  /** @default 'orthogonal' */
  recurrentInitializer?: InitializerArg;
  /** @default 'zeros' */
  biasInitializer?: InitializerArg;
  /** LSTM: start the forget-gate bias at 1. @default true */
  unitForgetBias?: boolean;
  /** GRU: the Keras 2 / PyTorch formulation, with a separate recurrent bias. @default false (tfjs') */
  resetAfter?: boolean;
  /** @default none */
  kernelRegularizer?: RegularizerArg;
  /** @default none */
  recurrentRegularizer?: RegularizerArg;
  /** @default none */
  biasRegularizer?: RegularizerArg;
  /** @default none */
  kernelConstraint?: ConstraintArg;
  /** @default none */
  recurrentConstraint?: ConstraintArg;
  /** @default none */
  biasConstraint?: ConstraintArg;
  /** Return the output of every step, [batch, steps, units], rather than the last, [batch, units]. @default false */
  returnSequences?: boolean;
  /** Also return the final state(s) after the output. @default false */
  returnState?: boolean;
  /** Run over the steps in reverse order (the output sequence is reversed too, as in Keras). @default false */
  goBackwards?: boolean;
  /** Not supported: must be false (see `supportsConfig`). @default false */
  stateful?: boolean;
  /** Not supported: must be 0. @default 0 */
  dropout?: number;
  /** Not supported: must be 0. @default 0 */
  recurrentDropout?: number;
  /** Accepted and ignored, as the fused loop never unrolls. @default false */
  unroll?: boolean;
  /** Accepted and ignored (Keras' implementation mode). */
  implementation?: number;
  /** Layer name. @default the class name in snake case with a counter, e.g. 'lstm_1' */
  name?: string;
  /** @default true */
  trainable?: boolean;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
  batchSize?: number;
  inputDim?: number;
  inputLength?: number;
  dtype?: tf.DataType;
  /** Anything else a Keras config carries. */
  [key: string]: unknown;
}

const GATES: Record<FusedCellKind, number> = { simpleRNN: 1, lstm: 4, gru: 3 };

/**
 * Which options of a recurrent-layer config the fused layers cannot honour; empty when they can.
 * @example
 * ```ts
 * import { unsupportedFusedOptions } from '@seqlearn/rnn-models';
 * console.log(unsupportedFusedOptions({ units: 8, recurrentDropout: 0.2 })); // ['recurrentDropout']
 * ```
 */
export function unsupportedFusedOptions(config: Record<string, unknown>): string[] {
  const bad: string[] = [];
  if (config.stateful) bad.push('stateful');
  if (config.dropout != null && config.dropout !== 0) bad.push('dropout');
  if (config.recurrentDropout != null && config.recurrentDropout !== 0)
    bad.push('recurrentDropout');
  for (const key of ['activation', 'recurrentActivation'] as const) {
    const value = config[key];
    if (value != null && !(typeof value === 'string' && value in ACTIVATION_CODES)) bad.push(key);
  }
  if (config.dtype != null && config.dtype !== 'float32') bad.push('dtype');
  return bad;
}

const STOCK_KEYS_DROPPED = [
  'resetAfter',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'inputDim',
  'inputLength',
];

/** The common body of the fused layers; see {@link FusedLSTM}. */
export abstract class FusedRecurrent extends tf.layers.Layer {
  readonly units: number;
  readonly activation: FusedActivation;
  readonly recurrentActivation: FusedActivation;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly resetAfter: boolean;
  readonly unitForgetBias: boolean;
  protected abstract readonly cellKind: FusedCellKind;
  /** The stock tfjs layer with the same options: it resolves initializers and writes the config. */
  private readonly stock: tf.layers.Layer;
  private kernel?: LayerVariable;
  private recurrentKernel?: LayerVariable;
  private bias?: LayerVariable;

  protected constructor(
    args: FusedRecurrentArgs,
    makeStock: (a: Record<string, unknown>) => tf.layers.Layer,
  ) {
    super(args as ConstructorParameters<typeof tf.layers.Layer>[0]);
    const bad = unsupportedFusedOptions(args);
    if (bad.length > 0) {
      throw new RnnModelsError({
        code: 'INVALID_CONFIG',
        argument: bad[0],
        message: `fused recurrent layer: options ${bad.join(', ')} are not supported (check supportsConfig first and fall back to the stock layer)`,
      });
    }
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: 'units',
        message: `units: expected a positive integer, got ${String(args.units)}`,
      });
    }
    this.units = args.units;
    this.activation = args.activation ?? 'tanh';
    this.recurrentActivation = args.recurrentActivation ?? 'sigmoid';
    this.useBias = args.useBias ?? true;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.resetAfter = args.resetAfter ?? false;
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.supportsMasking = true;
    const stockArgs: Record<string, unknown> = {
      ...args,
      activation: this.activation,
      recurrentActivation: this.recurrentActivation,
      name: `${this.name}_stock_config`,
    };
    for (const key of STOCK_KEYS_DROPPED) delete stockArgs[key];
    this.stock = makeStock(stockArgs);
  }

  private get stockCell(): Record<string, unknown> {
    return (this.stock as unknown as { cell: Record<string, unknown> }).cell;
  }

  /**
   * Creates the weights for inputs of `inputShape`.
   * @throws {RnnModelsError} `SHAPE_MISMATCH` (argument `inputShape`) unless it is
   * `[batch, steps, features]` with known features.
   */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const features = shape[shape.length - 1];
    if (shape.length !== 3 || features == null) {
      throw new RnnModelsError({
        code: 'SHAPE_MISMATCH',
        argument: 'inputShape',
        message: `${this.name}: expected inputs [batch, steps, features] with known features, got [${shape.join(', ')}]`,
      });
    }
    const width = GATES[this.cellKind] * this.units;
    const cell = this.stockCell;
    this.kernel = this.addWeight(
      'kernel',
      [features, width],
      'float32',
      cell.kernelInitializer as Initializer,
      cell.kernelRegularizer as Regularizer | undefined,
      true,
      cell.kernelConstraint as Constraint | undefined,
    );
    this.recurrentKernel = this.addWeight(
      'recurrent_kernel',
      [this.units, width],
      'float32',
      cell.recurrentInitializer as Initializer,
      cell.recurrentRegularizer as Regularizer | undefined,
      true,
      cell.recurrentConstraint as Constraint | undefined,
    );
    if (this.useBias) {
      const init = cell.biasInitializer as Initializer;
      let initializer = init;
      if (this.cellKind === 'lstm' && this.unitForgetBias) {
        const units = this.units;
        initializer = {
          apply: () =>
            tf.tidy(() =>
              tf.concat([init.apply([units]), tf.ones([units]), init.apply([2 * units])]),
            ),
        } as unknown as Initializer;
      }
      const biasShape = this.cellKind === 'gru' && this.resetAfter ? [2, width] : [width];
      this.bias = this.addWeight(
        'bias',
        biasShape,
        'float32',
        initializer,
        cell.biasRegularizer as Regularizer | undefined,
        true,
        cell.biasConstraint as Constraint | undefined,
      );
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const output: tf.Shape = this.returnSequences
      ? [shape[0], shape[1], this.units]
      : [shape[0], this.units];
    if (!this.returnState) return output;
    const state: tf.Shape = [shape[0], this.units];
    return this.cellKind === 'lstm' ? [output, state, state] : [output, state];
  }

  override computeMask(
    _inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | tf.Tensor[],
  ): tf.Tensor | tf.Tensor[] {
    const m = Array.isArray(mask) ? mask[0] : mask;
    const outputMask = this.returnSequences && m ? m : null;
    if (!this.returnState) return outputMask as tf.Tensor;
    const states = this.cellKind === 'lstm' ? 2 : 1;
    return [outputMask, ...Array(states).fill(null)] as tf.Tensor[];
  }

  /**
   * Runs the fused recurrence over `[batch, steps, features]` inputs.
   * @throws {RnnModelsError} `SHAPE_MISMATCH` (argument `inputs`) for inputs that are not rank 3
   * or have other features than the layer was built for (`[1, 5, 64]` on a 3-feature layer);
   * `INVALID_ARGUMENT` for an `initialState`, which the fused layers do not support.
   */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      if (kwargs?.initialState != null) {
        throw new RnnModelsError({
          code: 'INVALID_ARGUMENT',
          argument: 'initialState',
          message: `${this.name}: the fused layers start from zero states; initialState is not supported`,
        });
      }
      let x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const rawMask = kwargs?.mask as tf.Tensor | tf.Tensor[] | undefined;
      const givenMask = (Array.isArray(rawMask) ? rawMask[0] : rawMask) ?? null;
      // float before reversing: tf.reverse of a bool tensor is wrong on the wasm backend (4.22)
      let mask = givenMask ? tf.cast(givenMask, 'float32') : null;
      if (x.rank !== 3) {
        throw new RnnModelsError({
          code: 'SHAPE_MISMATCH',
          argument: 'inputs',
          message: `${this.name}: expected inputs [batch, steps, features], got [${x.shape.join(', ')}]`,
        });
      }
      // the kernel reads x as [batch, steps, kernel rows]: other features would read past the weights
      const features = (this.kernel as LayerVariable).shape[0];
      if (x.shape[2] !== features) {
        throw new RnnModelsError({
          code: 'SHAPE_MISMATCH',
          argument: 'inputs',
          message: `${this.name}: expected inputs [batch, steps, ${features}] (the layer was built for ${features} features), got [${x.shape.join(', ')}]`,
        });
      }
      if (this.goBackwards) {
        x = tf.reverse(x, 1);
        if (mask) mask = tf.reverse(mask, 1);
      }
      const maskData = mask ? Float32Array.from(mask.dataSync()) : null;
      const { hs, last, c } = runRecurrence(
        {
          cell: this.cellKind,
          activation: this.activation,
          recurrentActivation: this.recurrentActivation,
          resetAfter: this.resetAfter,
        },
        x,
        (this.kernel as LayerVariable).read() as tf.Tensor2D,
        (this.recurrentKernel as LayerVariable).read() as tf.Tensor2D,
        this.bias ? this.bias.read() : null,
        maskData,
        this.returnState,
        this.returnSequences,
      );
      const output = this.returnSequences ? (hs as tf.Tensor3D) : last;
      if (!this.returnState) return output;
      return c ? [output, last, c] : [output, last];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...this.stock.getConfig(),
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: false,
    };
    if (this.cellKind === 'gru') config.resetAfter = this.resetAfter;
    return config;
  }
}
