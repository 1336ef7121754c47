import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getDataDir } from './data-dir';

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['SEQLEARN_DATA_DIR', 'XDG_CACHE_HOME']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe('getDataDir', () => {
  it('returns SEQLEARN_DATA_DIR when it is set', () => {
    process.env.SEQLEARN_DATA_DIR = '/tmp/seqlearn-data';
    expect(getDataDir()).toBe('/tmp/seqlearn-data');
  });

  it.runIf(process.platform === 'linux')(
    'falls back to XDG_CACHE_HOME, then ~/.cache, on Linux',
    () => {
      delete process.env.SEQLEARN_DATA_DIR;
      process.env.XDG_CACHE_HOME = '/tmp/xdg';
      expect(getDataDir()).toBe('/tmp/xdg/seqlearn');
      delete process.env.XDG_CACHE_HOME;
      expect(getDataDir()).toBe(join(homedir(), '.cache', 'seqlearn'));
    },
  );
});
