import { TextPreprocessError } from './errors';

/** Where a sequence lands in a row of fixed length (internal). */
export interface Placement {
  /** First element of the source sequence that is copied. */
  from: number;
  /** Position in the output row that receives it. */
  to: number;
  /** How many elements are copied. */
  count: number;
}

/** Checks a `'pre' | 'post'` option and names the argument in the error. */
export function checkSide(value: unknown, argument: string): 'pre' | 'post' {
  if (value !== 'pre' && value !== 'post') {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected 'pre' or 'post', got ${JSON.stringify(value)}`,
    });
  }
  return value;
}

/** Checks an optional `maxlen` and resolves it to the longest length when absent. */
export function resolveMaxlen(maxlen: number | undefined, lengths: Iterable<number>): number {
  if (maxlen === undefined || maxlen === null) {
    let longest = 0;
    for (const length of lengths) if (length > longest) longest = length;
    return longest;
  }
  if (!Number.isInteger(maxlen) || maxlen < 0) {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'maxlen',
      message: `maxlen: expected a non-negative integer, got ${String(maxlen)}`,
    });
  }
  return maxlen;
}

/**
 * Keras `pad_sequences` placement: truncating `'pre'` keeps the last `maxlen` elements, `'post'`
 * the first; padding `'pre'` puts the sequence at the end of the row, `'post'` at the start.
 */
export function place(
  length: number,
  maxlen: number,
  padding: 'pre' | 'post',
  truncating: 'pre' | 'post',
): Placement {
  const count = Math.min(length, maxlen);
  const from = truncating === 'pre' ? length - count : 0;
  const to = padding === 'pre' ? maxlen - count : 0;
  return { from, to, count };
}
