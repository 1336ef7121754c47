import { CliError } from './errors';
import { parseFlags, positiveInteger, type ResolvedIo } from './io';

/**
 * The training workloads of the repository's `bench/run.mjs` that fit a quick check: the UCI HAR
 * shape (128 steps of 9 features, 6 classes, batch 64) through a 64-unit LSTM, GRU and SimpleRNN
 * and a Conv1D(64, 5) → max-pool(2) → global-average-pool model.
 */
export const BENCH_WORKLOADS = ['har-lstm', 'har-gru', 'har-simplernn', 'har-conv1d'] as const;
type Workload = (typeof BENCH_WORKLOADS)[number];

const STEPS = 128;
const FEATURES = 9;
const CLASSES = 6;
const BATCH = 64;

export const BENCH_USAGE = `usage: seqlearn bench [--workloads <a,b,...>] [--batches <n>] [--warmup <n>] [--backend <name>]

Training throughput of @seqlearn/rnn-models on this machine: createSequenceModel and train on
random data of the UCI HAR shape (${STEPS} steps x ${FEATURES} features, ${CLASSES} classes, batch ${BATCH}).
Prints one JSON line per workload:
  {"workload","backend","samples_per_s","ms_per_batch","batch","threads"}
  --workloads <list>   comma-separated, from ${BENCH_WORKLOADS.join(', ')} (default: all)
  --batches <n>        timed training steps per workload (default: 5)
  --warmup <n>         untimed steps first (default: 1)
  --backend <name>     node-gpu, node, wasm or cpu (default: the fastest installed, as initBackend picks)
  -h, --help           show this help
For the full benchmark against PyTorch, see bench/ in the seqlearn repository.`;

/** `seqlearn bench`; resolves to the exit code. */
export async function benchCommand(argv: readonly string[], io: ResolvedIo): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      workloads: { type: 'string' },
      batches: { type: 'string' },
      warmup: { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    0,
  );
  if (values.help) {
    io.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const workloads = (values.workloads ?? BENCH_WORKLOADS.join(','))
    .split(',')
    .filter(Boolean) as Workload[];
  const unknown = workloads.filter((w) => !BENCH_WORKLOADS.includes(w));
  if (unknown.length > 0 || workloads.length === 0) {
    throw new CliError({
      code: 'USAGE',
      argument: '--workloads',
      message: `--workloads: expected names from ${BENCH_WORKLOADS.join(', ')}, got ${JSON.stringify(values.workloads)}`,
    });
  }
  const batches = positiveInteger('--batches', values.batches, 5);
  const warmup = positiveInteger('--warmup', values.warmup, 1, 0);
  const backends = ['node-gpu', 'node', 'wasm', 'cpu'];
  if (values.backend !== undefined && !backends.includes(values.backend)) {
    throw new CliError({
      code: 'USAGE',
      argument: '--backend',
      message: `--backend: expected one of ${backends.join(', ')}, got ${JSON.stringify(values.backend)}`,
    });
  }

  const tf = await import('@tensorflow/tfjs');
  const rnn = await import('@seqlearn/rnn-models');
  const info = await rnn.initBackend({
    backend: values.backend as 'node-gpu' | 'node' | 'wasm' | 'cpu' | undefined,
    log: false,
  });
  const threads = rnn.kernelThreads() ?? info.threads ?? null;
  for (const workload of workloads) {
    const model = rnn.createSequenceModel({
      inputShape: [STEPS, FEATURES],
      ...(workload === 'har-conv1d'
        ? {
            conv: [{ filters: 64, kernelSize: 5, activation: 'relu', pool: { size: 2 } }],
            pooling: 'globalAverage',
          }
        : { cell: CELLS[workload], units: 64 }),
      numClasses: CLASSES,
      seed: 0,
      compile: { optimizer: 'adam' },
    });
    const examples = (warmup + batches) * BATCH;
    const x = tf.randomNormal([examples, STEPS, FEATURES], 0, 1, 'float32', 1);
    const y = tf.tidy(() =>
      tf.oneHot(tf.randomUniform([examples], 0, CLASSES, 'int32', 2), CLASSES),
    );
    // Each batch's end, after its loss is read back; the timed part starts at the last warmup one.
    const ends: number[] = [];
    let start = 0;
    try {
      await rnn.train(
        model,
        { x, y },
        {
          epochs: 1,
          batchSize: BATCH,
          shuffle: false,
          seed: 0,
          verbose: 0,
          callbacks: {
            onTrainBegin: () => {
              start = performance.now();
            },
            onBatchEnd: () => {
              ends.push(performance.now());
            },
          },
        },
      );
    } finally {
      x.dispose();
      y.dispose();
      model.dispose();
    }
    const from = warmup === 0 ? start : ends[warmup - 1];
    const seconds = (ends[ends.length - 1] - from) / 1000 / batches;
    io.stdout.write(
      `${JSON.stringify({
        workload,
        backend: info.name,
        samples_per_s: round(BATCH / seconds, 1),
        ms_per_batch: round(seconds * 1000, 2),
        batch: BATCH,
        threads,
      })}\n`,
    );
  }
  return 0;
}

const CELLS = { 'har-lstm': 'lstm', 'har-gru': 'gru', 'har-simplernn': 'simpleRNN' } as const;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
