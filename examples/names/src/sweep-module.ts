// The sweep module of the names example: what one run needs, in a worker process of its own
// (`runNamesExperiment` with `workers` > 1 hands the runs to @seqlearn/sweep, which starts one
// child process per run and calls `run` there). The options of the command (quick, split seed,
// verbose, refit) come in this module's URL query, see `namesSweepModule`.
import type { RunContext, RunOutcome } from '@seqlearn/example-kit';
import { initBackend } from '@seqlearn/rnn-models';
import { type NamesData, namesRunOptionsOf, prepareNamesData, runNamesSetting } from './experiment';
import type { NamesSetting } from './options';

const options = namesRunOptionsOf(import.meta.url);

// One process per run: the backend and the data are prepared once, on the first (only) run.
let ready: Promise<NamesData> | undefined;

/** Trains and evaluates one setting of the names sweep (see `runNamesSetting`). */
export async function run(setting: NamesSetting, context: RunContext): Promise<RunOutcome> {
  ready ??= initBackend({ log: false }).then(() => prepareNamesData(options));
  const data = await ready;
  const sink = options.plainProgress
    ? { isTTY: false, write: (text: string) => process.stderr.write(text) }
    : process.stderr;
  return runNamesSetting(data, setting, context, options, sink);
}
