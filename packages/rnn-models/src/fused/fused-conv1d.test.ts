import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose, seededValues } from '../__fixtures__/kernel-test-utils';
import { createSequenceModel } from '../create-sequence-model';
import { describeModel } from '../describe-model';
import {
  initBackend,
  kernelThreads,
  registerFusedLayers,
  setKernelThreads,
} from '../process-switches';
import { setMinMacsPerShare } from '../wasm/conv1d';
import { FusedConv1D, unsupportedConv1DOptions } from './fused-conv1d';

type Conv1DArgs = Parameters<typeof tf.layers.conv1d>[0];

// Two kernel threads and shares of any size, so the batch shares run on a worker too.
let threadsBefore = 1;
let macsBefore = 0;
beforeAll(() => {
  threadsBefore = kernelThreads();
  setKernelThreads(2);
  macsBefore = setMinMacsPerShare(1);
});
afterAll(() => {
  setKernelThreads(threadsBefore);
  setMinMacsPerShare(macsBefore);
});

const SHAPE = [3, 11, 5] as const; // batch, steps, features: odd sizes on purpose

/**
 * Output, then the gradients of sum(y · r) with respect to the input, the kernel and the bias,
 * of `layer` with weights drawn from `seed`; and the kernels that ran for them.
 */
async function outputAndGradients(
  layer: tf.layers.Layer,
  seed: number,
): Promise<{ arrays: number[][]; kernels: string[] }> {
  const [batch, steps, features] = SHAPE;
  const x = tf.variable(tf.tensor3d(seededValues(batch * steps * features, seed), [...SHAPE]));
  layer.apply(x); // builds the weights
  layer.setWeights(
    layer.getWeights().map((w, i) => tf.tensor(seededValues(w.size, seed + 10 + i), w.shape)),
  );
  const y = layer.apply(x) as tf.Tensor;
  const r = tf.tensor(seededValues(y.size, seed + 99), y.shape);
  const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  let grads: tf.NamedTensorMap = {};
  const profile = await tf.profile(() => {
    grads = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)), vars).grads;
  });
  const arrays = [y, ...vars.map((v) => grads[v.name])].map((t) => Array.from(t.dataSync()));
  tf.dispose([x, y, r, ...Object.values(grads)]);
  return { arrays, kernels: profile.kernelNames };
}

const cases: {
  padding: 'valid' | 'same';
  activation: 'relu' | 'linear';
  useBias: boolean;
  kernelSize: number;
}[] = [
  { padding: 'valid', activation: 'relu', useBias: true, kernelSize: 3 },
  { padding: 'same', activation: 'relu', useBias: true, kernelSize: 4 },
  { padding: 'valid', activation: 'linear', useBias: false, kernelSize: 5 },
  { padding: 'same', activation: 'linear', useBias: true, kernelSize: 3 },
  { padding: 'same', activation: 'relu', useBias: false, kernelSize: 1 },
];

describe.each(['wasm', 'cpu'] as const)('FusedConv1D on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, log: false });
  });

  it.each(cases)('matches tf.layers.conv1d: %o', async (c) => {
    const args: Conv1DArgs = { filters: 7, ...c };
    const stock = await outputAndGradients(tf.layers.conv1d(args), 3);
    const fused = await outputAndGradients(new FusedConv1D(args), 3);
    expect(fused.kernels).toContain('SeqlearnConv1D');
    expect(fused.kernels).toContain('SeqlearnConv1DBackpropInput'); // x is a variable here
    expect(stock.kernels).not.toContain('SeqlearnConv1D');
    expectClose(fused.arrays.slice(0, 1), stock.arrays.slice(0, 1), 1e-5);
    expectClose(fused.arrays.slice(1), stock.arrays.slice(1), 1e-4);
  });

  it.each([{ strides: 2 }, { dilationRate: 2 }, { activation: 'tanh' as const }])(
    'falls back to the stock ops for %o',
    async (extra) => {
      const args: Conv1DArgs = { filters: 4, kernelSize: 3, ...extra };
      expect(FusedConv1D.supportsConfig(args)).toBe(false);
      const layer = new FusedConv1D(args);
      const [batch, steps, features] = SHAPE;
      const x = tf.tensor3d(seededValues(batch * steps * features, 5), [...SHAPE]);
      layer.apply(x);
      const stock = tf.layers.conv1d(args);
      stock.apply(x);
      stock.setWeights(layer.getWeights());
      const profile = await tf.profile(() => layer.apply(x) as tf.Tensor);
      expect(profile.kernelNames).not.toContain('SeqlearnConv1D');
      expectClose(
        [Array.from((layer.apply(x) as tf.Tensor).dataSync())],
        [Array.from((stock.apply(x) as tf.Tensor).dataSync())],
        1e-6,
      );
    },
  );

  it('computes no input gradient when the input is data', async () => {
    const layer = new FusedConv1D({ filters: 4, kernelSize: 3, activation: 'relu' });
    const [batch, steps, features] = SHAPE;
    const x = tf.tensor3d(seededValues(batch * steps * features, 7), [...SHAPE]);
    layer.apply(x);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const tensorsBefore = tf.memory().numTensors;
    // all weights, then the kernel alone (the bias gradient computed and left unused)
    for (const list of [vars, vars.slice(0, 1)]) {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor), list);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore); // nothing kept from the backward pass
    const profile = await tf.profile(() => {
      const { grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor), vars);
      return Object.values(grads);
    });
    expect(profile.kernelNames).toContain('SeqlearnConv1DBackprop');
    expect(profile.kernelNames).not.toContain('SeqlearnConv1DBackpropInput');
    expect(profile.kernelNames).not.toContain('Conv2DBackpropInput');
  });
});

