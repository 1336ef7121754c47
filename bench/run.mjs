#!/usr/bin/env node
// Benchmark of @seqlearn/rnn-models against PyTorch on the CPU: training throughput, mirroring
// ../shared/bench/torch_rnn_baseline.py, and inference latency and generation speed, mirrored by
// bench/torch_inference.py (see bench/README.md). Run it with `npm run bench`.
//
//   node bench/run.mjs [--backends wasm,cpu] [--layers auto|stock|fused,...]
//                      [--workloads har-lstm,imdb-lstm] [--batches 20] [--warmup 3]
//                      [--compare-torch] [--threads N[,M]] [--repeats 1]
//
// Each (backend, layers, workload) runs in its own child process, so that `peak_rss_mb` is that run's.
// Output: one JSON object per line on stdout; with --compare-torch, the PyTorch lines, one ratio
// line per workload, backend and seqlearn thread count, and one headline line per workload
// ({"headline":true,...}: seqlearn at its best thread count against PyTorch at its best one,
// medians of the repeats), and on stderr the headline table first, then the detailed one.
// `--threads 1,2` runs seqlearn (SEQLEARN_THREADS: the threads of its own kernels) and PyTorch
// once per thread count; without it PyTorch runs on 1 thread and on seqlearn's own count.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

/** The workloads of torch_rnn_baseline.py, field for field. */
export const WORKLOADS = {
  'har-lstm': { kind: 'rnn', cell: 'lstm', T: 128, F: 9, H: 64, C: 6, B: 64 },
  'har-gru': { kind: 'rnn', cell: 'gru', T: 128, F: 9, H: 64, C: 6, B: 64 },
  'har-simplernn': { kind: 'rnn', cell: 'rnn', T: 128, F: 9, H: 64, C: 6, B: 64 },
  'har-conv1d': { kind: 'conv', T: 128, F: 9, C: 6, B: 64 },
  'imdb-lstm': { kind: 'embed', V: 20000, E: 64, T: 200, H: 64, B: 64 },
  'charlm-lstm': { kind: 'rnn', cell: 'lstm', T: 40, F: 65, H: 128, C: 65, B: 128 },
  // Inference and generation, mirrored by bench/torch_inference.py: the models of the training
  // workloads of the same name, built by createSequenceModel (so the factories' default layers)
  'har-lstm-infer': { kind: 'infer', cell: 'lstm', T: 128, F: 9, H: 64, C: 6, B: 1 },
  'charlm-lstm-infer': {
    kind: 'infer',
    cell: 'lstm',
    T: 40,
    F: 65,
    H: 128,
    C: 65,
    B: 1,
    onehot: true,
  },
  'charlm-lstm-generate': {
    kind: 'generate',
    cell: 'lstm',
    T: 40,
    F: 65,
    H: 128,
    C: 65,
    chars: 1000,
  },
};

/**
 * The figure each kind of workload reports: `rate` (higher is faster; ratios are seqlearn's rate
 * over PyTorch's) and, for inference and generation, the latency it comes from (`time`, the median
 * over the timed calls; the median of repeats is taken on it, and a ratio is PyTorch's time over
 * seqlearn's, so above 1 still means seqlearn is faster).
 */
export const METRICS = {
  train: { rate: 'samples_per_s', unit: 'samples/s' },
  infer: { rate: 'seqs_per_s', time: 'ms_per_seq', unit: 'ms/seq' },
  generate: { rate: 'chars_per_s', time: 'ms_per_1000_chars', unit: 'ms/1000 chars' },
};

export function metricOf(workload) {
  const kind = WORKLOADS[workload].kind;
  return METRICS[kind === 'infer' || kind === 'generate' ? kind : 'train'];
}

/**
 * Untimed and timed calls of one inference or generation run, from --warmup and --batches: ten
 * sequences per batch for inference (200 and 30 by default), a 1,000-character generation per 4
 * batches (at least 1; 5 by default) after at most one untimed one.
 */
export function callCounts(workload, batches, warmup) {
  const kind = WORKLOADS[workload].kind;
  if (kind === 'infer') return { calls: 10 * batches, warmup: 10 * warmup };
  if (kind === 'generate')
    return { calls: Math.max(1, Math.ceil(batches / 4)), warmup: Math.min(warmup, 1) };
  return { calls: batches, warmup };
}

