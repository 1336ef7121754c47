import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatasetsError } from './errors';

/** What {@link DownloadOptions.onProgress} receives after each chunk. */
export interface DownloadProgress {
  url: string;
  /** Bytes received so far in this attempt. */
  received: number;
  /** Total bytes announced by the server (`content-length`), when it announced one. */
  total?: number;
  /** 1-based attempt number. */
  attempt: number;
}

/** Options for {@link download}. */
export interface DownloadOptions {
  /** Where the file ends up. Its folder is created when missing. */
  dest: string;
  /** Expected sha256 (hex) of the whole file; the download fails when it differs. @default no check */
  sha256?: string;
  /** Further attempts after a network error, a stall, a cut connection or an HTTP 408/429/5xx. @default 3 */
  retries?: number;
  /** Wait before the first retry; doubled for each further one. @default 500 */
  retryDelayMs?: number;
  /** Abort an attempt when no byte arrives for this long. @default 30000 */
  timeoutMs?: number;
  /** Called after each chunk. @default a progress bar on stderr when stderr is a terminal, else nothing */
  onProgress?: (progress: DownloadProgress) => void;
  /** Download again even when `dest` exists and matches `sha256`. @default false */
  force?: boolean;
}

class RetryableError extends Error {}

/**
 * Downloads `url` to `dest` atomically: the bytes go to a temporary file in the same folder,
 * which is renamed to `dest` only once complete and, when `sha256` is given, verified. On any
 * failure the temporary file is removed, `dest` is left as it was, and a {@link DatasetsError}
 * is thrown: `CHECKSUM_MISMATCH` for a wrong hash, `DOWNLOAD_FAILED` (with `status` when the server
 * answered) for an HTTP error, a cut connection or a stalled server once `retries` are spent.
 * An existing `dest` whose hash matches (or any existing `dest` when no hash is given) is kept.
 *
 * @returns the path of the file, `dest`.
 * @example
 * ```ts
 * import { download } from '@seqlearn/datasets';
 * const path = await download('https://example.org/input.txt', {
 *   dest: '/tmp/seqlearn-data/input.txt',
 *   sha256: '86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed',
 * });
 * console.log(path); // /tmp/seqlearn-data/input.txt
 * ```
 */
export async function download(
  url: string,
  {
    dest,
    sha256,
    retries = 3,
    retryDelayMs = 500,
    timeoutMs = 30_000,
    onProgress = process.stderr.isTTY ? progressBar(basename(dest)) : undefined,
    force = false,
  }: DownloadOptions,
): Promise<string> {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'url',
      message: `url: expected an http(s) URL, got ${JSON.stringify(url)}`,
    });
  }
  if (typeof dest !== 'string' || dest === '') {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'dest',
      message: `dest: expected a file path, got ${JSON.stringify(dest)}`,
    });
  }
  if (sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(sha256)) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'sha256',
      message: `sha256: expected 64 hexadecimal digits, got ${JSON.stringify(sha256)}`,
    });
  }
  if (!Number.isInteger(retries) || retries < 0) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'retries',
      message: `retries: expected a non-negative integer, got ${retries}`,
    });
  }
  const expected = sha256?.toLowerCase();
  if (!force && (await isFile(dest))) {
    if (expected === undefined || (await sha256File(dest)) === expected) return dest;
  }
  await mkdir(dirname(dest), { recursive: true });
  let lastError: unknown;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const temp = join(dirname(dest), `.${basename(dest)}.${randomBytes(6).toString('hex')}.part`);
    try {
      const actual = await fetchTo(url, temp, { timeoutMs, onProgress, attempt });
      if (expected !== undefined && actual !== expected) {
        throw new DatasetsError({
          code: 'CHECKSUM_MISMATCH',
          path: url,
          message: `${url}: expected sha256 ${expected}, got ${actual}`,
        });
      }
      await rename(temp, dest);
      return dest;
    } catch (error) {
      await rm(temp, { force: true });
      if (!(error instanceof RetryableError)) throw error;
      lastError = error;
      if (attempt <= retries) await sleep(retryDelayMs * 2 ** (attempt - 1));
    }
  }
  const cause = lastError as RetryableError & { status?: number };
  throw new DatasetsError({
    code: 'DOWNLOAD_FAILED',
    path: url,
    status: cause.status,
    message: `${url}: download failed after ${retries + 1} attempt(s): ${cause.message}`,
    cause: cause.cause ?? cause,
  });
}

async function fetchTo(
  url: string,
  temp: string,
  {
    timeoutMs,
    onProgress,
    attempt,
  }: { timeoutMs: number; onProgress?: (p: DownloadProgress) => void; attempt: number },
): Promise<string> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), timeoutMs);
  const restartTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), timeoutMs);
  };
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      throw retryable(controller.signal.aborted ? `no response within ${timeoutMs} ms` : error);
    }
    if (!response.ok || response.body === null) {
      const message = `HTTP ${response.status} ${response.statusText}`.trim();
      await response.body?.cancel().catch(() => {});
      if (response.status === 408 || response.status === 429 || response.status >= 500) {
        throw Object.assign(new RetryableError(message), { status: response.status });
      }
      throw new DatasetsError({
        code: 'DOWNLOAD_FAILED',
        path: url,
        status: response.status,
        message: `${url}: expected HTTP 200, got ${message}`,
      });
    }
    const header = response.headers.get('content-length');
    const total = header === null ? undefined : Number(header);
    const hash = createHash('sha256');
    let received = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        restartTimer();
        hash.update(chunk);
        received += chunk.length;
        onProgress?.({ url, received, total, attempt });
        callback(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
        meter,
        createWriteStream(temp, { flags: 'wx' }),
      );
    } catch (error) {
      throw retryable(
        controller.signal.aborted ? `no data for ${timeoutMs} ms after ${received} bytes` : error,
      );
    }
    if (total !== undefined && received !== total) {
      throw retryable(`connection closed after ${received} of ${total} bytes`);
    }
    return hash.digest('hex');
  } finally {
    clearTimeout(timer);
  }
}

function retryable(reason: unknown): RetryableError {
  if (typeof reason === 'string') return new RetryableError(reason);
  const message = reason instanceof Error ? reason.message : String(reason);
  return new RetryableError(message, { cause: reason });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** sha256 (hex) of a file, read as a stream. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * A {@link DownloadOptions.onProgress} callback that draws a one-line progress bar on stderr,
 * the default when stderr is a terminal.
 *
 * @example
 * ```ts
 * import { download, progressBar } from '@seqlearn/datasets';
 * await download('https://example.org/big.tar.gz', { dest: '/tmp/big.tar.gz', onProgress: progressBar('big') });
 * // big [##########..........] 50% 42.1/84.1 MB
 * ```
 */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): (progress: DownloadProgress) => void {
  let last = 0;
  return ({ received, total }) => {
    const now = Date.now();
    const done = total !== undefined && received >= total;
    if (!done && now - last < 100) return;
    last = now;
    const mb = (n: number) => (n / 1e6).toFixed(1);
    let line: string;
    if (total) {
      const fraction = Math.min(1, received / total);
      const filled = Math.round(fraction * 20);
      line = `${label} [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${Math.round(fraction * 100)}% ${mb(received)}/${mb(total)} MB`;
    } else {
      line = `${label} ${mb(received)} MB`;
    }
    stream.write(`\r${line}${done ? '\n' : ''}`);
  };
}
