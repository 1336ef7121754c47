import { CliError } from './errors';

/** The part of `@seqlearn/sweep` that `seqlearn sweep` runs. */
interface SweepModule {
  sweepCli?: (argv: string[]) => Promise<number>;
}

/**
 * `seqlearn sweep ...`: runs `sweepCli` of @seqlearn/sweep (the `seqlearn-sweep` command) on the
 * arguments; it writes to the process's own stdout and stderr. @seqlearn/sweep (and BullMQ with
 * it) is loaded only when this command runs; an install that lacks it gets `NOT_INSTALLED`.
 */
export async function sweepCommand(
  argv: readonly string[],
  load: () => Promise<SweepModule> = () => import('@seqlearn/sweep'),
): Promise<number> {
  let sweep: SweepModule;
  try {
    sweep = await load();
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new CliError({
      code: 'NOT_INSTALLED',
      message: `seqlearn sweep runs @seqlearn/sweep, which is not installed here: npm i @seqlearn/sweep (${(error as Error).message})`,
      cause: error,
    });
  }
  if (typeof sweep.sweepCli !== 'function') {
    throw new CliError({
      code: 'NOT_INSTALLED',
      message:
        'seqlearn sweep: the installed @seqlearn/sweep exports no sweepCli; expected a version that has the seqlearn-sweep command as sweepCli(argv)',
    });
  }
  return sweep.sweepCli([...argv]);
}
