import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineDataset, listDatasets, registerDataset } from '@seqlearn/datasets';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main';
import { sink } from './test-io';

const body = Buffer.from('0.5,1.5,2.5\n'.repeat(25_000)); // 300,000 bytes
const bodySha = createHash('sha256').update(body).digest('hex');
const hits: Record<string, number> = {};
let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  // A local server: /good serves the body, /cut half of it and then closes the connection.
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === '/good') {
      res.writeHead(200, { 'content-length': String(body.length) });
      res.end(body);
    } else if (path === '/cut') {
      res.writeHead(200, { 'content-length': String(body.length) });
      res.write(body.subarray(0, body.length / 2), () => res.socket?.destroy());
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const adapter = (name: string, source: Record<string, unknown>) =>
    registerDataset(
      defineDataset({
        name,
        description: `Test data served from 127.0.0.1 (${name}).`,
        license: 'CC0-1.0',
        citation: 'none',
        kind: 'file',
        splits: ['all'],
        sources: [{ filename: 'series.csv', url: `${base}/good`, ...source }],
        isRecord: (v): v is string => typeof v === 'string',
        load: async () => ({ split: 'all', records: [] as string[] }),
      }),
    );
  adapter('cliGood', { sha256: bodySha, size: body.length });
  adapter('cliBadSum', { sha256: 'f'.repeat(64) });
  adapter('cliCut', { url: `${base}/cut`, sha256: bodySha });
  adapter('cliNoSum', {});
  adapter('cliManual', { url: 'https://example.org/terms', manual: true });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const key of Object.keys(hits)) delete hits[key];
});

