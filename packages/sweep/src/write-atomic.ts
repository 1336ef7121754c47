import fs from 'node:fs/promises';
import path from 'node:path';

let counter = 0;

/**
 * Writes a file through a temporary name and a rename, so a reader (or a resumed sweep) never
 * sees half of it: the file either holds the old text or the new one.
 * @example
 * ```ts
 * import { writeFileAtomic } from '@seqlearn/sweep';
 * await writeFileAtomic('out/notes.txt', 'done\n');
 * ```
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  // pid and a counter: two writers of one process, or two processes, never share a temp name
  const tmp = `${file}.${process.pid}.${Date.now()}.${counter++}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/**
 * {@link writeFileAtomic} for a JSON value, pretty-printed.
 * @example
 * ```ts
 * import { writeJsonAtomic } from '@seqlearn/sweep';
 * await writeJsonAtomic('out/data.json', { rows: 3 });
 * ```
 */
export function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
