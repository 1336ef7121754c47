import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SweepError } from './errors';
import type { RunJob, RunOutcome } from './types';

/** The child entry beside this module: built `pool-child.js`, or the source under a test runner. */
function childEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url;
  const ts = /\.ts$/.test(here);
  const file = fileURLToPath(new URL(ts ? './pool-child.ts' : './pool-child.js', here));
  const hasTsx = process.execArgv.some((a) => /(^|[=/])tsx\b/.test(a));
  // from the sources (tests), the child needs a TypeScript loader: the repository's tsx
  return {
    file,
    execArgv: ts && !hasTsx ? [...process.execArgv, '--import', 'tsx'] : process.execArgv,
  };
}

/** Options of {@link runInChild}. */
export interface ChildRunOptions {
  /** Sweep module (path or URL) that exports `run`. */
  module: string;
  job: RunJob;
  /** `SEQLEARN_THREADS` of the child: the kernel threads of this run. */
  threads: number;
  /** Children currently running, so that a caller can kill them (e.g. on SIGINT). */
  active?: Set<ChildProcess>;
}

/**
 * Runs one job in a fresh child process (the parent's Node flags, so a `--import tsx` loader
 * carries over) with `SEQLEARN_THREADS` set, and resolves with its outcome.
 * @throws {SweepError} `RUN_FAILED` when the run throws or the child exits without an answer.
 */
export function runInChild({ module, job, threads, active }: ChildRunOptions): Promise<RunOutcome> {
  const { file, execArgv } = childEntry();
  return new Promise<RunOutcome>((resolve, reject) => {
    const child = fork(file, [], {
      execArgv,
      env: { ...process.env, SEQLEARN_THREADS: String(threads) },
      serialization: 'advanced', // keeps NaN, unlike JSON
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // its own process group: Ctrl-C reaches the worker, which decides what becomes of the run
      // (a child whose parent dies exits on 'disconnect')
      detached: true,
    });
    active?.add(child);
    let settled = false;
    const fail = (message: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      reject(new SweepError({ code: 'RUN_FAILED', runId: job.runId, message, cause }));
    };
    child.on(
      'message',
      (reply: { type: string; outcome?: RunOutcome; message?: string; stack?: string }) => {
        if (settled) return;
        if (reply.type === 'done' && reply.outcome) {
          settled = true;
          resolve(reply.outcome);
        } else {
          const cause = Object.assign(new Error(reply.message), { stack: reply.stack });
          fail(`run ${JSON.stringify(job.runId)} failed: ${reply.message}`, cause);
        }
      },
    );
    child.on('error', (error) => fail(`run ${JSON.stringify(job.runId)}: ${error.message}`, error));
    // 'close', not 'exit': Node may emit 'exit' before it has delivered the messages the child
    // sent just before exiting (seen under load: a finished run reported as lost); 'close' comes
    // after the IPC channel is drained and closed
    child.on('close', (code, signal) => {
      active?.delete(child);
      fail(
        `run ${JSON.stringify(job.runId)}: its worker process exited (${signal ? `signal ${signal}` : `code ${code}`}) before it finished`,
      );
    });
    child.send({ type: 'run', module, job });
  });
}
