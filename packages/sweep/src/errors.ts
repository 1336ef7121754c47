const marker = Symbol.for('seqlearn.sweep.error');

/**
 * Machine-readable reason carried by every {@link SweepError}:
 * - `INVALID_ARGUMENT`: an option or flag has the wrong type or value (`argument` names it);
 * - `INVALID_SETTINGS`: a settings file is not a JSON array of settings with unique string ids
 *   (`file` names it);
 * - `INVALID_MODULE`: a sweep module could not be imported or exports no `run` function;
 * - `TEST_METRIC_IN_SELECTION`: a selection run reported a metric that only final runs may
 *   report (`finalOnly`), or the selection metric is one of them;
 * - `RESUME_MISMATCH`: `resume` found a finished run of the same id with another setting or
 *   seed (`file` names its `run.json`);
 * - `RUN_FAILED`: a run threw, or its worker process died (`runId` names it);
 * - `QUEUE_ERROR`: the Redis queue could not be reached or refused a request.
 */
export type SweepErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_SETTINGS'
  | 'INVALID_MODULE'
  | 'TEST_METRIC_IN_SELECTION'
  | 'RESUME_MISMATCH'
  | 'RUN_FAILED'
  | 'QUEUE_ERROR';

/**
 * The one error class that `@seqlearn/sweep` throws. Check `code` rather than the message; use
 * {@link SweepError.isInstance} rather than `instanceof`, which fails when two copies of the
 * package are installed.
 */
export class SweepError extends Error {
  private readonly [marker] = true;
  readonly code: SweepErrorCode;
  /** The option, flag or field that was wrong, when there is one. */
  readonly argument?: string;
  /** The file involved, when there is one. */
  readonly file?: string;
  /** The run that failed, when there is one. */
  readonly runId?: string;

  constructor({
    code,
    message,
    argument,
    file,
    runId,
    cause,
  }: {
    code: SweepErrorCode;
    message: string;
    argument?: string;
    file?: string;
    runId?: string;
    cause?: unknown;
  }) {
    super(message, { cause });
    this.name = 'SweepError';
    this.code = code;
    this.argument = argument;
    this.file = file;
    this.runId = runId;
  }

  static isInstance(error: unknown): error is SweepError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
