import { RnnModelsError } from '../errors';
import type { WasmExportName } from './wasm-exports';

// Worker threads that run the wasm kernels on the same shared memory as the calling thread, for a
// synchronous fork-join: the caller hands each worker one kernel call (export name and numeric
// arguments), runs its own share, then blocks in Atomics.wait until every worker is done. Given
// more calls than threads, it puts them in a shared queue instead, from which every thread (the
// caller included) takes the next call until none is left: a thread that runs slower (a core the
// host gives fewer cycles, a worker woken late) then takes fewer calls instead of holding up the
// others. tfjs'
// gradient functions are synchronous, so nothing here may await; Node allows Atomics.wait on its
// main thread, and the kernels hold no state between calls, so any instance can run any part.

/** The part of `node:worker_threads` used here (the package compiles without Node's types). */
interface WorkerThreadsModule {
  Worker: new (
    code: string,
    options: { eval: true; workerData: unknown; execArgv: string[] },
  ) => WorkerHandle;
}
interface WorkerHandle {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error' | 'exit', listener: () => void): void;
}

declare const process:
  | {
      getBuiltinModule?: (id: string) => unknown;
      env?: Record<string, string | undefined>;
    }
  | undefined;
declare const require: ((id: string) => unknown) | undefined;

const IDLE = 0;
const BUSY = 1;
const EXIT = 2;
/** Int32 slots per worker: state, export index, argument count, failed flag, message length,
 * readiness (0 starting, 1 ready, -1 failed to start). */
const HEADER_INTS = 8;
const MAX_ARGS = 24;
const MESSAGE_BYTES = 512;
const SLOT_BYTES = HEADER_INTS * 4 + MAX_ARGS * 8 + MESSAGE_BYTES;
/** The most calls the shared queue holds at once (more run in rounds of this many). */
export const QUEUE_CAPACITY = 64;
/** Float64 slots per queued call: export index, argument count, the arguments. */
const QUEUE_CALL = 2 + MAX_ARGS;
/** The queue: Int32 next call and call count (padded to 8 bytes each), then the calls. */
const QUEUE_BYTES = 16 + QUEUE_CAPACITY * QUEUE_CALL * 8;
/** `head[1]` of a worker told to take calls from the queue rather than its own slot. */
const FROM_QUEUE = -1;
/**
 * How long a thread busy-waits for the other side before it sleeps in Atomics.wait: waking a
 * sleeping thread took 0.2-0.5 ms on the 2-core VM measured (a round trip of an empty call: 200 µs
 * asleep, under 5 µs spinning), about the cost of a whole small kernel.
 */
const SPIN_MS = 2;
/** A worker that has not started after this long is given up on (it normally takes ~50 ms). */
const START_TIMEOUT_MS = 20_000;

