import os from 'node:os';

/** The cores this process may use (`os.availableParallelism()`). */
export function availableCores(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/**
 * Kernel threads for each of `workers` runs that go at once on `cores` cores: floor(cores /
 * workers), at least 1, so that the runs together do not oversubscribe the machine. Workers
 * pass it to each run as the `SEQLEARN_THREADS` environment variable, which
 * `@seqlearn/rnn-models` reads for its wasm kernels.
 */
export function threadsPerRun(workers: number, cores = availableCores()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, workers)));
}
