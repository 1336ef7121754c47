const marker = Symbol.for('seqlearn.sequence-windows.error');

/**
 * Machine-readable reason carried by every {@link SequenceWindowsError}:
 * - `INVALID_ARGUMENT`: an option out of range or of the wrong type (a non-integer `shift`, a
 *   `testSize` of 1.5, ...).
 * - `SHAPE_MISMATCH`: an input of the wrong rank or with ragged feature rows.
 * - `WINDOW_TOO_LONG`: the requested window (plus its target) does not fit in the series.
 * - `NOT_FITTED`: a scaler used before `fit`.
 * - `BAD_JSON`: a serialised scaler that cannot be read back.
 * - `INVALID_VALUE`: a value inside the data that cannot be used: NaN, ±Infinity or a number
 *   beyond float32 range going into a window, ±Infinity given to a scaler, a feature with no
 *   non-NaN value to fit on, a NaN or fractional class label.
 */
export type SequenceWindowsErrorCode =
  | 'INVALID_ARGUMENT'
  | 'SHAPE_MISMATCH'
  | 'WINDOW_TOO_LONG'
  | 'NOT_FITTED'
  | 'BAD_JSON'
  | 'INVALID_VALUE';

/**
 * The one error class that `@seqlearn/sequence-windows` throws. Check `code` rather than the message;
 * use {@link SequenceWindowsError.isInstance} rather than `instanceof`, which fails when two copies of the
 * package are installed.
 */
export class SequenceWindowsError extends Error {
  private readonly [marker] = true;
  readonly code: SequenceWindowsErrorCode;
  /** The argument or field that was wrong, when there is one. */
  readonly argument?: string;

  constructor({
    code,
    message,
    argument,
    cause,
  }: { code: SequenceWindowsErrorCode; message: string; argument?: string; cause?: unknown }) {
    super(message, { cause });
    this.name = 'SequenceWindowsError';
    this.code = code;
    this.argument = argument;
  }

  static isInstance(error: unknown): error is SequenceWindowsError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