async function run(argv: string[], { tty = false } = {}) {
  const stdout = sink();
  const stderr = sink(tty);
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function fresh(): string {
  dir = mkdtempSync(join(tmpdir(), 'seqlearn-cli-datasets-'));
  return dir;
}

/** The files under `<dir>/<name>`, temporary ones included; none when the folder is missing. */
function filesOf(name: string): string[] {
  const folder = join(dir, name);
  return existsSync(folder) ? readdirSync(folder) : [];
}

describe('seqlearn datasets list', () => {
  it('lists every registered dataset with its sources, sizes, checksums and licence', async () => {
    const { code, stdout } = await run(['datasets', 'list']);
    expect(code).toBe(0);
    for (const adapter of listDatasets()) {
      expect(stdout).toContain(
        `${adapter.name} (${adapter.kind}; splits: ${adapter.splits.join(', ')})`,
      );
      expect(stdout).toContain(`  licence: ${adapter.license}`);
    }
    expect(stdout).toContain(
      'aclImdb_v1.tar.gz: 84.1 MB, sha256 c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe',
    );
    expect(stdout).toMatch(/training\.txt: 447\.5 kB, sha256 [0-9a-f]{64}, manual download/);
    expect(stdout).toContain('names (embedded; splits: all)');
  });

  it('prints the same facts as JSON with --json', async () => {
    const { code, stdout } = await run(['datasets', 'list', '--json']);
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { name: string; sources: { sha256?: string }[] }[];
    expect(listed.map((d) => d.name)).toEqual(listDatasets().map((d) => d.name));
    expect(listed.find((d) => d.name === 'textCorpus')?.sources[0]).toEqual(
      expect.objectContaining({
        filename: 'input.txt',
        size: 1_115_394,
        sha256: '86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed',
      }),
    );
  });
});

describe('seqlearn datasets download', () => {
  it('downloads into <dir>/<name>/, verifies the sha256 and prints it with the path', async () => {
    fresh();
    const { code, stdout, stderr } = await run(['datasets', 'download', 'cliGood', '--dir', dir]);
    const dest = join(dir, 'cliGood', 'series.csv');
    expect(code).toBe(0);
    expect(stdout).toBe(`${bodySha}  ${dest}\n`);
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(filesOf('cliGood')).toEqual(['series.csv']);
    // Off a terminal, progress comes as lines, ending at 100%.
    expect(stderr).toMatch(/^cliGood\/series\.csv \d+% [0-9.]+\/0\.3 MB\n/);
    expect(stderr).toContain(
      'cliGood/series.csv 100% 0.3/0.3 MB\ncliGood/series.csv: sha256 verified\n',
    );
  });

  it('draws a progress bar when stderr is a terminal', async () => {
    fresh();
    const { code, stderr } = await run(['datasets', 'download', 'cliGood', '--dir', dir], {
      tty: true,
    });
    expect(code).toBe(0);
    expect(stderr).toContain('\rcliGood/series.csv [####################] 100% 0.3/0.3 MB\n');
  });

  it('keeps a verified copy without downloading it again, unless --force', async () => {
    fresh();
    await run(['datasets', 'download', 'cliGood', '--dir', dir]);
    const again = await run(['datasets', 'download', 'cliGood', '--dir', dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('cliGood/series.csv: already there, sha256 verified\n');
    expect(hits['/good']).toBe(1);
    const forced = await run(['datasets', 'download', 'cliGood', '--dir', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(hits['/good']).toBe(2);
  });

  it('exits 1 with CHECKSUM_MISMATCH and leaves no file when the sha256 differs', async () => {
    fresh();
    const { code, stdout, stderr } = await run(['datasets', 'download', 'cliBadSum', '--dir', dir]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^seqlearn datasets: cliBadSum\/series\.csv: .*expected sha256 f{64}, got [0-9a-f]{64} \[CHECKSUM_MISMATCH\]; nothing was written to /m,
    );
    expect(filesOf('cliBadSum')).toEqual([]);
  });

  it('exits 1 with DOWNLOAD_FAILED and leaves no half file when the connection is cut', async () => {
    fresh();
    const { code, stderr } = await run([
      'datasets',
      'download',
      'cliCut',
      '--dir',
      dir,
      '--retries',
      '1',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('[DOWNLOAD_FAILED]');
    expect(hits['/cut']).toBe(2);
    expect(filesOf('cliCut')).toEqual([]);
  });

  it('downloads a file without a published sha256 and says that it could not check it', async () => {
    fresh();
    const { code, stdout, stderr } = await run(['datasets', 'download', 'cliNoSum', '--dir', dir]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${bodySha}  ${join(dir, 'cliNoSum', 'series.csv')}\n`);
    expect(stderr).toContain('cliNoSum/series.csv: no published sha256 to check it against\n');
  });

  it('exits 1 with where to get a file that must be fetched by hand', async () => {
    fresh();
    const { code, stderr } = await run(['datasets', 'download', 'cliManual', '--dir', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `cliManual/series.csv cannot be downloaded automatically (terms to accept or a login): get it from https://example.org/terms and put it at ${join(dir, 'cliManual', 'series.csv')}`,
    );
    expect(filesOf('cliManual')).toEqual([]);
  });

  it('has nothing to download for embedded and synthetic datasets', async () => {
    fresh();
    for (const [name, what] of [
      ['names', 'shipped inside @seqlearn/datasets'],
      ['sine', 'generated from a seed'],
    ]) {
      const { code, stdout, stderr } = await run(['datasets', 'download', name, '--dir', dir]);
      expect({ code, stdout, stderr }).toEqual({
        code: 0,
        stdout: '',
        stderr: `${name} is ${what}; nothing to download\n`,
      });
    }
  });

  it('exits 2 listing the names for an unknown dataset, a missing name or a bad --retries', async () => {
    const unknown = await run(['datasets', 'download', 'mnist']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^seqlearn datasets: unknown dataset "mnist"; expected one of names, uciHar, imdb,/,
    );
    expect((await run(['datasets', 'download'])).code).toBe(2);
    expect((await run(['datasets', 'download', 'imdb', '--retries', '-1'])).code).toBe(2);
    expect((await run(['datasets', 'download', 'imdb', 'textCorpus'])).code).toBe(2);
  });
});
