import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './process-switches';

// A stand-in for @tensorflow/tfjs-node in an application folder: it registers a `tensorflow`
// backend (the plain cpu one) the way the real package does when it is required.
const FAKE_TFJS_NODE = `
const tf = require('@tensorflow/tfjs');
const { MathBackendCPU } = require('@tensorflow/tfjs-backend-cpu');
globalThis.__fakeTfjsNodeLoaded = (globalThis.__fakeTfjsNodeLoaded || 0) + 1;
tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);
module.exports = tf;
`;

describe('initBackend with native TensorFlow installed by the application', () => {
  let app: string;
  const cwd = process.cwd();

  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'seqlearn-app-'));
    const pkg = join(app, 'node_modules', '@tensorflow', 'tfjs-node');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }),
    );
    writeFileSync(join(pkg, 'index.js'), FAKE_TFJS_NODE);
    const req = createRequire(import.meta.url);
    for (const dep of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-cpu']) {
      const root = dirname(req.resolve(`${dep}/package.json`));
      symlinkSync(root, join(app, 'node_modules', ...dep.split('/')), 'dir');
    }
    // seqlearn resolves native TensorFlow from itself and from the working directory.
    process.chdir(app);
  });

  afterAll(async () => {
    process.chdir(cwd);
    await tf.setBackend('cpu');
    tf.removeBackend('tensorflow');
    rmSync(app, { recursive: true, force: true });
  });

  it('resolves @tensorflow/tfjs-node from the working directory at run time and prefers it', async () => {
    const lines: string[] = [];
    const info = await initBackend({ log: (line) => lines.push(line) });
    expect(info).toMatchObject({
      name: 'node',
      tfBackend: 'tensorflow',
      package: '@tensorflow/tfjs-node',
      kernelsRegistered: [],
    });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(lines[0]).toContain('node backend');
    expect((globalThis as { __fakeTfjsNodeLoaded?: number }).__fakeTfjsNodeLoaded).toBe(1);
  });

  it('still throws BACKEND_NOT_INSTALLED for node-gpu, which the application lacks', async () => {
    await expect(initBackend({ backend: 'node-gpu', log: false })).rejects.toThrow(
      expect.objectContaining({ code: 'BACKEND_NOT_INSTALLED' }),
    );
  });
});
