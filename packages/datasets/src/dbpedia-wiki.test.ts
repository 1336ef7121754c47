import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDatasets } from './__fixtures__/shared-datasets';
import { tempDir } from './__fixtures__/temp-dir';
import { DBPEDIA_CLASS_NAMES, dbpediaWiki } from './dbpedia-wiki';
import { describeAdapterConformance } from './testing/index';

const fixture = join(__dirname, '__fixtures__', 'dbpedia-wiki');
const real = join(sharedDatasets, 'wiki-15');
const tmp = tempDir('dbpedia');

describeAdapterConformance(dbpediaWiki, {
  options: { path: fixture },
  splits: { train: 14, test: 14 },
});

describe('dbpediaWiki', () => {
  it('maps labels 1-14 to indices 0-13 of the DBpedia class names and trims the text', async () => {
    const { records, classNames } = await dbpediaWiki.load({ path: fixture, split: 'test' });
    expect(classNames).toEqual(DBPEDIA_CLASS_NAMES);
    expect(records[0]).toEqual({
      text: 'Sampara River is a river in Sulawesi Indonesia.',
      label: 7,
    });
    expect(classNames[records[0].label]).toBe('NaturalPlace');
    expect(new Set(records.map((r) => r.label)).size).toBe(14);
  });

  it('accepts the CSV file itself as path', async () => {
    const path = join(fixture, 'test_medium.csv');
    expect((await dbpediaWiki.load({ path, split: 'test' })).records).toHaveLength(14);
  });

  it('throws MALFORMED_DATA with the row for a row without a label', async () => {
    const path = tmp.write('no-label.csv', '1, fine text,,\n, no label here,,\n');
    await expect(dbpediaWiki.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA', line: 2 }),
    );
  });

  it('throws MALFORMED_DATA for an unknown label', async () => {
    const path = tmp.write('unknown.csv', '15, no such class,,\n');
    await expect(dbpediaWiki.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA', line: 1 }),
    );
  });

  it('throws MALFORMED_DATA for an empty file', async () => {
    const path = tmp.write('empty.csv', '\n');
    await expect(dbpediaWiki.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA' }),
    );
  });
});

describe.skipIf(!existsSync(real))(
  'dbpediaWiki on shared/datasets (skipped: folder absent)',
  () => {
    it('loads 5,600 train rows, 400 in each of 14 classes', async () => {
      const { records } = await dbpediaWiki.load({ path: real, split: 'train' });
      expect(records).toHaveLength(5600);
      const counts = new Array(14).fill(0);
      for (const r of records) counts[r.label]++;
      expect(counts).toEqual(new Array(14).fill(400));
    });

    it('loads 700 test rows, 50 in each of 14 classes', async () => {
      const { records } = await dbpediaWiki.load({ path: real, split: 'test' });
      expect(records).toHaveLength(700);
      const counts = new Array(14).fill(0);
      for (const r of records) counts[r.label]++;
      expect(counts).toEqual(new Array(14).fill(50));
    });
  },
);
