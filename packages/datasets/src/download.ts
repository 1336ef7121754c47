import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
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
  /** Idle timeout: abort an attempt (and retry) when no byte arrives for this long. @default 30000 */
  timeoutMs?: number;
  /**
   * Deadline for the whole download, attempts and waits between them included: past it the
   * download stops with `TIMEOUT`, without a further retry. Raise it for a large file on a slow
   * link. @default 600000 (10 minutes)
   */
  deadlineMs?: number;
  /** Redirects followed before `BAD_RESPONSE`; a redirect loop is `BAD_RESPONSE` at once. @default 10 */
  maxRedirects?: number;
  /**
   * Called after each chunk. When it throws (or returns a promise that rejects), the download
   * stops with `CALLBACK_FAILED` (its error as `cause`), without a retry.
   * @default a progress bar on stderr when stderr is a terminal, else nothing
   */
  onProgress?: (progress: DownloadProgress) => void;
  /** Download again even when `dest` exists and matches `sha256`. @default false */
  force?: boolean;
}

/** A failure worth another attempt: a network error, a stall, a cut connection, 408/429/5xx. */
class RetryableError extends Error {
  status?: number;
}

/** The deadline passed; `received` bytes had arrived in the attempt it stopped. */
class DeadlineError extends Error {
  constructor(readonly received?: number) {
    super('deadline');
  }
}

