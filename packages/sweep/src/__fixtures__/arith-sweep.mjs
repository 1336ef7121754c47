// A sweep module for the tests: plain arithmetic of the setting and the seed, so any process
// gives the same figures. With SWEEP_TEST_DIR set, each finished run appends its id to
// <dir>/<runId>.done (to count completions), and a run starting writes <dir>/<runId>.<pid>.start
// holding its SEQLEARN_THREADS.
import fs from 'node:fs';
import path from 'node:path';

export const metric = 'val_score';
export const finalOnly = /^test_/;
export const title = 'arithmetic';

export async function run(setting, { seed, runId, phase }) {
  const dir = process.env.SWEEP_TEST_DIR;
  if (dir) {
    const threads = process.env.SEQLEARN_THREADS ?? 'unset';
    fs.writeFileSync(path.join(dir, `${runId}.${process.pid}.start`), threads);
  }
  if (setting.exitCode !== undefined && phase === 'selection') process.exit(setting.exitCode);
  if (setting.ms) await new Promise((resolve) => setTimeout(resolve, setting.ms));
  const val = setting.units / 100 + (seed % 7) / 1000;
  const metrics = { val_score: val };
  if (phase === 'final') metrics.test_score = val - 0.01;
  if (dir) fs.appendFileSync(path.join(dir, `${runId}.done`), `${process.pid}\n`);
  return {
    metrics,
    history: { loss: [1, 0.5 + seed / 1000] },
    seconds: 0,
  };
}
