#!/usr/bin/env node
// Where a training step of a benchmark workload spends its time, with the fused layers: each
// wasm kernel (with its GFLOP/s where it multiplies matrices), the tfjs kernels around the fused
// layers (loss, dense head, embedding), FusedAdam, and what is left (JavaScript between kernels:
// copies in and out of wasm memory, tfjs' autodiff bookkeeping). Runs on the package's source
// through tsx, so that it can reach the module that owns the wasm kernels.
//
//   node --import tsx bench/breakdown.mjs [workload ...] [--threads N] [--steps N] [--json]
//
// Prints one JSON line per workload and, without --json, a Markdown table on stderr. Also
// measures the ceiling: the module's own gemm on a 512×512×512 product (rows 528 floats apart),
// single-threaded.
import * as tf from '@tensorflow/tfjs';
import * as seqlearn from '../packages/rnn-models/src/index.ts';
import { heapKernels } from '../packages/rnn-models/src/wasm/heap-kernels.ts';
import { getFusedWasm, useKernelThreads } from '../packages/rnn-models/src/wasm/wasm-kernel.ts';
import { build, WORKLOADS } from './run.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const names = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const workloads = names.length
  ? names
  : ['har-lstm', 'har-gru', 'har-simplernn', 'har-conv1d', 'imdb-lstm', 'charlm-lstm'];
const steps = Number(opt('--steps', '10'));
const threads = opt('--threads');
const json = argv.includes('--json');

await seqlearn.initBackend({ backend: 'wasm' });
if (threads) useKernelThreads(Number(threads));
const wasm = getFusedWasm();
if (!wasm) throw new Error('the fused wasm module is not available on this runtime');

// ---- counters -------------------------------------------------------------------------------
const buckets = new Map();
let inWasm = 0; // > 0 while a timed wasm call runs, so that nested timers do not double count
const add = (name, ms, flops = 0) => {
  const e = buckets.get(name) ?? { ms: 0, calls: 0, flops: 0 };
  e.ms += ms;
  e.calls++;
  e.flops += flops;
  buckets.set(name, e);
};

// floating-point operations of one call of each wasm export, from its arguments (multiply-adds
// count 2); the recurrent loops count their step products, the element-wise work is left out
const FLOPS = {
  gemm: (a) => 2 * a[6] * a[7] * a[8],
  gemmBias: (a) => 2 * a[6] * a[7] * a[8],
  lstmForward: (a) => 2 * a[8] * a[9] * a[10] * 4 * a[10],
  lstmBackward: (a) => 2 * a[11] * a[12] * a[13] * 4 * a[13],
  gruForward: (a) => 2 * a[9] * a[10] * a[11] * 3 * a[11],
  gruBackward: (a) => 2 * a[12] * a[13] * a[14] * 3 * a[14] * (a[17] ? 1 : 4 / 3),
  rnnForward: (a) => 2 * a[6] * a[7] * a[8] * a[8],
  rnnBackward: (a) => 2 * a[8] * a[9] * a[10] * a[10],
};
const parallel = wasm.parallel.bind(wasm);
wasm.parallel = (calls) => {
  const t = performance.now();
  inWasm++;
  try {
    parallel(calls);
  } finally {
    inWasm--;
  }
  const flops = calls.reduce((s, c) => s + (FLOPS[c.name]?.(c.args) ?? 0), 0);
  add(`wasm ${calls[0]?.name ?? '?'}`, performance.now() - t, flops);
};
// the exports object is frozen: time calls made through `wasm.exports` by handing the module a
// wrapped copy (calls through `parallel` are timed above)
let kernelDepth = 0;
// heap kernel time inside a timed tfjs kernel, counted under the heap kernel instead
let nestedMs = 0;
/** Replaces each function of `table` by one that times its calls under `prefix name`. */
function timeCalls(table, prefix, flops) {
  for (const name of Object.keys(table)) {
    const f = table[name];
    if (typeof f !== 'function') continue;
    table[name] = (...args) => {
      if (inWasm) return f(...args);
      const t = performance.now();
      inWasm++;
      try {
        return f(...args);
      } finally {
        inWasm--;
        const ms = performance.now() - t;
        if (kernelDepth) nestedMs += ms;
        add(`${prefix} ${name}`, ms, flops[name]?.(args) ?? 0);
      }
    };
  }
}
const wrapped = { ...wasm.exports };
Object.defineProperty(wasm, 'exports', { value: wrapped });
timeCalls(wrapped, 'wasm', FLOPS);
// the kernels that run in tfjs' own memory (FusedConv1D, pooling, sums, Adam): their object is
// the one the kernels get from heapKernels, so wrapping its functions times those calls
const HEAP_FLOPS = {
  conv1dForwardBiasAct: (a) => 2 * a[3] * a[5] * a[7] * a[8],
  conv1dFilterGrad: (a) => 2 * a[3] * a[5] * a[7] * a[8],
};
timeCalls(heapKernels(tf.backend()) ?? {}, 'heap', HEAP_FLOPS);
for (const k of tf.getKernelsForBackend('wasm')) {
  const f = k.kernelFunc;
  k.kernelFunc = (args) => {
    if (kernelDepth || inWasm) return f(args);
    const t = performance.now();
    const nested = nestedMs;
    kernelDepth++;
    try {
      return f(args);
    } finally {
      kernelDepth--;
      add(`tfjs ${k.kernelName}`, performance.now() - t - (nestedMs - nested));
    }
  };
}
const apply = seqlearn.FusedAdam.prototype.applyGradients;
seqlearn.FusedAdam.prototype.applyGradients = function (g) {
  const t = performance.now();
  const before = new Map([...buckets].map(([k, v]) => [k, v.ms]));
  apply.call(this, g);
  const ms = performance.now() - t;
  // what Adam's own wasm calls took is Adam's: take it out of the wasm buckets
  let inner = 0;
  for (const [k, v] of buckets) {
    const d = v.ms - (before.get(k) ?? 0);
    if (d > 0 && (k.startsWith('wasm adam') || k.startsWith('heap adam'))) inner += d;
  }
  add('FusedAdam (all of applyGradients)', ms - inner);
};

