import * as tf from '@tensorflow/tfjs';

// tfjs draws dropout masks from generators seeded by Math.random unless a layer says otherwise.
// tfjs-layers lets each layer say otherwise: `Dropout` (and `SpatialDropout1D`) pass their `seed`
// to tf.dropout on every call, and the cells of `SimpleRNN`, `LSTM` and `GRU` draw their dropout
// and recurrent-dropout masks through `dropoutFunc` when one is set. Seeding those per layer makes
// a seeded run repeat without touching Math.random.

/** A `Dropout` layer's per-call seed (read by tfjs-layers' `Dropout.call`). */
interface SeededLayer {
  seed?: number;
}

/** What a recurrent cell of tfjs-layers holds that drives its dropout masks. */
interface DropoutCell {
  dropout?: number;
  recurrentDropout?: number;
  dropoutFunc?: unknown;
}

/** The layers a wrapper holds: RNN's cell(s), Bidirectional's two copies, TimeDistributed's. */
function innerLayers(layer: object): object[] {
  const inner: object[] = [];
  const held = layer as {
    layers?: object[];
    cell?: object & { cells?: object[] };
    forwardLayer?: object;
    backwardLayer?: object;
    layer?: object;
  };
  if (Array.isArray(held.layers)) inner.push(...held.layers);
  if (held.cell) inner.push(...(Array.isArray(held.cell.cells) ? held.cell.cells : [held.cell]));
  for (const part of [held.forwardLayer, held.backwardLayer, held.layer])
    if (part) inner.push(part);
  return inner;
}

/** Every layer and cell of `model`, wrappers and nested models included, each once. */
function allLayers(model: tf.LayersModel): object[] {
  const seen = new Set<object>();
  const queue: object[] = [...model.layers];
  while (queue.length > 0) {
    const layer = queue.pop() as object;
    if (seen.has(layer)) continue;
    seen.add(layer);
    queue.push(...innerLayers(layer));
  }
  return [...seen];
}

const DROPOUT_CLASSES = new Set(['Dropout', 'SpatialDropout1D']);

function className(layer: object): string {
  const named = layer as { getClassName?: () => string };
  return typeof named.getClassName === 'function' ? named.getClassName() : '';
}

/** Draws a seed for tf's generators (a whole number, as tfjs' `seed` options take). */
function nextSeed(random: () => number): number {
  return Math.floor(random() * 2 ** 31);
}

/**
 * Seeds every dropout of `model` from `random` while it trains: call {@link DropoutSeeds.reseed}
 * before each training step (a `Dropout` layer reuses its seed on every call, so each step gets
 * a fresh one) and {@link DropoutSeeds.restore} at the end, which puts back the layers' own
 * `seed` and `dropoutFunc`. Layers drawing noise without a seed option (`GaussianNoise`,
 * `GaussianDropout`, `AlphaDropout`) stay unseeded.
 */
export interface DropoutSeeds {
  reseed(): void;
  restore(): void;
}

/** See {@link DropoutSeeds}. */
export function seedDropout(model: tf.LayersModel, random: () => number): DropoutSeeds {
  const dropouts: { layer: SeededLayer; seed: number | undefined }[] = [];
  const cells: { cell: DropoutCell; dropoutFunc: unknown }[] = [];
  for (const layer of allLayers(model)) {
    if (DROPOUT_CLASSES.has(className(layer))) {
      const seeded = layer as SeededLayer;
      dropouts.push({ layer: seeded, seed: seeded.seed });
      continue;
    }
    const cell = layer as DropoutCell;
    if ((cell.dropout ?? 0) > 0 || (cell.recurrentDropout ?? 0) > 0) {
      cells.push({ cell, dropoutFunc: cell.dropoutFunc });
      // one fresh seed per mask: the cell asks for its masks once per call of its layer
      cell.dropoutFunc = (ones: tf.Tensor, rate: number) =>
        tf.dropout(ones, rate, undefined, nextSeed(random));
    }
  }
  return {
    reseed() {
      for (const { layer } of dropouts) layer.seed = nextSeed(random);
    },
    restore() {
      for (const { layer, seed } of dropouts) layer.seed = seed;
      for (const { cell, dropoutFunc } of cells) cell.dropoutFunc = dropoutFunc;
    },
  };
}
