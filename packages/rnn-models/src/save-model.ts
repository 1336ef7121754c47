import * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from './errors';
import { withLayerClassesAsync } from './layer-implementation';
import { argumentError, checkOptions } from './validate';

/** Options for {@link saveModel}. */
export interface SaveModelOptions {
  /**
   * Plain-JSON state to keep with the model, such as the preprocessing (an alphabet's or a
   * tokenizer's `toJSON()`, a scaler's mean and scale), written to `extra.<save id>.json`, which
   * `model.json` names, and read back by {@link loadExtra}. It belongs to this save: a later save
   * without `extra` leaves none. @default none
   */
  extra?: unknown;
}

/** Options for {@link loadModel}. */
export interface LoadModelOptions {
  /**
   * Which layers to build for the Keras classes `LSTM`, `GRU` and `SimpleRNN`: `'auto'` builds
   * {@link FusedLSTM}, {@link FusedGRU} and {@link FusedSimpleRNN} where the saved config allows
   * it (as the factories do, so a factory-built model predicts exactly as before it was saved)
   * and the stock tfjs layers otherwise; `'stock'` always builds the tfjs layers (a GRU saved
   * with `resetAfter: true` then fails to load). @default 'auto'
   */
  layerImplementation?: 'auto' | 'stock';
}

/** What {@link saveModel} wrote. */
export interface SavedModelInfo {
  /** Absolute paths written, model.json last. */
  files: string[];
  /** Bytes of weights. */
  weightBytes: number;
}

const MODEL_JSON = 'model.json';
/** Where versions before `model.json`'s `seqlearn.extra` pointer kept `extra`; still read. */
const LEGACY_EXTRA_JSON = 'extra.json';
const LOCK_FILE = '.seqlearn-save.lock';
/** A save touches its lock file this often; a lock nobody touched for LOCK_STALE_MS is stale. */
const LOCK_REFRESH_MS = 5_000;
const LOCK_STALE_MS = 60_000;
const WEIGHTS_NAME = /^weights\.[0-9a-f]{16}\.bin$/;
const EXTRA_NAME = /^extra\.[0-9a-f]{12}\.json$/;
/** Temporary files of {@link writeAtomic} for every name a save writes. */
const TEMP_NAME =
  /^(?:model\.json|extra\.json|extra\.[0-9a-f]{12}\.json|weights\.[0-9a-f]{16}\.bin)\.[0-9a-f]{12}\.tmp$/;
const BROKEN_LOCK_NAME = /^\.seqlearn-save\.lock\.[0-9a-f]{12}\.stale$/;
/** How often a reader starts over when a save replaced the model while it read. */
const READ_ATTEMPTS = 5;

type NodeModules = Awaited<ReturnType<typeof nodeModules>>;

async function nodeModules() {
  try {
    const [fs, path, crypto, os] = await Promise.all([
      import('node:fs/promises'),
      import('node:path'),
      import('node:crypto'),
      import('node:os'),
    ]);
    return { fs, path, crypto, os };
  } catch (cause) {
    throw new RnnModelsError({
      code: 'INVALID_ARGUMENT',
      argument: 'dir',
      message:
        'saveModel/loadModel: expected a Node.js file system, got none (in a browser use model.save with indexeddb://)',
      cause,
    });
  }
}

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;

function ioError(message: string, cause: unknown, argument?: string): RnnModelsError {
  return new RnnModelsError({
    code: 'IO_ERROR',
    argument,
    message: `${message} (${messageOf(cause)})`,
    cause,
  });
}

function modelFileError(message: string, cause?: unknown): RnnModelsError {
  return new RnnModelsError({ code: 'INVALID_MODEL_FILE', message, cause });
}