// ---- the ceiling: the module's gemm on a large square product, one thread ---------------------
function ceiling() {
  // 512³, rows 528 floats apart: rows a multiple of 4 KiB apart would measure the cache's set
  // conflicts rather than the arithmetic (2 KiB rows ran at 37 GFLOP/s here, 528 floats at 45)
  const n = 512;
  const ld = 528;
  wasm.reset();
  const a = wasm.put(Float32Array.from({ length: n * ld }, (_, i) => ((i * 7) % 13) / 13));
  const b = wasm.put(Float32Array.from({ length: n * ld }, (_, i) => ((i * 5) % 11) / 11));
  const c = wasm.alloc(n * ld);
  for (let i = 0; i < 3; i++) wasm.exports.gemm(a, ld, b, ld, c, ld, n, n, n, 0);
  const reps = 20;
  const t = performance.now();
  for (let i = 0; i < reps; i++) wasm.exports.gemm(a, ld, b, ld, c, ld, n, n, n, 0);
  const s = (performance.now() - t) / 1000 / reps;
  return (2 * n * n * n) / s / 1e9;
}

const rows = [];
const gemmPeak = ceiling();
buckets.clear();
for (const name of workloads) {
  const w = WORKLOADS[name];
  if (!w || !['rnn', 'embed', 'conv'].includes(w.kind))
    throw new Error(`not a training workload: ${name}`);
  const { model, x, y, loss } = build(tf, w, seqlearn);
  const optimizer = new seqlearn.FusedAdam(1e-3, 0.9, 0.999, 1e-8);
  const vars = model.trainableWeights.map((v) => v.read());
  const step = () => {
    const cost = optimizer.minimize(() => loss(model.apply(x, { training: true }), y), true, vars);
    cost.dataSync();
    cost.dispose();
  };
  for (let i = 0; i < 3; i++) step();
  buckets.clear();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const total = (performance.now() - t0) / steps;
  const parts = [...buckets]
    .map(([part, e]) => ({
      part,
      ms: e.ms / steps,
      share: e.ms / steps / total,
      calls: e.calls / steps,
      gflops: e.flops ? e.flops / (e.ms / 1000) / 1e9 : undefined,
    }))
    .sort((p, q) => q.ms - p.ms);
  const accounted = parts.reduce((s, p) => s + p.ms, 0);
  parts.push({
    part: 'rest (JS, copies, autodiff)',
    ms: total - accounted,
    share: 1 - accounted / total,
  });
  const flops = [...buckets.values()].reduce((s, e) => s + e.flops, 0) / steps;
  const row = {
    workload: name,
    ms_per_step: +total.toFixed(2),
    samples_per_s: +((w.B * 1000) / total).toFixed(1),
    threads: wasm.threads,
    gemm_gflops_per_step: +(flops / 1e9).toFixed(3),
    achieved_gflops: +(flops / (total / 1000) / 1e9).toFixed(2),
    ceiling_gflops_1_thread: +gemmPeak.toFixed(2),
    parts: parts.map((p) => ({
      ...p,
      ms: +p.ms.toFixed(3),
      share: +p.share.toFixed(3),
      gflops: p.gflops === undefined ? undefined : +p.gflops.toFixed(2),
    })),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  model.dispose();
  tf.dispose([x, y]);
}
if (!json) {
  for (const r of rows) {
    console.error(
      `\n${r.workload}: ${r.ms_per_step} ms/step, ${r.samples_per_s} samples/s on ${r.threads} thread(s); ` +
        `${r.gemm_gflops_per_step} GFLOP of products per step at ${r.achieved_gflops} GFLOP/s over the whole step ` +
        `(the module's gemm peaks at ${r.ceiling_gflops_1_thread} GFLOP/s on one thread, 512³)\n`,
    );
    console.error('| part | ms/step | share | calls/step | GFLOP/s |\n|---|---|---|---|---|');
    for (const p of r.parts) {
      console.error(
        `| ${p.part} | ${p.ms} | ${(p.share * 100).toFixed(1)}% | ${p.calls ?? ''} | ${p.gflops ?? ''} |`,
      );
    }
  }
}
process.exit(0);
