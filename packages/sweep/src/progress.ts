/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Runs in the whole sweep (selection runs plus final runs). */
  total: number;
  /** How many runs go at once (workers), to divide the remaining time by. */
  parallel: number;
  /** Where progress lines go. */
  log: (line: string) => void;
  /** Clock in milliseconds; a test hook. @default Date.now */
  now?: () => number;
}

/** Counts finished runs and says, after each, how many remain and about how long they take. */
export interface Progress {
  /** A run was handed to a worker. */
  started(runId: string): void;
  /** A run finished here; `detail` is appended to its line (e.g. the selection metric). */
  finished(runId: string, detail?: string): void;
  /** A run was found finished by an earlier sweep (`resume`): counted, not timed. */
  kept(runId: string): void;
}

/** `45 s`, `3 min 05 s`, `2 h 07 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * Progress lines `[done/total] <run id> ... (12.0 s); ETA 3 min 00 s`. The ETA is the mean wall
 * time of the runs timed so far times the runs left, divided by the runs that go at once.
 */
export function createProgress({
  total,
  parallel,
  log,
  now = Date.now,
}: ProgressOptions): Progress {
  const startedAt = new Map<string, number>();
  let done = 0;
  let timed = 0;
  let timedSeconds = 0;
  const eta = () => {
    const left = total - done;
    if (left <= 0) return 'done';
    if (timed === 0) return 'ETA unknown until a run finishes';
    const mean = timedSeconds / timed;
    return `ETA ${formatDuration((mean * left) / Math.max(1, Math.min(parallel, left)))}`;
  };
  return {
    started(runId) {
      startedAt.set(runId, now());
    },
    finished(runId, detail) {
      const t0 = startedAt.get(runId);
      startedAt.delete(runId);
      done++;
      let took = '';
      if (t0 !== undefined) {
        const seconds = (now() - t0) / 1000;
        timed++;
        timedSeconds += seconds;
        took = ` (${seconds.toFixed(1)} s)`;
      }
      log(`[${done}/${total}] ${runId}${detail ? ` ${detail}` : ''}${took}; ${eta()}`);
    },
    kept(runId) {
      done++;
      log(`[${done}/${total}] ${runId}: finished earlier, kept; ${eta()}`);
    },
  };
}