/** Writes `data` to `file` atomically: a temporary file in the same folder, then a rename. */
async function writeAtomic(
  { fs, crypto }: NodeModules,
  file: string,
  data: string | Uint8Array,
): Promise<void> {
  const temp = `${file}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw ioError(`saveModel: could not write ${file}`, error);
  }
}

function joinWeights(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/** Saves waiting for one folder, by resolved path: each starts when the one before settled. */
const queues = new Map<string, Promise<void>>();

async function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  try {
    return await run;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) === 'EPERM';
  }
}

/**
 * Takes the folder's lock file (created with O_EXCL, so one save at a time across processes),
 * waiting while another live save holds it. A lock is stale, and broken, when it names a process
 * on this host that is gone, or when nobody touched it for {@link LOCK_STALE_MS} (a save touches
 * its lock every {@link LOCK_REFRESH_MS}).
 */
async function acquireLock(node: NodeModules, folder: string): Promise<() => Promise<void>> {
  const { fs, path, crypto, os } = node;
  const file = path.join(folder, LOCK_FILE);
  const content = JSON.stringify({
    pid: process.pid,
    host: os.hostname(),
    token: crypto.randomBytes(8).toString('hex'),
    since: new Date().toISOString(),
  });
  let wait = 10;
  for (;;) {
    try {
      await fs.writeFile(file, content, { flag: 'wx' });
      break;
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') {
        throw ioError(`saveModel: could not create the lock file ${file}`, error, 'dir');
      }
    }
    let seen: { text: string; mtimeMs: number };
    try {
      const { mtimeMs } = await fs.stat(file);
      seen = { text: await fs.readFile(file, 'utf8'), mtimeMs };
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') continue; // released meanwhile
      throw ioError(`saveModel: could not read the lock file ${file}`, error, 'dir');
    }
    let holder: { pid?: unknown; host?: unknown } | undefined;
    try {
      holder = JSON.parse(seen.text);
    } catch {
      holder = undefined; // being written, or written by a save that died before it could
    }
    const dead =
      isObject(holder) &&
      typeof holder.pid === 'number' &&
      holder.host === os.hostname() &&
      !processAlive(holder.pid);
    if (dead || Date.now() - seen.mtimeMs > LOCK_STALE_MS) {
      await breakLock(node, file, seen.text);
    } else {
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 200);
    }
  }
  const timer = setInterval(() => {
    const now = new Date();
    fs.utimes(file, now, now).catch(() => undefined);
  }, LOCK_REFRESH_MS);
  timer.unref?.();
  return async () => {
    clearInterval(timer);
    // only this save's lock: one that judged it stale may have taken the folder since
    if ((await fs.readFile(file, 'utf8').catch(() => undefined)) === content) {
      await fs.rm(file, { force: true }).catch(() => undefined);
    }
  };
}

/** Moves a stale lock aside (one process wins the rename) and deletes it. */
async function breakLock({ fs, crypto }: NodeModules, file: string, stale: string) {
  const aside = `${file}.${crypto.randomBytes(6).toString('hex')}.stale`;
  try {
    await fs.rename(file, aside);
  } catch {
    return; // released or broken by another process meanwhile
  }
  if ((await fs.readFile(aside, 'utf8').catch(() => undefined)) !== stale) {
    // a fresh lock taken since we looked: put it back unless yet another one is there
    await fs.link(aside, file).catch(() => undefined);
  }
  await fs.rm(aside, { force: true }).catch(() => undefined);
}

/** `relative` resolved in `folder`, or undefined when it is absolute or leads outside. */
function inside({ path }: NodeModules, folder: string, relative: string): string | undefined {
  if (relative.length === 0 || path.isAbsolute(relative)) return undefined;
  const file = path.resolve(folder, relative);
  const rel = path.relative(folder, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return file;
}

/** The files of the folder's current model.json that a new save may delete; none when unreadable. */
async function currentFiles(node: NodeModules, folder: string): Promise<Set<string>> {
  const files = new Set<string>();
  try {
    const json = JSON.parse(await node.fs.readFile(node.path.join(folder, MODEL_JSON), 'utf8'));
    const names: unknown[] = [json?.seqlearn?.extra];
    if (Array.isArray(json?.weightsManifest)) {
      for (const group of json.weightsManifest) {
        if (Array.isArray(group?.paths)) names.push(...group.paths);
      }
    }
    for (const name of names) {
      const file = typeof name === 'string' ? inside(node, folder, name) : undefined;
      if (file && node.path.dirname(file) === folder) files.add(file);
    }
  } catch {
    // no model there, or one this save replaces without knowing its files
  }
  return files;
}

/**
 * After the commit: deletes what no model uses any more: files of the model replaced, weights and
 * extra files of earlier saves, temporary files of saves killed midway, a pre-pointer `extra.json`.
 * Runs under the folder's lock, so no save of this package is writing there meanwhile.
 */
async function removeStale(
  node: NodeModules,
  folder: string,
  keep: Set<string>,
  replaced: Set<string>,
) {
  const names = await node.fs.readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const file = node.path.join(folder, name);
    if (keep.has(file) || name === MODEL_JSON || name === LOCK_FILE) continue;
    if (
      replaced.has(file) ||
      WEIGHTS_NAME.test(name) ||
      EXTRA_NAME.test(name) ||
      TEMP_NAME.test(name) ||
      BROKEN_LOCK_NAME.test(name) ||
      name === LEGACY_EXTRA_JSON
    ) {
      await node.fs.rm(file, { force: true }).catch(() => undefined);
    }
  }
}

/**
 * Saves a tfjs-layers model into a folder on the file system with the pure-JS backends (no
 * `@tensorflow/tfjs-node` needed), in the layout `tf.loadLayersModel('file://…/model.json')` reads:
 * `model.json` (topology, weight manifest, training config) and the weights in
 * `weights.<hash>.bin`; `extra` goes to `extra.<save id>.json`, which `model.json` names in its
 * `seqlearn` field (tfjs ignores it).
 *
 * A save is all or nothing: the weights and extra are written under new names (each to a temporary
 * file, then renamed), then `model.json` is replaced (the commit), and only then are the files of
 * the model it replaced deleted, with what earlier saves killed midway left behind. So the folder
 * always holds one whole model, the old one with its extra or the new one with its own, even when
 * a save fails. Saves into one folder run one at a time: in this process in call order, and
 * across processes through a lock file (`.seqlearn-save.lock`, created exclusively, removed after
 * the save; a lock left by a process that died, or untouched for a minute, is broken).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createRnnClassifier, loadModel, saveModel } from '@seqlearn/rnn-models';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * await tf.setBackend('cpu');
 * const dir = mkdtempSync(join(tmpdir(), 'model-'));
 * const model = createRnnClassifier({ cell: 'gru', units: 4, inputShape: [3, 2], numClasses: 2, seed: 1 });
 * await saveModel(model, dir, { extra: { alphabet: 'ab' } });
 * const again = await loadModel(dir);
 * console.log(again.countParams() === model.countParams()); // true
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when `model` is not a tfjs LayersModel, `dir` is not
 * a string, `options` is not an object or there is no file system, or when `extra` is not plain
 * JSON (nothing is written then); `IO_ERROR` naming the path
 * when the file system refuses (the folder cannot be created, a parent is a file, no space, no
 * permission), with the system error as `cause`: the folder then still holds the model it held.
 */
export async function saveModel(
  model: tf.LayersModel,
  dir: string,
  options: SaveModelOptions = {},
): Promise<SavedModelInfo> {
  if (
    typeof model !== 'object' ||
    model === null ||
    typeof (model as Partial<tf.LayersModel>).save !== 'function'
  ) {
    argumentError('model', 'a tf.LayersModel (with a save method)', model);
  }
  if (typeof dir !== 'string' || dir.length === 0) argumentError('dir', 'a folder path', dir);
  checkOptions(options);
  const { extra } = options;
  let extraText: string | undefined;
  if (extra !== undefined) {
    try {
      extraText = JSON.stringify(extra, null, 2);
    } catch (cause) {
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: 'extra',
        message: `extra: expected plain JSON, got a value JSON.stringify refuses (${messageOf(cause)})`,
        cause,
      });
    }
    if (typeof extraText !== 'string') {
      argumentError('extra', 'plain JSON (object, array, string, number, boolean or null)', extra);
    }
  }
  const node = await nodeModules();
  const folder = node.path.resolve(dir);
  return serialised(folder, async () => {
    try {
      await node.fs.mkdir(folder, { recursive: true });
    } catch (cause) {
      throw ioError(`saveModel: could not create the folder ${folder}`, cause, 'dir');
    }
    const release = await acquireLock(node, folder);
    try {
      return await writeModel(node, model, folder, extraText);
    } finally {
      await release();
    }
  });
}

async function writeModel(
  node: NodeModules,
  model: tf.LayersModel,
  folder: string,
  extraText: string | undefined,
): Promise<SavedModelInfo> {
  const { fs, path, crypto } = node;
  const replaced = await currentFiles(node, folder);
  const files: string[] = [];
  let weightBytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = joinWeights(artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined);
      weightBytes = weights.byteLength;
      const hash = crypto.createHash('sha256').update(weights).digest('hex').slice(0, 16);
      const weightsName = `weights.${hash}.bin`;
      const extraName =
        extraText === undefined ? null : `extra.${crypto.randomBytes(6).toString('hex')}.json`;
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata
          ? { userDefinedMetadata: artifacts.userDefinedMetadata }
          : {}),
        weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs ?? [] }],
        seqlearn: { extra: extraName },
      };
      const written: string[] = [];
      const modelPath = path.join(folder, MODEL_JSON);
      try {
        await writeAtomic(node, path.join(folder, weightsName), weights);
        written.push(path.join(folder, weightsName));
        if (extraName !== null) {
          await writeAtomic(node, path.join(folder, extraName), extraText as string);
          written.push(path.join(folder, extraName));
        }
        await writeAtomic(node, modelPath, JSON.stringify(modelJson));
      } catch (error) {
        // not committed: the old model.json still rules; drop what it does not use
        for (const file of written) {
          if (!replaced.has(file)) await fs.rm(file, { force: true }).catch(() => undefined);
        }
        throw error;
      }
      files.push(...written, modelPath);
      await removeStale(node, folder, new Set(files), replaced);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return { files, weightBytes };
}

interface ModelJson {
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: tf.io.TrainingConfig;
  userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
  seqlearn?: { extra?: unknown };
}

interface ModelFiles {
  modelPath: string;
  json: ModelJson;
  specs: tf.io.WeightsManifestEntry[];
  weights: ArrayBuffer;
}

/** Reads `dir`'s model.json as text, or throws the typed error for a folder without one. */
async function readModelJsonText(node: NodeModules, folder: string, dir: string) {
  const modelPath = node.path.join(folder, MODEL_JSON);
  await regularFileSize(node, modelPath, modelPath);
  try {
    return { modelPath, text: await node.fs.readFile(modelPath, 'utf8') };
  } catch (cause) {
    const code = errnoOf(cause);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const stat = await node.fs.stat(folder).catch(() => undefined);
      const why = !stat
        ? 'the folder does not exist'
        : stat.isDirectory()
          ? 'the folder has no model.json'
          : 'it is not a folder';
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: 'dir',
        message: `dir: expected a folder with a model.json, got ${JSON.stringify(dir)} (${why})`,
        cause,
      });
    }
    if (code === 'EISDIR') throw modelFileError(`${modelPath} is a folder, not a file`, cause);
    throw ioError(`loadModel: could not read ${modelPath}`, cause);
  }
}

const isSpec = (spec: unknown): spec is tf.io.WeightsManifestEntry =>
  isObject(spec) &&
  typeof spec.name === 'string' &&
  typeof spec.dtype === 'string' &&
  Array.isArray(spec.shape) &&
  spec.shape.every((d) => Number.isInteger(d) && d >= 0);

/** `JSON.parse` of a file's text, or `INVALID_MODEL_FILE` naming the file. */
function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw modelFileError(
      `${file}: expected JSON, got text that does not parse (${messageOf(cause)})`,
      cause,
    );
  }
}

function parseModelJson(text: string, modelPath: string): ModelJson {
  const json = parseJsonFile(text, modelPath);
  if (!isObject(json))
    throw modelFileError(`${modelPath}: expected a JSON object, got ${kindOf(json)}`);
  if (!isObject(json.modelTopology)) {
    throw modelFileError(
      `${modelPath}: expected a modelTopology object (the layers), got ${kindOf(json.modelTopology)}`,
    );
  }
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) {
    throw modelFileError(
      `${modelPath}: expected weightsManifest to be a list, got ${kindOf(manifest)}`,
    );
  }
  manifest.forEach((group, i) => {
    const ok =
      isObject(group) &&
      Array.isArray(group.paths) &&
      group.paths.every((p) => typeof p === 'string') &&
      Array.isArray(group.weights) &&
      group.weights.every(isSpec);
    if (!ok) {
      throw modelFileError(
        `${modelPath}: expected weightsManifest[${i}] to be { paths: string[], weights: { name, shape, dtype }[] }, got ${JSON.stringify(group).slice(0, 200)}`,
      );
    }
  });
  return { ...json, weightsManifest: manifest } as ModelJson;
}

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Bytes `specs` take in a weights file; undefined when a string weight makes it variable. */
function specBytes(specs: tf.io.WeightsManifestEntry[], modelPath: string): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    if (dtype === 'string') return undefined;
    const bytes = BYTES_PER_ELEMENT[dtype];
    if (bytes === undefined) {
      throw modelFileError(`${modelPath}: weight ${spec.name} has an unknown dtype '${dtype}'`);
    }
    total += bytes * spec.shape.reduce((p, d) => p * d, 1);
  }
  return total;
}

/**
 * The file `name` (from `modelPath`) points at, refused when it is absolute, leads outside the
 * folder or is a link to a file outside it. `realFolder` is the folder with links resolved.
 */
async function fileInFolder(
  node: NodeModules,
  folder: string,
  realFolder: string,
  name: string,
  modelPath: string,
  what: string,
): Promise<string> {
  const file = inside(node, folder, name);
  if (file === undefined) {
    throw modelFileError(
      `${modelPath}: ${what} path ${JSON.stringify(name)} resolves outside the model folder ${folder}; only files inside it are read`,
    );
  }
  const real = await node.fs.realpath(file).catch(() => file);
  if (inside(node, realFolder, node.path.relative(realFolder, real)) === undefined) {
    throw modelFileError(
      `${modelPath}: ${what} path ${JSON.stringify(name)} is a link to ${real}, outside the model folder ${folder}; only files inside it are read`,
    );
  }
  return file;
}

async function readWeights(
  node: NodeModules,
  folder: string,
  json: ModelJson,
  modelPath: string,
): Promise<{ specs: tf.io.WeightsManifestEntry[]; weights: ArrayBuffer }> {
  const realFolder = await node.fs.realpath(folder).catch(() => folder);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    const files: string[] = [];
    let found = 0;
    const need = specBytes(group.weights, modelPath);
    const mismatch = (size: number) => {
      const where =
        files.length === 1 ? `weights file ${files[0]}` : `weights files ${files.join(', ')}`;
      return modelFileError(
        `${where}: expected ${need} bytes${files.length === 1 ? '' : ' in all'}, found ${size} (for the ${group.weights.length} weights ${modelPath} lists)`,
      );
    };
    // Sizes first, from stat: a file of the wrong size is refused before it is read (a 3 GB one
    // too), and a FIFO or device, whose read would block or never end, before it is opened.
    let announced: number | undefined = 0;
    for (const name of group.paths) {
      const file = await fileInFolder(node, folder, realFolder, name, modelPath, 'weights');
      files.push(file);
      const size = await regularFileSize(
        node,
        file,
        `weights file ${file} (named in ${modelPath})`,
      );
      announced = size === undefined || announced === undefined ? undefined : announced + size;
    }
    if (need !== undefined && announced !== undefined && need !== announced) {
      throw mismatch(announced);
    }
    for (const file of files) {
      let data: Uint8Array;
      try {
        data = await node.fs.readFile(file);
      } catch (cause) {
        const code = errnoOf(cause);
        if (code === 'ENOENT') {
          throw modelFileError(`weights file ${file} (named in ${modelPath}) is missing`, cause);
        }
        if (code === 'EISDIR') {
          throw modelFileError(`weights file ${file} (named in ${modelPath}) is a folder`, cause);
        }
        throw ioError(`loadModel: could not read ${file}`, cause);
      }
      buffers.push(data);
      found += data.byteLength;
    }
    // again with what was read: the file may have changed since its stat
    if (need !== undefined && need !== found) throw mismatch(found);
    specs.push(...group.weights);
  }
  const weights = new Uint8Array(buffers.reduce((s, b) => s + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    weights.set(b, offset);
    offset += b.byteLength;
  }
  return { specs, weights: weights.buffer };
}

/**
 * The size of `file` when it is a regular file (undefined when it cannot be stat-ed: reading it
 * then reports why, as for a folder); `INVALID_MODEL_FILE` for a FIFO, socket or device, whose
 * read would block forever or never end.
 */
async function regularFileSize(
  node: NodeModules,
  file: string,
  what: string,
): Promise<number | undefined> {
  const stat = await node.fs.stat(file).catch(() => undefined);
  if (stat === undefined || stat.isDirectory()) return undefined; // reading says why
  if (!stat.isFile()) {
    throw modelFileError(
      `${what} is not a regular file (a FIFO, socket or device); only regular files are read`,
    );
  }
  return stat.size;
}

/**
 * Reads and checks model.json and the weights, creating no tensor. Starts over when a save
 * replaced the model meanwhile (model.json changed while its weights were read).
 */
async function readModelFiles(node: NodeModules, folder: string, dir: string): Promise<ModelFiles> {
  for (let attempt = 1; ; attempt++) {
    const { modelPath, text } = await readModelJsonText(node, folder, dir);
    const json = parseModelJson(text, modelPath);
    try {
      return { modelPath, json, ...(await readWeights(node, folder, json, modelPath)) };
    } catch (error) {
      const now = await node.fs.readFile(modelPath, 'utf8').catch(() => text);
      if (attempt < READ_ATTEMPTS && now !== text) continue;
      throw error;
    }
  }
}

interface LayerConfig {
  class_name?: unknown;
  name?: unknown;
  config?: unknown;
}

/** The layer configs nested in a layer or model config (model layers, wrapped layers, cells). */
function childLayers(node: LayerConfig): unknown[] {
  const config = node.config;
  if (Array.isArray(config)) return config;
  if (!isObject(config)) return [];
  return [
    ...(Array.isArray(config.layers) ? config.layers : []),
    config.layer,
    config.cell,
    ...(Array.isArray(config.cells) ? config.cells : []),
  ];
}

function topologyRoot(topology: Record<string, unknown>): LayerConfig {
  return (isObject(topology.model_config) ? topology.model_config : topology) as LayerConfig;
}

/** The first layer class that the class registry does not know, with its layer's name. */
function unknownLayerClass(node: unknown): { className: string; layer?: string } | undefined {
  if (!isObject(node)) return undefined;
  const { class_name: className, config } = node as LayerConfig;
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  if (typeof className === 'string' && !(className in known)) {
    const name = isObject(config) ? config.name : (node as LayerConfig).name;
    return { className, layer: typeof name === 'string' ? name : undefined };
  }
  for (const child of childLayers(node as LayerConfig)) {
    const found = unknownLayerClass(child);
    if (found) return found;
  }
  return undefined;
}

function unknownLayerError(modelPath: string, className: string, layer?: string, cause?: unknown) {
  return modelFileError(
    `${modelPath}: unknown layer class '${className}'${layer ? ` (layer '${layer}')` : ''}: register it before loading, with registerFusedLayers() for seqlearn's fused layers or tf.serialization.registerClass(${className}) for a custom layer`,
    cause,
  );
}

