import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder where datasets are cached: `SEQLEARN_DATA_DIR` when set, else the user's cache
 * folder for this operating system with a `seqlearn` subfolder: `$XDG_CACHE_HOME/seqlearn` or
 * `~/.cache/seqlearn` on Linux, `~/Library/Caches/seqlearn` on macOS and
 * `%LOCALAPPDATA%\seqlearn\Cache` on Windows. Each adapter keeps its files in a subfolder named
 * after it. The folder is not created here; {@link download} creates it when it writes.
 *
 * @example
 * ```ts
 * import { getDataDir } from '@seqlearn/datasets';
 * process.env.SEQLEARN_DATA_DIR = '/tmp/seqlearn-data';
 * console.log(getDataDir()); // /tmp/seqlearn-data
 * ```
 */
export function getDataDir(): string {
  const env = process.env;
  if (env.SEQLEARN_DATA_DIR) return env.SEQLEARN_DATA_DIR;
  const home = homedir();
  if (process.platform === 'win32') {
    return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'seqlearn', 'Cache');
  }
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'seqlearn');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'seqlearn');
}
