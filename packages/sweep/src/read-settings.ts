import fs from 'node:fs/promises';
import { SweepError } from './errors';
import type { Setting } from './types';

/**
 * Checks that settings are objects with unique string ids usable as folder names; returns them.
 * @throws {SweepError} `INVALID_SETTINGS` naming the first offending setting.
 */
export function checkSettings<S extends Setting>(settings: unknown, file?: string): S[] {
  const where = file ? `${file}: ` : '';
  if (!Array.isArray(settings) || settings.length === 0) {
    throw new SweepError({
      code: 'INVALID_SETTINGS',
      file,
      message: `${where}expected a non-empty JSON array of settings, each with a string "id"`,
    });
  }
  const seen = new Set<string>();
  for (const [i, s] of settings.entries()) {
    const id = s && typeof s === 'object' ? (s as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || id === '' || id === '.' || id === '..' || /[/\\]/.test(id)) {
      throw new SweepError({
        code: 'INVALID_SETTINGS',
        file,
        message: `${where}setting ${i}: expected a string "id" usable as a folder name, got ${JSON.stringify(id)}`,
      });
    }
    if (seen.has(id)) {
      throw new SweepError({
        code: 'INVALID_SETTINGS',
        file,
        message: `${where}setting id ${JSON.stringify(id)} is repeated`,
      });
    }
    seen.add(id);
  }
  return settings as S[];
}

/**
 * Reads a sweep file: a JSON array of settings, each with a unique string `id`.
 * @throws {SweepError} `INVALID_SETTINGS` when the file is not JSON or not such an array.
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { readSettings } from '@seqlearn/sweep';
 * writeFileSync('settings.json', '[{"id":"small","units":8},{"id":"large","units":32}]');
 * console.log((await readSettings('settings.json')).map((s) => s.id)); // ['small', 'large']
 * ```
 */
export async function readSettings<S extends Setting>(file: string): Promise<S[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new SweepError({
      code: 'INVALID_SETTINGS',
      file,
      message: `${file}: could not read a JSON array of settings (${(error as Error).message})`,
      cause: error,
    });
  }
  return checkSettings<S>(parsed, file);
}
