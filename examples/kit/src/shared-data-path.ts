import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options for {@link sharedDataPath}. */
export interface SharedDataPathOptions {
  /** `--data` from the command line: used as given when set. @default none */
  data?: string;
  /** Environment to read `SEQLEARN_SHARED_DATASETS` from. @default process.env */
  env?: Record<string, string | undefined>;
  /** Where to start looking for the repository root (the folder holding `turbo.json`). @default this module's folder */
  from?: string;
}

/**
 * Walks up from `start` to the first folder that holds `turbo.json`: the repository root.
 * Returns `undefined` when there is none.
 */
export function findRepoRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  while (true) {
    if (existsSync(path.join(dir, 'turbo.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Where an example reads a shared dataset from: `data` when given (a `--data` flag), else
 * `$SEQLEARN_SHARED_DATASETS/<folder>`, else `<repo root>/../shared/datasets/<folder>`. The path
 * is returned whether or not it exists; check with `existsSync` and say how to get the data.
 * @example
 * ```ts
 * import { sharedDataPath } from '@seqlearn/example-kit';
 * console.log(sharedDataPath('imdb', { env: { SEQLEARN_SHARED_DATASETS: '/data' } })); // /data/imdb
 * ```
 */
export function sharedDataPath(
  folder: string,
  {
    data,
    env = process.env,
    from = path.dirname(fileURLToPath(import.meta.url)),
  }: SharedDataPathOptions = {},
): string {
  if (data !== undefined) return path.resolve(data);
  const shared = env.SEQLEARN_SHARED_DATASETS;
  if (shared) return path.resolve(shared, folder);
  const root = findRepoRoot(from) ?? process.cwd();
  return path.resolve(root, '..', 'shared', 'datasets', folder);
}