/** `onProgress` threw or rejected; `cause` is its error. */
class CallbackError extends Error {}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads `url` to `dest` atomically: the bytes go to a temporary file in the same folder,
 * which is renamed to `dest` only once complete and, when `sha256` is given, verified. On any
 * failure the temporary file is removed, `dest` is left as it was, and a {@link DatasetsError}
 * is thrown (see below). Only network errors, stalls and HTTP 408/429/5xx are retried. A body
 * that ends with the connection, without `Content-Length` or chunked framing, cannot be told from
 * a cut one: give `sha256` to catch that.
 * An existing `dest` whose hash matches (or any existing `dest` when no hash is given) is kept.
 *
 * @returns the path of the file, `dest`.
 * @throws {DatasetsError} `INVALID_ARGUMENT` for options that are not an object, a `url` that is
 * not http(s) or carries `user:password@`, a `dest` that is empty, ends in a path separator or is
 * a folder, or a bad option value; `CHECKSUM_MISMATCH` for a wrong hash; `DOWNLOAD_FAILED` (with
 * `status` when the server answered) for an HTTP error, a cut connection (fewer bytes than
 * `Content-Length`, a chunked body that never ends) or a stalled server once `retries` are spent;
 * at once, without retries, `BAD_RESPONSE` for an invalid `Content-Length`, a redirect loop, more
 * than `maxRedirects` redirects or a redirect to a non-http(s) URL or one with credentials,
 * `TIMEOUT` when `deadlineMs` passes, `CALLBACK_FAILED` when `onProgress` throws, and `IO_ERROR`
 * (the system error as `cause`) when the folder cannot be created or the file written or moved
 * into place (no space, no permission, a parent that is a file).
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
export async function download(url: string, options: DownloadOptions): Promise<string> {
  if (typeof options !== 'object' || options === null) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'options',
      message: `options: expected an options object { dest, sha256, ... }, got ${options === null ? 'null' : typeof options}`,
    });
  }
  const {
    dest,
    sha256,
    retries = 3,
    retryDelayMs = 500,
    timeoutMs = 30_000,
    deadlineMs = 600_000,
    maxRedirects = 10,
    force = false,
  } = options;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url) || !URL.canParse(url)) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'url',
      message: `url: expected an http(s) URL, got ${JSON.stringify(url)}`,
    });
  }
  if (hasCredentials(new URL(url))) {
    // fetch refuses such a URL with a TypeError, which every retry would meet again
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'url',
      message: `url: expected an http(s) URL without user:password@ (fetch refuses credentials in URLs), got ${JSON.stringify(redact(url))}`,
    });
  }
  if (typeof dest !== 'string' || dest === '' || /[\\/]$/.test(dest)) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'dest',
      message: `dest: expected a file path (not ending in a path separator), got ${JSON.stringify(dest)}`,
    });
  }
  if (await isDirectory(dest)) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'dest',
      path: dest,
      message: `dest: expected a file path, got the folder ${dest}; name the file inside it`,
    });
  }
  const onProgress =
    options.onProgress === undefined
      ? process.stderr.isTTY
        ? progressBar(basename(dest))
        : undefined
      : options.onProgress;
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
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'maxRedirects',
      message: `maxRedirects: expected a non-negative integer, got ${maxRedirects}`,
    });
  }
  checkDuration('timeoutMs', timeoutMs, false);
  checkDuration('deadlineMs', deadlineMs, false);
  checkDuration('retryDelayMs', retryDelayMs, true);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'onProgress',
      message: `onProgress: expected a function, got ${typeof onProgress}`,
    });
  }
  const expected = sha256?.toLowerCase();
  if (!force && (await isFile(dest))) {
    if (expected === undefined) return dest;
    let existing: string;
    try {
      existing = await sha256File(dest);
    } catch (cause) {
      throw ioError(`could not read the existing ${dest} to check its sha256`, dest, cause);
    }
    if (existing === expected) return dest;
  }
  try {
    await mkdir(dirname(dest), { recursive: true });
  } catch (cause) {
    throw ioError(`could not create the folder ${dirname(dest)} for ${dest}`, dest, cause);
  }
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(() => deadline.abort(), deadlineMs);
  let lastError: unknown;
  let attempt = 1;
  const timedOut = (received?: number) =>
    new DatasetsError({
      code: 'TIMEOUT',
      path: url,
      message: `${url}: expected the whole download, retries included, to finish within deadlineMs = ${deadlineMs} ms; it was still in attempt ${attempt}${received === undefined ? '' : ` with ${received} bytes received`}. Raise deadlineMs for a large file on a slow link`,
    });
  try {
    for (; attempt <= retries + 1; attempt++) {
      const temp = join(dirname(dest), `.${basename(dest)}.${randomBytes(6).toString('hex')}.part`);
      try {
        const actual = await fetchTo(url, temp, {
          timeoutMs,
          onProgress,
          attempt,
          deadline: deadline.signal,
          maxRedirects,
        });
        if (expected !== undefined && actual !== expected) {
          throw new DatasetsError({
            code: 'CHECKSUM_MISMATCH',
            path: url,
            message: `${url}: expected sha256 ${expected}, got ${actual}`,
          });
        }
        try {
          await rename(temp, dest);
        } catch (cause) {
          throw ioError(`could not move the downloaded file into place as ${dest}`, dest, cause);
        }
        return dest;
      } catch (error) {
        await rm(temp, { force: true });
        if (error instanceof DeadlineError) throw timedOut(error.received);
        if (!(error instanceof RetryableError)) throw error;
        if (deadline.signal.aborted) throw timedOut();
        lastError = error;
        if (attempt <= retries) {
          try {
            const delay = Math.min(retryDelayMs * 2 ** (attempt - 1), 2_147_483_647);
            await sleep(delay, undefined, { signal: deadline.signal });
          } catch {
            throw timedOut();
          }
        }
      }
    }
  } finally {
    clearTimeout(deadlineTimer);
  }
  const cause = lastError as RetryableError;
  throw new DatasetsError({
    code: 'DOWNLOAD_FAILED',
    path: url,
    status: cause.status,
    message: `${url}: download failed after ${retries + 1} attempt(s): ${cause.message}`,
    cause: cause.cause ?? cause,
  });
}

