const marker = Symbol.for('seqlearn.report.error');

/**
 * Machine-readable reason carried by every {@link ReportError}:
 * - `INVALID_ARGUMENT`: an argument or option has the wrong type or value (an empty path, a
 *   confusion matrix that is not square, …);
 * - `NOT_FOUND`: the run folder does not exist or is not a folder;
 * - `EMPTY_RUN`: the folder holds none of the files a run writes (`results.json`, or a run
 *   folder with `history.json`, `metrics.json`, `confusion-matrix.json`, `config.json`);
 * - `INVALID_JSON`: a file is not valid JSON (`file` names it);
 * - `INVALID_RUN_FILE`: a file is valid JSON but not of the expected shape (`file` names it,
 *   `argument` the field);
 * - `MISSING_ASSET`: vega, vega-lite or vega-embed's browser build could not be found to inline;
 * - `IO_ERROR`: reading or writing a file failed for another reason (permissions, disk full, …).
 */
export type ReportErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'EMPTY_RUN'
  | 'INVALID_JSON'
  | 'INVALID_RUN_FILE'
  | 'MISSING_ASSET'
  | 'IO_ERROR';

/**
 * The one error class that `@seqlearn/report` throws. Check `code` rather than the message; use
 * {@link ReportError.isInstance} rather than `instanceof`, which fails when two copies of the
 * package are installed.
 */
export class ReportError extends Error {
  private readonly [marker] = true;
  readonly code: ReportErrorCode;
  /** The argument or field that was wrong, when there is one. */
  readonly argument?: string;
  /** The file that could not be read, parsed or written, when there is one. */
  readonly file?: string;

  constructor({
    code,
    message,
    argument,
    file,
    cause,
  }: {
    code: ReportErrorCode;
    message: string;
    argument?: string;
    file?: string;
    cause?: unknown;
  }) {
    super(message, { cause });
    this.name = 'ReportError';
    this.code = code;
    this.argument = argument;
    this.file = file;
  }

  static isInstance(error: unknown): error is ReportError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
