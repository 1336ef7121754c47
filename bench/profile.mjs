#!/usr/bin/env node
import * as seqlearn from '@seqlearn/rnn-models';
// Kernel-time profile of one benchmark workload: which tfjs kernels a training step spends its
// time in.  node bench/profile.mjs har-lstm [wasm|cpu] [steps] [stock|fused]
import * as tf from '@tensorflow/tfjs';
import { build, WORKLOADS } from './run.mjs';

const [name = 'har-lstm', backend = 'wasm', stepsArg = '2', layers = 'stock'] =
  process.argv.slice(2);
if (!(name in WORKLOADS)) throw new Error(`unknown workload ${name}`);
await seqlearn.initBackend({ backend });
const w = WORKLOADS[name];
const { model, x, y, loss } = build(tf, w, layers === 'fused' ? seqlearn : undefined);
const optimizer = seqlearn.FusedAdam
  ? new seqlearn.FusedAdam(1e-3, 0.9, 0.999, 1e-8)
  : tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
const vars = model.trainableWeights.map((v) => v.read());
const step = () => {
  const cost = optimizer.minimize(() => loss(model.apply(x, { training: true }), y), true, vars);
  cost.dataSync();
  cost.dispose();
};
step();
const times = new Map();
for (const k of tf.getKernelsForBackend(tf.getBackend())) {
  const f = k.kernelFunc;
  k.kernelFunc = (args) => {
    const t = performance.now();
    const out = f(args);
    const e = times.get(k.kernelName) ?? { ms: 0, calls: 0 };
    e.ms += performance.now() - t;
    e.calls++;
    times.set(k.kernelName, e);
    return out;
  };
}
const steps = Number(stepsArg);
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const total = (performance.now() - t0) / steps;
const inKernels = [...times.values()].reduce((s, e) => s + e.ms, 0) / steps;
const calls = [...times.values()].reduce((s, e) => s + e.calls, 0) / steps;
console.log(
  `${name} on ${backend}: ${total.toFixed(1)} ms per step, ${inKernels.toFixed(1)} ms in ${calls} kernel calls`,
);
for (const [k, e] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
  console.log(
    `  ${k.padEnd(24)} ${(e.ms / steps).toFixed(1).padStart(8)} ms ${String(e.calls / steps).padStart(6)} calls`,
  );
}
