const marker = Symbol.for('seqlearn.rnn-models.error');

/** Machine-readable reason carried by every {@link RnnModelsError}. */
export type RnnModelsErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_CONFIG'
  | 'BACKEND_NOT_INSTALLED'
  | 'BACKEND_INIT_FAILED'
  | 'SHAPE_MISMATCH'
  | 'KERNEL_FAILED'
  | 'IO_ERROR'
  | 'INVALID_MODEL_FILE'
  | 'NON_FINITE_VALUE'
  | 'TRAINING_DIVERGED';

/**
 * The one error class that `@seqlearn/rnn-models` throws. Check `code` rather than the message;
 * use {@link RnnModelsError.isInstance} rather than `instanceof`, which fails when two copies of the
 * package are installed.
 */
export class RnnModelsError extends Error {
  private readonly [marker] = true;
  readonly code: RnnModelsErrorCode;
  /** The argument or field that was wrong, when there is one. */
  readonly argument?: string;

  constructor({
    code,
    message,
    argument,
    cause,
  }: { code: RnnModelsErrorCode; message: string; argument?: string; cause?: unknown }) {
    super(message, { cause });
    this.name = 'RnnModelsError';
    this.code = code;
    this.argument = argument;
  }

  static isInstance(error: unknown): error is RnnModelsError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