/** The 65 characters of char-rnn's tiny Shakespeare, for the generation workload's alphabet. */
const LETTERS = "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function parseArgs(argv) {
  const args = {
    backends: undefined,
    workloads: Object.keys(WORKLOADS),
    batches: 20,
    warmup: 3,
    compareTorch: false,
    threads: undefined,
    repeats: 1,
    layers: ['auto'],
    optimizer: 'auto',
    child: false,
    probe: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a}: expected a value`);
      return argv[++i];
    };
    if (a === '--backends' || a === '--backend') args.backends = next().split(',').filter(Boolean);
    else if (a === '--workloads' || a === '--workload')
      args.workloads = next().split(',').filter(Boolean);
    else if (a === '--batches') args.batches = Number(next());
    else if (a === '--warmup') args.warmup = Number(next());
    else if (a === '--optimizer') args.optimizer = next();
    else if (a === '--threads') args.threads = next().split(',').filter(Boolean).map(Number);
    else if (a === '--repeats') args.repeats = Number(next());
    else if (a === '--compare-torch') args.compareTorch = true;
    else if (a === '--layers') args.layers = next().split(',').filter(Boolean);
    else if (a === '--child') args.child = true;
    else if (a === '--probe-child') args.probe = true;
    else if (a === '--help' || a === '-h') {
      console.log(
        `usage: node bench/run.mjs [--backends wasm,cpu] [--layers auto|stock|fused,...] [--workloads a,b] [--batches N] [--warmup N] [--compare-torch] [--threads N[,M]] [--repeats N] [--optimizer auto|fused|tfjs]\nworkloads: ${Object.keys(WORKLOADS).join(', ')}`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const w of args.workloads) {
    if (!(w in WORKLOADS)) {
      throw new Error(
        `--workloads: expected names from ${Object.keys(WORKLOADS).join(', ')}, got ${w}`,
      );
    }
  }
  for (const l of args.layers) {
    if (!['auto', 'stock', 'fused'].includes(l)) {
      throw new Error(`--layers: expected auto, stock or fused, got ${l}`);
    }
  }
  for (const key of ['batches', 'warmup', 'repeats']) {
    if (!Number.isInteger(args[key]) || args[key] < (key === 'warmup' ? 0 : 1)) {
      throw new Error(`--${key}: expected a positive integer, got ${args[key]}`);
    }
  }
  if (!['auto', 'fused', 'tfjs'].includes(args.optimizer)) {
    throw new Error(`--optimizer: expected auto, fused or tfjs, got ${args.optimizer}`);
  }
  for (const n of args.threads ?? []) {
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`--threads: expected positive integers, got ${args.threads.join(',')}`);
    }
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Child: one workload on one backend.

async function runChild({
  backends,
  workloads,
  batches,
  warmup,
  layers: [requested],
  optimizer: optimizerKind,
}) {
  const tf = await import('@tensorflow/tfjs');
  const seqlearn = await import('@seqlearn/rnn-models');
  const info = await seqlearn.initBackend({ backend: backends?.[0], log: false });
  const name = workloads[0];
  const w = WORKLOADS[name];
  if (w.kind === 'infer' || w.kind === 'generate') {
    return runInference(tf, seqlearn, info, name, requested, callCounts(name, batches, warmup));
  }
  const hasFused = typeof seqlearn.FusedLSTM === 'function';
  if (requested === 'fused' && !hasFused) {
    throw new Error('--layers fused: this build of @seqlearn/rnn-models exports no FusedLSTM');
  }
  let kind = requested === 'stock' || !hasFused ? 'stock' : 'fused';
  let resetAfter = true;
  if (w.kind === 'conv') {
    // FusedConv1D where the build exports it (stock Conv1D otherwise), for fused and auto alike
    if (typeof seqlearn.FusedConv1D !== 'function') kind = 'stock';
  } else if (requested === 'auto') {
    const chosen = factoryDefault(seqlearn, w.kind === 'embed' ? 'lstm' : w.cell);
    kind = chosen.fused ? 'fused' : 'stock';
    resetAfter = chosen.resetAfter;
  }
  const { model, x, y, loss, note } = build(
    tf,
    w,
    kind === 'fused' ? seqlearn : undefined,
    resetAfter,
  );
  // torch.optim.Adam's defaults; seqlearn's FusedAdam (what compileModel and train use for
  // 'adam') where the build has it, else tfjs' own, or as --optimizer says
  const fusedAdam = optimizerKind !== 'tfjs' && typeof seqlearn.FusedAdam === 'function';
  const optimizer = fusedAdam
    ? new seqlearn.FusedAdam(1e-3, 0.9, 0.999, 1e-8)
    : tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const vars = model.trainableWeights.map((v) => v.read());
  const step = () => {
    const cost = optimizer.minimize(() => loss(model.apply(x, { training: true }), y), true, vars);
    cost.dataSync(); // synchronous, as the PyTorch step is
    cost.dispose();
  };
  for (let i = 0; i < warmup; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) step();
  const dt = (performance.now() - t0) / 1000 / batches;
  const line = {
    workload: name,
    framework: `tfjs-layers-${tf.version.tfjs}`,
    backend: info.name,
    samples_per_s: round(w.B / dt, 1),
    ms_per_batch: round(dt * 1000, 2),
    batch: w.B,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    // seqlearn's kernel threads where the build has them, else the backend's
    threads: seqlearn.kernelThreads?.() ?? info.threads ?? null,
    tfjs_threads: info.threads ?? null,
    layers: kind,
    optimizer: fusedAdam ? 'FusedAdam' : 'tf.train.adam',
  };
  if (requested === 'auto') line.requested = 'auto';
  if (note) line.note = note;
  console.log(JSON.stringify(line));
}

/**
 * Inference latency or generation speed of one model built by `createSequenceModel` (the layers
 * its defaults choose, or those `--layers stock|fused` forces): `model.predict` on one sequence,
 * batch 1, read back synchronously; or `generateText` sampling 1,000 characters one at a time,
 * seeded. Each figure is the median over the timed calls.
 */
async function runInference(tf, seqlearn, info, name, requested, { calls, warmup }) {
  const w = WORKLOADS[name];
  const model = seqlearn.createSequenceModel({
    inputShape: [w.T, w.F],
    cell: CELLS[w.cell],
    units: w.H,
    numClasses: w.C,
    seed: 0,
    ...(requested === 'auto' ? {} : { layerImplementation: requested }),
  });
  const fused = seqlearn.FusedRecurrent
    ? model.layers.some((l) => l instanceof seqlearn.FusedRecurrent)
    : false;
  let call;
  let x;
  const carries = typeof seqlearn.createStepper === 'function';
  if (w.kind === 'infer') {
    x = w.onehot
      ? tf.oneHot(tf.randomUniform([1, w.T], 0, w.F, 'int32', 0), w.F).toFloat()
      : tf.randomNormal([1, w.T, w.F], 0, 1, 'float32', 0);
    call = () => {
      const y = model.predict(x);
      y.dataSync(); // synchronous, as PyTorch's call
      y.dispose();
    };
  } else {
    const alphabet = {
      size: LETTERS.length,
      encode: (text) => [...text].map((ch) => LETTERS.indexOf(ch)),
      decode: (ids) => ids.map((i) => LETTERS[i]).join(''),
    };
    const seedText = 'First Citizen:\nBefore we proceed any furt'.slice(0, w.T);
    call = () => {
      // carrying the state, as PyTorch's loop does (builds without carryState feed the window)
      const text = seqlearn.generateText(model, {
        seedText,
        length: w.chars,
        alphabet,
        seed: 1,
        carryState: carries,
      });
      if (text.length !== w.chars) throw new Error(`generateText gave ${text.length} characters`);
    };
  }
  for (let i = 0; i < warmup; i++) call();
  const times = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    call();
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  const figures =
    w.kind === 'infer'
      ? { ms_per_seq: round(ms, 3), seqs_per_s: round(1000 / ms, 1), batch: 1 }
      : {
          ms_per_1000_chars: round((ms * 1000) / w.chars, 2),
          chars_per_s: round((w.chars * 1000) / ms, 1),
          chars: w.chars,
          // with carryState one step per character; without, the last 40 characters for each one
          ...(carries ? { carry_state: true } : { window: w.T }),
        };
  const line = {
    workload: name,
    framework: `tfjs-layers-${tf.version.tfjs}`,
    backend: info.name,
    ...figures,
    calls,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    threads: seqlearn.kernelThreads?.() ?? info.threads ?? null,
    tfjs_threads: info.threads ?? null,
    layers: fused ? 'fused' : 'stock',
  };
  if (requested === 'auto') line.requested = 'auto';
  x?.dispose();
  model.dispose();
  console.log(JSON.stringify(line));
}

const CELLS = { lstm: 'lstm', gru: 'gru', rnn: 'simpleRNN' };

/**
 * What `createSequenceModel` of the built package makes of `cell` with its defaults, a GRU asked
 * for `resetAfter: true` so that it computes PyTorch's function (the factories' GRU is tfjs' own
 * formulation otherwise): whether the recurrent layer is fused and, for a GRU, whether it resets
 * after. A build without the factories' `layerImplementation` (fused layers off by default)
 * answers stock.
 */
function factoryDefault(seqlearn, cell) {
  if (typeof seqlearn.createSequenceModel !== 'function' || !seqlearn.FusedRecurrent) {
    return { fused: false, resetAfter: false };
  }
  const model = seqlearn.createSequenceModel({
    inputShape: [4, 2],
    cell: CELLS[cell],
    units: 4,
    numClasses: 2,
    seed: 0,
    ...(cell === 'gru' ? { resetAfter: true } : {}),
  });
  const layer = model.layers.find((l) => l instanceof seqlearn.FusedRecurrent);
  const chosen = { fused: Boolean(layer), resetAfter: Boolean(layer?.getConfig().resetAfter) };
  model.dispose();
  return chosen;
}

function round(v, digits) {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/**
 * The tfjs model, data and loss of one workload, as torch_rnn_baseline.py builds them; with
 * `fused` (the @seqlearn/rnn-models module), its FusedLSTM / FusedGRU / FusedSimpleRNN layers in
 * place of the stock ones, the GRU with `resetAfter` (PyTorch's GRU when true, the default).
 */
export function build(tf, w, fused, resetAfter = true) {
  const B = w.B;
  const seed = 0;
  if (w.kind === 'rnn' || w.kind === 'embed') {
    const T = w.T;
    const H = w.H;
    const inDim = w.kind === 'embed' ? w.E : w.F;
    // PyTorch's RNN layers draw every weight from U(-1/sqrt(H), 1/sqrt(H)) and use sigmoid gates.
    const k = 1 / Math.sqrt(H);
    const init = (s) => tf.initializers.randomUniform({ minval: -k, maxval: k, seed: s });
    const recurrent = {
      units: H,
      kernelInitializer: init(1),
      recurrentInitializer: init(2),
      biasInitializer: init(3),
    };
    const layers = [];
    if (w.kind === 'embed') {
      // nn.Embedding draws from N(0, 1).
      layers.push(
        tf.layers.embedding({
          inputDim: w.V,
          outputDim: w.E,
          inputLength: T,
          embeddingsInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: 4 }),
        }),
      );
    }
    const inputShape = w.kind === 'embed' ? undefined : [T, inDim];
    let note;
    const cell = w.kind === 'embed' ? 'lstm' : w.cell;
    const gates = { ...recurrent, inputShape, recurrentActivation: 'sigmoid' };
    if (cell === 'lstm') {
      const args = { ...gates, unitForgetBias: false };
      layers.push(fused ? new fused.FusedLSTM(args) : tf.layers.lstm(args));
    } else if (cell === 'gru') {
      if (fused) {
        // resetAfter: PyTorch's formulation (Keras reset_after=True), an exact mirror.
        layers.push(new fused.FusedGRU({ ...gates, resetAfter }));
        if (!resetAfter) {
          note = "GRU with resetAfter=false (the factories' default); PyTorch resets after";
        }
      } else {
        // tfjs-layers refuses resetAfter: the stock run computes the Keras 1 GRU instead.
        layers.push(tf.layers.gru(gates));
        note = 'GRU with resetAfter=false (tfjs-layers refuses resetAfter); PyTorch resets after';
      }
    } else {
      const args = { ...recurrent, inputShape, activation: 'tanh' };
      layers.push(fused ? new fused.FusedSimpleRNN(args) : tf.layers.simpleRNN(args));
    }
    const outUnits = w.kind === 'embed' ? 1 : w.C;
    layers.push(
      tf.layers.dense({ units: outUnits, kernelInitializer: init(5), biasInitializer: init(6) }),
    );
    const model = tf.sequential({ layers });
    if (w.kind === 'embed') {
      const x = tf.randomUniform([B, T], 0, w.V, 'int32', seed);
      const y = tf.randomUniform([B], 0, 2, 'int32', seed + 1).cast('float32');
      // binary_cross_entropy_with_logits(m(x).squeeze(1), y)
      const loss = (logits, labels) => tf.losses.sigmoidCrossEntropy(labels, logits.squeeze([1]));
      return { model, x, y, loss, note };
    }
    const x = tf.randomNormal([B, T, inDim], 0, 1, 'float32', seed);
    const y = tf.oneHot(tf.randomUniform([B], 0, w.C, 'int32', seed + 1), w.C);
    // cross_entropy(logits, y): softmax cross-entropy, averaged over the batch.
    const loss = crossEntropy(tf, fused);
    return { model, x, y, loss, note };
  }
  // Conv1d(F, 64, 5) -> relu -> max_pool1d(2) -> mean over time -> Linear(64, C); with `fused`,
  // seqlearn's FusedConv1D (conv, bias and relu in one kernel each way) where the build has it
  const conv1d = (args) =>
    fused?.FusedConv1D ? new fused.FusedConv1D(args) : tf.layers.conv1d(args);
  const model = tf.sequential({
    layers: [
      conv1d({ inputShape: [w.T, w.F], filters: 64, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.globalAveragePooling1d(),
      tf.layers.dense({ units: w.C }),
    ],
  });
  const x = tf.randomNormal([B, w.T, w.F], 0, 1, 'float32', seed);
  const y = tf.oneHot(tf.randomUniform([B], 0, w.C, 'int32', seed + 1), w.C);
  const loss = crossEntropy(tf, fused);
  return { model, x, y, loss };
}

/**
 * PyTorch's `F.cross_entropy(logits, y)` (softmax cross-entropy averaged over the batch): with
 * `fused`, seqlearn's `fusedSoftmaxCrossEntropy` where the build has it (one kernel each way, as
 * PyTorch's), else `tf.losses.softmaxCrossEntropy` (thirty-odd tensor ops).
 */
function crossEntropy(tf, fused) {
  const fn = fused?.fusedSoftmaxCrossEntropy ?? ((y, z) => tf.losses.softmaxCrossEntropy(y, z));
  return (logits, labels) => fn(labels, logits);
}

// ---------------------------------------------------------------------------------------------
// Parent: spawn the children, optionally PyTorch, print lines and ratios.

function runSeqlearn(backend, layers, workload, args, threads) {
  const childArgs = [fileURLToPath(import.meta.url), '--child', '--workloads', workload];
  childArgs.push('--layers', layers, '--optimizer', args.optimizer);
  childArgs.push('--batches', String(args.batches), '--warmup', String(args.warmup));
  if (backend) childArgs.push('--backends', backend);
  const env = { ...process.env };
  if (threads !== undefined) env.SEQLEARN_THREADS = String(threads);
  const res = spawnSync(process.execPath, childArgs, { encoding: 'utf8', cwd: root, env });
  const line = res.stdout.split('\n').find((l) => l.startsWith('{'));
  if (res.status !== 0 || !line) {
    const error = (res.stderr || res.stdout || '').trim().split('\n').slice(-3).join(' | ');
    return { workload, framework: 'tfjs-layers', backend: backend ?? 'default', layers, error };
  }
  return JSON.parse(line);
}

function sharedDir() {
  return process.env.SEQLEARN_SHARED ?? resolve(root, '../shared');
}

/** Below this a 512³ product on one thread, PyTorch is not on an optimized BLAS. */
const SLOW_BLAS_GFLOPS = 15;

/**
 * Which BLAS PyTorch multiplies with and how fast (bench/torch_blas.py), with a `warning` where
 * it is the reference BLAS: Debian's python3-torch gets it unless an optimized one is installed,
 * and then PyTorch's RNN training runs several times slower (measured: 260 against 1,240 samples/s
 * on har-lstm), so every ratio would flatter seqlearn.
 */
function probeTorchBlas() {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const res = spawnSync(python, [join(here, 'torch_blas.py')], { encoding: 'utf8', env });
  const line = (res.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (res.status !== 0 || !line) return null; // no PyTorch: each PyTorch line says so
  const probe = JSON.parse(line);
  const reference = probe.libraries.some((l) => /\/blas\/libblas\.so/.test(l));
  if (reference || probe.gemm_gflops_1_thread < SLOW_BLAS_GFLOPS) {
    probe.warning = `PyTorch multiplies with ${reference ? 'the reference BLAS' : 'a slow BLAS'} here (${probe.gemm_gflops_1_thread} GFLOP/s on a 512³ product, one thread): its figures are several times too low and every ratio flatters seqlearn; install an optimized BLAS (apt-get install -y libopenblas0-pthread) and run again`;
  }
  return probe;
}

function blasLine(blas) {
  const libs = blas.libraries.map((l) => l.split('/').pop()).join(', ') || 'none found';
  const base = `PyTorch ${blas.torch}'s BLAS: ${libs}; a 512³ product at ${blas.gemm_gflops_1_thread} GFLOP/s on one thread.`;
  return blas.warning ? `${base} **WARNING: ${blas.warning}.**` : base;
}