/** Names of the model's own layers: the weights of a layer are named `<layer name>/...`. */
function layerNames(topology: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const child of childLayers(topologyRoot(topology))) {
    if (!isObject(child)) continue;
    const config = child.config;
    for (const name of [child.name, isObject(config) ? config.name : undefined]) {
      if (typeof name === 'string') names.push(name);
    }
  }
  return names;
}

/** Disposes a model that will not be handed out, with an optimizer compiled from its config. */
function disposeModel(model: tf.LayersModel) {
  const optimizer = model.optimizer;
  const owned = (model as unknown as { isOptimizerOwned?: boolean }).isOptimizerOwned;
  try {
    model.dispose();
  } catch {
    // disposed already
  }
  if (optimizer && !owned) optimizer.dispose();
}

/** Loads `weights` into `model` as tfjs' loadLayersModel does; on failure disposes it all. */
async function loadWeightsInto(
  model: tf.LayersModel,
  weights: ArrayBuffer,
  specs: tf.io.WeightsManifestEntry[],
  modelPath: string,
) {
  let decoded: tf.NamedTensorMap | undefined;
  try {
    // in a tidy: a spec that fails midway (a string weight, say) would leak those decoded before it
    decoded = tf.tidy(() => tf.io.decodeWeights(weights, specs));
    const modelWeights: tf.NamedTensorMap = {};
    const optimizerWeights: { name: string; tensor: tf.Tensor }[] = [];
    for (const spec of specs) {
      if (spec.group === 'optimizer') {
        optimizerWeights.push({ name: spec.name, tensor: decoded[spec.name] });
      } else modelWeights[spec.name] = decoded[spec.name];
    }
    model.loadWeights(modelWeights, true);
    if (model.optimizer != null && optimizerWeights.length > 0) {
      await model.optimizer.setWeights(optimizerWeights);
    }
  } catch (cause) {
    disposeModel(model);
    throw modelFileError(
      `${modelPath}: the weights do not fit the model (${messageOf(cause)})`,
      cause,
    );
  } finally {
    if (decoded) tf.dispose(Object.values(decoded));
  }
}

