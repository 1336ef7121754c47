import { TextPreprocessError } from './errors';

/**
 * Internal: the argument of a `fromJSON`, parsed when it is a string and passed through
 * otherwise.
 * @throws {TextPreprocessError} `BAD_JSON` (argument `json`) for a string that does not parse;
 *   the message reads "json: expected `what`, got a string that does not parse".
 */
export function parseJsonArgument(json: unknown, what: string): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json);
  } catch (cause) {
    throw new TextPreprocessError({
      code: 'BAD_JSON',
      argument: 'json',
      message: `json: expected ${what}, got a string that does not parse`,
      cause,
    });
  }
}

/**
 * Internal: reads the `toJSON()` output of a class back (an object or its JSON string), checking
 * its `className` and that each of `arrays` is an array; the other fields are the caller's to
 * check.
 * @param expected - the expected form, as the error message shows it.
 * @throws {TextPreprocessError} `BAD_JSON` (argument `json`) when it does not parse or does not
 *   have that form.
 */
export function readClassJson<T extends { className: string }, K extends keyof T & string>(
  json: T | string,
  className: T['className'],
  arrays: readonly K[],
  expected: string,
): Partial<T> & Pick<T, K> {
  const value = parseJsonArgument(json, `${className} JSON`);
  const v = value as Partial<T> | null;
  if (v?.className !== className || !arrays.every((key) => Array.isArray(v[key]))) {
    throw new TextPreprocessError({
      code: 'BAD_JSON',
      argument: 'json',
      message: `json: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 80)}`,
    });
  }
  return v as Partial<T> & Pick<T, K>;
}