// Runs inside each worker (CommonJS, eval'd): instantiate the module on the shared memory, then
// serve calls until told to exit. Never returns to the event loop while serving.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, offset, queueOffset, names } = workerData;
const head = new Int32Array(control, offset, ${HEADER_INTS});
const queueHead = new Int32Array(control, queueOffset, 4);
const queue = new Float64Array(control, queueOffset + 16, ${QUEUE_CAPACITY * QUEUE_CALL});
const args = new Float64Array(control, offset + ${HEADER_INTS * 4}, ${MAX_ARGS});
const message = new Uint8Array(control, offset + ${HEADER_INTS * 4 + MAX_ARGS * 8}, ${MESSAGE_BYTES});
let kernels;
try {
  kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
  Atomics.store(head, 5, 1);
} catch {
  Atomics.store(head, 5, -1);
}
Atomics.notify(head, 5);
while (kernels) {
  // spin a little before sleeping: waking a sleeping thread costs 0.2-0.5 ms on a VM, and a
  // training step calls the kernels every few milliseconds
  const until = performance.now() + ${SPIN_MS};
  for (let i = 1; Atomics.load(head, 0) === ${IDLE}; i++) {
    if ((i & 1023) === 0 && performance.now() > until) {
      Atomics.wait(head, 0, ${IDLE});
      break;
    }
  }
  const state = Atomics.load(head, 0);
  if (state === ${EXIT}) break;
  if (state !== ${BUSY}) continue;
  try {
    if (head[1] === ${FROM_QUEUE}) {
      // take the next queued call until none is left
      const count = Atomics.load(queueHead, 2);
      for (let i = Atomics.add(queueHead, 0, 1); i < count; i = Atomics.add(queueHead, 0, 1)) {
        const at = i * ${QUEUE_CALL};
        kernels[names[queue[at]]](...queue.subarray(at + 2, at + 2 + queue[at + 1]));
      }
    } else {
      kernels[names[head[1]]](...args.subarray(0, head[2]));
    }
    head[3] = 0;
  } catch (error) {
    const bytes = new TextEncoder().encode(String(error && error.message || error));
    const n = Math.min(bytes.length, ${MESSAGE_BYTES});
    message.set(bytes.subarray(0, n));
    head[4] = n;
    head[3] = 1;
  }
  Atomics.store(head, 0, ${IDLE});
  Atomics.notify(head, 0);
}
`;

/** One kernel call: the export's name and its numeric arguments (byte offsets and sizes). */
export interface KernelCall {
  name: WasmExportName;
  args: readonly number[];
}

/** Whether workers can be had here, once known (see KernelThreads.available). */
let availability: boolean | undefined;

/** A Node built-in module, loaded synchronously; null outside Node (or when it cannot load). */
function nodeBuiltin<T>(id: string): T | null {
  try {
    if (typeof process !== 'undefined' && typeof process?.getBuiltinModule === 'function') {
      return (process.getBuiltinModule(id) as T) ?? null;
    }
    if (typeof require === 'function') return require(id) as T;
  } catch {
    // not Node, or the module is disabled: the kernels run on the calling thread
  }
  return null;
}

/**
 * A fixed set of worker threads that run kernel calls on a shared wasm memory, synchronously
 * with the calling thread. Started by the kernel module on its first parallel call.
 */
export class KernelThreads {
  /** Threads that run a {@link KernelThreads.run}, the calling one included. */
  readonly size: number;
  private readonly workers: WorkerHandle[] = [];
  private readonly heads: Int32Array[] = [];
  private readonly args: Float64Array[] = [];
  private readonly messages: Uint8Array[] = [];
  private readonly index = new Map<string, number>();
  /** The shared queue's next call and call count (Int32 0 and 2), and its calls. */
  private readonly queueHead: Int32Array;
  private readonly queue: Float64Array;

  private constructor(
    threads: number,
    module: object,
    memory: object,
    names: readonly string[],
    workerThreads: WorkerThreadsModule,
  ) {
    for (const [i, name] of names.entries()) this.index.set(name, i);
    const workers = threads - 1;
    const queueOffset = Math.max(1, workers) * SLOT_BYTES;
    const control = new SharedArrayBuffer(queueOffset + QUEUE_BYTES);
    this.queueHead = new Int32Array(control, queueOffset, 4);
    this.queue = new Float64Array(control, queueOffset + 16, QUEUE_CAPACITY * QUEUE_CALL);
    for (let w = 0; w < workers; w++) {
      const offset = w * SLOT_BYTES;
      this.heads.push(new Int32Array(control, offset, HEADER_INTS));
      this.args.push(new Float64Array(control, offset + HEADER_INTS * 4, MAX_ARGS));
      this.messages.push(
        new Uint8Array(control, offset + HEADER_INTS * 4 + MAX_ARGS * 8, MESSAGE_BYTES),
      );
      // execArgv: [] so that flags meant for the main script (e.g. --input-type=module) cannot
      // turn the CommonJS worker source into something else
      const worker = new workerThreads.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control, offset, queueOffset, names },
        execArgv: [],
      });
      const head = this.heads[w] as Int32Array;
      // a worker that dies between calls is marked so, and ready() then drops the pool (these
      // listeners run on the event loop, so they cannot help a caller already waiting on it)
      const lost = () => {
        Atomics.store(head, 5, -1);
        Atomics.store(head, 0, IDLE);
        Atomics.notify(head, 0);
      };
      worker.on('error', lost);
      worker.on('exit', lost);
      // the workers must never keep a finished program alive
      worker.unref();
      this.workers.push(worker);
    }
    this.size = threads;
  }

  /** Whether workers can be had here (Node's `worker_threads` and `SharedArrayBuffer`). */
  static available(): boolean {
    // asked on every share-out (FusedWasm.threads): looked up once
    availability ??=
      typeof SharedArrayBuffer !== 'undefined' &&
      nodeBuiltin<WorkerThreadsModule>('node:worker_threads') !== null;
    return availability;
  }

  /**
   * Starts `threads - 1` workers over `memory` (a shared WebAssembly.Memory) running `module`;
   * null where workers are not available (browsers, or Node without `worker_threads`).
   */
  static start(
    threads: number,
    module: object,
    memory: object,
    names: readonly string[],
  ): KernelThreads | null {
    if (threads < 2 || typeof SharedArrayBuffer === 'undefined') return null;
    const workerThreads = nodeBuiltin<WorkerThreadsModule>('node:worker_threads');
    if (!workerThreads) return null;
    try {
      return new KernelThreads(threads, module, memory, names, workerThreads);
    } catch {
      return null;
    }
  }

  /**
   * Waits until every worker has instantiated the module; false when one failed to start, did
   * not start in time or has died since (the caller then runs everything itself). Checked before
   * every call, so a worker lost between calls is never handed work.
   */
  ready(): boolean {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (const head of this.heads) {
      while (Atomics.load(head, 5) === 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        Atomics.wait(head, 5, 0, left);
      }
      if (Atomics.load(head, 5) !== 1) return false;
    }
    return true;
  }

  /** The export index of `call`, after checking its name and argument count. */
  private exportIndex(call: KernelCall): number {
    const id = this.index.get(call.name);
    if (id === undefined || call.args.length > MAX_ARGS) {
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: 'calls',
        message: `kernel threads: no kernel "${call.name}" taking ${call.args.length} arguments`,
      });
    }
    return id;
  }

  /**
   * Runs `calls` at once and returns when all are done. Up to {@link KernelThreads.size} calls:
   * the first on the calling thread through `local`, one on each worker. More (at most
   * {@link QUEUE_CAPACITY}): every thread, the calling one included, takes the next call from a
   * shared queue until none is left. Call {@link KernelThreads.ready} first.
   */
  run(
    calls: readonly KernelCall[],
    local: Readonly<Record<WasmExportName, (...args: readonly number[]) => void>>,
  ): void {
    if (calls.length > QUEUE_CAPACITY) {
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: 'calls',
        message: `kernel threads: ${calls.length} calls at once; expected at most ${QUEUE_CAPACITY}`,
      });
    }
    const queued = calls.length > this.size;
    const workers = queued ? this.heads.length : calls.length - 1;
    if (queued) {
      for (const [i, call] of calls.entries()) {
        const at = i * QUEUE_CALL;
        this.queue[at] = this.exportIndex(call);
        this.queue[at + 1] = call.args.length;
        this.queue.set(call.args, at + 2);
      }
      Atomics.store(this.queueHead, 2, calls.length);
      Atomics.store(this.queueHead, 0, 0);
    }
    for (let i = 1; i <= workers; i++) {
      const head = this.heads[i - 1] as Int32Array;
      if (queued) head[1] = FROM_QUEUE;
      else {
        const call = calls[i] as KernelCall;
        head[1] = this.exportIndex(call);
        head[2] = call.args.length;
        (this.args[i - 1] as Float64Array).set(call.args);
      }
      head[3] = 0;
      Atomics.store(head, 0, BUSY);
      Atomics.notify(head, 0);
    }
    let failure: unknown = null;
    try {
      if (queued) {
        const next = () => Atomics.add(this.queueHead, 0, 1);
        for (let i = next(); i < calls.length; i = next()) {
          const call = calls[i] as KernelCall;
          local[call.name](...call.args);
        }
      } else if (calls[0]) {
        local[calls[0].name](...calls[0].args);
      }
    } catch (error) {
      failure = error;
    }
    const messages: string[] = [];
    for (let i = 1; i <= workers; i++) {
      const head = this.heads[i - 1] as Int32Array;
      const until = performance.now() + SPIN_MS;
      for (let spin = 1; Atomics.load(head, 0) === BUSY; spin++) {
        if ((spin & 1023) === 0 && performance.now() > until) {
          while (Atomics.load(head, 0) === BUSY) Atomics.wait(head, 0, BUSY);
        }
      }
      if (head[3]) {
        const bytes = (this.messages[i - 1] as Uint8Array).slice(0, head[4] ?? 0);
        const what = queued ? 'a queued call' : (calls[i] as KernelCall).name;
        messages.push(`${what} on worker ${i}: ${new TextDecoder().decode(bytes)}`);
      }
    }
    if (failure || messages.length > 0) {
      throw new RnnModelsError({
        code: 'KERNEL_FAILED',
        message: `wasm kernel failed: ${[failure ? String((failure as Error).message ?? failure) : null, ...messages].filter(Boolean).join('; ')}`,
        cause: failure ?? undefined,
      });
    }
  }

  /** Stops the workers. */
  close(): void {
    for (const head of this.heads) {
      Atomics.store(head, 0, EXIT);
      Atomics.notify(head, 0);
    }
    for (const worker of this.workers) void worker.terminate();
    this.workers.length = 0;
  }
}

/**
 * The number of threads the kernels use by default: `SEQLEARN_THREADS` when set, otherwise the
 * number of cores (`os.availableParallelism()`), at most 8.
 */
export function defaultKernelThreads(): number {
  const fromEnv = typeof process !== 'undefined' ? process?.env?.SEQLEARN_THREADS : undefined;
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 1) {
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: 'SEQLEARN_THREADS',
        message: `SEQLEARN_THREADS must be a whole number of threads >= 1; got "${fromEnv}"`,
      });
    }
    return n;
  }
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  const cores = os ? (os.availableParallelism?.() ?? os.cpus().length) : 1;
  return Math.max(1, Math.min(8, cores));
}
