import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend } from './process-switches';

const savedEnv = process.env.SEQLEARN_BACKEND;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.SEQLEARN_BACKEND;
  else process.env.SEQLEARN_BACKEND = savedEnv;
});

const absentNative = (name: string) => !name.startsWith('@tensorflow/tfjs-node');

describe('initBackend', () => {
  it('picks wasm with its direct kernels when no native TensorFlow is installed', async () => {
    delete process.env.SEQLEARN_BACKEND;
    const info = await initBackend({ log: false, _internal: { isInstalled: absentNative } });
    expect(info).toMatchObject({ name: 'wasm', tfBackend: 'wasm' });
    expect(info.package).toBe('@tensorflow/tfjs-backend-wasm');
    expect(info.kernelsRegistered).toEqual(
      expect.arrayContaining(['UnsortedSegmentSum', 'Conv2DBackpropFilter']),
    );
    expect(tf.getBackend()).toBe('wasm');
  });

  it('reports its choice through the log option', async () => {
    const lines: string[] = [];
    await initBackend({ backend: 'cpu', log: (line) => lines.push(line) });
    await initBackend({ backend: 'wasm', log: (line) => lines.push(line) });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('cpu backend');
    expect(lines[1]).toContain('wasm backend');
  });

  it('returns the same answer without logging again when called twice', async () => {
    const lines: string[] = [];
    const first = await initBackend({ backend: 'wasm', log: false });
    const second = await initBackend({ backend: 'wasm', log: (line) => lines.push(line) });
    expect(second).toBe(first);
    expect(lines).toEqual([]);
  });

  it('follows SEQLEARN_BACKEND', async () => {
    process.env.SEQLEARN_BACKEND = 'cpu';
    const info = await initBackend({ log: false });
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.kernelsRegistered).toContain('UnsortedSegmentSum');
  });

  it('lets the backend option override SEQLEARN_BACKEND', async () => {
    process.env.SEQLEARN_BACKEND = 'cpu';
    expect((await initBackend({ backend: 'wasm', log: false })).name).toBe('wasm');
  });

  it('throws BACKEND_NOT_INSTALLED naming the package when tfjs-node is asked for but absent', async () => {
    await expect(
      initBackend({ backend: 'node', log: false, _internal: { isInstalled: absentNative } }),
    ).rejects.toThrow(
      expect.objectContaining({ code: 'BACKEND_NOT_INSTALLED', argument: 'backend' }),
    );
    await expect(
      initBackend({ backend: 'node', log: false, _internal: { isInstalled: absentNative } }),
    ).rejects.toThrow(/npm i @tensorflow\/tfjs-node\b/);
  });

  it('throws BACKEND_NOT_INSTALLED for SEQLEARN_BACKEND=node-gpu when tfjs-node-gpu is absent', async () => {
    process.env.SEQLEARN_BACKEND = 'node-gpu';
    await expect(
      initBackend({ log: false, _internal: { isInstalled: absentNative } }),
    ).rejects.toThrow(
      expect.objectContaining({ code: 'BACKEND_NOT_INSTALLED', argument: 'SEQLEARN_BACKEND' }),
    );
  });

  it('leaves no Emscripten rethrowing handlers on the process after starting wasm', async () => {
    await initBackend({ backend: 'wasm', log: false });
    for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
      const sources = (process as NodeJS.EventEmitter).listeners(event).map(String);
      expect(sources.filter((s) => s.includes('ExitStatus') || /throw reason/.test(s))).toEqual([]);
    }
  });

  it('rejects an unknown backend name with INVALID_ARGUMENT', async () => {
    process.env.SEQLEARN_BACKEND = 'webgpu';
    await expect(initBackend({ log: false })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'SEQLEARN_BACKEND' }),
    );
    await expect(initBackend({ backend: 'gpu' as never, log: false })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'backend' }),
    );
  });
});
