import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSequenceModel } from './create-sequence-model';
import { loadExtra, loadModel, saveModel } from './save-model';

type Hook = (...args: unknown[]) => unknown;
/** Replacements for node:fs/promises functions as save-model.ts sees them; unset = the real one. */
const hooks = vi.hoisted(() => ({}) as Record<string, Hook | undefined>);

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<Record<string, Hook>>();
  const mocked: Record<string, unknown> = { ...actual };
  for (const name of ['rename', 'mkdir', 'open', 'readFile']) {
    mocked[name] = (...args: unknown[]) => (hooks[name] ?? actual[name])(...args);
  }
  return { ...mocked, default: mocked };
});

const real = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
const root = mkdtempSync(join(tmpdir(), 'rnn-models-reliability-'));
let folders = 0;
const fresh = () => join(root, `m${folders++}`);
const LOCK = '.seqlearn-save.lock';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  for (const name of Object.keys(hooks)) hooks[name] = undefined;
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const small = (seed: number) =>
  createSequenceModel({ cell: 'gru', units: 3, inputShape: [4, 2], numClasses: 2, seed });
const x = tf.tensor3d(
  Array.from({ length: 24 }, (_, i) => Math.sin(i)),
  [3, 4, 2],
);
const predict = (model: tf.LayersModel) =>
  tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));

const a = small(1);
const b = small(2);
const c = small(3);
const predictions = new Map([
  ['a', predict(a)],
  ['b', predict(b)],
  ['c', predict(c)],
]);

interface ModelJson {
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[];
  modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  [key: string]: unknown;
}
const readJson = (dir: string): ModelJson =>
  JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const writeJson = (dir: string, json: unknown) =>
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
const weightsFile = (dir: string) => join(dir, readJson(dir).weightsManifest[0].paths[0]);

/** Loads the folder and says whose model it holds; checks every weights file is exactly sized. */
async function whose(dir: string): Promise<string> {
  const json = readJson(dir);
  for (const group of json.weightsManifest) {
    const need = group.weights.reduce((s, w) => s + 4 * w.shape.reduce((p, d) => p * d, 1), 0);
    const have = group.paths.reduce((s, p) => s + statSync(join(dir, p)).size, 0);
    expect(have).toBe(need);
  }
  const model = await loadModel(dir);
  const got = predict(model);
  model.dispose();
  for (const [name, p] of predictions) if (JSON.stringify(p) === JSON.stringify(got)) return name;
  throw new Error(`${dir} holds a model that is none of a, b, c`);
}

/** Runs `fn`, which must reject, and checks it leaked no tensor; returns the error. */
async function rejectsWithoutLeak(fn: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const before = tf.memory().numTensors;
  const error = await fn().then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Record<string, unknown>,
  );
  expect(tf.memory().numTensors).toBe(before);
  return error;
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid as number;
}

function errno(code: string, message = code): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

describe('saves into one folder are serialised and leave one whole model', () => {
  for (const existing of [false, true]) {
    it(`two saves at once, ${existing ? 'over a model already there' : 'into a new folder'} (6 rounds)`, async () => {
      for (let round = 0; round < 6; round++) {
        const dir = fresh();
        if (existing) await saveModel(c, dir, { extra: { who: 'c' } });
        await Promise.all([
          saveModel(a, dir, { extra: { who: 'a' } }),
          saveModel(b, dir, { extra: { who: 'b' } }),
        ]);
        const who = await whose(dir);
        expect(['a', 'b']).toContain(who);
        expect(await loadExtra(dir)).toEqual({ who });
        const files = readdirSync(dir).sort();
        expect(files).toHaveLength(3);
        expect(files.filter((f) => f.startsWith('weights.'))).toHaveLength(1);
        expect(files).toContain('model.json');
      }
    });
  }

  it('three saves at once, one without extra, stay one unit', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = fresh();
      await saveModel(c, dir, { extra: { who: 'c' } });
      await Promise.all([
        saveModel(a, dir, { extra: { who: 'a' } }),
        saveModel(c, dir),
        saveModel(b, dir, { extra: { who: 'b' } }),
      ]);
      const who = await whose(dir);
      expect(await loadExtra(dir)).toEqual(who === 'c' ? undefined : { who });
    }
  });

  it('waits for a save of another process (a live lock file), then saves', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    const lock = join(dir, LOCK);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'other' }));
    let done = false;
    const saving = saveModel(b, dir).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(done).toBe(false);
    expect(await whose(dir)).toBe('a');
    rmSync(lock);
    await saving;
    expect(await whose(dir)).toBe('b');
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks the lock of a process that died, and a lock nobody refreshed for long', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    writeFileSync(join(dir, LOCK), JSON.stringify({ pid: deadPid(), host: hostname() }));
    await saveModel(b, dir);
    expect(await whose(dir)).toBe('b');
    writeFileSync(join(dir, LOCK), JSON.stringify({ pid: process.pid, host: 'elsewhere' }));
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(join(dir, LOCK), old, old);
    await saveModel(c, dir);
    expect(await whose(dir)).toBe('c');
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });
});

