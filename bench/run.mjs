#!/usr/bin/env node
// Training-throughput benchmark of @seqlearn/rnn-models, mirroring
// ../shared/bench/torch_rnn_baseline.py (see bench/README.md). Run it with `npm run bench`.
//
//   node bench/run.mjs [--backends wasm,cpu] [--layers auto|stock|fused,...]
//                      [--workloads har-lstm,imdb-lstm] [--batches 20] [--warmup 3]
//                      [--compare-torch] [--threads N[,M]] [--repeats 1]
//
// Each (backend, layers, workload) runs in its own child process, so that `peak_rss_mb` is that run's.
// Output: one JSON object per line on stdout; with --compare-torch, the PyTorch lines and one
// ratio line per workload, backend and PyTorch thread count as well, and a Markdown table on
// stderr. `--threads 1,2` runs seqlearn (SEQLEARN_THREADS: the threads of its own kernels) and
// PyTorch once per thread count, and pairs equal counts.
import { spawnSync } from 'node:child_process';
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
};

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
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: node bench/run.mjs [--backends wasm,cpu] [--layers auto|stock|fused,...] [--workloads a,b] [--batches N] [--warmup N] [--compare-torch] [--threads N[,M]] [--repeats N] [--optimizer auto|fused|tfjs]',
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

const CELLS = { lstm: 'lstm', gru: 'gru', rnn: 'simpleRNN' };

/**
 * What `createSequenceModel` of the built package makes of `cell` with its defaults: whether the
 * recurrent layer is fused and, for a GRU, whether it resets after. A build without the factories'
 * `layerImplementation` (fused layers off by default) answers stock.
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
    const loss = (logits, labels) => tf.losses.softmaxCrossEntropy(labels, logits);
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
  const loss = (logits, labels) => tf.losses.softmaxCrossEntropy(labels, logits);
  return { model, x, y, loss };
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

function runTorch(workload, threads, args) {
  const script = join(sharedDir(), 'bench', 'torch_rnn_baseline.py');
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  if (!existsSync(script))
    return { workload, framework: 'pytorch', error: `${script} not found (set SEQLEARN_SHARED)` };
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  const res = spawnSync(
    python,
    [script, workload, '--threads', String(threads), '--batches', String(args.batches)],
    { encoding: 'utf8', env },
  );
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

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) return runChild(args);
  const backends = args.backends ?? [undefined];
  const rows = [];
  const threadList = args.threads ?? [undefined];
  for (const workload of args.workloads) {
    const runs = new Map(); // backend, layers and threads -> lines
    const torchRuns = [];
    for (let r = 0; r < args.repeats; r++) {
      const own = new Set();
      for (const backend of backends) {
        for (const layers of args.layers) {
          for (const threads of threadList) {
            const line = runSeqlearn(backend, layers, workload, args, threads);
            console.log(JSON.stringify(line));
            const shown = line.requested === 'auto' ? `auto: ${line.layers}` : line.layers;
            const key = `${line.backend}\t${shown}\t${line.threads ?? threads ?? 1}`;
            if (!runs.has(key)) runs.set(key, []);
            runs.get(key).push(line);
            own.add(line.threads ?? threads ?? 1);
          }
        }
      }
      if (args.compareTorch) {
        for (const threads of args.threads ?? [...own]) {
          const line = runTorch(workload, threads, args);
          console.log(JSON.stringify(line));
          torchRuns.push({ ...line, threads });
        }
      }
    }
    const torchBy = new Map();
    for (const threads of new Set(torchRuns.map((l) => l.threads))) {
      const ok = torchRuns.filter((l) => !l.error && l.threads === threads);
      if (ok.length) torchBy.set(threads, round(median(ok.map((l) => l.samples_per_s)), 1));
    }
    const torchBest = torchBy.size ? Math.max(...torchBy.values()) : null;
    for (const [key, lines] of runs) {
      const [backend, layers, threadText] = key.split('\t');
      const threads = Number(threadText);
      const ok = lines.filter((l) => !l.error);
      const sps = ok.length ? round(median(ok.map((l) => l.samples_per_s)), 1) : null;
      const base = {
        workload,
        backend,
        layers,
        threads,
        samples_per_s: sps,
        peak_rss_mb: ok.length ? Math.max(...ok.map((l) => l.peak_rss_mb)) : null,
      };
      if (!args.compareTorch) {
        rows.push(base);
        continue;
      }
      const torchSps = torchBy.get(threads) ?? null;
      const row = {
        ...base,
        pytorch_samples_per_s: torchSps,
        ratio: sps !== null && torchSps ? round(sps / torchSps, 3) : null,
        pytorch_best_samples_per_s: torchBest,
        ratio_vs_best: sps !== null && torchBest ? round(sps / torchBest, 3) : null,
      };
      console.log(
        JSON.stringify({
          workload,
          backend,
          layers,
          threads,
          ratio_vs_pytorch: row.ratio,
          samples_per_s: sps,
          pytorch_samples_per_s: torchSps,
          ratio_vs_pytorch_best: row.ratio_vs_best,
          pytorch_best_samples_per_s: torchBest,
        }),
      );
      rows.push(row);
    }
  }
  if (args.compareTorch) {
    const lines = [
      '| workload | backend | layers | threads (both) | seqlearn samples/s | PyTorch samples/s | ratio | PyTorch, best thread count | ratio vs best | peak RSS MB |',
      '|---|---|---|---|---|---|---|---|---|---|',
    ];
    for (const r of rows) {
      lines.push(
        `| ${r.workload} | ${r.backend} | ${r.layers} | ${r.threads ?? '-'} | ${r.samples_per_s ?? '-'} | ${r.pytorch_samples_per_s ?? '-'} | ${r.ratio ?? '-'} | ${r.pytorch_best_samples_per_s ?? '-'} | ${r.ratio_vs_best ?? '-'} | ${r.peak_rss_mb ?? '-'} |`,
      );
    }
    console.error(lines.join('\n'));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
