import { EvalMetricsError } from './errors';

/**
 * Internal: throws `INVALID_ARGUMENT` naming `options` unless they are undefined or an object, so
 * that `accuracy(yTrue, yPred, null)` is a typed error rather than a TypeError from destructuring.
 */
export function checkOptions(options: unknown): void {
  if (
    options !== undefined &&
    (typeof options !== 'object' || options === null || Array.isArray(options))
  ) {
    const got =
      options === null
        ? 'null'
        : Array.isArray(options)
          ? 'an array'
          : (JSON.stringify(options) ?? typeof options);
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'options',
      message: `options: expected an options object or undefined, got ${got}`,
    });
  }
}
