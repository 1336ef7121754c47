// Counts the workers the package creates, by wrapping the Worker class of Node's worker_threads
// (the module object the package loads too) before the package is imported.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type WorkerClass = new (...args: never[]) => object;
const workerThreads = createRequire(import.meta.url)('node:worker_threads') as {
  Worker: WorkerClass;
};
let made = 0;
const Stock = workerThreads.Worker;
workerThreads.Worker = class extends (Stock as new (...args: unknown[]) => object) {
  constructor(...args: unknown[]) {
    super(...args);
    made++;
  }
};

describe('kernel threads', () => {
  it('start on the first kernel call that shares work, not on import or on reading the count', async () => {
    const tf = await import('@tensorflow/tfjs');
    const seqlearn = await import('../index');
    expect(made).toBe(0);
    expect(seqlearn.kernelThreads()).toBeGreaterThanOrEqual(1);
    expect(made).toBe(0);
    expect(seqlearn.setKernelThreads(2)).toBe(2);
    expect(seqlearn.kernelThreads()).toBe(2);
    expect(made).toBe(0);
    await tf.setBackend('cpu');
    const layer = new seqlearn.FusedLSTM({ units: 8 });
    tf.tidy(() => {
      layer.apply(tf.ones([32, 5, 3]));
    });
    expect(made).toBe(1);
    expect(seqlearn.kernelThreads()).toBe(2);
    seqlearn.setKernelThreads(1);
    layer.dispose();
  });
});
