/**
 * Reliability: corrupt, truncated or hostile input must end in a typed `DatasetsError` naming
 * what was wrong and what was expected, never in wrong data, a hang or a crash. Every fixture is
 * generated here, seeded, in the official on-disk format of its dataset.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Server as TcpServer,
} from 'node:net';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync, inflateRawSync } from 'node:zlib';
import { create } from 'tar';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sharedDatasets } from './__fixtures__/shared-datasets';
import { tempDir } from './__fixtures__/temp-dir';
import { makeHarFixture, writeHarFolder } from './__fixtures__/uci-har';
import { buildZip } from './__fixtures__/write-zip';
import { dampedSine } from './damped-sine';
import { dbpediaWiki } from './dbpedia-wiki';
import { download } from './download';
import { DatasetsError } from './errors';
import { type ImdbRecord, imdb, readImdb } from './imdb';
import { memoryTask } from './memory-task';
import { powerSeries } from './power-series';
import { createRandom } from './random';
import { resolveSource } from './resolve-source';
import { sine } from './sine';
import { uciHar } from './uci-har';
import { crc32Table, openZip } from './zip-archive';

type Hook = (...args: unknown[]) => unknown;
/** Replacements for node:fs functions as download.ts sees them; unset = the real one. */
const fsHooks = vi.hoisted(() => ({}) as Record<string, Hook | undefined>);

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<Record<string, Hook>>();
  const mocked: Record<string, unknown> = { ...actual };
  mocked.createWriteStream = (...args: unknown[]) =>
    (fsHooks.createWriteStream ?? actual.createWriteStream)(...args);
  return { ...mocked, default: mocked };
});

