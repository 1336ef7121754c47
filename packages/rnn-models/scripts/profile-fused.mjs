// Training throughput of the fused recurrent layers against the stock tfjs layers, on the
// workloads of shared/bench/torch_rnn_baseline.py (har-lstm, har-gru, har-simplernn,
// charlm-lstm): Adam 1e-3, random data, one step per batch, warm-up excluded.
// Prints wall-clock and CPU-time figures (CPU time is the robust one on a shared machine).
// Usage: npx tsx scripts/profile-fused.mjs [--backends wasm,cpu] [--batches 5] [--layers fused,stock]
//        [workload ...]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { FusedGRU } from '../src/fused/fused-gru.ts';
import { FusedLSTM } from '../src/fused/fused-lstm.ts';
import { FusedSimpleRNN } from '../src/fused/fused-simple-rnn.ts';

const WORKLOADS = {
  'har-lstm': { cell: 'lstm', T: 128, F: 9, H: 64, C: 6, B: 64 },
  'har-gru': { cell: 'gru', T: 128, F: 9, H: 64, C: 6, B: 64 },
  'har-simplernn': { cell: 'simpleRNN', T: 128, F: 9, H: 64, C: 6, B: 64 },
  'charlm-lstm': { cell: 'lstm', T: 40, F: 65, H: 128, C: 65, B: 128 },
};

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const backends = opt('backends', 'wasm').split(',');
const batches = Number(opt('batches', '5'));
const layers = opt('layers', 'fused,stock').split(',');
const names = args.length ? args : Object.keys(WORKLOADS);

function recurrent(kind, cell, units, inputShape) {
  const common = { units, inputShape, recurrentActivation: 'sigmoid' };
  if (kind === 'fused') {
    if (cell === 'lstm') return new FusedLSTM(common);
    if (cell === 'gru') return new FusedGRU({ ...common, resetAfter: true });
    return new FusedSimpleRNN(common);
  }
  if (cell === 'lstm') return tf.layers.lstm(common);
  if (cell === 'gru') return tf.layers.gru(common);
  return tf.layers.simpleRNN(common);
}

for (const backend of backends) {
  await tf.setBackend(backend);
  await tf.ready();
  for (const name of names) {
    const w = WORKLOADS[name];
    for (const kind of layers) {
      const model = tf.sequential();
      model.add(recurrent(kind, w.cell, w.H, [w.T, w.F]));
      model.add(tf.layers.dense({ units: w.C, activation: 'softmax' }));
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
      const x = tf.randomNormal([w.B, w.T, w.F], 0, 1, 'float32', 1);
      const y = tf.randomUniform([w.B], 0, w.C, 'int32', 2).cast('float32');
      const step = () => model.trainOnBatch(x, y);
      await step();
      await step();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < batches; i++) await step();
      const ms = (performance.now() - t0) / batches;
      const cpu = process.cpuUsage(c0);
      // CPU time of this (single-threaded) process: robust when other jobs share the cores
      const cpuMs = (cpu.user + cpu.system) / 1000 / batches;
      console.log(
        JSON.stringify({
          workload: name,
          layer: kind,
          backend,
          samples_per_s: Math.round((w.B / ms) * 1000 * 10) / 10,
          ms_per_batch: Math.round(ms * 10) / 10,
          cpu_samples_per_s: Math.round((w.B / cpuMs) * 1000 * 10) / 10,
          cpu_ms_per_batch: Math.round(cpuMs * 10) / 10,
          batch: w.B,
        }),
      );
      x.dispose();
      y.dispose();
      model.dispose();
    }
  }
}
