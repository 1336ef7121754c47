import { describe, expect, it } from 'vitest';
import { main } from './main';
import { sink } from './test-io';

describe('seqlearn bench', () => {
  it('prints one JSON line per workload with the throughput of a few training steps', async () => {
    const stdout = sink();
    const stderr = sink();
    const code = await main(
      [
        'bench',
        '--workloads',
        'har-simplernn,har-conv1d',
        '--batches',
        '2',
        '--warmup',
        '0',
        '--backend',
        'wasm',
      ],
      { stdout, stderr },
    );
    expect({ code, stderr: stderr.text() }).toEqual({ code: 0, stderr: '' });
    const lines = stdout
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.workload)).toEqual(['har-simplernn', 'har-conv1d']);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual([
        'workload',
        'backend',
        'samples_per_s',
        'ms_per_batch',
        'batch',
        'threads',
      ]);
      expect(line).toEqual(expect.objectContaining({ backend: 'wasm', batch: 64 }));
      expect(line.ms_per_batch).toBeGreaterThan(0);
      // samples per second and milliseconds per batch describe the same timing
      expect(line.samples_per_s).toBeCloseTo((64 * 1000) / line.ms_per_batch, -1);
      expect(Number.isInteger(line.threads) && line.threads >= 1).toBe(true);
    }
  });

  it('exits 2 for an unknown workload or backend, or a count that is not a positive integer', async () => {
    for (const flags of [
      ['--workloads', 'har-lstm,imdb-lstm'],
      ['--backend', 'webgpu'],
      ['--batches', '0'],
      ['--batches', '2.5'],
      ['--warmup', 'x'],
    ]) {
      const stderr = sink();
      expect(await main(['bench', ...flags], { stdout: sink(), stderr })).toBe(2);
      expect(stderr.text()).toMatch(new RegExp(`^seqlearn bench: ${flags[0]}: expected `));
    }
  });

  it('prints its usage with --help', async () => {
    const stdout = sink();
    expect(await main(['bench', '--help'], { stdout, stderr: sink() })).toBe(0);
    expect(stdout.text()).toMatch(/^usage: seqlearn bench/);
  });
});
