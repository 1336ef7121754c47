import { describe, expect, it } from 'vitest';
import { defineDataset } from './dataset-adapter';
import { DatasetsError } from './errors';
import * as api from './index';
import { getDataset, listDatasets, registerDataset } from './registry';
import { uciHar } from './uci-har';

const tiny = defineDataset({
  name: 'tinyForRegistryTest',
  description: 'Two numbers.',
  license: 'CC0-1.0',
  citation: 'none',
  kind: 'embedded',
  splits: ['all'],
  sources: [],
  isRecord: (v): v is number => typeof v === 'number',
  load: async () => ({ split: 'all', records: [1, 2] }),
});

describe('listDatasets', () => {
  it('lists every built-in adapter in a fixed order', () => {
    expect(listDatasets().map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'names',
        'uciHar',
        'imdb',
        'si650',
        'textCorpus',
        'dbpediaWiki',
        'sine',
        'dampedSine',
        'memoryTask',
        'powerSeries',
      ]),
    );
  });
});

describe('getDataset', () => {
  it('returns the built-in adapter of that name', () => {
    expect(getDataset('uciHar')).toBe(uciHar);
  });

  it('finds every adapter that the package exports, by its name', () => {
    const exported = Object.values(api).filter(
      (value) => typeof value === 'object' && value !== null && 'isRecord' in value,
    ) as { name: string }[];
    expect(exported).toHaveLength(10);
    for (const adapter of exported) expect(getDataset(adapter.name)).toBe(adapter);
  });

  it('loads every built-in through the registry (embedded and synthetic ones here)', async () => {
    for (const name of ['names', 'sine', 'dampedSine', 'memoryTask', 'powerSeries'] as const) {
      const data = await getDataset(name).load();
      expect(data.records.length, name).toBeGreaterThan(0);
    }
  });

  it('throws NOT_FOUND for an unknown name', () => {
    expect(() => getDataset('mnist')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', argument: 'name' }),
    );
    try {
      getDataset('mnist');
    } catch (error) {
      expect(DatasetsError.isInstance(error)).toBe(true);
    }
  });
});

describe('registerDataset', () => {
  it('adds an adapter that getDataset and listDatasets then find', async () => {
    registerDataset(tiny);
    expect(getDataset('tinyForRegistryTest')).toBe(tiny);
    expect(listDatasets().at(-1)).toBe(tiny);
    expect((await getDataset('tinyForRegistryTest').load()).records).toEqual([1, 2]);
  });

  it('refuses a taken name unless replace is set', () => {
    expect(() => registerDataset({ ...uciHar })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'adapter' }),
    );
    const copy = { ...tiny };
    registerDataset(copy, { replace: true });
    expect(getDataset('tinyForRegistryTest')).toBe(copy);
  });

  it('refuses an adapter without a camelCase name or without load', () => {
    expect(() => registerDataset({ ...tiny, name: 'Bad Name' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() =>
      registerDataset({ ...tiny, name: 'noLoad', load: undefined as unknown as typeof tiny.load }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
