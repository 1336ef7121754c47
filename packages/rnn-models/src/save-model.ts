import * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from './errors';
import { withLayerClassesAsync } from './layer-implementation';
import { argumentError } from './validate';

/** Options for {@link saveModel}. */
export interface SaveModelOptions {
  /**
   * Plain-JSON state to keep beside the model, such as the preprocessing (an alphabet's or a
   * tokenizer's `toJSON()`, a scaler's mean and scale), written to `extra.json` and read back by
   * {@link loadExtra}. @default none
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
const EXTRA_JSON = 'extra.json';

async function nodeModules() {
  try {
    const [fs, path, crypto] = await Promise.all([
      import('node:fs/promises'),
      import('node:path'),
      import('node:crypto'),
    ]);
    return { fs, path, crypto };
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

/** Writes `data` to `file` atomically: a temporary file in the same folder, then a rename. */
async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const { fs, crypto } = await nodeModules();
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
    await fs.rm(temp, { force: true });
    throw error;
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

/**
 * Saves a tfjs-layers model into a folder on the file system with the pure-JS backends (no
 * `@tensorflow/tfjs-node` needed), in the layout `tf.loadLayersModel('file://…/model.json')` reads:
 * `model.json` (topology, weight manifest, training config) and the weights in
 * `weights.<hash>.bin`. Every file is written atomically (temporary file, then rename) and
 * `model.json` last, so a folder always holds a complete model, the old one or the new; older
 * weight files are removed afterwards. `extra` goes to `extra.json` beside it.
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
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when `dir` is not a string or there is no file system.
 */
export async function saveModel(
  model: tf.LayersModel,
  dir: string,
  { extra }: SaveModelOptions = {},
): Promise<SavedModelInfo> {
  if (typeof dir !== 'string' || dir.length === 0) argumentError('dir', 'a folder path', dir);
  const { fs, path, crypto } = await nodeModules();
  const folder = path.resolve(dir);
  await fs.mkdir(folder, { recursive: true });
  const files: string[] = [];
  let weightBytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = joinWeights(artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined);
      weightBytes = weights.byteLength;
      const hash = crypto.createHash('sha256').update(weights).digest('hex').slice(0, 16);
      const weightsName = `weights.${hash}.bin`;
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
      };
      await writeAtomic(path.join(folder, weightsName), weights);
      files.push(path.join(folder, weightsName));
      if (extra !== undefined) {
        await writeAtomic(path.join(folder, EXTRA_JSON), JSON.stringify(extra, null, 2));
        files.push(path.join(folder, EXTRA_JSON));
      }
      await writeAtomic(path.join(folder, MODEL_JSON), JSON.stringify(modelJson));
      files.push(path.join(folder, MODEL_JSON));
      for (const name of await fs.readdir(folder)) {
        if (/^weights\.[0-9a-f]{16}\.bin$/.test(name) && name !== weightsName) {
          await fs.rm(path.join(folder, name), { force: true });
        }
      }
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return { files, weightBytes };
}

/**
 * Loads a model that {@link saveModel} (or tfjs-node's `file://` handler) wrote into a folder, with
 * whatever backend is active (cpu and wasm included). Recurrent layers load as fused layers where
 * their config allows (see {@link LoadModelOptions}); the files are plain Keras/tfjs ones, which
 * stock `tf.loadLayersModel` reads too.
 * @example
 * ```ts
 * import { loadModel } from '@seqlearn/rnn-models';
 * const model = await loadModel('./runs/names-rnn');
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when the folder holds no readable `model.json`, or
 * when `layerImplementation` is neither 'auto' nor 'stock'.
 */
export async function loadModel(
  dir: string,
  { layerImplementation = 'auto' }: LoadModelOptions = {},
): Promise<tf.LayersModel> {
  if (typeof dir !== 'string' || dir.length === 0) argumentError('dir', 'a folder path', dir);
  if (layerImplementation !== 'auto' && layerImplementation !== 'stock') {
    argumentError('layerImplementation', "'auto' or 'stock'", layerImplementation);
  }
  const { fs, path } = await nodeModules();
  const folder = path.resolve(dir);
  let json: {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
    trainingConfig?: tf.io.TrainingConfig;
    userDefinedMetadata?: { [key: string]: {} };
  };
  try {
    json = JSON.parse(await fs.readFile(path.join(folder, MODEL_JSON), 'utf8'));
  } catch (cause) {
    throw new RnnModelsError({
      code: 'INVALID_ARGUMENT',
      argument: 'dir',
      message: `dir: expected a folder with a model.json, got ${JSON.stringify(dir)} (${(cause as Error).message})`,
      cause,
    });
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest ?? []) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) buffers.push(await fs.readFile(path.join(folder, p)));
  }
  const weights = new Uint8Array(buffers.reduce((s, b) => s + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    weights.set(b, offset);
    offset += b.byteLength;
  }
  const load = () =>
    tf.loadLayersModel({
      load: async () => ({
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs,
        weightData: weights.buffer,
      }),
    });
  return withLayerClassesAsync(layerImplementation === 'auto', load);
}

/**
 * Reads the `extra` JSON that {@link saveModel} wrote beside a model (`extra.json`), or `undefined`
 * when there is none.
 * @example
 * ```ts
 * import { loadExtra } from '@seqlearn/rnn-models';
 * const { alphabet } = await loadExtra('./runs/names-rnn');
 * ```
 */
export async function loadExtra<T = unknown>(dir: string): Promise<T | undefined> {
  if (typeof dir !== 'string' || dir.length === 0) argumentError('dir', 'a folder path', dir);
  const { fs, path } = await nodeModules();
  try {
    return JSON.parse(await fs.readFile(path.join(path.resolve(dir), EXTRA_JSON), 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
