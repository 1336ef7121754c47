import { createRequire } from 'node:module';
import { benchCommand } from './bench-command';
import { datasetsCommand } from './datasets-command';
import { CliError } from './errors';
import { type CliIo, resolveIo } from './io';
import { sweepCommand } from './sweep-command';

export const USAGE = `usage: seqlearn <command> [options]

commands:
  sweep ...                  run a hyper-parameter sweep (the seqlearn-sweep command of @seqlearn/sweep)
  report <run folder> ...    write report.html and SVG charts from a run folder (@seqlearn/report)
  datasets list              the datasets @seqlearn/datasets can load: sources, sizes, licences
  datasets download <name>   fetch a dataset's files with a progress bar, verified by sha256
  bench                      a short training-throughput benchmark of @seqlearn/rnn-models

Run seqlearn <command> --help for the options of one.
  -h, --help      show this help
  -v, --version   print the version of @seqlearn/cli`;

const COMMANDS = ['sweep', 'report', 'datasets', 'bench'];

/**
 * The `seqlearn` command line: runs it on `argv` (the arguments after `seqlearn`) and resolves to
 * its exit code, 0 on success, 1 when the command failed (the reason on stderr), 2 for a usage
 * error (unknown command or flag, missing argument). It never exits the process. `report` and
 * `sweep` hand their arguments to `reportCli` of @seqlearn/report and `sweepCli` of
 * @seqlearn/sweep; `sweep` writes to the process's own streams, the others to `io`.
 * @example
 * ```ts
 * import { main } from '@seqlearn/cli';
 * const code = await main(['datasets', 'list']);
 * // names (embedded; splits: all)
 * //   Surnames and their languages: …
 * console.log(code); // 0
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const streams = resolveIo(io);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        streams.stderr.write(`${USAGE}\n`);
        return 2;
      case '-h':
      case '--help':
      case 'help':
        streams.stdout.write(`${USAGE}\n`);
        return 0;
      case '-v':
      case '--version':
        streams.stdout.write(`${version()}\n`);
        return 0;
      case 'datasets':
        return await datasetsCommand(rest, streams);
      case 'bench':
        return await benchCommand(rest, streams);
      case 'report': {
        const { reportCli } = await import('@seqlearn/report');
        return await reportCli(rest, { ...streams, name: 'seqlearn report' });
      }
      case 'sweep':
        return await sweepCommand(rest);
      default:
        throw new CliError({
          code: 'USAGE',
          argument: command,
          message: command.startsWith('-')
            ? `unknown option ${command}; expected a command first`
            : `unknown command ${JSON.stringify(command)}; expected one of ${COMMANDS.join(', ')}`,
        });
    }
  } catch (error) {
    const where = COMMANDS.includes(command ?? '') ? `seqlearn ${command}` : 'seqlearn';
    if (CliError.isInstance(error)) {
      const hint =
        error.code === 'USAGE'
          ? `\n${COMMANDS.includes(command ?? '') ? `run ${where} --help for its options` : USAGE}`
          : '';
      streams.stderr.write(`${where}: ${error.message}${hint}\n`);
      return error.code === 'USAGE' ? 2 : 1;
    }
    const code = (error as { code?: unknown })?.code;
    const message =
      typeof code === 'string'
        ? `${(error as Error).message} [${code}]`
        : String((error as Error)?.stack ?? error);
    streams.stderr.write(`${where}: ${message}\n`);
    return 1;
  }
}

/** The version of this package, read at run time so that a re-versioned package reports its own. */
function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}
