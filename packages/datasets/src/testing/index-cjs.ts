// CommonJS build of `@seqlearn/datasets/testing`: vitest throws when loaded with `require`, so
// this entry does not load it and asks for its functions instead.
import type { DatasetAdapter, LoadedSplit, LoadOptions } from '../dataset-adapter';
import { DatasetsError } from '../errors';
import {
  type AdapterConformanceFixture,
  type ConformanceTestApi,
  registerConformanceSuite,
} from './describe-adapter-conformance';

export type { AdapterConformanceFixture, ConformanceTestApi };

/** See the ESM entry; here `api` (`{ describe, it, expect }` from vitest) is required. */
export function describeAdapterConformance<R, O extends LoadOptions, D extends LoadedSplit<R>>(
  adapter: DatasetAdapter<R, O, D>,
  fixture: AdapterConformanceFixture<O>,
  api?: ConformanceTestApi,
): void {
  if (api === undefined) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'api',
      message:
        'describeAdapterConformance: from CommonJS, expected { describe, it, expect } from vitest as the third argument (vitest cannot be loaded with require), got nothing',
    });
  }
  registerConformanceSuite(api, adapter, fixture);
}
