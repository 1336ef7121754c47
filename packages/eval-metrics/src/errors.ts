const marker = Symbol.for('seqlearn.eval-metrics.error');

/**
 * Machine-readable reason carried by every {@link EvalMetricsError}:
 * - `INVALID_ARGUMENT`: an option or argument has the wrong type, shape or value (an unknown
 *   `average`, `k < 1`, a 2-D array where labels were expected, …);
 * - `LENGTH_MISMATCH`: two inputs that pair up element by element have different lengths;
 * - `UNKNOWN_LABEL`: a label is missing from the `labels` (or `classes`) that were given;
 * - `EMPTY_INPUT`: an input has no elements (or a mask selects none);
 * - `INVALID_VALUE`: an element is NaN, infinite, or of a kind the metric cannot take
 *   (a fractional class label, labels mixing numbers and strings, a negative ROC sample weight,
 *   …), or weights sum to zero where a weighted mean is taken (scikit-learn's
 *   `ZeroDivisionError: Weights sum to zero`).
 */
export type EvalMetricsErrorCode =
  | 'INVALID_ARGUMENT'
  | 'LENGTH_MISMATCH'
  | 'UNKNOWN_LABEL'
  | 'EMPTY_INPUT'
  | 'INVALID_VALUE';

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
