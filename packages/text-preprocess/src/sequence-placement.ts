import { invalid, isArrayLike, show } from './validate';

/** Where a sequence lands in a row of fixed length (internal). */
export interface Placement {
  /** First element of the source sequence that is copied. */
  from: number;
  /** Position in the output row that receives it. */
  to: number;
  /** How many elements are copied. */
  count: number;
}

/** Most elements one result may hold (the largest int32, as tfjs sizes are). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Checks a `'pre' | 'post'` option and names the argument in the error. */
export function checkSide(value: unknown, argument: string): 'pre' | 'post' {
  if (value !== 'pre' && value !== 'post') {
    throw invalid(argument, `${argument}: expected 'pre' or 'post', got ${show(value)}`);
  }
  return value;
}

/** Checks that the options argument is an object (or absent). */
export function checkOptions(options: unknown, expected = 'an object or undefined'): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw invalid('options', `options: expected ${expected}, got ${show(options)}`);
  }
}

/**
 * Checks that every sequence is an array or typed array (naming `sequences[i]` otherwise) and
 * returns their lengths.
 */
export function sequenceLengths(sequences: readonly unknown[], of: string): number[] {
  return sequences.map((sequence, i) => {
    if (!isArrayLike(sequence) || typeof sequence === 'string') {
      throw invalid(
        'sequences',
        `sequences[${i}]: expected an array or typed array of ${of}, got ${show(sequence)}`,
      );
    }
    return sequence.length;
  });
}

/** Checks an optional `maxlen` and resolves it to the longest length when absent. */
export function resolveMaxlen(maxlen: unknown, lengths: Iterable<number>): number {
  if (maxlen === undefined || maxlen === null) {
    let longest = 0;
    for (const length of lengths) if (length > longest) longest = length;
    return longest;
  }
  if (typeof maxlen !== 'number' || !Number.isInteger(maxlen) || maxlen < 0) {
    throw invalid('maxlen', `maxlen: expected a non-negative integer, got ${show(maxlen)}`);
  }
  if (!Number.isSafeInteger(maxlen)) {
    throw invalid(
      'maxlen',
      `maxlen: expected a non-negative integer below 2^53, got ${show(maxlen)}`,
    );
  }
  return maxlen;
}

/**
 * Checks that `sequences × steps × width` values fit in one typed array (at most
 * {@link MAX_ELEMENTS}), naming `maxlen` (or `depth` when the width is the culprit).
 */
export function checkSize(sequences: number, steps: number, width = 1): void {
  if (sequences * steps * width <= MAX_ELEMENTS) return;
  const argument = width > 1 && sequences * steps <= MAX_ELEMENTS ? 'depth' : 'maxlen';
  const got =
    width > 1
      ? `${sequences} sequences × ${steps} steps × depth ${width}`
      : `${sequences} sequences × ${steps} steps`;
  throw invalid(
    argument,
    `${argument}: expected at most ${MAX_ELEMENTS} values in all, got ${got}`,
  );
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
