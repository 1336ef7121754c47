const marker = Symbol.for('seqlearn.datasets.error');

/** Machine-readable reason carried by every {@link DatasetsError}. */
export type DatasetsErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'MISSING_FILE'
  | 'CHECKSUM_MISMATCH'
  | 'DOWNLOAD_FAILED'
  | 'BAD_RESPONSE'
  | 'TIMEOUT'
  | 'CALLBACK_FAILED'
  | 'IO_ERROR'
  | 'MALFORMED_DATA';

/**
 * The one error class that `@seqlearn/datasets` throws. Check `code` rather than the message;
 * use {@link DatasetsError.isInstance} rather than `instanceof`, which fails when two copies of the
 * package are installed.
 *
 * - `INVALID_ARGUMENT`: an option is out of range or of the wrong type (`argument` names it).
 * - `NOT_FOUND`: no dataset is registered under that name.
 * - `MISSING_FILE`: a file or folder the loader needs is absent (`path` names it).
 * - `CHECKSUM_MISMATCH`: data differs from its checksum: a download's or a cached file's sha256,
 *   a zip entry's CRC-32, a tar header's checksum or a gzip stream's CRC-32 (`path` names it).
 * - `DOWNLOAD_FAILED`: an HTTP error, a cut connection or a stalled server, after the retries.
 * - `BAD_RESPONSE`: the server's answer cannot be used and retrying will not help: an invalid
 *   `Content-Length`, a redirect loop, too many redirects, a redirect without `Location` or to a
 *   non-http(s) URL. Thrown at once, without retries.
 * - `TIMEOUT`: a download did not finish within its `deadlineMs`, retries and waits included.
 * - `CALLBACK_FAILED`: a callback of yours threw or rejected (`argument` names it, `cause` is its
 *   error); the operation was stopped and cleaned up.
 * - `IO_ERROR`: the file system refused to create or write a file (no space, no permission, a
 *   read-only disk); `path` names it, `cause` is the system error. Not retried.
 * - `MALFORMED_DATA`: a file is not in the expected format, or is truncated (`path` and, when
 *   known, `line`).
 */
export class DatasetsError extends Error {
  /** Read by {@link DatasetsError.isInstance}; survives duplicate installs. */
  readonly [marker] = true;
  readonly code: DatasetsErrorCode;
  /** The argument or field that was wrong, when there is one. */
  readonly argument?: string;
  /** The file, folder or URL concerned, when there is one. */
  readonly path?: string;
  /** 1-based line (or CSV record) number in `path` where malformed data was found. */
  readonly line?: number;
  /** HTTP status of a failed download, when the server answered. */
  readonly status?: number;

  constructor({
    code,
    message,
    argument,
    path,
    line,
    status,
    cause,
  }: {
    code: DatasetsErrorCode;
    message: string;
    argument?: string;
    path?: string;
    line?: number;
    status?: number;
    cause?: unknown;
  }) {
    super(message, { cause });
    this.name = 'DatasetsError';
    this.code = code;
    this.argument = argument;
    this.path = path;
    this.line = line;
    this.status = status;
  }

  static isInstance(error: unknown): error is DatasetsError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
