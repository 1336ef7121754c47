const marker = Symbol.for('seqlearn.eval-metrics.error');

/** Machine-readable reason carried by every {@link EvalMetricsError}. */
export type EvalMetricsErrorCode =
  | 'INVALID_ARGUMENT'
  | 'LENGTH_MISMATCH'
  | 'UNKNOWN_LABEL'
  | 'EMPTY_INPUT';

/**
 * The one error class that `@seqlearn/eval-metrics` throws. Check `code` rather than the message;
 * use {@link EvalMetricsError.isInstance} rather than `instanceof`, which fails when two copies of the
 * package are installed.
 */
export class EvalMetricsError extends Error {
  private readonly [marker] = true;
  readonly code: EvalMetricsErrorCode;
  /** The argument or field that was wrong, when there is one. */
  readonly argument?: string;

  constructor({
    code,
    message,
    argument,
    cause,
  }: { code: EvalMetricsErrorCode; message: string; argument?: string; cause?: unknown }) {
    super(message, { cause });
    this.name = 'EvalMetricsError';
    this.code = code;
    this.argument = argument;
  }

  static isInstance(error: unknown): error is EvalMetricsError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