/**
 * Builds the model with tfjs' loadLayersModel, which skips the weight initializers (an orthogonal
 * one takes seconds) only when it is handed the weights, but leaks the model when they do not
 * fit. So `weightData` is handed on tfjs' first look (which picks the fast initialisation) and
 * withheld on its second (after the layers are built), and the weights are loaded here, where a
 * failure can dispose the model. Variables of layers built before a layer failed to build are
 * disposed too.
 */
async function buildModel({
  modelPath,
  json,
  specs,
  weights,
}: ModelFiles): Promise<tf.LayersModel> {
  const unknown = unknownLayerClass(topologyRoot(json.modelTopology));
  if (unknown) throw unknownLayerError(modelPath, unknown.className, unknown.layer);
  const registered = () => tf.engine().registeredVariables;
  let looks = 0;
  let before: Set<string> | undefined;
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: specs,
  };
  Object.defineProperty(artifacts, 'weightData', {
    enumerable: true,
    get() {
      looks++;
      if (looks > 1) return undefined;
      before = new Set(Object.keys(registered()));
      return weights;
    },
  });
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel({ load: async () => artifacts });
  } catch (cause) {
    if (before) {
      const prefixes = layerNames(json.modelTopology).map((name) => `${name}/`);
      for (const [name, variable] of Object.entries(registered())) {
        if (!before.has(name) && prefixes.some((p) => name.startsWith(p))) variable.dispose();
      }
    }
    const unknownClass = /^Unknown layer: (\S+?)\. /.exec(messageOf(cause));
    if (unknownClass) throw unknownLayerError(modelPath, unknownClass[1], undefined, cause);
    throw modelFileError(
      `${modelPath}: tfjs could not build the model (${messageOf(cause)})`,
      cause,
    );
  }
  // tfjs loaded the weights itself if it looked once only (a future version may)
  if (looks > 1) await loadWeightsInto(model, weights, specs, modelPath);
  return model;
}

