const marker = Symbol.for('seqlearn.datasets.error');

/** Machine-readable reason carried by every {@link DatasetsError}. */
export type DatasetsErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'MISSING_FILE'
  | 'CHECKSUM_MISMATCH'
  | 'DOWNLOAD_FAILED'
  | 'MALFORMED_DATA';

/**
 * The one error class that `@seqlearn/datasets` throws. Check `code` rather than the message;
 * use {@link DatasetsError.isInstance} rather than `instanceof`, which fails when two copies of the
 * package are installed.
 */
export class DatasetsError extends Error {
  private readonly [marker] = true;
  readonly code: DatasetsErrorCode;
  /** The argument or field that was wrong, when there is one. */
  readonly argument?: string;

  constructor({
    code,
    message,
    argument,
    cause,
  }: { code: DatasetsErrorCode; message: string; argument?: string; cause?: unknown }) {
    super(message, { cause });
    this.name = 'DatasetsError';
    this.code = code;
    this.argument = argument;
  }

  static isInstance(error: unknown): error is DatasetsError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
