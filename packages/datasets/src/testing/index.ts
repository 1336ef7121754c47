import { describe, expect, it } from 'vitest';
import type { DatasetAdapter, LoadedSplit, LoadOptions } from '../dataset-adapter';
import {
  type AdapterConformanceFixture,
  type ConformanceTestApi,
  registerConformanceSuite,
} from './describe-adapter-conformance';

export type { AdapterConformanceFixture, ConformanceTestApi };

/**
 * Registers a vitest `describe` block that checks an adapter against the `DatasetAdapter`
 * contract: metadata present and well-formed, every fixture split loads with the expected number
 * of records, every record passes `isRecord`, two loads give the same records in the same order,
 * `stream` (when present) yields what `load` returns, an unknown split is an `INVALID_ARGUMENT`
 * error and, for file-based adapters, a missing file is a `MISSING_FILE` error. Call it at the top
 * level of a `*.test.ts` file. `api` defaults to vitest's own functions; the CommonJS build of
 * this entry needs it passed, since vitest cannot be loaded with `require`.
 *
 * @example
 * ```ts
 * import { si650 } from '@seqlearn/datasets';
 * import { describeAdapterConformance } from '@seqlearn/datasets/testing';
 * describeAdapterConformance(si650, { options: { path: 'fixtures/training.txt' }, splits: { train: 5 } });
 * // ✓ si650 conformance (9 tests)
 * ```
 */
export function describeAdapterConformance<R, O extends LoadOptions, D extends LoadedSplit<R>>(
  adapter: DatasetAdapter<R, O, D>,
  fixture: AdapterConformanceFixture<O>,
  api: ConformanceTestApi = { describe, it, expect },
): void {
  registerConformanceSuite(api, adapter, fixture);
}
