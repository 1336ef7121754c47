import fs from 'node:fs/promises';
import path from 'node:path';
import { SweepError } from './errors';
import { parseNumbers, stringifyNumbers } from './json-numbers';
import { stableStringify } from './stable-json';
import type { RunJob, RunRecord } from './types';
import { writeFileAtomic, writeJsonAtomic } from './write-atomic';

/** The file whose presence marks a finished run: the whole record, written last. */
export const RUN_FILE = 'run.json';

/**
 * Writes one finished run under `out/<runId>/`: `config.json`, `history.json`, `metrics.json`,
 * `confusion-matrix.json` and `extra.json` (the files `@seqlearn/report` reads), then
 * `run.json`, the whole record with NaN kept. Each file is written atomically and `run.json`
 * last, so a run folder with `run.json` is complete: that is what `resume` looks for.
 */
export async function writeRun(out: string, record: RunRecord): Promise<void> {
  const dir = path.join(out, record.runId);
  await fs.mkdir(dir, { recursive: true });
  await writeJsonAtomic(path.join(dir, 'config.json'), {
    ...record.setting,
    seed: record.seed,
    phase: record.phase,
  });
  await writeJsonAtomic(path.join(dir, 'history.json'), record.history);
  await writeJsonAtomic(path.join(dir, 'metrics.json'), {
    ...record.metrics,
    seconds: record.seconds,
  });
  if (record.confusionMatrix) {
    await writeJsonAtomic(path.join(dir, 'confusion-matrix.json'), record.confusionMatrix);
  }
  if (record.extra !== undefined) await writeJsonAtomic(path.join(dir, 'extra.json'), record.extra);
  await writeFileAtomic(path.join(dir, RUN_FILE), `${stringifyNumbers(record, 2)}\n`);
}

/**
 * The record of `job` if an earlier sweep finished it under `out`, else undefined.
 * @throws {SweepError} `RESUME_MISMATCH` when that folder holds a run of another setting or seed.
 */
export async function readFinishedRun(out: string, job: RunJob): Promise<RunRecord | undefined> {
  const file = path.join(out, job.runId, RUN_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const record = parseNumbers(text) as RunRecord;
  const same =
    record.seed === job.seed &&
    record.phase === job.phase &&
    stableStringify(record.setting) === stableStringify(job.setting);
  if (!same) {
    throw new SweepError({
      code: 'RESUME_MISMATCH',
      file,
      runId: job.runId,
      message: `${file}: run ${JSON.stringify(job.runId)} was finished with another setting or seed (seed ${record.seed}, ${stableStringify(record.setting)}); resume into a new --out folder or remove that run`,
    });
  }
  return record;
}
