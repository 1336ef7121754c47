import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SweepError } from './errors';
import type { RunFunction, Setting } from './types';

/**
 * What a sweep module exports: the run function that worker processes and queue workers import,
 * and, for the `seqlearn-sweep` command, the sweep's defaults (flags override them).
 * @example
 * ```ts
 * // my-sweep.mjs
 * export const metric = 'val_accuracy';
 * export async function run(setting, { seed, phase }) {
 *   // train setting with seed; evaluate on test data only when phase === 'final'
 *   return { metrics: { val_accuracy: 0.8 }, history: {}, seconds: 1 };
 * }
 * ```
 */
export interface SweepModule<S extends Setting = Setting> {
  /** Trains and evaluates one setting with the seed and phase of its context. */
  run: RunFunction<S>;
  /** Metric that picks the best setting (the command's `--metric`). */
  metric?: string;
  /** Whether a lower `metric` is better (the command's `--minimize`). */
  minimize?: boolean;
  /** Metrics only final runs may report, e.g. `/^test_/`. */
  finalOnly?: RegExp;
  /** Title of `results.md` (the command's `--title`). */
  title?: string;
  /** Metrics shown in the table of settings. */
  columns?: string[];
  /** Metrics shown in the table of final runs. */
  finalColumns?: string[];
}

/** A module path as a `file:` URL (absolute paths and paths relative to `cwd` alike). */
export function moduleUrl(module: string, cwd = process.cwd()): string {
  if (/^(file|data|node):/.test(module)) return module;
  return pathToFileURL(path.resolve(cwd, module)).href;
}

/**
 * Imports a sweep module and checks that it exports a `run` function.
 * @throws {SweepError} `INVALID_MODULE` when it cannot be imported or has no `run`.
 */
export async function loadSweepModule<S extends Setting = Setting>(
  module: string,
): Promise<SweepModule<S>> {
  const url = moduleUrl(module);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const hint = /\.[mc]?ts$/.test(module)
      ? ' (a TypeScript module needs a loader: run node with --import tsx)'
      : '';
    throw new SweepError({
      code: 'INVALID_MODULE',
      argument: 'module',
      message: `could not import sweep module ${module}${hint}: ${(error as Error).message}`,
      cause: error,
    });
  }
  // a CommonJS module imported from ESM puts its exports on `default`
  const exports =
    typeof loaded.run !== 'function' && loaded.default && typeof loaded.default === 'object'
      ? (loaded.default as Record<string, unknown>)
      : loaded;
  if (typeof exports.run !== 'function') {
    throw new SweepError({
      code: 'INVALID_MODULE',
      argument: 'module',
      message: `sweep module ${module} exports no run function: expected export async function run(setting, { seed, runId, phase })`,
    });
  }
  return exports as unknown as SweepModule<S>;
}
