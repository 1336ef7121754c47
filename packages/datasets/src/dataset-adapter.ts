/** Where an adapter's file comes from: what {@link download} fetches into the cache folder. */
export interface DatasetSource {
  /** File name inside the adapter's cache folder (`<dataDir>/<adapter name>/<filename>`). */
  filename: string;
  /** Official download address, or the page that explains how to get the file. */
  url: string;
  /** sha256 (hex) of the file at `url`, when known; downloads are verified against it. */
  sha256?: string;
  /** Size in bytes, when known. */
  size?: number;
  /** `true` when the file cannot be fetched automatically (login, terms to accept). */
  manual?: boolean;
}

/** Where an adapter's data lives: inside the package, in files, or generated from a seed. */
export type DatasetKind = 'embedded' | 'file' | 'synthetic';

/** Options every adapter's `load` accepts; adapters add their own. */
export interface LoadOptions {
  /** Which split to load; one of the adapter's `splits`. @default the adapter's first split */
  split?: string;
  /** A local file or folder to read instead of the cache folder, for offline use. */
  path?: string;
  /** Download a missing source into the cache folder. @default true */
  download?: boolean;
  /** Cache folder. @default {@link getDataDir}() */
  dataDir?: string;
}

/** What every `load` resolves to: the split's records, plus whatever the adapter adds. */
export interface LoadedSplit<R> {
  /** The split that was loaded. */
  split: string;
  /** The records, in the adapter's documented, deterministic order. */
  records: R[];
}

/**
 * The contract every dataset adapter fulfils. `load` reads one split into memory; adapters for
 * large data also offer `stream`, which yields the same records one at a time. The conformance
 * suite in `@seqlearn/datasets/testing` checks an adapter against this contract.
 */
export interface DatasetAdapter<
  R = unknown,
  O extends LoadOptions = LoadOptions,
  D extends LoadedSplit<R> = LoadedSplit<R>,
> {
  /** Registry name, camelCase (`uciHar`). */
  readonly name: string;
  /** One sentence on what the data is. */
  readonly description: string;
  /** Licence or terms of use, as stated by the source. */
  readonly license: string;
  /** How to cite the data (or its source when no paper exists). */
  readonly citation: string;
  /** Home page of the data. */
  readonly homepage?: string;
  readonly kind: DatasetKind;
  /** Split names; the first is the default. */
  readonly splits: readonly string[];
  /** Files behind the data; empty for embedded and synthetic adapters. */
  readonly sources: readonly DatasetSource[];
  /** Runtime check that a value is one of this adapter's records. */
  isRecord(value: unknown): value is R;
  /**
   * Loads one split.
   * @throws {DatasetsError} `MISSING_FILE`, `MALFORMED_DATA`, `INVALID_ARGUMENT` (the built-in
   * adapters also for options that are not an object, such as `load(null)`)
   */
  load(options?: O): Promise<D>;
  /** Yields one split's records one at a time, in the same order as `load`. */
  stream?(options?: O): AsyncIterable<R>;
}

/**
 * Identity function that types an adapter object: write `defineDataset({ ... })` to get the record
 * and option types checked and inferred without spelling out the generics.
 *
 * @example
 * ```ts
 * import { defineDataset } from '@seqlearn/datasets';
 * const tiny = defineDataset({
 *   name: 'tiny', description: 'Two numbers.', license: 'CC0-1.0', citation: 'none',
 *   kind: 'embedded', splits: ['train'], sources: [],
 *   isRecord: (v): v is number => typeof v === 'number',
 *   load: async ({ split = 'train' } = {}) => ({ split, records: [1, 2] }),
 * });
 * console.log((await tiny.load()).records); // [1, 2]
 * ```
 */
export function defineDataset<R, O extends LoadOptions, D extends LoadedSplit<R>>(
  adapter: DatasetAdapter<R, O, D>,
): DatasetAdapter<R, O, D> {
  return adapter;
}
