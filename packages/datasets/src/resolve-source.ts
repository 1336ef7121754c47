import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getDataDir } from './data-dir';
import type { DatasetSource, LoadOptions } from './dataset-adapter';
import { download, sha256File } from './download';
import { DatasetsError } from './errors';

/**
 * Finds a source file for an adapter: `options.path` when given (it must exist), else the cached
 * copy in `<dataDir>/<dataset>/<filename>`, else a download into that place (unless
 * `download: false` or the source is manual). Used by the file-based adapters.
 *
 * A cached copy of a downloadable source that declares a sha256 (or a size) is checked against
 * it before use: hashed once, then remembered in a sidecar `<filename>.sha256` (written
 * atomically) that holds the hash with the file's size and mtime, and hashed again only when
 * those change. A cached copy that fails is downloaded again when `download` allows it (it is
 * replaced only by a verified download); otherwise the result is `CHECKSUM_MISMATCH` naming it.
 * `options.path` and the file of a `manual` source (put there by the user, from wherever they
 * could get it) are the user's own and are not checked.
 */
export async function resolveSource(
  dataset: string,
  source: DatasetSource,
  { path, download: allowDownload = true, dataDir }: LoadOptions,
): Promise<string> {
  if (path !== undefined) {
    if (typeof path !== 'string' || path === '') {
      throw new DatasetsError({
        code: 'INVALID_ARGUMENT',
        argument: 'path',
        message: `path: expected a file or folder path, got ${JSON.stringify(path)}`,
      });
    }
    await assertExists(path, `${dataset}`);
    return path;
  }
  const cached = join(dataDir ?? getDataDir(), dataset, source.filename);
  const canDownload = allowDownload && !source.manual;
  if (await exists(cached)) {
    if (source.manual) return cached;
    const problem = await checkCached(cached, source);
    if (problem === undefined) return cached;
    if (!canDownload) {
      throw new DatasetsError({
        code: 'CHECKSUM_MISMATCH',
        path: cached,
        message: `${dataset}: the cached ${cached} ${problem}: it is corrupt or another version; delete it to download it again from ${source.url} (download: false forbids that here), or pass { path } to use a file of your own`,
      });
    }
    try {
      return await fetchAndMark(source, cached, true);
    } catch (error) {
      if (!DatasetsError.isInstance(error)) throw error;
      throw new DatasetsError({
        code: error.code,
        path: error.path,
        status: error.status,
        argument: error.argument,
        message: `${dataset}: the cached ${cached} ${problem}, and downloading it again failed: ${error.message}`,
        cause: error,
      });
    }
  }
  if (canDownload) return fetchAndMark(source, cached, false);
  const how = source.manual
    ? `get it from ${source.url} (it cannot be downloaded automatically)`
    : `download it from ${source.url}`;
  throw new DatasetsError({
    code: 'MISSING_FILE',
    path: cached,
    message: `${dataset}: expected ${source.filename} at ${cached}; ${how} and put it there, or pass { path }`,
  });
}

async function fetchAndMark(source: DatasetSource, dest: string, force: boolean): Promise<string> {
  const path = await download(source.url, { dest, sha256: source.sha256, force });
  if (source.sha256 !== undefined) await writeMarker(path, source.sha256.toLowerCase());
  return path;
}

/** What the sidecar `<file>.sha256` of a verified cached file holds. */
interface VerifiedMarker {
  sha256: string;
  size: number;
  mtimeMs: number;
}

/**
 * Checks a cached file against the source's declared size and sha256, trusting the sidecar
 * marker while the file's size and mtime are those it recorded. Returns what is wrong, or
 * `undefined` when the file is good (or nothing is declared to check it against).
 */
async function checkCached(path: string, source: DatasetSource): Promise<string | undefined> {
  const expected = source.sha256?.toLowerCase();
  const info = await stat(path);
  if (!info.isFile()) return undefined; // a folder given in place of the file: the adapter reads it
  if (source.size !== undefined && info.size !== source.size) {
    return `has ${info.size} bytes, expected ${source.size}${expected ? ` (sha256 ${expected})` : ''}`;
  }
  if (expected === undefined) return undefined;
  const marker = `${path}.sha256`;
  try {
    const recorded = JSON.parse(await readFile(marker, 'utf8')) as VerifiedMarker;
    if (
      recorded.sha256 === expected &&
      recorded.size === info.size &&
      recorded.mtimeMs === info.mtimeMs
    ) {
      return undefined;
    }
  } catch {
    // No marker, or an unreadable one: hash the file.
  }
  const actual = await sha256File(path);
  if (actual !== expected) {
    await rm(marker, { force: true }).catch(() => {});
    return `has sha256 ${actual}, expected ${expected}`;
  }
  await writeMarker(path, expected, info);
  return undefined;
}

/** Writes `<path>.sha256` atomically (temporary file, then rename); best effort. */
async function writeMarker(
  path: string,
  sha256: string,
  info?: { size: number; mtimeMs: number },
): Promise<void> {
  const marker = `${path}.sha256`;
  const temp = `${marker}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const { size, mtimeMs } = info ?? (await stat(path));
    const content: VerifiedMarker = { sha256, size, mtimeMs };
    await writeFile(temp, `${JSON.stringify(content)}\n`, { flag: 'wx' });
    await rename(temp, marker);
  } catch {
    // A read-only cache folder: the file is hashed again next time.
    await rm(temp, { force: true }).catch(() => {});
  }
}

/** Throws `MISSING_FILE` naming `path` when it does not exist. */
export async function assertExists(path: string, what: string): Promise<void> {
  if (!(await exists(path))) {
    throw new DatasetsError({
      code: 'MISSING_FILE',
      path,
      message: `${what}: expected a file or folder at ${path}, found nothing`,
    });
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Throws `INVALID_ARGUMENT` naming `options` unless the options given to an adapter's `load` are
 * undefined or an object (`load(null)` would otherwise fail with a TypeError on `options.split`).
 */
export function checkLoadOptions(dataset: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'options',
      message: `${dataset}: options must be an object ({ split, path, download, ... }) or undefined, got ${options === null ? 'null' : `${typeof options} ${JSON.stringify(options)}`}`,
    });
  }
}

/** Checks that `split` is one of `splits`, defaulting to the first. */
export function pickSplit(dataset: string, splits: readonly string[], split?: string): string {
  const chosen = split ?? splits[0];
  if (!splits.includes(chosen)) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'split',
      message: `${dataset}: split must be one of ${splits.map((s) => `'${s}'`).join(', ')}, got ${JSON.stringify(split)}`,
    });
  }
  return chosen;
}