/**
 * Loads a model that {@link saveModel} (or tfjs-node's `file://` handler) wrote into a folder, with
 * whatever backend is active (cpu and wasm included). Recurrent layers load as fused layers where
 * their config allows (see {@link LoadModelOptions}); the files are plain Keras/tfjs ones, which
 * stock `tf.loadLayersModel` reads too.
 *
 * Everything is checked before a tensor is made: model.json's structure, that every weights path
 * stays inside the folder (no absolute paths, no `..`, no links leading out), that each weights
 * file holds exactly the bytes its weights need, and that every layer class is registered. A load
 * that fails leaves no tensor behind. When a save replaces the model while it is read, the load
 * starts over with the new one.
 * @example
 * ```ts
 * import { loadModel } from '@seqlearn/rnn-models';
 * const model = await loadModel('./runs/names-rnn');
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when the folder does not exist, is a file or holds no
 * `model.json`, or when `options` is not an object or `layerImplementation` is neither 'auto' nor
 * 'stock';
 * `INVALID_MODEL_FILE` naming the file when model.json is not a model's JSON, a weights path leads
 * outside the folder, a weights file is missing, is no regular file (a FIFO or device, whose read
 * would block) or has the wrong size ("expected N bytes, found M", checked before it is read), a
 * layer class is not registered, or the weights do not fit the layers; `IO_ERROR` when a
 * file cannot be read (the system error is the `cause`).
 */
