import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './__fixtures__/temp-dir';
import { pickSplit, resolveSource } from './resolve-source';

const body = Buffer.from('1\tgood\n0\tbad\n');
const sha256 = createHash('sha256').update(body).digest('hex');
const tmp = tempDir('resolve');
let server: Server;
let base: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('resolveSource', () => {
  it('returns a given path that exists, and MISSING_FILE for one that does not', async () => {
    const path = tmp.write('given.txt', 'x');
    const source = { filename: 'f.txt', url: `${base}/f.txt` };
    expect(await resolveSource('demo', source, { path })).toBe(path);
    await expect(resolveSource('demo', source, { path: join(tmp.dir, 'nope') })).rejects.toThrow(
      expect.objectContaining({ code: 'MISSING_FILE', path: join(tmp.dir, 'nope') }),
    );
  });

  it('downloads a missing source into <dataDir>/<dataset>/<filename> once, then uses the cache', async () => {
    const dataDir = join(tmp.dir, 'cache');
    const source = { filename: 'data.txt', url: `${base}/data.txt`, sha256 };
    const path = await resolveSource('demo', source, { dataDir });
    expect(path).toBe(join(dataDir, 'demo', 'data.txt'));
    expect(readFileSync(path).equals(body)).toBe(true);
    await resolveSource('demo', source, { dataDir });
    expect(requests).toBe(1);
    // The file and the sidecar that remembers its verified sha256; no temporary file.
    expect(readdirSync(join(dataDir, 'demo'))).toEqual(['data.txt', 'data.txt.sha256']);
  });

  it('honours SEQLEARN_DATA_DIR when no dataDir is given', async () => {
    const dataDir = join(tmp.dir, 'env-cache');
    mkdirSync(join(dataDir, 'demo'), { recursive: true });
    writeFileSync(join(dataDir, 'demo', 'cached.txt'), 'cached');
    const previous = process.env.SEQLEARN_DATA_DIR;
    process.env.SEQLEARN_DATA_DIR = dataDir;
    try {
      const source = { filename: 'cached.txt', url: `${base}/cached.txt` };
      expect(await resolveSource('demo', source, {})).toBe(join(dataDir, 'demo', 'cached.txt'));
    } finally {
      if (previous === undefined) delete process.env.SEQLEARN_DATA_DIR;
      else process.env.SEQLEARN_DATA_DIR = previous;
    }
  });

  it('throws MISSING_FILE without a request when download is false or the source is manual', async () => {
    const dataDir = join(tmp.dir, 'empty-cache');
    const before = requests;
    await expect(
      resolveSource(
        'demo',
        { filename: 'a.txt', url: `${base}/a.txt` },
        { dataDir, download: false },
      ),
    ).rejects.toThrow(expect.objectContaining({ code: 'MISSING_FILE' }));
    await expect(
      resolveSource('demo', { filename: 'b.txt', url: `${base}/b.txt`, manual: true }, { dataDir }),
    ).rejects.toThrow(
      expect.objectContaining({ code: 'MISSING_FILE', path: join(dataDir, 'demo', 'b.txt') }),
    );
    expect(requests).toBe(before);
    expect(existsSync(join(dataDir, 'demo', 'a.txt'))).toBe(false);
  });
});

describe('pickSplit', () => {
  it('defaults to the first split and rejects an unknown one with INVALID_ARGUMENT', () => {
    expect(pickSplit('demo', ['train', 'test'])).toBe('train');
    expect(() => pickSplit('demo', ['train'], 'valid')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'split' }),
    );
  });
});
