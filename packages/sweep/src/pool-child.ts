// The entry of a run's child process: receives one RunJob over IPC, imports the sweep module,
// runs it and sends the outcome back, then exits. One process per run: no state (tfjs' global
// random generator, backend, memory) carries from one run to the next, so a run's result is
// the same whichever runs shared its worker.
import { loadSweepModule } from './sweep-module';
import type { RunJob } from './types';

interface RunMessage {
  type: 'run';
  module: string;
  job: RunJob;
}

// The parent died or closed the channel: stop at once, so a killed worker's run never
// finishes after the job was handed to another worker.
process.on('disconnect', () => process.exit(1));

process.once('message', async (message: RunMessage) => {
  const send = (reply: unknown) =>
    new Promise<void>((resolve) => {
      if (!process.send) return resolve();
      process.send(reply, undefined, {}, () => resolve());
    });
  try {
    const mod = await loadSweepModule(message.module);
    const { setting, seed, runId, phase } = message.job;
    const outcome = await mod.run(setting, { seed, runId, phase });
    await send({ type: 'done', outcome });
  } catch (error) {
    const e = error as Error;
    await send({
      type: 'error',
      message: e?.message ?? String(error),
      stack: e?.stack,
      code: (e as { code?: unknown })?.code,
    });
  }
  process.exit(0);
});
