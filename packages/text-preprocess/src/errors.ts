const marker = Symbol.for('seqlearn.text-preprocess.error');

/** Machine-readable reason carried by every {@link TextPreprocessError}. */
export type TextPreprocessErrorCode = 'INVALID_ARGUMENT' | 'UNKNOWN_TOKEN' | 'BAD_JSON';

/**
 * The one error class that `@seqlearn/text-preprocess` throws. Check `code` rather than the message;
 * use {@link TextPreprocessError.isInstance} rather than `instanceof`, which fails when two copies of the
 * package are installed.
 */
export class TextPreprocessError extends Error {
  private readonly [marker] = true;
  readonly code: TextPreprocessErrorCode;
  /** The argument or field that was wrong, when there is one. */
  readonly argument?: string;

  constructor({
    code,
    message,
    argument,
    cause,
  }: { code: TextPreprocessErrorCode; message: string; argument?: string; cause?: unknown }) {
    super(message, { cause });
    this.name = 'TextPreprocessError';
    this.code = code;
    this.argument = argument;
  }

  static isInstance(error: unknown): error is TextPreprocessError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