function checkDuration(argument: string, value: number, zeroOk: boolean): void {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (!zeroOk && value === 0) ||
    value > 2_147_483_647
  ) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected a finite number of milliseconds ${zeroOk ? '>= 0' : '> 0'} (at most 2147483647), got ${value}`,
    });
  }
}

/** Whether an error (or its cause) is llhttp's: the server's answer is not valid HTTP. */
function parserError(error: unknown): { code: string; message: string } | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.code === 'string' && e.code.startsWith('HPE_')) {
      return { code: e.code, message: String((e as Error).message) };
    }
    e = e.cause as typeof e;
  }
  return undefined;
}

function badResponse(url: string, message: string, cause?: unknown): DatasetsError {
  return new DatasetsError({
    code: 'BAD_RESPONSE',
    path: url,
    message: `${url}: ${message}`,
    cause,
  });
}

/** A llhttp error as a `BAD_RESPONSE`, naming a bad Content-Length when that is what it is. */
function invalidHttp(url: string, parsed: { code: string; message: string }, cause: unknown) {
  const length = /CONTENT_LENGTH/.test(parsed.code);
  return badResponse(
    url,
    length
      ? `expected one Content-Length header holding a non-negative integer, got an invalid one (${parsed.message}); not retried`
      : `expected a valid HTTP response, got ${parsed.code} (${parsed.message}); not retried`,
    cause,
  );
}

async function fetchTo(
  url: string,
  temp: string,
  {
    timeoutMs,
    onProgress,
    attempt,
    deadline,
    maxRedirects,
  }: {
    timeoutMs: number;
    onProgress?: (p: DownloadProgress) => void;
    attempt: number;
    deadline: AbortSignal;
    maxRedirects: number;
  },
): Promise<string> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (deadline.aborted) throw new DeadlineError();
  deadline.addEventListener('abort', abort, { once: true });
  let timer = setTimeout(abort, timeoutMs);
  const restartTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(abort, timeoutMs);
  };
  let received = 0;
  try {
    const response = await follow(url, {
      signal: controller.signal,
      deadline,
      timeoutMs,
      maxRedirects,
    });
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
    if (header !== null && !/^\s*\d+\s*$/.test(header)) {
      await response.body.cancel().catch(() => {});
      throw badResponse(
        url,
        `expected a Content-Length header holding a non-negative integer, got ${JSON.stringify(header)}; not retried`,
      );
    }
    // fetch decodes a Content-Encoding the server applied although asked for identity; the
    // Content-Length then counts encoded bytes, which the HTTP client checks itself.
    const encoding = response.headers.get('content-encoding');
    const encoded = encoding !== null && encoding.trim().toLowerCase() !== 'identity';
    const total = header === null || encoded ? undefined : Number(header);
    const hash = createHash('sha256');
    let callbackError: CallbackError | undefined;
    const callbackFailed = (error: unknown) => {
      callbackError ??= new CallbackError('onProgress', { cause: error });
      return callbackError;
    };
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        restartTimer();
        hash.update(chunk);
        received += chunk.length;
        if (onProgress !== undefined) {
          try {
            const result = onProgress({ url, received, total, attempt }) as unknown;
            if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
              (result as PromiseLike<unknown>).then(undefined, (error: unknown) =>
                meter.destroy(callbackFailed(error)),
              );
            }
          } catch (error) {
            callback(callbackFailed(error));
            return;
          }
        }
        callback(null, chunk);
      },
    });
    const stopped = () =>
      new DatasetsError({
        code: 'CALLBACK_FAILED',
        argument: 'onProgress',
        path: url,
        message: `${url}: onProgress failed after ${received} bytes, so the download was stopped (not retried): ${(callbackError!.cause as Error)?.message ?? callbackError!.cause}`,
        cause: callbackError!.cause,
      });
    const out = createWriteStream(temp, { flags: 'wx' });
    try {
      await pipeline(
        Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
        meter,
        out,
      );
    } catch (error) {
      // A write stream destroyed before its file was open creates the file afterwards: wait
      // for it to close so that the caller's removal of `temp` comes last.
      if (!out.closed) await once(out, 'close').catch(() => {});
      if (callbackError !== undefined) throw stopped();
      if (deadline.aborted) throw new DeadlineError(received);
      if (isFileSystemError(error)) {
        throw ioError(`could not write the download to ${temp}`, temp, error);
      }
      const parsed = parserError(error);
      if (parsed !== undefined) throw invalidHttp(url, parsed, error);
      throw retryable(
        controller.signal.aborted ? `no data for ${timeoutMs} ms after ${received} bytes` : error,
      );
    }
    // An async onProgress may reject after the last chunk.
    await new Promise((resolve) => setImmediate(resolve));
    if (callbackError !== undefined) throw stopped();
    if (total !== undefined && received !== total) {
      throw retryable(`connection closed after ${received} of ${total} bytes`);
    }
    return hash.digest('hex');
  } finally {
    clearTimeout(timer);
    deadline.removeEventListener('abort', abort);
  }
}

/**
 * Requests `url`, following redirects itself: only to http(s) URLs, at most `maxRedirects`
 * of them, never twice to the same URL; each is a `BAD_RESPONSE`, not retried.
 */
async function follow(
  url: string,
  {
    signal,
    deadline,
    timeoutMs,
    maxRedirects,
  }: { signal: AbortSignal; deadline: AbortSignal; timeoutMs: number; maxRedirects: number },
): Promise<Response> {
  const visited = [new URL(url).href];
  for (;;) {
    const current = visited.at(-1)!;
    let response: Response;
    try {
      response = await fetch(current, {
        signal,
        redirect: 'manual',
        headers: { 'accept-encoding': 'identity' },
      });
    } catch (error) {
      if (deadline.aborted) throw new DeadlineError();
      const parsed = parserError(error);
      if (parsed !== undefined) throw invalidHttp(url, parsed, error);
      throw retryable(signal.aborted ? `no response within ${timeoutMs} ms` : error);
    }
    if (!REDIRECTS.has(response.status)) return response;
    await response.body?.cancel().catch(() => {});
    const location = response.headers.get('location');
    const hop = `HTTP ${response.status} redirect from ${current}`;
    if (location === null || location.trim() === '') {
      throw badResponse(url, `${hop} has no Location header; expected the URL to go to`);
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch (error) {
      throw badResponse(url, `${hop} to ${JSON.stringify(location)}: expected a valid URL`, error);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw badResponse(
        url,
        `${hop} to ${JSON.stringify(location.slice(0, 100))}, a ${next.protocol} URL: expected an http(s) URL; not followed`,
      );
    }
    if (hasCredentials(next)) {
      throw badResponse(
        url,
        `${hop} to a URL with user:password@ (${JSON.stringify(redact(next.href))}): expected one without credentials; not followed`,
      );
    }
    if (visited.includes(next.href)) {
      throw badResponse(url, `redirect loop: ${[...visited, next.href].join(' -> ')}`);
    }
    if (visited.length > maxRedirects) {
      throw badResponse(
        url,
        `more than ${maxRedirects} redirects (maxRedirects), the last ${current} -> ${next.href}`,
      );
    }
    visited.push(next.href);
  }
}

function retryable(reason: unknown): RetryableError {
  if (typeof reason === 'string') return new RetryableError(reason);
  let message = reason instanceof Error ? reason.message : String(reason);
  // undici says "fetch failed" or "terminated"; the reason is in its cause.
  const cause = (reason as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof Error && cause.message && !message.includes(cause.message)) {
    message = `${message} (${cause.message})`;
  }
  return new RetryableError(message, { cause: reason });
}

const hasCredentials = (url: URL) => url.username !== '' || url.password !== '';

/** `url` with its password, if any, replaced by `***`, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return url;
  }
}

function ioError(message: string, path: string, cause: unknown): DatasetsError {
  const system = cause instanceof Error ? cause.message : String(cause);
  return new DatasetsError({
    code: 'IO_ERROR',
    path,
    message: `${message} (${system}); not retried`,
    cause,
  });
}

/** An error of the local file system (opening or writing the temporary file), not the network. */
function isFileSystemError(error: unknown): boolean {
  const syscall = (error as { syscall?: unknown } | undefined)?.syscall;
  return (
    typeof syscall === 'string' &&
    ['open', 'write', 'writev', 'close', 'fsync', 'rename', 'mkdir'].includes(syscall)
  );
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
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
