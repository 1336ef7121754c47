import * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from './errors';
import { checkOptions } from './validate';
import type { DirectKernelBackend } from './wasm/kernel-io';

/** A backend that `initBackend` can select, in its order of preference. */
export type BackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';

const ORDER: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

const PACKAGES: Record<BackendName, string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

const TF_NAMES: Record<BackendName, string> = {
  'node-gpu': 'tensorflow',
  node: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Options for `initBackend`. */
export interface InitBackendOptions {
  /**
   * The backend to use. Without it, the environment variable `SEQLEARN_BACKEND` decides, and
   * without that the first that works of `node-gpu`, `node` (each only when its package is
   * installed), `wasm`, `cpu`.
   * @default process.env.SEQLEARN_BACKEND, else automatic
   */
  backend?: BackendName;
  /**
   * Where to report the choice: `true` writes one line with `console.log`, a function receives
   * that line, `false` is silent.
   * @default true
   */
  log?: boolean | ((message: string) => void);
  /** Test hook, not part of the public API. */
  _internal?: { isInstalled?: (packageName: string) => boolean };
}

/** What `initBackend` selected. */
export interface BackendInfo {
  /** seqlearn's name for the backend. */
  name: BackendName;
  /** The name tfjs knows it by (`tf.getBackend()`): `tensorflow`, `wasm` or `cpu`. */
  tfBackend: string;
  /** The npm package that provides it. */
  package: string;
  /** Threads the backend computes on, where known (wasm and cpu). */
  threads?: number;
  /** Whether the wasm backend runs its SIMD build; absent for other backends. */
  simd?: boolean;
  /** The direct kernels seqlearn registered for this backend (see `registerDirectKernels`). */
  kernelsRegistered: string[];
  /**
   * Threads seqlearn's own wasm kernels (the fused recurrent layers, Conv1D) run on, on the wasm
   * and cpu backends; see `setKernelThreads`.
   */
  kernelThreads?: number;
  /** Whether those kernels use relaxed SIMD (fused multiply-add); see `setRelaxedSimd`. */
  relaxedSimd?: boolean;
}

type Require = ((id: string) => unknown) & { resolve(id: string): string };

const initialised = new Map<BackendName, BackendInfo>();
let nodeRequires: Promise<Require[]> | undefined;

/** `require` functions rooted at this package and at the working directory (Node only). */
function getNodeRequires(): Promise<Require[]> {
  nodeRequires ??= (async () => {
    const proc = (globalThis as { process?: NodeJS.Process }).process;
    if (!proc?.versions?.node) return [];
    type ModuleApi = typeof import('node:module');
    // Looked up at run time so that bundlers for the browser never see `node:module`.
    const specifier = 'node:module';
    const mod: ModuleApi =
      (proc as { getBuiltinModule?: (id: string) => ModuleApi }).getBuiltinModule?.(specifier) ??
      ((await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as ModuleApi);
    const requires: Require[] = [];
    for (const from of [import.meta.url, `${proc.cwd()}/noop.js`]) {
      try {
        requires.push(mod.createRequire(from) as Require);
      } catch {
        // An unusable base (a bundled `import.meta.url`, say): try the next one.
      }
    }
    return requires;
  })();
  return nodeRequires;
}

async function findPackage(packageName: string): Promise<Require | undefined> {
  for (const req of await getNodeRequires()) {
    try {
      req.resolve(packageName);
      return req;
    } catch {
      // Not resolvable from here.
    }
  }
  return undefined;
}

function readRequested(option: BackendName | undefined): BackendName | undefined {
  if (option !== undefined) {
    if (!ORDER.includes(option)) {
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: 'backend',
        message: `backend: expected one of ${ORDER.join(', ')}, got ${JSON.stringify(option)}`,
      });
    }
    return option;
  }
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  const fromEnv = proc?.env?.SEQLEARN_BACKEND?.trim();
  if (!fromEnv) return undefined;
  if (!ORDER.includes(fromEnv as BackendName)) {
    throw new RnnModelsError({
      code: 'INVALID_ARGUMENT',
      argument: 'SEQLEARN_BACKEND',
      message: `SEQLEARN_BACKEND: expected one of ${ORDER.join(', ')}, got ${JSON.stringify(fromEnv)}`,
    });
  }
  return fromEnv as BackendName;
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
const PROCESS_EVENTS: readonly ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];

type Listener = (...args: unknown[]) => void;

/**
 * The two handlers that the wasm backend's Emscripten glue (every build of tfjs-backend-wasm
 * 4.x) installs, their source without spaces and semicolons (where the builds differ). They
 * rethrow, so every later uncaught error in the application is reported against one minified
 * line of `tfjs-backend-wasm.js`, printed whole (tens of kilobytes).
 */
const EMSCRIPTEN_HANDLERS: Record<ProcessEvent, string> = {
  uncaughtException: 'function(ex){if(!(exinstanceofExitStatus)){throwex}}',
  unhandledRejection: 'function(reason){throwreason}',
};

function processListeners(): Map<ProcessEvent, Listener[]> | undefined {
  if (typeof process === 'undefined' || typeof process.listeners !== 'function') return undefined;
  const emitter = process as NodeJS.EventEmitter;
  return new Map(PROCESS_EVENTS.map((e) => [e, emitter.listeners(e) as Listener[]]));
}

/**
 * Removes the Emscripten handlers (see {@link EMSCRIPTEN_HANDLERS}) that the backend added while
 * it started, restoring Node's own reporting; the backend does not need them. Listeners of the
 * application, added before or meanwhile, are never touched: only a new listener whose source is
 * exactly Emscripten's goes.
 */
