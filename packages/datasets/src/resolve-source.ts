import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { getDataDir } from './data-dir';
import type { DatasetSource, LoadOptions } from './dataset-adapter';
import { download } from './download';
import { DatasetsError } from './errors';

/**
 * Finds a source file for an adapter: `options.path` when given (it must exist), else the cached
 * copy in `<dataDir>/<dataset>/<filename>`, else a download into that place (unless
 * `download: false` or the source is manual). Used by the file-based adapters.
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
  if (await exists(cached)) return cached;
  if (allowDownload && !source.manual) {
    return download(source.url, { dest: cached, sha256: source.sha256 });
  }
  const how = source.manual
    ? `get it from ${source.url} (it cannot be downloaded automatically)`
    : `download it from ${source.url}`;
  throw new DatasetsError({
    code: 'MISSING_FILE',
    path: cached,
    message: `${dataset}: expected ${source.filename} at ${cached}; ${how} and put it there, or pass { path }`,
  });
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