const tmp = tempDir('reliability');
let counter = 0;
/** A fresh, empty folder under the test's temporary folder. */
function freshDir(name: string): string {
  const dir = join(tmp.dir, `${name}-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Resolves to the error `promise` rejects with; fails the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<DatasetsError> {
  try {
    await promise;
  } catch (error) {
    expect(DatasetsError.isInstance(error), `not a DatasetsError: ${error}`).toBe(true);
    return error as DatasetsError;
  }
  throw new Error('expected a rejection, got a result');
}

// ---------------------------------------------------------------------------------------------
// zip
// ---------------------------------------------------------------------------------------------

/** The official UCI HAR zip layout (`UCI HAR Dataset/...`), every entry stored or deflated. */
function harZip(method: 0 | 8, seed = 11) {
  const fixture = makeHarFixture({ train: 3, test: 2 }, seed);
  const entries = Object.entries(fixture.files).map(([relative, content]) => ({
    name: `UCI HAR Dataset/${relative}`,
    data: Buffer.from(content, 'latin1'),
    method,
  }));
  return { fixture, ...buildZip(entries) };
}

describe('zip entries are checked against their CRC-32 and sizes', () => {
  it('loads an intact stored zip (control)', async () => {
    const { fixture, zip } = harZip(0);
    const path = tmp.write('har-stored.zip', zip);
    const data = await uciHar.load({ path, split: 'train' });
    expect(data.labels).toEqual(fixture.labels.train);
  });

  it('throws CHECKSUM_MISMATCH for a flipped byte in a stored entry (was: a wrong label)', async () => {
    const { zip, dataAt } = harZip(0);
    const name = 'UCI HAR Dataset/train/y_train.txt';
    // The first label of the fixture is 3; make it 4: still a valid activity, so only the
    // CRC-32 can tell.
    expect(String.fromCharCode(zip[dataAt[name]])).toBe('3');
    zip[dataAt[name]] = '4'.charCodeAt(0);
    const path = tmp.write('har-flipped.zip', zip);
    const error = await failure(uciHar.load({ path, split: 'train' }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.path).toBe(`${path}!${name}`);
    expect(error.message).toMatch(/CRC-32/);
    expect(error.message).toContain(name);
  });

  it('throws CHECKSUM_MISMATCH for a flipped bit in a deflated entry that still inflates', async () => {
    const random = createRandom(5);
    const text = Buffer.from(
      Array.from({ length: 400 }, () => (random() * 2 - 1).toExponential(7).padStart(16)).join(''),
    );
    const packed = deflateRawSync(text);
    // Find, deterministically, a bit whose flip still inflates to as many bytes, only different:
    // neither zlib nor the size check catches it, only the CRC-32.
    let flip: [number, number] | undefined;
    search: for (let at = packed.length >> 1; at < packed.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const mutated = Buffer.from(packed);
        mutated[at] ^= 1 << bit;
        try {
          const out = inflateRawSync(mutated);
          if (out.length === text.length && !out.equals(text)) {
            flip = [at, bit];
            break search;
          }
        } catch {}
      }
    }
    expect(flip).toBeDefined();
    const { zip, dataAt } = buildZip([{ name: 'signals.txt', data: text, method: 8 }]);
    zip[dataAt['signals.txt'] + flip![0]] ^= 1 << flip![1];
    const archive = await openZip(zip, 'deflated.zip');
    try {
      const error = await failure(archive.read('signals.txt'));
      expect(error.code).toBe('CHECKSUM_MISMATCH');
      expect(error.path).toBe('deflated.zip!signals.txt');
      expect(error.message).toMatch(/expected CRC-32 [0-9a-f]{8}, got [0-9a-f]{8}/);
    } finally {
      archive.close();
    }
  });

  it('throws MALFORMED_DATA (not a bare Error) for a size that differs from the recorded one', async () => {
    const data = Buffer.from('1 WALKING\n2 WALKING_UPSTAIRS\n');
    const { zip } = buildZip([{ name: 'labels.txt', data, method: 8, size: data.length + 7 }]);
    const archive = await openZip(zip, 'sizes.zip');
    try {
      const error = await failure(archive.read('labels.txt'));
      expect(error.code).toBe('MALFORMED_DATA');
      expect(error.path).toBe('sizes.zip!labels.txt');
      expect(error.message).toContain(String(data.length + 7));
    } finally {
      archive.close();
    }
  });

  it('throws MALFORMED_DATA (not a bare zlib Error) for a deflate stream that does not inflate', async () => {
    const data = Buffer.from('x'.repeat(2000));
    const { zip, dataAt } = buildZip([{ name: 'bad.txt', data, method: 8 }]);
    zip[dataAt['bad.txt']] = 0xff; // reserved block type 3
    const archive = await openZip(zip, 'inflate.zip');
    try {
      const error = await failure(archive.read('bad.txt'));
      expect(error.code).toBe('MALFORMED_DATA');
      expect(error.path).toBe('inflate.zip!bad.txt');
    } finally {
      archive.close();
    }
  });

  it('computes the same CRC-32 without zlib.crc32 (Node < 20.15)', () => {
    const random = createRandom(9);
    const data = Buffer.from(Array.from({ length: 5000 }, () => Math.floor(random() * 256)));
    expect(crc32Table(data)).toBe(crc32(data));
    expect(crc32Table(Buffer.alloc(0))).toBe(0);
  });

  it('names the zip and the entry when a file of the dataset is missing from it', async () => {
    const fixture = makeHarFixture({ train: 2, test: 1 }, 3);
    const entries = Object.entries(fixture.files)
      .filter(([relative]) => relative !== 'train/subject_train.txt')
      .map(([relative, content]) => ({
        name: `UCI HAR Dataset/${relative}`,
        data: Buffer.from(content),
        method: 8 as const,
      }));
    const path = tmp.write('har-missing.zip', buildZip(entries).zip);
    const error = await failure(uciHar.load({ path, split: 'train' }));
    expect(error.code).toBe('MISSING_FILE');
    expect(error.path).toBe(`${path}!UCI HAR Dataset/train/subject_train.txt`);
  });

  it('throws MALFORMED_DATA for an empty zip (no entries)', async () => {
    const path = tmp.write('empty.zip', buildZip([]).zip);
    const error = await failure(uciHar.load({ path }));
    expect(error.code).toBe('MALFORMED_DATA');
    expect(error.path).toBe(path);
  });
});

// ---------------------------------------------------------------------------------------------
// tar (imdb)
// ---------------------------------------------------------------------------------------------

const WORDS =
  'the film was a story of an actor who plays with great charm but the plot is dull and slow yet the ending moved me to tears'.split(
    ' ',
  );

/** A small aclImdb tree (train and test, pos and neg) as `<id>_<rating>.txt`, seeded. */
function makeImdbTree(seed: number) {
  const random = createRandom(seed);
  const reviews: Record<string, string> = { 'aclImdb/README': 'Large Movie Review Dataset v1.0\n' };
  for (const split of ['train', 'test']) {
    for (const polarity of ['neg', 'pos']) {
      for (let id = 0; id < 4; id++) {
        const rating =
          polarity === 'pos' ? 7 + Math.floor(random() * 4) : 1 + Math.floor(random() * 4);
        const words = Array.from(
          { length: 40 + Math.floor(random() * 200) },
          () => WORDS[Math.floor(random() * WORDS.length)],
        );
        reviews[`aclImdb/${split}/${polarity}/${id}_${rating}.txt`] =
          `${words.join(' ')}.<br /><br />${id}`;
      }
    }
  }
  const dir = freshDir('imdb-tree');
  for (const [name, text] of Object.entries(reviews)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const tarPath = join(dir, 'aclImdb_v1.tar');
  create({ file: tarPath, cwd: dir, sync: true, portable: true }, ['aclImdb']);
  return { reviews, tar: readFileSync(tarPath) };
}

/** Offset of the 512-byte header of `name` in an uncompressed tar. */
function headerOffset(tar: Buffer, name: string): number {
  for (let at = 0; at + 512 <= tar.length; at += 512) {
    if (
      tar
        .subarray(at, at + 100)
        .toString('utf8')
        .replace(/\0.*$/s, '') === name
    )
      return at;
  }
  throw new Error(`no header for ${name}`);
}

/** Collects what `stream` yields before it throws; returns both. */
async function drain(records: AsyncIterable<ImdbRecord>) {
  const seen: ImdbRecord[] = [];
  try {
    for await (const record of records) seen.push(record);
  } catch (error) {
    return { seen, error: error as DatasetsError };
  }
  return { seen, error: undefined };
}

const textOf = (reviews: Record<string, string>, r: ImdbRecord) =>
  reviews[`aclImdb/${r.split}/${r.label === 1 ? 'pos' : 'neg'}/${r.id}_${r.rating}.txt`];

describe('tar headers are checked and truncation is reported (imdb)', () => {
  const { reviews, tar } = makeImdbTree(21);
  const trainCount = Object.keys(reviews).filter((n) => n.includes('/train/')).length;

  it('reads the intact archive, gzipped and plain (control)', async () => {
    const gz = tmp.write('intact.tar.gz', gzipSync(tar));
    const plain = tmp.write('intact.tar', tar);
    for (const path of [gz, plain]) {
      const { records } = await imdb.load({ path, split: 'train' });
      expect(records).toHaveLength(trainCount);
      for (const r of records) expect(r.text).toBe(textOf(reviews, r));
    }
  });

  it('throws CHECKSUM_MISMATCH naming the offset and entry of a corrupt header (was: dropped)', async () => {
    const name = Object.keys(reviews).find((n) => n.startsWith('aclImdb/train/pos/2_'))!;
    const at = headerOffset(tar, name);
    const corrupt = Buffer.from(tar);
    // One digit of the mode field changed: a valid-looking header whose checksum no longer adds up.
    corrupt[at + 103] = corrupt[at + 103] === 0x30 ? 0x31 : 0x30;
    const path = tmp.write('bad-header.tar.gz', gzipSync(corrupt));
    const error = await failure(imdb.load({ path, split: 'train' }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`byte ${at}`);
    expect(error.message).toContain(name);
  });

  it('throws MALFORMED_DATA for a plain tar cut at an entry boundary (no end-of-archive blocks)', async () => {
    const cut = headerOffset(tar, Object.keys(reviews).find((n) => n.includes('/test/pos/'))!);
    const path = tmp.write('cut-boundary.tar', tar.subarray(0, cut));
    const error = await failure(imdb.load({ path, split: 'test' }));
    expect(error.code).toBe('MALFORMED_DATA');
    expect(error.message).toMatch(/truncated/);
    expect(error.message).toContain(String(cut));
  });

  it('never yields a cut review: a plain tar cut inside an entry', async () => {
    const name = Object.keys(reviews).find((n) => n.includes('/train/pos/'))!;
    const cut = headerOffset(tar, name) + 512 + 10;
    const path = tmp.write('cut-inside.tar', tar.subarray(0, cut));
    const { seen, error } = await drain(readImdb(path, new Set(['train'])));
    expect(error?.code).toBe('MALFORMED_DATA');
    expect(error?.message).toMatch(/truncated/);
    expect(error?.message).toContain(name);
    for (const r of seen) expect(r.text).toBe(textOf(reviews, r));
  });

  it('never yields a cut review: a tar.gz cut short', async () => {
    const gz = gzipSync(tar);
    const path = tmp.write('cut.tar.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { seen, error } = await drain(readImdb(path, new Set(['train', 'test'])));
    expect(error?.code).toBe('MALFORMED_DATA');
    expect(error?.message).toMatch(/truncated/);
    for (const r of seen) expect(r.text).toBe(textOf(reviews, r));
  });

  it('throws CHECKSUM_MISMATCH for a gzip stream whose CRC-32 does not match', async () => {
    const gz = gzipSync(tar);
    gz[gz.length - 8] ^= 0x01; // first byte of the gzip trailer's CRC-32
    const path = tmp.write('bad-crc.tar.gz', gz);
    const error = await failure(imdb.load({ path, split: 'test' }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toMatch(/gzip/);
  });

  it('throws MALFORMED_DATA for an empty archive and for an empty file', async () => {
    const emptyTar = tmp.write('empty.tar.gz', gzipSync(Buffer.alloc(1024)));
    expect((await failure(imdb.load({ path: emptyTar }))).code).toBe('MALFORMED_DATA');
    const emptyFile = tmp.write('zero-bytes.tar.gz', Buffer.alloc(0));
    const error = await failure(imdb.load({ path: emptyFile }));
    expect(error.code).toBe('MALFORMED_DATA');
    expect(error.message).toMatch(/empty/);
  });
});

// ---------------------------------------------------------------------------------------------
// download
// ---------------------------------------------------------------------------------------------

const body = Buffer.from(
  Array.from({ length: 3000 }, (_, i) => `${i % 14} sentence number ${i} of the corpus.`).join(
    '\n',
  ),
);
const bodySha = createHash('sha256').update(body).digest('hex');
let http: Server;
let tcp: TcpServer;
let base: string;
let rawBase: string;
const hits: Record<string, number> = {};
const acceptEncoding: string[] = [];
const timers = new Set<NodeJS.Timeout>();

function trickle(res: ServerResponse, everyMs: number, bytes: number) {
  res.writeHead(200, { 'content-length': String(bytes) });
  let sent = 0;
  const timer = setInterval(() => {
    if (sent >= bytes || res.destroyed) {
      clearInterval(timer);
      timers.delete(timer);
      res.end();
      return;
    }
    res.write(body.subarray(sent, sent + 1));
    sent++;
  }, everyMs);
  timers.add(timer);
  res.on('close', () => {
    clearInterval(timer);
    timers.delete(timer);
  });
}

beforeAll(async () => {
  http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    hits[path] = (hits[path] ?? 0) + 1;
    acceptEncoding.push(String(req.headers['accept-encoding']));
    const chain = /^\/chain\/(\d+)$/.exec(path);
    if (path === '/good') {
      res.writeHead(200, { 'content-length': String(body.length) });
      res.end(body);
    } else if (path === '/chunked-cut') {
      // No content-length: chunked; half the body, then the connection drops.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
    } else if (path === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (chain) {
      res.writeHead(301, { location: `/chain/${Number(chain[1]) + 1}` });
      res.end();
    } else if (path === '/hop') {
      res.writeHead(307, { location: 'good' });
      res.end();
    } else if (path === '/to-file') {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    } else if (path === '/to-data') {
      res.writeHead(302, { location: 'data:text/plain,hello' });
      res.end();
    } else if (path === '/to-ftp') {
      res.writeHead(302, { location: 'ftp://127.0.0.1/file.txt' });
      res.end();
    } else if (path === '/to-credentials') {
      res.writeHead(302, { location: 'http://user:secret@127.0.0.1:9/file' });
      res.end();
    } else if (path === '/no-location') {
      res.writeHead(302);
      res.end();
    } else if (path === '/trickle') {
      trickle(res, 100, 60);
    } else if (path === '/busy') {
      res.writeHead(503);
      res.end('busy');
    } else if (path === '/gzip-anyway') {
      const packed = gzipSync(body);
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(packed.length) });
      res.end(packed);
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  // Raw responses that node:http would refuse to send.
  const raw: Record<string, string> = {
    '/length-abc': 'HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello',
    '/length-negative': 'HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello',
    '/length-twice': 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
    '/length-short':
      'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly 26 bytes of a hundred',
  };
  tcp = createTcpServer((socket) => {
    socket.once('data', (request) => {
      const path = /^GET (\S+)/.exec(request.toString('latin1'))?.[1] ?? '/';
      hits[path] = (hits[path] ?? 0) + 1;
      socket.end(raw[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  rawBase = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await new Promise((resolve) => tcp.close(resolve));
});

afterEach(() => {
  for (const key of Object.keys(hits)) delete hits[key];
  acceptEncoding.length = 0;
  for (const key of Object.keys(fsHooks)) fsHooks[key] = undefined;
});

const quick = { retries: 2, retryDelayMs: 1, timeoutMs: 5000, onProgress: () => {} };

describe('download: cut, malformed and hostile responses', { timeout: 10_000 }, () => {
  it('throws DOWNLOAD_FAILED for a chunked response cut mid-way, after the retries', async () => {
    const dir = freshDir('dl');
    const error = await failure(
      download(`${base}/chunked-cut`, { ...quick, dest: join(dir, 'f') }),
    );
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(hits['/chunked-cut']).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('throws DOWNLOAD_FAILED when fewer bytes arrive than Content-Length announced', async () => {
    const dir = freshDir('dl');
    const error = await failure(
      download(`${rawBase}/length-short`, { ...quick, dest: join(dir, 'f') }),
    );
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(readdirSync(dir)).toEqual([]);
  });

  for (const [path, what] of [
    ['/length-abc', 'non-numeric'],
    ['/length-negative', 'negative'],
    ['/length-twice', 'duplicate'],
  ]) {
    it(`throws BAD_RESPONSE at once, without retries, for a ${what} Content-Length`, async () => {
      const dir = freshDir('dl');
      const error = await failure(
        download(`${rawBase}${path}`, { ...quick, dest: join(dir, 'f') }),
      );
      expect(error.code).toBe('BAD_RESPONSE');
      expect(error.message).toMatch(/Content-Length/);
      expect(hits[path]).toBe(1);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('throws BAD_RESPONSE for a redirect loop, naming it, without retries', async () => {
    const dir = freshDir('dl');
    const error = await failure(download(`${base}/loop`, { ...quick, dest: join(dir, 'f') }));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(/redirect loop/);
    expect(hits['/loop']).toBe(1);
  });

  it('throws BAD_RESPONSE after maxRedirects redirects, saying so', async () => {
    const dir = freshDir('dl');
    const error = await failure(
      download(`${base}/chain/0`, { ...quick, dest: join(dir, 'f'), maxRedirects: 3 }),
    );
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(/more than 3 redirects/);
    const requests = Object.entries(hits).filter(([p]) => p.startsWith('/chain/'));
    expect(requests.map(([p]) => p)).toEqual(['/chain/0', '/chain/1', '/chain/2', '/chain/3']);
    expect(requests.every(([, n]) => n === 1)).toBe(true);
  });

  for (const [path, scheme] of [
    ['/to-file', 'file:'],
    ['/to-data', 'data:'],
    ['/to-ftp', 'ftp:'],
  ]) {
    it(`throws BAD_RESPONSE at once for a redirect to ${scheme}`, async () => {
      const dir = freshDir('dl');
      const error = await failure(download(`${base}${path}`, { ...quick, dest: join(dir, 'f') }));
      expect(error.code).toBe('BAD_RESPONSE');
      expect(error.message).toContain(scheme);
      expect(error.message).toMatch(/http\(s\)/);
      expect(hits[path]).toBe(1);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('throws BAD_RESPONSE for a redirect without Location', async () => {
    const dir = freshDir('dl');
    const error = await failure(
      download(`${base}/no-location`, { ...quick, dest: join(dir, 'f') }),
    );
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(/Location/);
    expect(hits['/no-location']).toBe(1);
  });

  it('follows a relative redirect to the file (control)', async () => {
    const dest = join(freshDir('dl'), 'f');
    await download(`${base}/hop`, { ...quick, dest, sha256: bodySha });
    expect(readFileSync(dest).equals(body)).toBe(true);
  });

  it('asks for identity encoding and still verifies a body the server gzipped anyway', async () => {
    const dest = join(freshDir('dl'), 'f');
    await download(`${base}/gzip-anyway`, { ...quick, dest, sha256: bodySha });
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(acceptEncoding).toEqual(['identity']);
  });
});

describe('download: onProgress errors, deadlines and options', { timeout: 10_000 }, () => {
  it('rejects with CALLBACK_FAILED (cause: the error) when onProgress throws, removes the .part, no retry', async () => {
    const dir = freshDir('dl');
    const boom = new Error('progress display broke');
    const error = await failure(
      download(`${base}/good`, {
        ...quick,
        dest: join(dir, 'f'),
        onProgress: () => {
          throw boom;
        },
      }),
    );
    expect(error.code).toBe('CALLBACK_FAILED');
    expect(error.argument).toBe('onProgress');
    expect(error.cause).toBe(boom);
    expect(hits['/good']).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects with CALLBACK_FAILED when an async onProgress rejects', async () => {
    const dir = freshDir('dl');
    const boom = new Error('async progress broke');
    const error = await failure(
      download(`${base}/good`, {
        ...quick,
        dest: join(dir, 'f'),
        onProgress: (async () => {
          throw boom;
        }) as never,
      }),
    );
    expect(error.code).toBe('CALLBACK_FAILED');
    expect(error.cause).toBe(boom);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('throws TIMEOUT for a server trickling a byte at a time past deadlineMs, leaving nothing', async () => {
    const dir = freshDir('dl');
    const started = Date.now();
    const error = await failure(
      download(`${base}/trickle`, { ...quick, dest: join(dir, 'f'), deadlineMs: 700 }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/700 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(hits['/trickle']).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('throws TIMEOUT when the deadline passes during the wait before a retry', async () => {
    const dir = freshDir('dl');
    const started = Date.now();
    const error = await failure(
      download(`${base}/busy`, {
        ...quick,
        dest: join(dir, 'f'),
        retryDelayMs: 60_000,
        deadlineMs: 300,
      }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects bad timeoutMs, deadlineMs, retryDelayMs, maxRedirects and onProgress with INVALID_ARGUMENT', async () => {
    const dest = join(freshDir('dl'), 'f');
    const bad: [string, Record<string, unknown>][] = [
      ['timeoutMs', { timeoutMs: 0 }],
      ['timeoutMs', { timeoutMs: Number.NaN }],
      ['deadlineMs', { deadlineMs: -1 }],
      ['deadlineMs', { deadlineMs: Number.POSITIVE_INFINITY }],
      ['retryDelayMs', { retryDelayMs: -5 }],
      ['maxRedirects', { maxRedirects: 1.5 }],
      ['onProgress', { onProgress: 'yes' }],
    ];
    for (const [argument, options] of bad) {
      const error = await failure(download(`${base}/good`, { dest, ...options }));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.argument).toBe(argument);
    }
    expect(hits['/good']).toBeUndefined();
    for (const url of ['http://', 'https://exa mple.org/file']) {
      const error = await failure(download(url, { dest }));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.argument).toBe('url');
    }
  });
});

describe('adapters refuse options that are not an object', () => {
  it('load(null) and load("train") are INVALID_ARGUMENT naming options (were TypeErrors or ignored)', async () => {
    for (const adapter of [memoryTask, sine, dampedSine, powerSeries, uciHar, dbpediaWiki, imdb]) {
      for (const options of [null, 'train', 5]) {
        const error = await failure(adapter.load(options as never));
        expect(error.code, `${adapter.name} ${options}`).toBe('INVALID_ARGUMENT');
        expect(error.argument).toBe('options');
        expect(error.message).toMatch(new RegExp(`^${adapter.name}: options must be an object`));
      }
    }
  });
});

describe('download: hostile options and file-system failures', { timeout: 10_000 }, () => {
  it('refuses missing or null options with INVALID_ARGUMENT (was a TypeError)', async () => {
    for (const options of [undefined, null, 'dest']) {
      const error = await failure(download(`${base}/good`, options as never));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.argument).toBe('options');
    }
    expect(hits['/good']).toBeUndefined();
  });

  it('refuses a URL with user:password@ at once (was: retried, then "DOWNLOAD_FAILED"), hiding the password', async () => {
    const dest = join(freshDir('dl'), 'f');
    const port = new URL(base).port;
    const error = await failure(
      download(`http://user:secret@127.0.0.1:${port}/good`, { ...quick, dest }),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.argument).toBe('url');
    expect(error.message).not.toMatch(/secret/);
    expect(hits['/good']).toBeUndefined();
    const redirected = await failure(download(`${base}/to-credentials`, { ...quick, dest }));
    expect(redirected.code).toBe('BAD_RESPONSE');
    expect(redirected.message).not.toMatch(/secret/);
    expect(hits['/to-credentials']).toBe(1);
  });

  it('refuses a dest that is a folder or ends in a separator before downloading (was a raw EISDIR/ENOTDIR)', async () => {
    const dir = freshDir('dl');
    writeFileSync(join(dir, 'keep'), 'x');
    for (const dest of [dir, `${dir}/`]) {
      const error = await failure(download(`${base}/good`, { ...quick, dest }));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.argument).toBe('dest');
    }
    expect(hits['/good']).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['keep']);
  });

  it('throws IO_ERROR (cause: the system error) when the folder cannot be made (was a raw EEXIST)', async () => {
    const dir = freshDir('dl');
    writeFileSync(join(dir, 'file'), 'x');
    const error = await failure(
      download(`${base}/good`, { ...quick, dest: join(dir, 'file', 'f') }),
    );
    expect(error.code).toBe('IO_ERROR');
    expect((error.cause as NodeJS.ErrnoException).code).toMatch(/^E(EXIST|NOTDIR)$/);
    expect(hits['/good']).toBeUndefined();
  });

  it('throws IO_ERROR without retrying when the disk is full (was: retried as a network error)', async () => {
    const dir = freshDir('dl');
    const fs = await vi.importActual<typeof import('node:fs')>('node:fs');
    fsHooks.createWriteStream = (...args: unknown[]) => {
      const stream = (fs.createWriteStream as Hook)(...args) as import('node:fs').WriteStream;
      stream.once('open', () => {
        const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
          errno: -28,
          syscall: 'write',
        });
        stream.destroy(full);
      });
      return stream;
    };
    const error = await failure(download(`${base}/good`, { ...quick, dest: join(dir, 'f') }));
    expect(error.code).toBe('IO_ERROR');
    expect(error.message).toMatch(/ENOSPC.*not retried/);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(hits['/good']).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// cache
