import { describe, expectTypeOf, it } from 'vitest';
import type { ImdbRecord } from './imdb';
import { type AnyDatasetAdapter, getDataset } from './registry';
import type { UciHarData } from './uci-har';

describe('getDataset types', () => {
  it('types the built-in adapters by name', () => {
    expectTypeOf(getDataset('uciHar').load).returns.resolves.toEqualTypeOf<UciHarData>();
    expectTypeOf(getDataset('imdb').isRecord).guards.toEqualTypeOf<ImdbRecord>();
  });

  it('returns the loose adapter type for other names', () => {
    expectTypeOf(getDataset('myOwn')).toEqualTypeOf<AnyDatasetAdapter>();
  });
});
