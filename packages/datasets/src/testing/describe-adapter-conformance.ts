import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { describe, expect, it } from 'vitest';
import type { DatasetAdapter, LoadedSplit, LoadOptions } from '../dataset-adapter';
import { DatasetsError } from '../errors';

/** The vitest functions the suite registers its tests with. */
export interface ConformanceTestApi {
  describe: typeof describe;
  it: typeof it;
  expect: typeof expect;
}

/** What {@link describeAdapterConformance} loads and expects. */
export interface AdapterConformanceFixture<O extends LoadOptions = LoadOptions> {
  /**
   * Options passed to every `load`, typically `{ path }` pointing at a small fixture in the
   * official format, or `{ seed, ... }` for a synthetic adapter. @default {}
   */
  options?: O;
  /** Splits to load, each with the number of records the fixture holds. */
  splits: Record<string, number>;
}

/**
 * The suite itself; the entry points supply vitest's functions. Registers a vitest `describe` block that checks an adapter against the `DatasetAdapter`
 * contract: metadata present and well-formed, every fixture split loads with the expected
 * number of records, every record passes `isRecord`, two loads give the same records in the same
 * order, `stream` (when present) yields what `load` returns, an unknown split is an
 * `INVALID_ARGUMENT` error and, for file-based adapters, a missing file is a `MISSING_FILE` error.
 * Call it at the top level of a `*.test.ts` file.
 *
 */
export function registerConformanceSuite<R, O extends LoadOptions, D extends LoadedSplit<R>>(
  { describe, it, expect }: ConformanceTestApi,
  adapter: DatasetAdapter<R, O, D>,
  fixture: AdapterConformanceFixture<O>,
): void {
  const options = (fixture.options ?? {}) as O;
  const splits = Object.entries(fixture.splits);
  const load = (split: string) => adapter.load({ ...options, split });

  describe(`${adapter.name} conformance`, () => {
    it('has the metadata of the contract', () => {
      expect(adapter.name).toMatch(/^[a-z][A-Za-z0-9]*$/);
      for (const field of ['description', 'license', 'citation'] as const) {
        expect(typeof adapter[field], field).toBe('string');
        expect(adapter[field].trim().length, field).toBeGreaterThan(0);
      }
      expect(['embedded', 'file', 'synthetic']).toContain(adapter.kind);
      expect(adapter.splits.length).toBeGreaterThan(0);
      expect(new Set(adapter.splits).size).toBe(adapter.splits.length);
      expect(typeof adapter.isRecord).toBe('function');
      expect(typeof adapter.load).toBe('function');
    });

    it('describes its sources with a URL and, when given, a sha256 and a size', () => {
      if (adapter.kind === 'file') expect(adapter.sources.length).toBeGreaterThan(0);
      for (const source of adapter.sources) {
        expect(source.filename).toMatch(/^[^/\\]+$/);
        expect(new URL(source.url).protocol).toMatch(/^https?:$/);
        if (source.sha256 !== undefined) expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
        if (source.size !== undefined) expect(Number.isInteger(source.size)).toBe(true);
      }
    });

    it('is given fixture splits that the adapter declares', () => {
      expect(splits.length).toBeGreaterThan(0);
      for (const [split] of splits) expect(adapter.splits).toContain(split);
    });

    it.each(splits)(
      'loads split %s with the expected number of typed records',
      async (split, count) => {
        const data = await load(split);
        expect(data.split).toBe(split);
        expect(Array.isArray(data.records)).toBe(true);
        expect(data.records).toHaveLength(count);
        const bad = data.records.findIndex((record) => !adapter.isRecord(record));
        expect(bad, `record ${bad} fails isRecord`).toBe(-1);
      },
    );

    it.each(splits)('returns split %s in the same order on every load', async (split) => {
      const first = await load(split);
      const second = await load(split);
      expect(second.records).toEqual(first.records);
    });

    it.runIf(typeof adapter.stream === 'function')(
      'streams the same records as load, in the same order',
      async () => {
        for (const [split] of splits) {
          const streamed: R[] = [];
          for await (const record of adapter.stream!({ ...options, split })) streamed.push(record);
          expect(streamed).toEqual((await load(split)).records);
        }
      },
    );

    it('rejects values that are not records', () => {
      for (const value of [null, undefined, 42, 'text', {}]) {
        expect(adapter.isRecord(value), JSON.stringify(value)).toBe(false);
      }
    });

    it('throws INVALID_ARGUMENT for an unknown split', async () => {
      await expect(load('no-such-split')).rejects.toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'split' }),
      );
    });

    it.runIf(adapter.kind === 'file')('throws MISSING_FILE for a missing file', async () => {
      const missing = join(tmpdir(), `seqlearn-missing-${adapter.name}`, 'no-such-file');
      const error = await adapter
        .load({ ...options, split: splits[0]?.[0], path: missing, download: false })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(DatasetsError.isInstance(error), String(error)).toBe(true);
      expect(error).toMatchObject({ code: 'MISSING_FILE' });
    });
  });
}
