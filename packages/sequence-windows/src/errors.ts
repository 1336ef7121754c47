const marker = Symbol.for('seqlearn.sequence-windows.error');

/** Machine-readable reason carried by every {@link SequenceWindowsError}. */
export type SequenceWindowsErrorCode =
  | 'INVALID_ARGUMENT'
  | 'SHAPE_MISMATCH'
  | 'BAD_JSON';

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
