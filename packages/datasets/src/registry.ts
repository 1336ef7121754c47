import { dampedSine } from './damped-sine';
import type { DatasetAdapter } from './dataset-adapter';
import { dbpediaWiki } from './dbpedia-wiki';
import { DatasetsError } from './errors';
import { imdb } from './imdb';
import { memoryTask } from './memory-task';
import { names } from './names';
import { powerSeries } from './power-series';
import { si650 } from './si650';
import { sine } from './sine';
import { textCorpus } from './text-corpus';
import { uciHar } from './uci-har';

/** An adapter of any record, option and result type, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds adapters of every type.
export type AnyDatasetAdapter = DatasetAdapter<any, any, any>;

/** The built-in adapters by name, so that `getDataset('uciHar')` is typed. */
export interface BuiltinDatasets {
  names: typeof names;
  uciHar: typeof uciHar;
  imdb: typeof imdb;
  si650: typeof si650;
  textCorpus: typeof textCorpus;
  dbpediaWiki: typeof dbpediaWiki;
  sine: typeof sine;
  dampedSine: typeof dampedSine;
  memoryTask: typeof memoryTask;
  powerSeries: typeof powerSeries;
}

const builtins: AnyDatasetAdapter[] = [
  names,
  uciHar,
  imdb,
  si650,
  textCorpus,
  dbpediaWiki,
  sine,
  dampedSine,
  memoryTask,
  powerSeries,
];
const registry = new Map<string, AnyDatasetAdapter>(builtins.map((a) => [a.name, a]));

/**
 * Lists the registered adapters: the built-ins in a fixed order, then those added with
 * {@link registerDataset} in the order they were added.
 *
 * @example
 * ```ts
 * import { listDatasets } from '@seqlearn/datasets';
 * console.log(listDatasets().map((d) => d.name));
 * // ['names', 'uciHar', 'imdb', 'si650', 'textCorpus', 'dbpediaWiki', 'sine', 'dampedSine', 'memoryTask', 'powerSeries']
 * ```
 */
export function listDatasets(): AnyDatasetAdapter[] {
  return [...registry.values()];
}

/**
 * Returns the adapter registered under `name`.
 *
 * @example
 * ```ts
 * import { getDataset } from '@seqlearn/datasets';
 * const { records } = await getDataset('memoryTask').load({ examples: 2, k: 3 });
 * console.log(records.length); // 2
 * ```
 * @throws {DatasetsError} `NOT_FOUND` when no adapter has that name (the message lists them).
 */
export function getDataset<N extends keyof BuiltinDatasets>(name: N): BuiltinDatasets[N];
export function getDataset(name: string): AnyDatasetAdapter;
export function getDataset(name: string): AnyDatasetAdapter {
  const adapter = registry.get(name);
  if (adapter === undefined) {
    throw new DatasetsError({
      code: 'NOT_FOUND',
      argument: 'name',
      message: `expected a registered dataset name (${[...registry.keys()].join(', ')}), got ${JSON.stringify(name)}`,
    });
  }
  return adapter;
}

/** Options for {@link registerDataset}. */
export interface RegisterDatasetOptions {
  /** Replace an adapter already registered under the same name. @default false */
  replace?: boolean;
}

/**
 * Adds an adapter to the registry so that {@link getDataset} and {@link listDatasets} find it.
 *
 * @example
 * ```ts
 * import { defineDataset, getDataset, registerDataset } from '@seqlearn/datasets';
 * registerDataset(defineDataset({
 *   name: 'tiny', description: 'Two numbers.', license: 'CC0-1.0', citation: 'none',
 *   kind: 'embedded', splits: ['all'], sources: [],
 *   isRecord: (v): v is number => typeof v === 'number',
 *   load: async () => ({ split: 'all', records: [1, 2] }),
 * }));
 * console.log((await getDataset('tiny').load()).records); // [1, 2]
 * ```
 * @throws {DatasetsError} `INVALID_ARGUMENT` when the name is taken (without `replace`) or the
 *   adapter lacks a name, splits, `isRecord` or `load`.
 */
export function registerDataset(
  adapter: AnyDatasetAdapter,
  { replace = false }: RegisterDatasetOptions = {},
): void {
  const problem =
    typeof adapter?.name !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(adapter.name)
      ? `a camelCase name, got ${JSON.stringify(adapter?.name)}`
      : !Array.isArray(adapter.splits) || adapter.splits.length === 0
        ? 'at least one split'
        : typeof adapter.load !== 'function' || typeof adapter.isRecord !== 'function'
          ? 'load and isRecord functions'
          : undefined;
  if (problem !== undefined) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'adapter',
      message: `registerDataset: expected an adapter with ${problem}`,
    });
  }
  if (registry.has(adapter.name) && !replace) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'adapter',
      message: `registerDataset: expected a new name, got "${adapter.name}", already registered (pass { replace: true } to replace it)`,
    });
  }
  registry.set(adapter.name, adapter);
}
