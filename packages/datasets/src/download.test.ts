import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DownloadProgress, download } from './download';

const body = Buffer.from('seqlearn '.repeat(20_000)); // 180,000 bytes
const bodySha = createHash('sha256').update(body).digest('hex');

let server: Server;
let base: string;
let dir: string;
const hits: Record<string, number> = {};

function sendHalfThenCut(res: ServerResponse) {
  res.writeHead(200, { 'content-length': String(body.length) });
  res.write(body.subarray(0, body.length / 2), () => res.socket?.destroy());
}

function stall(res: ServerResponse) {
  res.writeHead(200, { 'content-length': String(body.length) });
  res.write(body.subarray(0, 10));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    const n = hits[path];
    if (path === '/good') {
      res.writeHead(200, { 'content-length': String(body.length) });
      res.end(body);
    } else if (path === '/cut') {
      sendHalfThenCut(res);
    } else if (path === '/cut-once') {
      if (n === 1) sendHalfThenCut(res);
      else res.end(body);
    } else if (path === '/slow-once') {
      // First attempt: headers, a few bytes, then silence; the client's idle timeout must fire.
      if (n === 1) stall(res);
      else res.end(body);
    } else if (path === '/stall') {
      stall(res);
    } else if (path === '/flaky-500') {
      if (n === 1) {
        res.writeHead(503);
        res.end('busy');
      } else res.end(body);
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const key of Object.keys(hits)) delete hits[key];
});

function freshDir() {
  dir = mkdtempSync(join(tmpdir(), 'seqlearn-download-'));
  return dir;
}

// A generous idle timeout, so that a busy CI machine never turns a test into a retry; the stall
// tests set their own.
const quick = { retryDelayMs: 1, timeoutMs: 10_000, onProgress: () => {} };

describe('download', () => {
  it('writes a good file to dest, verifies its sha256 and reports progress', async () => {
    const dest = join(freshDir(), 'sub', 'file.txt');
    const seen: DownloadProgress[] = [];
    const path = await download(`${base}/good`, {
      dest,
      sha256: bodySha,
      onProgress: (p) => seen.push(p),
    });
    expect(path).toBe(dest);
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ received: body.length, total: body.length, attempt: 1 });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['file.txt']);
  });

  it('throws CHECKSUM_MISMATCH and leaves nothing behind when the hash differs', async () => {
    const dest = join(freshDir(), 'file.txt');
    await expect(
      download(`${base}/good`, { ...quick, dest, sha256: '0'.repeat(64) }),
    ).rejects.toThrow(expect.objectContaining({ code: 'CHECKSUM_MISMATCH' }));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('throws DOWNLOAD_FAILED and leaves nothing behind when the connection is cut half way', async () => {
    const dest = join(freshDir(), 'file.txt');
    await expect(download(`${base}/cut`, { ...quick, dest, retries: 2 })).rejects.toThrow(
      expect.objectContaining({ code: 'DOWNLOAD_FAILED' }),
    );
    expect(hits['/cut']).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('retries after a cut connection and then succeeds', async () => {
    const dest = join(freshDir(), 'file.txt');
    await download(`${base}/cut-once`, { ...quick, dest, sha256: bodySha });
    expect(hits['/cut-once']).toBe(2);
    expect(readdirSync(dir)).toEqual(['file.txt']);
  });

  it('throws DOWNLOAD_FAILED with status 404 without retrying and leaves nothing behind', async () => {
    const dest = join(freshDir(), 'file.txt');
    await expect(download(`${base}/missing`, { ...quick, dest })).rejects.toThrow(
      expect.objectContaining({ code: 'DOWNLOAD_FAILED', status: 404 }),
    );
    expect(hits['/missing']).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('aborts a stalled attempt after timeoutMs and succeeds on the retry', async () => {
    const dest = join(freshDir(), 'file.txt');
    await download(`${base}/slow-once`, { ...quick, dest, sha256: bodySha, timeoutMs: 1000 });
    expect(hits['/slow-once']).toBe(2);
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(readdirSync(dir)).toEqual(['file.txt']);
  });

  it('throws DOWNLOAD_FAILED when a stalled server never recovers and leaves nothing behind', async () => {
    const dest = join(freshDir(), 'file.txt');
    await expect(
      download(`${base}/stall`, { ...quick, dest, retries: 1, timeoutMs: 150 }),
    ).rejects.toThrow(expect.objectContaining({ code: 'DOWNLOAD_FAILED' }));
    expect(hits['/stall']).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('retries an HTTP 503 and then succeeds', async () => {
    const dest = join(freshDir(), 'file.txt');
    await download(`${base}/flaky-500`, { ...quick, dest, sha256: bodySha });
    expect(hits['/flaky-500']).toBe(2);
  });

  it('keeps an existing file whose hash matches without a request', async () => {
    const dest = join(freshDir(), 'file.txt');
    writeFileSync(dest, body);
    await download(`${base}/good`, { ...quick, dest, sha256: bodySha });
    expect(hits['/good']).toBeUndefined();
  });

  it('replaces an existing file whose hash differs, and keeps it when the new one fails', async () => {
    const dest = join(freshDir(), 'file.txt');
    writeFileSync(dest, 'stale');
    await expect(download(`${base}/missing`, { ...quick, dest, sha256: bodySha })).rejects.toThrow(
      expect.objectContaining({ code: 'DOWNLOAD_FAILED' }),
    );
    expect(readFileSync(dest, 'utf8')).toBe('stale');
    await download(`${base}/good`, { ...quick, dest, sha256: bodySha });
    expect(readFileSync(dest).equals(body)).toBe(true);
  });

  it('rejects a bad url, sha256 or retries with INVALID_ARGUMENT', async () => {
    const dest = join(freshDir(), 'file.txt');
    await expect(download('ftp://x', { dest })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'url' }),
    );
    await expect(download(`${base}/good`, { dest, sha256: 'abc' })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'sha256' }),
    );
    await expect(download(`${base}/good`, { dest, retries: -1 })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'retries' }),
    );
    expect(existsSync(dest)).toBe(false);
  });
});
