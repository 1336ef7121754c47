import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDatasets } from './__fixtures__/shared-datasets';
import { loadNames } from './load-names';

// Line counts per file, from shared/datasets/README.md ("Verified line counts").
const expectedCounts: Record<string, number> = {
  Arabic: 2000,
  Chinese: 268,
  Czech: 519,
  Dutch: 297,
  English: 3668,
  French: 277,
  German: 724,
  Greek: 203,
  Irish: 232,
  Italian: 709,
  Japanese: 991,
  Korean: 94,
  Polish: 139,
  Portuguese: 74,
  Russian: 9408,
  Scottish: 100,
  Spanish: 298,
  Vietnamese: 73,
};

const packageData = join(__dirname, '..', 'data', 'names');
const sharedData = join(sharedDatasets, 'names');

describe('loadNames', () => {
  it('returns 20,074 records over 18 classes', async () => {
    const { records, classNames } = await loadNames();
    expect(records).toHaveLength(20_074);
    expect(classNames).toHaveLength(18);
  });

  it('lists class names alphabetically, the order of the original files', async () => {
    const { classNames } = await loadNames();
    expect(classNames).toEqual(Object.keys(expectedCounts));
    expect(classNames).toEqual([...classNames].sort());
  });

  it('has the per-class counts of the original files', async () => {
    const { records, classNames } = await loadNames();
    const counts: Record<string, number> = {};
    for (const { label } of records)
      counts[classNames[label]] = (counts[classNames[label]] ?? 0) + 1;
    expect(counts).toEqual(expectedCounts);
  });

  it('gives integer labels that index classNames and non-empty texts', async () => {
    const { records, classNames } = await loadNames();
    for (const { text, label } of records) {
      expect(Number.isInteger(label) && label >= 0 && label < classNames.length).toBe(true);
      expect(text.length).toBeGreaterThan(0);
    }
  });

  it('returns the records in the same order on every call, grouped by class in file order', async () => {
    const a = await loadNames();
    const b = await loadNames();
    expect(b).toEqual(a);
    expect(a.records[0]).toEqual({ text: 'Khoury', label: 0 });
    expect(a.records.at(-1)).toEqual({ text: 'Vuu', label: 17 });
    const labels = a.records.map((r) => r.label);
    expect(labels).toEqual([...labels].sort((x, y) => x - y));
  });

  it('keeps non-ASCII letters as in the original files', async () => {
    const { records } = await loadNames();
    expect(records.some((r) => [...r.text].some((c) => c.charCodeAt(0) > 127))).toBe(true);
  });

  it('returns fresh arrays, so changing one result does not change the next', async () => {
    const first = await loadNames();
    first.records[0].text = 'changed';
    first.classNames[0] = 'changed';
    const second = await loadNames();
    expect(second.records[0].text).toBe('Khoury');
    expect(second.classNames[0]).toBe('Arabic');
  });

  it('embeds exactly the text files shipped in data/names', async () => {
    const { records, classNames } = await loadNames();
    const files = readdirSync(packageData).filter((f) => f.endsWith('.txt'));
    expect(files.map((f) => f.slice(0, -4)).sort()).toEqual(classNames);
    const fromFiles = classNames.flatMap((name, label) =>
      readFileSync(join(packageData, `${name}.txt`), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((text) => ({ text, label })),
    );
    expect(records).toEqual(fromFiles);
  });

  it.skipIf(!existsSync(sharedData))(
    'matches shared/datasets/names byte for byte (skipped when that folder is absent)',
    () => {
      for (const file of readdirSync(sharedData)) {
        const same = readFileSync(join(packageData, file)).equals(
          readFileSync(join(sharedData, file)),
        );
        expect(same, file).toBe(true);
      }
    },
  );
});
