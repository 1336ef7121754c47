import type { RunJob, Setting } from './types';

/**
 * The selection runs of a sweep: every setting once, with the sweep's seed, in settings order.
 * A pure function of its arguments, so every process and machine plans the same runs.
 */
export function selectionJobs<S extends Setting>(
  settings: readonly S[],
  seed: number,
): RunJob<S>[] {
  return settings.map((setting) => ({ setting, seed, runId: setting.id, phase: 'selection' }));
}

/**
 * The final runs of the chosen setting: repeat r (1-based) gets seed `seed + r` and run id
 * `<id>-seed<seed + r>`, whatever ran before it or beside it.
 */
export function finalJobs<S extends Setting>(best: S, seed: number, repeats: number): RunJob<S>[] {
  return Array.from({ length: repeats }, (_, i) => {
    const s = seed + i + 1;
    return { setting: best, seed: s, runId: `${best.id}-seed${s}`, phase: 'final' };
  });
}