describe('FusedConv1D in a model', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: false });
  });

  it('trains with model.fit and loads in stock tfjs as Conv1D', async () => {
    const build = () => {
      const model = tf.sequential();
      model.add(
        new FusedConv1D({
          filters: 6,
          kernelSize: 3,
          activation: 'relu',
          inputShape: [12, 3],
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
      );
      model.add(tf.layers.globalAveragePooling1d());
      model.add(
        tf.layers.dense({
          units: 2,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
      );
      return model;
    };
    const model = build();
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const xs = tf.tensor3d(seededValues(16 * 12 * 3, 11), [16, 12, 3]);
    const ys = tf.tensor2d(seededValues(16 * 2, 12), [16, 2]);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const history = await model.fit(xs, ys, {
      epochs: 5,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
    });
    const losses = history.history.loss as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    const after = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);

    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const topology = JSON.stringify(artifacts?.modelTopology);
    expect(topology).toContain('"class_name":"Conv1D"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(loaded.layers[0]).not.toBeInstanceOf(FusedConv1D);
    expect(loaded.layers[0].getClassName()).toBe('Conv1D');
    expectClose(
      [Array.from((loaded.predict(xs) as tf.Tensor).dataSync())],
      [Array.from((model.predict(xs) as tf.Tensor).dataSync())],
      1e-5,
    );
  });
});

describe('unsupportedConv1DOptions', () => {
  it('names what the fused kernel cannot run', () => {
    expect(unsupportedConv1DOptions({ filters: 4, kernelSize: 3 })).toEqual([]);
    expect(
      unsupportedConv1DOptions({
        strides: [2],
        dilationRate: 1,
        padding: 'causal',
        activation: 'tanh',
      }),
    ).toEqual(['strides', 'padding', 'activation']);
  });
});

describe('FusedConv1D in the factories', () => {
  const config = {
    inputShape: [20, 3] as [number, number],
    conv: [{ filters: 4, kernelSize: 3, pool: { size: 2 } }],
    cell: 'gru' as const,
    units: 4,
    numClasses: 2,
    seed: 1,
  };

  it('createSequenceModel builds it unless layerImplementation is stock; describeModel says which', () => {
    const fused = createSequenceModel(config);
    const stock = createSequenceModel({ ...config, layerImplementation: 'stock' });
    const strided = createSequenceModel({
      ...config,
      conv: [{ filters: 4, kernelSize: 3, strides: 2, pool: { size: 2 } }],
    });
    expect(fused.layers[0]).toBeInstanceOf(FusedConv1D);
    expect(stock.layers[0]).not.toBeInstanceOf(FusedConv1D);
    expect(strided.layers[0]).not.toBeInstanceOf(FusedConv1D);
    expect(describeModel(fused)).toMatch(/\(Conv1D, fused\)/);
    expect(describeModel(stock)).toMatch(/\(Conv1D, stock: layerImplementation: 'stock'\)/);
    expect(describeModel(strided)).toMatch(/\(Conv1D, stock: strides\)/);
    // the same seed gives the same initial weights either way
    expectClose(
      fused.getWeights().map((w) => Array.from(w.dataSync())),
      stock.getWeights().map((w) => Array.from(w.dataSync())),
      0,
    );
    for (const m of [fused, stock, strided]) m.dispose();
  });

  it('registerFusedLayers loads a saved Conv1D as FusedConv1D, and restores the stock class', async () => {
    const model = tf.sequential({
      layers: [new FusedConv1D({ filters: 3, kernelSize: 2, inputShape: [6, 2] })],
    });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const load = () => tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const unregister = registerFusedLayers();
    const fusedLoad = await load();
    unregister();
    const stockLoad = await load();
    expect(fusedLoad.layers[0]).toBeInstanceOf(FusedConv1D);
    expect(stockLoad.layers[0]).not.toBeInstanceOf(FusedConv1D);
    for (const m of [model, fusedLoad, stockLoad]) m.dispose();
  });
});
