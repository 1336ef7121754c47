import type { summarizeRuns } from '@seqlearn/eval-metrics';

/** One setting of a sweep: plain JSON, with an `id` that names its output folder. */
export interface Setting {
  id: string;
}

/**
 * Which part of a sweep a run belongs to. `selection`: one run per setting, compared by the
 * sweep's `metric` (a validation figure) to choose a setting; `final`: the chosen setting
 * trained again with new seeds, the runs whose held-out test figures are reported.
 */
export type RunPhase = 'selection' | 'final';

/** What a run function is told besides its setting. */
export interface RunContext {
  /**
   * The seed of this run: the sweep's `seed` for every selection run, `seed + r` for the r-th
   * final run (r = 1, 2, ...). It depends on nothing else, so a run gives the same result
   * whichever worker runs it and in whatever order.
   */
  seed: number;
  /** `<setting id>` for a selection run, `<setting id>-seed<seed>` for a final run. */
  runId: string;
  phase: RunPhase;
}

/** What one training run reports back. */
export interface RunOutcome {
  /**
   * Final figures, e.g. `{ val_accuracy: 0.8, test_accuracy: 0.81 }`. With `finalOnly` set, a
   * selection run reports no metric that it matches (no test figures).
   */
  metrics: Record<string, number>;
  /** Per-epoch history (loss, accuracy, validation figures), as tfjs `History.history`. */
  history: Record<string, number[]>;
  /** Wall time of the training, in seconds. */
  seconds: number;
  /** Optional confusion matrix with its class names and the data it was counted on. */
  confusionMatrix?: {
    labels: string[];
    matrix: number[][];
    /** Which data the matrix counts, e.g. 'validation' or 'test'. @default unstated */
    split?: string;
  };
  /** Anything else worth keeping beside the run (written to `extra.json`); plain JSON. */
  extra?: unknown;
}

/** Trains and evaluates one setting with the seed of `context`. */
export type RunFunction<S extends Setting = Setting> = (
  setting: S,
  context: RunContext,
) => Promise<RunOutcome>;

/** A finished run as written to `results.json` (and to `<out>/<runId>/run.json`). */
export interface RunRecord extends RunOutcome {
  setting: Setting;
  seed: number;
  /** `<setting id>` for the sweep, `<setting id>-seed<seed>` for the repeats. */
  runId: string;
  /** `selection` for the sweep's runs, `final` for the repeats of the chosen setting. */
  phase: RunPhase;
}

/** The summary of a sweep, as written to `results.json`. */
export interface SweepResults<S extends Setting = Setting> {
  title: string;
  metric: string;
  /** Whether the selection runs were kept from the metrics matched by `finalOnly` (test figures). */
  testOnlyInFinal?: boolean;
  /** Whether every setting has run and `best` is the chosen one (false while the selection runs). */
  chosen?: boolean;
  /** The selection runs, in the order of the settings (finished ones only while running). */
  runs: RunRecord[];
  best: S;
  /** The final runs of the chosen setting, in the order of their seeds. */
  repeats: RunRecord[];
  /** `summarizeRuns` of each metric over the repeats. */
  summary: Record<string, ReturnType<typeof summarizeRuns>>;
}

/** One run to do: what a worker (a child process or a queue worker) receives. */
export interface RunJob<S extends Setting = Setting> extends RunContext {
  setting: S;
}