/** The built package, which a second Node process can import (turbo builds before it tests). */
const built = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');

/**
 * A second process that saves its own model (weights all `value`, extra `{ who: value }`) into
 * `dir` `times` times, as fast as it can.
 */
function saverProcess(dir: string, value: number, times: number): Promise<string> {
  const code = `
    import * as tf from '@tensorflow/tfjs';
    import { saveModel } from ${JSON.stringify(built)};
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
    model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, ${value})));
    for (let i = 0; i < ${times}; i++) await saveModel(model, ${JSON.stringify(dir)}, { extra: { who: ${value} } });
    console.log('saved');
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (status === 0) resolve(out.trim());
      else reject(new Error(`saver ${value} exited with ${status}: ${err}`));
    });
  });
}

describe.skipIf(!existsSync(built))('saves from two processes into one folder', () => {
  it('leave one whole model and its own extra (the lock file keeps them apart)', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = fresh();
      const done = await Promise.all([saverProcess(dir, 1, 8), saverProcess(dir, 2, 8)]);
      expect(done).toEqual(['saved', 'saved']);
      const model = await loadModel(dir);
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      const value = weights[0][0];
      expect([1, 2]).toContain(value);
      for (const w of weights) expect(w.every((v) => v === value)).toBe(true);
      expect(await loadExtra(dir)).toEqual({ who: value });
      // only the model, its weights and its extra remain: no lock, no temp, no orphan
      expect(readdirSync(dir).sort()).toEqual(
        [
          'model.json',
          ...readJson(dir).weightsManifest[0].paths.map((p) => p.replace(/^\.\//, '')),
          (readJson(dir).seqlearn as { extra: string }).extra,
        ].sort(),
      );
      model.dispose();
    }
  }, 120_000);
});

describe('loadModel reads weights only from inside the model folder', () => {
  const escapes = ['../secret.bin', '../../../../../../../../etc/hostname'];
  for (const path of escapes) {
    it(`refuses weightsManifest path ${path}`, async () => {
      const parent = fresh();
      const dir = join(parent, 'model');
      await saveModel(a, dir);
      writeFileSync(join(parent, 'secret.bin'), readFileSync(weightsFile(dir)));
      const json = readJson(dir);
      json.weightsManifest[0].paths = [path];
      writeJson(dir, json);
      const error = await rejectsWithoutLeak(() => loadModel(dir));
      expect(error.code).toBe('INVALID_MODEL_FILE');
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/outside/);
    });
  }

  it('refuses an absolute path', async () => {
    const parent = fresh();
    const dir = join(parent, 'model');
    await saveModel(a, dir);
    const secret = join(parent, 'secret.bin');
    writeFileSync(secret, readFileSync(weightsFile(dir)));
    const json = readJson(dir);
    json.weightsManifest[0].paths = [secret];
    writeJson(dir, json);
    const error = await rejectsWithoutLeak(() => loadModel(dir));
    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toContain(secret);
  });

  it('refuses a symlink that leads out of the folder, follows one that stays inside', async () => {
    const parent = fresh();
    const dir = join(parent, 'model');
    await saveModel(a, dir);
    const weights = weightsFile(dir);
    writeFileSync(join(parent, 'secret.bin'), readFileSync(weights));
    symlinkSync(join(parent, 'secret.bin'), join(dir, 'out.bin'));
    symlinkSync(weights, join(dir, 'in.bin'));
    const json = readJson(dir);
    json.weightsManifest[0].paths = ['./out.bin'];
    writeJson(dir, json);
    const error = await rejectsWithoutLeak(() => loadModel(dir));
    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toContain('out.bin');
    json.weightsManifest[0].paths = ['./in.bin'];
    writeJson(dir, json);
    expect(await whose(dir)).toBe('a');
  });
});

describe('model, weights and extra are one unit', () => {
  it('keeps the old model and its extra when the commit (model.json rename) fails', async () => {
    const dir = fresh();
    await saveModel(a, dir, { extra: { who: 'a' } });
    const before = readdirSync(dir).sort();
    hooks.rename = (from, to) =>
      String(to).endsWith('model.json')
        ? Promise.reject(errno('EIO', 'i/o error'))
        : real.rename(from as string, to as string);
    const error = await rejectsWithoutLeak(() => saveModel(b, dir, { extra: { who: 'b' } }));
    expect(error.code).toBe('IO_ERROR');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EIO');
    expect(error.message).toContain(join(dir, 'model.json'));
    hooks.rename = undefined;
    expect(await whose(dir)).toBe('a');
    expect(await loadExtra(dir)).toEqual({ who: 'a' });
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('keeps the old model when writing the weights fails (ENOSPC)', async () => {
    const dir = fresh();
    await saveModel(a, dir, { extra: { who: 'a' } });
    const before = readdirSync(dir).sort();
    hooks.rename = (from, to) =>
      String(to).endsWith('.bin')
        ? Promise.reject(errno('ENOSPC', 'no space left on device'))
        : real.rename(from as string, to as string);
    const error = await rejectsWithoutLeak(() => saveModel(b, dir, { extra: { who: 'b' } }));
    expect(error.code).toBe('IO_ERROR');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(error.message).toMatch(/weights\.[0-9a-f]+\.bin/);
    hooks.rename = undefined;
    expect(await whose(dir)).toBe('a');
    expect(await loadExtra(dir)).toEqual({ who: 'a' });
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('a save without extra leaves no extra of the previous model', async () => {
    const dir = fresh();
    await saveModel(a, dir, { extra: { who: 'a' } });
    await saveModel(b, dir);
    expect(await whose(dir)).toBe('b');
    expect(await loadExtra(dir)).toBeUndefined();
    expect(readdirSync(dir).filter((f) => f.startsWith('extra'))).toEqual([]);
  });

  it('loads folders of the previous layout (weights.bin, extra.json) and replaces them whole', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    const json = readJson(dir);
    const weights = weightsFile(dir);
    writeFileSync(join(dir, 'weights.bin'), readFileSync(weights));
    rmSync(weights);
    json.weightsManifest[0].paths = ['./weights.bin'];
    delete json.seqlearn;
    writeJson(dir, json);
    writeFileSync(join(dir, 'extra.json'), JSON.stringify({ who: 'legacy' }));
    expect(await whose(dir)).toBe('a');
    expect(await loadExtra(dir)).toEqual({ who: 'legacy' });
    await saveModel(b, dir);
    expect(await whose(dir)).toBe('b');
    expect(await loadExtra(dir)).toBeUndefined();
    expect(existsSync(join(dir, 'weights.bin'))).toBe(false);
    expect(existsSync(join(dir, 'extra.json'))).toBe(false);
  });

  it('loadExtra of a plain folder (no model.json) reads extra.json or gives undefined', async () => {
    const dir = fresh();
    mkdirSync(dir);
    expect(await loadExtra(dir)).toBeUndefined();
    writeFileSync(join(dir, 'extra.json'), '{"k":1}');
    expect(await loadExtra(dir)).toEqual({ k: 1 });
  });

  it('loads while another save replaces the model, without failing', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    const saves = (async () => {
      for (let i = 0; i < 8; i++) await saveModel(i % 2 ? a : b, dir, { extra: { i } });
    })();
    const loads = (async () => {
      for (let i = 0; i < 8; i++) {
        (await loadModel(dir)).dispose();
        await loadExtra(dir);
      }
    })();
    await Promise.all([saves, loads]);
  });
});

describe('stale temporary files and exact weight sizes', () => {
  it('removes what a killed save left behind (temp files, orphan weights, its lock)', async () => {
    const dir = fresh();
    await saveModel(a, dir, { extra: { who: 'a' } });
    const litter = [
      'weights.0123456789abcdef.bin.a1b2c3d4e5f6.tmp',
      'model.json.a1b2c3d4e5f6.tmp',
      'extra.json.a1b2c3d4e5f6.tmp',
      'extra.a1b2c3d4e5f6.json.0a1b2c3d4e5f.tmp',
      'weights.fedcba9876543210.bin',
      'extra.a1b2c3d4e5f6.json',
    ];
    for (const f of litter) writeFileSync(join(dir, f), 'x');
    writeFileSync(join(dir, LOCK), JSON.stringify({ pid: deadPid(), host: hostname() }));
    await saveModel(b, dir, { extra: { who: 'b' } });
    const files = readdirSync(dir);
    for (const f of [...litter, LOCK]) expect(files).not.toContain(f);
    expect(files).toHaveLength(3);
    expect(await whose(dir)).toBe('b');
    expect(await loadExtra(dir)).toEqual({ who: 'b' });
  });

  it('leaves files that are not its own alone', async () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'data.tmp'), 'mine');
    await saveModel(a, dir);
    await saveModel(b, dir);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['notes.txt', 'data.tmp']));
  });

  it('refuses a weights file with trailing bytes', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    const file = weightsFile(dir);
    const size = statSync(file).size;
    appendFileSync(file, Buffer.alloc(8));
    const error = await rejectsWithoutLeak(() => loadModel(dir));
    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toContain(file);
    expect(error.message).toContain(`expected ${size} bytes, found ${size + 8}`);
  });

  it('refuses a truncated weights file', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    const file = weightsFile(dir);
    const size = statSync(file).size;
    truncateSync(file, size - 4);
    const error = await rejectsWithoutLeak(() => loadModel(dir));
    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toContain(`expected ${size} bytes, found ${size - 4}`);
  });

  it('refuses a missing weights file, naming it', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    const file = weightsFile(dir);
    rmSync(file);
    const error = await rejectsWithoutLeak(() => loadModel(dir));
    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/missing/);
  });
});

describe('typed errors', () => {
  it('model.json that is {} or not JSON', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    for (const text of ['{}', '{"modelTopology": ', '[]', 'null']) {
      writeFileSync(join(dir, 'model.json'), text);
      const error = await rejectsWithoutLeak(() => loadModel(dir));
      expect(error.code).toBe('INVALID_MODEL_FILE');
      expect(error.message).toContain(join(dir, 'model.json'));
    }
  });

  it('a manifest that is not a list of {paths, weights}', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    const json = readJson(dir);
    for (const manifest of [
      {},
      [{ paths: 'w.bin', weights: [] }],
      [{ paths: [], weights: [{}] }],
    ]) {
      writeJson(dir, { ...json, weightsManifest: manifest });
      const error = await rejectsWithoutLeak(() => loadModel(dir));
      expect(error.code).toBe('INVALID_MODEL_FILE');
    }
  });

  it('an unknown layer class, named, with what to register', async () => {
    const dir = fresh();
    await saveModel(small(4), dir);
    const json = readJson(dir);
    json.modelTopology.config.layers[1].class_name = 'MyAttention';
    writeJson(dir, json);
    const error = await rejectsWithoutLeak(() => loadModel(dir));
    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toContain('MyAttention');
    expect(error.message).toContain('registerFusedLayers');
    expect(error.message).toContain('registerClass');
  });

  it('a layer config that tfjs cannot build, after layers it built', async () => {
    const dir = fresh();
    await saveModel(small(5), dir);
    const json = readJson(dir);
    json.modelTopology.config.layers[1].config.units = -3;
    writeJson(dir, json);
    const error = await rejectsWithoutLeak(() => loadModel(dir));
    expect(error.code).toBe('INVALID_MODEL_FILE');
  });

  it('weights that do not fit the model (a resetAfter GRU as stock layers)', async () => {
    const dir = fresh();
    const model = createSequenceModel({
      cell: 'gru',
      units: 3,
      inputShape: [4, 2],
      numClasses: 2,
      resetAfter: true,
      seed: 6,
    });
    await saveModel(model, dir);
    const error = await rejectsWithoutLeak(() => loadModel(dir, { layerImplementation: 'stock' }));
    expect(error.code).toBe('INVALID_MODEL_FILE');
    const json = readJson(dir);
    json.weightsManifest[0].weights[0].name = 'renamed/kernel';
    writeJson(dir, json);
    const renamed = await rejectsWithoutLeak(() => loadModel(dir));
    expect(renamed.code).toBe('INVALID_MODEL_FILE');
  });

  it('a missing folder, or a file given as the folder', async () => {
    const missing = join(fresh(), 'nope');
    const error = await rejectsWithoutLeak(() => loadModel(missing));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'dir' });
    expect(error.message).toMatch(/does not exist/);
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    const notDir = await rejectsWithoutLeak(() => loadModel(file));
    expect(notDir).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'dir' });
    expect(notDir.message).toMatch(/not a folder/);
  });

  it('saveModel under a regular file (ENOTDIR) or onto one (EEXIST)', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const under = await rejectsWithoutLeak(() => saveModel(a, join(file, 'model')));
    expect(under).toMatchObject({ code: 'IO_ERROR', argument: 'dir' });
    expect(under.message).toContain(join(file, 'model'));
    expect((under.cause as NodeJS.ErrnoException).code).toBe('ENOTDIR');
    const onto = await rejectsWithoutLeak(() => saveModel(a, file));
    expect(onto).toMatchObject({ code: 'IO_ERROR', argument: 'dir' });
    expect((onto.cause as NodeJS.ErrnoException).code).toBe('EEXIST');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('saveModel without permission (EACCES) to create the folder or write in it', async () => {
    hooks.mkdir = () => Promise.reject(errno('EACCES', 'permission denied'));
    const dir = fresh();
    const error = await rejectsWithoutLeak(() => saveModel(a, dir));
    expect(error).toMatchObject({ code: 'IO_ERROR', argument: 'dir' });
    expect(error.message).toContain(dir);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EACCES');
    hooks.mkdir = undefined;
    mkdirSync(dir);
    hooks.open = () => Promise.reject(errno('EACCES', 'permission denied'));
    const write = await rejectsWithoutLeak(() => saveModel(a, dir));
    expect(write.code).toBe('IO_ERROR');
    expect(write.message).toContain(dir);
    expect((write.cause as NodeJS.ErrnoException).code).toBe('EACCES');
    hooks.open = undefined;
    expect(readdirSync(dir)).toEqual([]);
  });

  it('loadModel when a file cannot be read (EACCES) is an IO_ERROR', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    hooks.readFile = (file, ...rest) =>
      String(file).endsWith('.bin')
        ? Promise.reject(errno('EACCES', 'permission denied'))
        : (real.readFile as Hook)(file, ...rest);
    const error = await rejectsWithoutLeak(() => loadModel(dir));
    expect(error.code).toBe('IO_ERROR');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EACCES');
  });

  it('loadExtra of a corrupt extra file, new layout and old', async () => {
    const dir = fresh();
    await saveModel(a, dir, { extra: { who: 'a' } });
    const extra = readdirSync(dir).find((f) => f.startsWith('extra')) as string;
    writeFileSync(join(dir, extra), '{"who": ');
    const error = await rejectsWithoutLeak(() => loadExtra(dir));
    expect(error.code).toBe('INVALID_MODEL_FILE');
    expect(error.message).toContain(join(dir, extra));
    const plain = fresh();
    mkdirSync(plain);
    writeFileSync(join(plain, 'extra.json'), 'not json');
    const legacy = await rejectsWithoutLeak(() => loadExtra(plain));
    expect(legacy.code).toBe('INVALID_MODEL_FILE');
    expect(legacy.message).toContain(join(plain, 'extra.json'));
  });

  it('an extra that is not plain JSON is refused before anything is written', async () => {
    const dir = fresh();
    await saveModel(a, dir, { extra: { who: 'a' } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const extra of [cyclic, { n: 1n }, () => 1]) {
      const error = await rejectsWithoutLeak(() => saveModel(b, dir, { extra }));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'extra' });
    }
    expect(await whose(dir)).toBe('a');
    expect(await loadExtra(dir)).toEqual({ who: 'a' });
  });
});

describe('no tensor leaks', () => {
  it('a successful load adds only the model weights, which dispose frees', async () => {
    const dir = fresh();
    await saveModel(a, dir, { extra: { who: 'a' } });
    const before = tf.memory().numTensors;
    const model = await loadModel(dir);
    expect(tf.memory().numTensors).toBe(before + model.weights.length);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const saveBefore = tf.memory().numTensors;
    await saveModel(b, dir);
    expect(tf.memory().numTensors).toBe(saveBefore);
  });
});

describe('hostile arguments and manifests', () => {
  it('a weight spec that fails to decode midway (a string dtype) leaves no tensor behind', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    for (const at of [0, 2]) {
      const copy = structuredClone(json);
      copy.weightsManifest[0].weights[at].dtype = 'string';
      writeFileSync(join(dir, 'model.json'), JSON.stringify(copy));
      const before = tf.memory().numTensors;
      await expect(loadModel(dir)).rejects.toMatchObject({ code: 'INVALID_MODEL_FILE' });
      expect(tf.memory().numTensors, `string weight at ${at}`).toBe(before);
    }
  });

  it('saveModel without a model, or with null options, and loadModel with null options: typed errors', async () => {
    const dir = fresh();
    for (const model of [null, {}, 'model']) {
      await expect(saveModel(model as never, dir)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'model',
      });
    }
    expect(existsSync(dir)).toBe(false);
    await expect(saveModel(a, dir, null as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'options',
    });
    await saveModel(a, dir);
    await expect(loadModel(dir, null as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'options',
    });
  });
});

describe('files that are not regular files, or far too large', () => {
  const withTimeout = <T>(promise: Promise<T>) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('hung: still reading after 3 s')), 3000),
      ),
    ]);

  it.skipIf(process.platform === 'win32')(
    'refuses a FIFO named as weights, extra or model.json instead of blocking forever on it',
    async () => {
      const dir = fresh();
      await saveModel(a, dir, { extra: { who: 'a' } });
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      expect(spawnSync('mkfifo', [join(dir, 'pipe')]).status).toBe(0);
      const weights = structuredClone(json);
      weights.weightsManifest[0].paths = ['pipe'];
      writeFileSync(join(dir, 'model.json'), JSON.stringify(weights));
      await expect(withTimeout(loadModel(dir))).rejects.toMatchObject({
        code: 'INVALID_MODEL_FILE',
        message: expect.stringMatching(/pipe \(named in .*\) is not a regular file/),
      });
      const extra = structuredClone(json);
      extra.seqlearn.extra = 'pipe';
      writeFileSync(join(dir, 'model.json'), JSON.stringify(extra));
      await expect(withTimeout(loadExtra(dir))).rejects.toMatchObject({
        code: 'INVALID_MODEL_FILE',
      });
      rmSync(join(dir, 'model.json'));
      expect(spawnSync('mkfifo', [join(dir, 'model.json')]).status).toBe(0);
      await expect(withTimeout(loadModel(dir))).rejects.toMatchObject({
        code: 'INVALID_MODEL_FILE',
      });
      await expect(withTimeout(loadExtra(dir))).rejects.toMatchObject({
        code: 'INVALID_MODEL_FILE',
      });
    },
  );

  it('refuses a weights file of the wrong size before reading it (a 3 GB one was an IO_ERROR from readFile)', async () => {
    const dir = fresh();
    await saveModel(a, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const big = join(dir, json.weightsManifest[0].paths[0]);
    truncateSync(big, 3 * 1024 ** 3);
    const before = tf.memory().numTensors;
    await expect(withTimeout(loadModel(dir))).rejects.toMatchObject({
      code: 'INVALID_MODEL_FILE',
      message: expect.stringMatching(/expected \d+ bytes, found 3221225472/),
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
