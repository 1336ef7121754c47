const marker = Symbol.for('seqlearn.cli.error');

/** Machine-readable reason carried by every {@link CliError}. */
export type CliErrorCode =
  /** Unknown command or flag, a missing or extra argument, a bad flag value: exit code 2. */
  | 'USAGE'
  /** A package the command needs is not installed (the message says which): exit code 1. */
  | 'NOT_INSTALLED'
  /** The command was understood but could not be carried out (download failed, nothing to fetch): exit code 1. */
  | 'FAILED';

/**
 * The error the `seqlearn` commands raise; {@link main} turns it into a message on stderr and an
 * exit code (2 for `USAGE`, 1 otherwise). Check `code`, and use {@link CliError.isInstance}
 * rather than `instanceof`, which fails when two copies of the package are installed.
 */
export class CliError extends Error {
  /** Read by {@link CliError.isInstance}; survives duplicate installs. */
  readonly [marker] = true;
  readonly code: CliErrorCode;
  /** The flag or argument that was wrong, when there is one. */
  readonly argument?: string;

  constructor({
    code,
    message,
    argument,
    cause,
  }: {
    code: CliErrorCode;
    message: string;
    argument?: string;
    cause?: unknown;
  }) {
    super(message, { cause });
    this.name = 'CliError';
    this.code = code;
    this.argument = argument;
  }

  /** Whether `error` is a {@link CliError}, from this copy of the package or another. */
  static isInstance(error: unknown): error is CliError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