function runTorch(workload, threads, args) {
  // the training workloads: the shared reference script; inference and generation: ours
  const kind = WORKLOADS[workload].kind;
  const ours = kind === 'infer' || kind === 'generate';
  const script = ours
    ? join(here, 'torch_inference.py')
    : join(sharedDir(), 'bench', 'torch_rnn_baseline.py');
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  if (!existsSync(script))
    return {
      workload,
      framework: 'pytorch',
      error: `${script} not found${ours ? '' : ' (set SEQLEARN_SHARED)'}`,
    };
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  const scriptArgs = [script, workload, '--threads', String(threads)];
  if (ours) {
    const { calls, warmup } = callCounts(workload, args.batches, args.warmup);
    scriptArgs.push('--calls', String(calls), '--warmup', String(warmup));
  } else scriptArgs.push('--batches', String(args.batches));
  const res = spawnSync(python, scriptArgs, { encoding: 'utf8', env });
  const line = (res.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (res.status !== 0 || !line) {
    const error = (res.stderr || String(res.error ?? 'no output'))
      .trim()
      .split('\n')
      .slice(-2)
      .join(' | ');
    return { workload, framework: 'pytorch', error: `${error} (apt-get install -y python3-torch)` };
  }
  return { ...JSON.parse(line), backend: 'cpu' };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The median over repeats of one workload's figure: of its latency for inference and generation
 * (the rate then follows from it), of `samples_per_s` for training. Null without a good line.
 */
export function summarize(workload, lines) {
  const metric = metricOf(workload);
  const ok = lines.filter((l) => !l.error && typeof l[metric.time ?? metric.rate] === 'number');
  if (!ok.length) return null;
  if (!metric.time) return { rate: round(median(ok.map((l) => l[metric.rate])), 1) };
  const time = median(ok.map((l) => l[metric.time]));
  const perUnit = metric.time === 'ms_per_seq' ? 1 : 1000; // ms per sequence, per 1,000 characters
  return { time: round(time, 3), rate: round((perUnit * 1000) / time, 1) };
}

/** How a summary reads in the tables: the latency for inference and generation, else the rate. */
function shown(summary) {
  if (!summary) return '-';
  return summary.time !== undefined ? String(summary.time) : String(summary.rate);
}

/**
 * seqlearn's figure over PyTorch's (rates; for latencies PyTorch's time over seqlearn's), so that
 * above 1 means seqlearn is faster.
 */
export function ratioOf(own, torch) {
  if (!own || !torch) return null;
  if (own.time !== undefined && torch.time !== undefined) return round(torch.time / own.time, 3);
  return round(own.rate / torch.rate, 3);
}

/**
 * Headline of one workload and (backend, layers): seqlearn at its best thread count against
 * PyTorch at its best thread count, each the median of the repeats.
 */
export function headline(workload, rows, torchBy, repeats) {
  const metric = metricOf(workload);
  const best = (entries) =>
    entries.reduce((a, b) => (b[1] && (!a[1] || b[1].rate > a[1].rate) ? b : a), [null, null]);
  const [torchThreads, torchBest] = best([...torchBy]);
  const [ownRow, own] = best(rows.map((r) => [r, r.summary]));
  return {
    headline: true,
    workload,
    backend: ownRow?.backend ?? rows[0]?.backend ?? null,
    layers: ownRow?.layers ?? rows[0]?.layers ?? null,
    ratio_vs_pytorch_best: ratioOf(own, torchBest),
    unit: metric.unit,
    seqlearn: own ? (own.time ?? own.rate) : null,
    seqlearn_threads: ownRow?.threads ?? null,
    pytorch_best: torchBest ? (torchBest.time ?? torchBest.rate) : null,
    pytorch_best_threads: torchThreads,
    pytorch_threads_tried: [...torchBy.keys()].sort((a, b) => a - b),
    repeats,
  };
}

// ---------------------------------------------------------------------------------------------
// Machine probe: how fast the cores are right now. On a shared VM the host takes cycles from
// its guests unevenly (the same build's figures moved by 40% within an hour here), and it takes
// them more from a run on two threads than from one on one; a ratio between runs on the two
// counts is only as good as the machine was steady. The probe multiplies 512×512 matrices with
// tfjs' wasm backend (XNNPACK, one thread) for 0.4 s: once alone, then in two processes at once.

async function runProbeChild() {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  const a = tf.randomNormal([512, 512], 0, 1, 'float32', 1);
  const b = tf.randomNormal([512, 512], 0, 1, 'float32', 2);
  const product = () => tf.tidy(() => tf.matMul(a, b)).dataSync();
  for (let i = 0; i < 3; i++) product();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 400) {
    product();
    n++;
  }
  const gflops = (2 * 512 ** 3 * n) / ((performance.now() - t0) / 1000) / 1e9;
  console.log(JSON.stringify({ gflops: round(gflops, 1) }));
}

function probeOnce() {
  const args = [fileURLToPath(import.meta.url), '--probe-child'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('close', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()).gflops);
      } catch {
        resolve(null);
      }
    });
  });
}