function removeBackendHandlers(before: Map<ProcessEvent, Listener[]> | undefined): void {
  if (!before) return;
  for (const event of PROCESS_EVENTS) {
    const known = new Set(before.get(event));
    for (const listener of (process as NodeJS.EventEmitter).listeners(event) as Listener[]) {
      if (known.has(listener)) continue;
      if (String(listener).replace(/[\s;]+/g, '') === EMSCRIPTEN_HANDLERS[event]) {
        process.removeListener(event, listener);
      }
    }
  }
}

/**
 * What the caller of {@link selectBackend} sets up on a freshly started wasm or cpu backend
 * (process-switches.ts: the direct kernels and the kernel thread count).
 */
export type PrepareBackend = (
  name: DirectKernelBackend,
) => Pick<BackendInfo, 'kernelsRegistered' | 'kernelThreads' | 'relaxedSimd'>;

async function activate(name: BackendName, prepare: PrepareBackend): Promise<BackendInfo> {
  const tfName = TF_NAMES[name];
  const before = processListeners();
  const ok = await tf.setBackend(tfName);
  if (!ok) throw new Error(`tf.setBackend('${tfName}') returned false`);
  await tf.ready();
  removeBackendHandlers(before);
  const known = initialised.get(name);
  if (known) return known;
  let info: BackendInfo;
  if (name === 'wasm') {
    const imported = await import('@tensorflow/tfjs-backend-wasm');
    // Native ESM import of the CommonJS build may put the API under `default`.
    const wasm =
      typeof imported.getThreadsCount === 'function'
        ? imported
        : (imported as unknown as { default: typeof imported }).default;
    info = {
      name,
      tfBackend: tfName,
      package: PACKAGES[name],
      threads: wasm.getThreadsCount(),
      simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
      ...prepare(name),
    };
  } else if (name === 'cpu') {
    info = {
      name,
      tfBackend: tfName,
      package: PACKAGES[name],
      threads: 1,
      ...prepare(name),
    };
  } else {
    info = { name, tfBackend: tfName, package: PACKAGES[name], kernelsRegistered: [] };
  }
  initialised.set(name, info);
  return info;
}

async function load(
  name: BackendName,
  isInstalled: ((packageName: string) => boolean) | undefined,
): Promise<'absent' | undefined> {
  const pkg = PACKAGES[name];
  if (name === 'cpu') return undefined;
  if (name === 'wasm') {
    if (isInstalled && !isInstalled(pkg)) return 'absent';
    await import('@tensorflow/tfjs-backend-wasm');
    return undefined;
  }
  if (isInstalled ? !isInstalled(pkg) : false) return 'absent';
  const req = await findPackage(pkg);
  if (!req) return 'absent';
  if (!tf.findBackend('tensorflow')) req(pkg); // registers the `tensorflow` backend
  return undefined;
}

function describe(info: BackendInfo): string {
  const details = [info.package];
  if (info.simd !== undefined) details.push(info.simd ? 'SIMD' : 'no SIMD');
  if (info.threads !== undefined) {
    details.push(`${info.threads} thread${info.threads === 1 ? '' : 's'}`);
  }
  if (info.kernelsRegistered.length > 0) {
    details.push(`direct kernels: ${info.kernelsRegistered.join(', ')}`);
  }
  if (info.kernelThreads !== undefined) {
    details.push(
      `seqlearn kernels on ${info.kernelThreads} thread${info.kernelThreads === 1 ? '' : 's'}${info.relaxedSimd ? ', relaxed SIMD' : ''}`,
    );
  }
  return `seqlearn: using the ${info.name} backend (${details.join('; ')})`;
}

/**
 * The work of `initBackend` (process-switches.ts, which documents it): loads and selects a
 * backend, and hands a freshly started wasm or cpu backend to `prepare`.
 */
export async function selectBackend(
  options: InitBackendOptions,
  prepare: PrepareBackend,
): Promise<BackendInfo> {
  // initBackend('wasm') would otherwise destructure a string and pick a backend by itself
  checkOptions(options);
  const { backend, log = true, _internal } = options;
  const requested = readRequested(backend);
  const candidates = requested ? [requested] : ORDER;
  const notes: string[] = [];
  for (const name of candidates) {
    let info: BackendInfo;
    try {
      const absent = await load(name, _internal?.isInstalled);
      if (absent) {
        if (requested) {
          throw new RnnModelsError({
            code: 'BACKEND_NOT_INSTALLED',
            argument: backend === undefined ? 'SEQLEARN_BACKEND' : 'backend',
            message: `backend '${name}' needs ${PACKAGES[name]}, which is not installed: run \`npm i ${PACKAGES[name]}\``,
          });
        }
        continue;
      }
      const switching = tf.getBackend() !== TF_NAMES[name] || !initialised.has(name);
      info = await activate(name, prepare);
      if (!switching) return info;
    } catch (error) {
      if (RnnModelsError.isInstance(error)) throw error;
      if (requested) {
        throw new RnnModelsError({
          code: 'BACKEND_INIT_FAILED',
          argument: backend === undefined ? 'SEQLEARN_BACKEND' : 'backend',
          message: `backend '${name}' (${PACKAGES[name]}) is installed but failed to start: ${String(error)}`,
          cause: error,
        });
      }
      notes.push(`${name} failed to start (${String(error)})`);
      continue;
    }
    const line = describe(info) + (notes.length > 0 ? `; ${notes.join('; ')}` : '');
    if (log === true) console.log(line);
    else if (typeof log === 'function') log(line);
    return info;
  }
  // Unreachable: cpu always loads.
  throw new RnnModelsError({ code: 'BACKEND_INIT_FAILED', message: 'no tfjs backend started' });
}