// ---------------------------------------------------------------------------------------------

describe('cached files are verified against the declared sha256', { timeout: 10_000 }, () => {
  const source = () => ({ filename: 'corpus.txt', url: `${base}/good`, sha256: bodySha });

  it('re-downloads a corrupt cached file when the URL is known, then remembers the check', async () => {
    const dataDir = freshDir('cache');
    const cached = join(dataDir, 'demo', 'corpus.txt');
    mkdirSync(join(dataDir, 'demo'));
    const corrupt = Buffer.from(body);
    corrupt[100] ^= 0x20;
    writeFileSync(cached, corrupt);
    expect(await resolveSource('demo', source(), { dataDir })).toBe(cached);
    expect(readFileSync(cached).equals(body)).toBe(true);
    expect(hits['/good']).toBe(1);
    const marker = JSON.parse(readFileSync(`${cached}.sha256`, 'utf8'));
    expect(marker).toMatchObject({ sha256: bodySha, size: body.length });
    await resolveSource('demo', source(), { dataDir });
    expect(hits['/good']).toBe(1);
  });

  it('throws CHECKSUM_MISMATCH naming the cached file when it may not download', async () => {
    const dataDir = freshDir('cache');
    const cached = join(dataDir, 'demo', 'corpus.txt');
    mkdirSync(join(dataDir, 'demo'));
    writeFileSync(cached, body.subarray(0, body.length - 1)); // a byte short
    const error = await failure(resolveSource('demo', source(), { dataDir, download: false }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.path).toBe(cached);
    expect(error.message).toContain(bodySha);
    expect(readFileSync(cached).length).toBe(body.length - 1);
    expect(hits['/good']).toBeUndefined();
  });

  it('uses the file of a manual source as the user placed it (their copy, like { path })', async () => {
    const dataDir = freshDir('cache');
    const cached = join(dataDir, 'demo', 'corpus.txt');
    mkdirSync(join(dataDir, 'demo'));
    writeFileSync(cached, body.subarray(1)); // e.g. a copy without the final newline
    const manual = { ...source(), manual: true };
    expect(await resolveSource('demo', manual, { dataDir })).toBe(cached);
    expect(existsSync(`${cached}.sha256`)).toBe(false);
    expect(hits['/good']).toBeUndefined();
  });

  it('hashes a good cached file once; re-checks it when its size or mtime changes', async () => {
    const dataDir = freshDir('cache');
    const cached = join(dataDir, 'demo', 'corpus.txt');
    mkdirSync(join(dataDir, 'demo'));
    writeFileSync(cached, body);
    const mtime = new Date('2024-01-02T03:04:05Z'); // whole seconds: utimes restores it exactly
    utimesSync(cached, mtime, mtime);
    await resolveSource('demo', source(), { dataDir, download: false });
    const marker = JSON.parse(readFileSync(`${cached}.sha256`, 'utf8'));
    expect(marker).toMatchObject({ sha256: bodySha, size: body.length });
    expect(marker.mtimeMs).toBe(statSync(cached).mtimeMs);
    // Same size, same mtime: the marker is trusted, the file is not read again.
    const swapped = Buffer.from(body);
    swapped[0] ^= 0x01;
    writeFileSync(cached, swapped);
    utimesSync(cached, mtime, mtime);
    await expect(resolveSource('demo', source(), { dataDir, download: false })).resolves.toBe(
      cached,
    );
    // A new mtime: checked again, and caught.
    utimesSync(cached, new Date(), new Date(Date.now() + 5000));
    const error = await failure(resolveSource('demo', source(), { dataDir, download: false }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
  });

  it('dbpediaWiki does not load a corrupt cached CSV (was: loaded as data)', async () => {
    const dataDir = freshDir('cache');
    mkdirSync(join(dataDir, 'dbpediaWiki'));
    const fixture = join(__dirname, '__fixtures__', 'dbpedia-wiki', 'test_medium.csv');
    cpSync(fixture, join(dataDir, 'dbpediaWiki', 'test_medium.csv'));
    const error = await failure(dbpediaWiki.load({ dataDir, split: 'test', download: false }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.path).toBe(join(dataDir, 'dbpediaWiki', 'test_medium.csv'));
  });

  const real = join(sharedDatasets, 'wiki-15', 'test_medium.csv');
  it.skipIf(!existsSync(real))(
    'dbpediaWiki loads the real cached CSV and marks it verified',
    async () => {
      const dataDir = freshDir('cache');
      mkdirSync(join(dataDir, 'dbpediaWiki'));
      const cached = join(dataDir, 'dbpediaWiki', 'test_medium.csv');
      cpSync(real, cached);
      const { records } = await dbpediaWiki.load({ dataDir, split: 'test', download: false });
      expect(records).toHaveLength(700);
      expect(existsSync(`${cached}.sha256`)).toBe(true);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// CSV (dbpediaWiki)
// ---------------------------------------------------------------------------------------------

/** Rows in the course's format: `<label>, <text>` padded with empty fields to 5 (as test_medium). */
function wikiCsv(seed: number, rows: number): { csv: string[]; texts: string[]; labels: number[] } {
  const random = createRandom(seed);
  const csv: string[] = [];
  const texts: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < rows; i++) {
    const label = 1 + Math.floor(random() * 14);
    const text = `${Array.from({ length: 8 + Math.floor(random() * 20) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ')}.`;
    csv.push(`${label}, ${text},,,`);
    texts.push(text);
    labels.push(label - 1);
  }
  return { csv, texts, labels };
}

describe('dbpediaWiki CSV never drops text', () => {
  it('keeps the whole text of a row with an unquoted comma (was: cut at the comma)', async () => {
    const { csv, texts, labels } = wikiCsv(31, 6);
    csv[2] = '13, Paris, Texas is a 1984 drama film directed by Wim Wenders.,,,';
    texts[2] = 'Paris, Texas is a 1984 drama film directed by Wim Wenders.';
    labels[2] = 12;
    const path = tmp.write('comma.csv', `${csv.join('\n')}\n`);
    const { records } = await dbpediaWiki.load({ path, split: 'test' });
    expect(records.map((r) => r.text)).toEqual(texts);
    expect(records.map((r) => r.label)).toEqual(labels);
  });

  it('keeps empty fields inside the text, drops only the trailing padding', async () => {
    const path = tmp.write('inner.csv', '2, Alpha,, beta gamma,,,,\n');
    const { records } = await dbpediaWiki.load({ path, split: 'test' });
    expect(records[0].text).toBe('Alpha,, beta gamma');
  });

  it('throws MALFORMED_DATA naming the file line for a row with a label but no text', async () => {
    const { csv } = wikiCsv(32, 4);
    csv[3] = '5, ,,,';
    const path = tmp.write('no-text.csv', `${csv.join('\n')}\n`);
    const error = await failure(dbpediaWiki.load({ path, split: 'test' }));
    expect(error.code).toBe('MALFORMED_DATA');
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/without text/);
  });

  it('reports the line of the file, not the record index, after a blank line', async () => {
    const { csv } = wikiCsv(33, 3);
    const path = tmp.write('blank.csv', `${csv[0]}\n\n${csv[1]}\n99, no such class,,,\n`);
    const error = await failure(dbpediaWiki.load({ path, split: 'test' }));
    expect(error.code).toBe('MALFORMED_DATA');
    expect(error.line).toBe(4);
    expect(error.message).toContain('line 4');
  });
});

// ---------------------------------------------------------------------------------------------
// UCI HAR numbers
// ---------------------------------------------------------------------------------------------

/** Replaces value `column` of (1-based) `line` of a fixture file with `token`, 16 wide. */
function patchValue(content: string, line: number, column: number, token: string): string {
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  const lines = content.split(eol);
  const fields = lines[line - 1].trim().split(/\s+/);
  fields[column] = token;
  lines[line - 1] = fields.map((f) => f.padStart(16)).join('');
  return lines.join(eol);
}

describe('uciHar accepts only finite decimal numbers', () => {
  const fixture = makeHarFixture({ train: 3, test: 2 }, 17);
  const signal = 'train/Inertial Signals/body_gyro_y_train.txt';

  it('loads the intact fixture (control)', async () => {
    const root = writeHarFolder(freshDir('har'), fixture.files);
    expect((await uciHar.load({ path: root, split: 'train' })).shape).toEqual([3, 128, 9]);
  });

  for (const token of ['Infinity', '-Infinity', '1e999', '0x1F', '0b101', '1e39', 'NaN', '1_000']) {
    it(`throws MALFORMED_DATA naming file and line for ${token} in an Inertial Signals file`, async () => {
      const files = { ...fixture.files, [signal]: patchValue(fixture.files[signal], 2, 5, token) };
      const root = writeHarFolder(freshDir('har'), files);
      const error = await failure(uciHar.load({ path: root, split: 'train' }));
      expect(error.code).toBe('MALFORMED_DATA');
      expect(error.path).toBe(`${root}/${signal}`);
      expect(error.line).toBe(2);
      expect(error.message).toContain(JSON.stringify(token));
    });
  }

  it('throws MALFORMED_DATA for Infinity in X_train.txt (features variant)', async () => {
    const relative = 'train/X_train.txt';
    const files = {
      ...fixture.files,
      [relative]: patchValue(fixture.files[relative], 3, 100, 'Infinity'),
    };
    const root = writeHarFolder(freshDir('har'), files);
    const error = await failure(uciHar.load({ path: root, split: 'train', variant: 'features' }));
    expect(error.code).toBe('MALFORMED_DATA');
    expect(error.path).toBe(`${root}/${relative}`);
    expect(error.line).toBe(3);
  });

  it('throws MALFORMED_DATA for a hex activity id in y_train.txt (was: read as a number)', async () => {
    const relative = 'train/y_train.txt';
    const files = { ...fixture.files, [relative]: fixture.files[relative].replace(/^\d/, '0x3') };
    const root = writeHarFolder(freshDir('har'), files);
    const error = await failure(uciHar.load({ path: root, split: 'train' }));
    expect(error.code).toBe('MALFORMED_DATA');
    expect(error.path).toBe(`${root}/${relative}`);
    expect(error.line).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// seeds
// ---------------------------------------------------------------------------------------------

describe('seeded generators accept only integer seeds 0 … 2^32 - 1', () => {
  const generators = {
    memoryTask: (seed: number) => memoryTask.load({ examples: 2, k: 3, delay: 1, seed }),
    sine: (seed: number) => sine.load({ length: 4, noise: 0.5, seed }),
    dampedSine: (seed: number) => dampedSine.load({ length: 4, noise: 0.5, seed }),
    powerSeries: (seed: number) => powerSeries.load({ hours: 4, seed }),
  };
  const badSeeds = [1.5, 2 ** 32 + 1, 2 ** 32, -1, Number.NaN, Number.POSITIVE_INFINITY, '1'];

  for (const [name, load] of Object.entries(generators)) {
    it(`${name}: INVALID_ARGUMENT for ${badSeeds.map(String).join(', ')}`, async () => {
      for (const seed of badSeeds) {
        const error = await failure(load(seed as number));
        expect(error.code).toBe('INVALID_ARGUMENT');
        expect(error.argument).toBe('seed');
        expect(error.message).toContain(name);
        expect(error.message).toContain('4294967295');
      }
    });

    it(`${name}: seeds 1, 1.5 and 2^32 + 1 no longer alias; 0 and 2^32 - 1 differ`, async () => {
      const data = async (seed: number) => JSON.stringify((await load(seed)).records);
      expect(await data(0)).not.toBe(await data(2 ** 32 - 1));
      await expect(load(1.5)).rejects.toThrow();
      await expect(load(2 ** 32 + 1)).rejects.toThrow();
    });
  }

  it('keeps the draws of valid seeds as they were', async () => {
    const m = await memoryTask.load({ examples: 2, k: 4, delay: 1, seed: 1 });
    expect(m.records.map((r) => r.input)).toEqual([
      [4, 4, 2, 4, 9, 10, 9, 9, 9, 9],
      [8, 6, 3, 4, 9, 10, 9, 9, 9, 9],
    ]);
    const t = await memoryTask.load({
      examples: 2,
      k: 4,
      delay: 1,
      seed: 2 ** 32 - 1,
      split: 'test',
    });
    expect(t.records.map((r) => r.input)).toEqual([
      [2, 2, 7, 5, 9, 10, 9, 9, 9, 9],
      [4, 3, 4, 3, 9, 10, 9, 9, 9, 9],
    ]);
    expect((await sine.load({ length: 3, noise: 0.5, seed: 7 })).values).toEqual([
      1.0448432341989986, 0.2119826284236756, 1.19982840586178,
    ]);
    expect((await dampedSine.load({ length: 3, noise: 0.5, seed: 7 })).values).toEqual([
      1.0448432341989986, 0.2113575263134252, 1.1973539001395892,
    ]);
    expect((await powerSeries.load({ hours: 3, seed: 2 })).power).toEqual([
      0.922911022560714, 0.983303230310084, 0.9315728577809945,
    ]);
  });

  it('createRandom rejects a seed it would silently wrap', () => {
    expect(() => createRandom(2 ** 32 + 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => createRandom(0.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
