import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot, sharedDataPath } from './shared-data-path';

describe('sharedDataPath', () => {
  it('uses --data as given, resolved', () => {
    expect(sharedDataPath('imdb', { data: '/x/y/aclImdb_v1.tar.gz', env: {} })).toBe(
      '/x/y/aclImdb_v1.tar.gz',
    );
  });

  it('reads SEQLEARN_SHARED_DATASETS when --data is absent', () => {
    expect(sharedDataPath('wiki-15', { env: { SEQLEARN_SHARED_DATASETS: '/data' } })).toBe(
      '/data/wiki-15',
    );
  });

  it('falls back to shared/datasets beside the repository root', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-data-'));
    const repo = path.join(tmp, 'main');
    fs.mkdirSync(path.join(repo, 'examples', 'x', 'src'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'turbo.json'), '{}');
    const from = path.join(repo, 'examples', 'x', 'src');
    expect(sharedDataPath('imdb', { env: {}, from })).toBe(
      path.join(tmp, 'shared', 'datasets', 'imdb'),
    );
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});

describe('findRepoRoot', () => {
  it('finds this repository from the kit folder', () => {
    const root = findRepoRoot(__dirname);
    expect(root && fs.existsSync(path.join(root, 'turbo.json'))).toBe(true);
  });

  it('returns undefined when no folder above holds turbo.json', () => {
    expect(findRepoRoot(path.parse(process.cwd()).root)).toBeUndefined();
  });
});