/** One probe line: the wasm backend's 512³ product alone, then on both cores at once. */
async function probeMachine(at) {
  const alone = await probeOnce();
  const both = await Promise.all([probeOnce(), probeOnce()]);
  return { machine_probe: true, at, one_process_gflops: alone, two_processes_gflops: both };
}

/** The spread of the probes of a run, as one sentence for the headline. */
export function probeSummary(probes) {
  const alone = probes.map((p) => p.one_process_gflops).filter((v) => v != null);
  const both = probes.flatMap((p) => p.two_processes_gflops).filter((v) => v != null);
  if (!alone.length || !both.length) return null;
  const range = (v) => `${Math.min(...v)}-${Math.max(...v)}`;
  const spread = (v) => Math.round((100 * (Math.max(...v) - Math.min(...v))) / Math.max(...v));
  const worst = Math.max(spread(alone), spread(both));
  return `Machine during the run (${probes.length} probes: tfjs wasm 512³ products, one thread): ${range(alone)} GFLOP/s in one process, ${range(both)} each in two at once; spread ${worst}%${worst > 30 ? ': the host was not steady, compare runs with care' : ''}.`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) return runChild(args);
  if (args.probe) return runProbeChild();
  const backends = args.backends ?? [undefined];
  const rows = [];
  const headlines = [];
  const threadList = args.threads ?? [undefined];
  const blas = args.compareTorch ? probeTorchBlas() : null;
  if (blas) console.log(JSON.stringify(blas));
  // with --compare-torch: the machine's speed at the start and after each workload
  const probes = [];
  const probe = async (at) => {
    if (!args.compareTorch) return;
    const line = await probeMachine(at);
    probes.push(line);
    console.log(JSON.stringify(line));
  };
  await probe('start');
  for (const workload of args.workloads) {
    const metric = metricOf(workload);
    const runs = new Map(); // backend, layers and threads -> lines
    const torchRuns = [];
    for (let r = 0; r < args.repeats; r++) {
      const own = new Set();
      for (const backend of backends) {
        for (const layers of args.layers) {
          for (const threads of threadList) {
            const line = runSeqlearn(backend, layers, workload, args, threads);
            console.log(JSON.stringify(line));
            const shownLayers = line.requested === 'auto' ? `auto: ${line.layers}` : line.layers;
            const key = `${line.backend}\t${shownLayers}\t${line.threads ?? threads ?? 1}`;
            if (!runs.has(key)) runs.set(key, []);
            runs.get(key).push(line);
            own.add(line.threads ?? threads ?? 1);
          }
        }
      }
      if (args.compareTorch) {
        // PyTorch on each --threads count, else on 1 thread and seqlearn's own count(s), so that
        // its best thread count is always among those tried
        const torchThreads = args.threads ?? [...new Set([1, ...own])].sort((a, b) => a - b);
        for (const threads of torchThreads) {
          const line = runTorch(workload, threads, args);
          console.log(JSON.stringify(line));
          torchRuns.push({ ...line, threads });
        }
      }
    }
    const torchBy = new Map(); // threads -> summary (null when every run failed)
    for (const threads of new Set(torchRuns.map((l) => l.threads))) {
      torchBy.set(
        threads,
        summarize(
          workload,
          torchRuns.filter((l) => l.threads === threads),
        ),
      );
    }
    const [torchBestThreads, torchBest] = [...torchBy].reduce(
      (a, b) => (b[1] && (!a[1] || b[1].rate > a[1].rate) ? b : a),
      [null, null],
    );
    const torchError = torchRuns.find((l) => l.error)?.error;
    const workloadRows = [];
    for (const [key, lines] of runs) {
      const [backend, layers, threadText] = key.split('\t');
      const threads = Number(threadText);
      const ok = lines.filter((l) => !l.error);
      const summary = summarize(workload, lines);
      const base = {
        workload,
        backend,
        layers,
        threads,
        summary,
        peak_rss_mb: ok.length ? Math.max(...ok.map((l) => l.peak_rss_mb)) : null,
        error: ok.length ? undefined : lines[0]?.error,
      };
      if (!args.compareTorch) {
        rows.push(base);
        continue;
      }
      const torchSame = torchBy.get(threads) ?? null;
      const row = {
        ...base,
        torchSame,
        torchBest,
        torchBestThreads,
        ratio: ratioOf(summary, torchSame),
        ratio_vs_best: ratioOf(summary, torchBest),
      };
      if (!metric.time) {
        // the training workloads' ratio line, as before
        console.log(
          JSON.stringify({
            workload,
            backend,
            layers,
            threads,
            ratio_vs_pytorch: row.ratio,
            samples_per_s: summary?.rate ?? null,
            pytorch_samples_per_s: torchSame?.rate ?? null,
            ratio_vs_pytorch_best: row.ratio_vs_best,
            pytorch_best_samples_per_s: torchBest?.rate ?? null,
          }),
        );
      } else {
        console.log(
          JSON.stringify({
            workload,
            backend,
            layers,
            threads,
            ratio_vs_pytorch: row.ratio,
            [metric.time]: summary?.time ?? null,
            [`pytorch_${metric.time}`]: torchSame?.time ?? null,
            ratio_vs_pytorch_best: row.ratio_vs_best,
            [`pytorch_best_${metric.time}`]: torchBest?.time ?? null,
            pytorch_best_threads: torchBestThreads,
          }),
        );
      }
      rows.push(row);
      workloadRows.push(row);
    }
    if (args.compareTorch) {
      const groups = new Map(); // one headline per backend and layers
      for (const row of workloadRows) {
        const key = `${row.backend}\t${row.layers}`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(row);
      }
      for (const group of groups.values()) {
        const h = headline(workload, group, torchBy, args.repeats);
        if (WORKLOADS[workload].kind === 'generate' && torchBest) {
          // PyTorch computing it as generateText without carryState does: the window again for
          // every character
          const window = torchRuns.filter(
            (l) => !l.error && l.threads === torchBestThreads && l.window_ms_per_1000_chars,
          );
          if (window.length) {
            const ms = round(median(window.map((l) => l.window_ms_per_1000_chars)), 2);
            h.pytorch_best_window_ms_per_1000_chars = ms;
          }
          const carried = group.some((row) =>
            runs.get(`${row.backend}\t${row.layers}\t${row.threads}`)?.some((l) => l.carry_state),
          );
          h.note = carried
            ? 'generateText with carryState: one step per character carrying the state (createStepper), as PyTorch steps once per character carrying (h, c)'
            : `generateText feeds the last ${WORKLOADS[workload].T} characters for each new one (this build has no carryState); PyTorch steps once per character, carrying (h, c)`;
        }
        if (!torchBest && torchError) h.error = `PyTorch: ${torchError}`;
        else if (h.seqlearn === null && group[0]?.error) h.error = `seqlearn: ${group[0].error}`;
        headlines.push(h);
      }
    }
    await probe(`after ${workload}`);
  }
  if (args.compareTorch) {
    for (const h of headlines) {
      if (blas?.warning) h.pytorch_blas_warning = blas.warning;
      console.log(JSON.stringify(h));
    }
    const many = new Set(headlines.map((h) => `${h.backend}\t${h.layers}`)).size > 1;
    const head = [
      `Headline: seqlearn vs PyTorch at PyTorch's best thread count (each side at its best thread count, median of ${args.repeats} repeat${args.repeats === 1 ? '' : 's'}; above 1: seqlearn is faster; latencies: PyTorch's time / seqlearn's)`,
      '',
      ...(blas ? [blasLine(blas), ''] : []),
      ...(probeSummary(probes) ? [probeSummary(probes), ''] : []),
      `| workload${many ? ' | backend, layers' : ''} | **seqlearn vs PyTorch's best** | seqlearn (threads) | PyTorch, best thread count (threads; tried) | unit |`,
      `|---${many ? '|---' : ''}|---|---|---|---|`,
    ];
    for (const h of headlines) {
      const ratio = h.ratio_vs_pytorch_best === null ? '-' : `**${h.ratio_vs_pytorch_best}×**`;
      const own = h.seqlearn === null ? '-' : `${h.seqlearn} (${h.seqlearn_threads})`;
      const torch =
        h.pytorch_best === null
          ? `- (${h.error ?? 'no PyTorch figure'})`
          : `${h.pytorch_best} (${h.pytorch_best_threads}; ${h.pytorch_threads_tried.join(', ')})`;
      head.push(
        `| ${h.workload}${many ? ` | ${h.backend}, ${h.layers}` : ''} | ${ratio} | ${own} | ${torch} | ${h.unit} |`,
      );
    }
    for (const h of headlines) {
      if (h.note) {
        const window =
          h.pytorch_best_window_ms_per_1000_chars === undefined
            ? ''
            : `; PyTorch feeding the window again for every character takes ${h.pytorch_best_window_ms_per_1000_chars} ms/1000 chars`;
        head.push('', `${h.workload}: ${h.note}${window}.`);
      }
    }
    const lines = [
      "| workload | backend | layers | threads | ratio vs PyTorch's best thread count | seqlearn | PyTorch, best thread count (threads) | ratio, same threads | PyTorch, same threads | unit | peak RSS MB |",
      '|---|---|---|---|---|---|---|---|---|---|---|',
    ];
    for (const r of rows) {
      const unit = metricOf(r.workload).unit;
      const best = r.torchBest ? `${shown(r.torchBest)} (${r.torchBestThreads})` : '-';
      lines.push(
        `| ${r.workload} | ${r.backend} | ${r.layers} | ${r.threads ?? '-'} | ${r.ratio_vs_best ?? '-'} | ${shown(r.summary)} | ${best} | ${r.ratio ?? '-'} | ${shown(r.torchSame)} | ${unit} | ${r.peak_rss_mb ?? '-'} |`,
      );
    }
    console.error([...head, '', 'Details:', '', ...lines].join('\n'));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