export async function loadModel(
  dir: string,
  options: LoadModelOptions = {},
): Promise<tf.LayersModel> {
  if (typeof dir !== 'string' || dir.length === 0) argumentError('dir', 'a folder path', dir);
  checkOptions(options);
  const { layerImplementation = 'auto' } = options;
  if (layerImplementation !== 'auto' && layerImplementation !== 'stock') {
    argumentError('layerImplementation', "'auto' or 'stock'", layerImplementation);
  }
  const node = await nodeModules();
  const files = await readModelFiles(node, node.path.resolve(dir), dir);
  return withLayerClassesAsync(layerImplementation === 'auto', () => buildModel(files));
}

/**
 * Reads the `extra` JSON that {@link saveModel} wrote with the model now in the folder, or
 * `undefined` when that save had none. For a folder written before model.json named its extra
 * file, or one without a model.json, reads `extra.json` (`undefined` when there is none).
 * @example
 * ```ts
 * import { loadExtra } from '@seqlearn/rnn-models';
 * const { alphabet } = await loadExtra('./runs/names-rnn');
 * ```
 * @throws {RnnModelsError} `INVALID_MODEL_FILE` naming the file when model.json or the extra file
 * is not valid JSON or not a regular file (a FIFO or device), or the extra file model.json names
 * is missing or outside the folder;
 * `IO_ERROR` when a file cannot be read.
 */
