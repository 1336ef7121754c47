import { readFile } from 'node:fs/promises';
import { DatasetsError } from './errors';

/** Reads a UTF-8 text file; `MISSING_FILE` when absent, `MALFORMED_DATA` when empty. */
export async function readTextFile(path: string, dataset: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DatasetsError({
      code: 'MISSING_FILE',
      path,
      message: `${dataset}: expected a readable file at ${path}, got ${(error as NodeJS.ErrnoException).code ?? error}`,
      cause: error,
    });
  }
  if (text.trim() === '') {
    throw new DatasetsError({
      code: 'MALFORMED_DATA',
      path,
      message: `${dataset}: expected data in ${path}, got an empty file`,
    });
  }
  return text;
}

/** Splits text into lines (LF or CRLF), dropping the one empty string after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Runtime check for a `{ text, label }` record. */
export function isTextRecord(value: unknown): value is { text: string; label: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { text, label } = value as { text: unknown; label: unknown };
  return typeof text === 'string' && Number.isInteger(label) && (label as number) >= 0;
}