export async function loadExtra<T = unknown>(dir: string): Promise<T | undefined> {
  if (typeof dir !== 'string' || dir.length === 0) argumentError('dir', 'a folder path', dir);
  const node = await nodeModules();
  const { fs, path } = node;
  const folder = path.resolve(dir);
  const modelPath = path.join(folder, MODEL_JSON);
  for (let attempt = 1; ; attempt++) {
    let text: string | undefined;
    await regularFileSize(node, modelPath, modelPath);
    try {
      text = await fs.readFile(modelPath, 'utf8');
    } catch (cause) {
      const code = errnoOf(cause);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw ioError(`loadExtra: could not read ${modelPath}`, cause);
      }
    }
    let file = path.join(folder, LEGACY_EXTRA_JSON);
    let named = false;
    if (text !== undefined) {
      const json = parseJsonFile(text, modelPath);
      const meta = isObject(json) && isObject(json.seqlearn) ? json.seqlearn : undefined;
      if (meta && 'extra' in meta) {
        if (meta.extra === null) return undefined;
        if (typeof meta.extra !== 'string') {
          throw modelFileError(
            `${modelPath}: expected seqlearn.extra to be a file name or null, got ${kindOf(meta.extra)}`,
          );
        }
        const realFolder = await fs.realpath(folder).catch(() => folder);
        file = await fileInFolder(node, folder, realFolder, meta.extra, modelPath, 'extra');
        named = true;
      }
    }
    let extraText: string;
    await regularFileSize(node, file, named ? `extra file ${file} (named in ${modelPath})` : file);
    try {
      extraText = await fs.readFile(file, 'utf8');
    } catch (cause) {
      const code = errnoOf(cause);
      if (!named && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
      const now = await fs.readFile(modelPath, 'utf8').catch(() => undefined);
      if (named && attempt < READ_ATTEMPTS && now !== text) continue; // replaced meanwhile
      if (code === 'ENOENT') {
        throw modelFileError(`extra file ${file} (named in ${modelPath}) is missing`, cause);
      }
      throw ioError(`loadExtra: could not read ${file}`, cause);
    }
    return parseJsonFile(extraText, file) as T;
  }
}
