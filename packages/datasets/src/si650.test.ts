import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDatasets } from './__fixtures__/shared-datasets';
import { tempDir } from './__fixtures__/temp-dir';
import { si650 } from './si650';
import { describeAdapterConformance } from './testing/index';

const fixture = join(__dirname, '__fixtures__', 'si650', 'training.txt');
const real = join(sharedDatasets, 'si650-sentiment', 'training.txt');
const tmp = tempDir('si650');

describeAdapterConformance(si650, { options: { path: fixture }, splits: { train: 5 } });

describe('si650', () => {
  it('reads label and sentence of each line in file order', async () => {
    const { records, classNames } = await si650.load({ path: fixture });
    expect(classNames).toEqual(['negative', 'positive']);
    expect(records[0]).toEqual({ text: 'The Da Vinci Code book is just awesome.', label: 1 });
    expect(records.map((r) => r.label)).toEqual([1, 1, 1, 0, 0]);
  });

  it('accepts the folder that holds training.txt', async () => {
    const { records } = await si650.load({ path: join(__dirname, '__fixtures__', 'si650') });
    expect(records).toHaveLength(5);
  });

  it('throws MALFORMED_DATA with the line for an unknown label', async () => {
    const path = tmp.write('unknown-label.txt', '1\tgood\n2\tunknown\n');
    await expect(si650.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA', line: 2 }),
    );
  });

  it('throws MALFORMED_DATA for a line without a tab', async () => {
    const path = tmp.write('no-tab.txt', '1 good\n');
    await expect(si650.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA', line: 1 }),
    );
  });

  it('throws MALFORMED_DATA for an empty file', async () => {
    const path = tmp.write('empty.txt', '');
    await expect(si650.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA' }),
    );
  });

  it('throws MISSING_FILE naming the cache path when no file is given and none is cached', async () => {
    await expect(si650.load({ dataDir: tmp.dir })).rejects.toThrow(
      expect.objectContaining({
        code: 'MISSING_FILE',
        path: join(tmp.dir, 'si650', 'training.txt'),
      }),
    );
  });

  it('reads a file placed in the cache folder', async () => {
    const { mkdirSync, copyFileSync } = await import('node:fs');
    const dataDir = join(tmp.dir, 'cache');
    mkdirSync(join(dataDir, 'si650'), { recursive: true });
    copyFileSync(fixture, join(dataDir, 'si650', 'training.txt'));
    expect((await si650.load({ dataDir })).records).toHaveLength(5);
  });
});

describe.skipIf(!existsSync(real))('si650 on shared/datasets (skipped: folder absent)', () => {
  it('loads 7,086 labelled sentences: 3,995 positive and 3,091 negative', async () => {
    const { records } = await si650.load({ path: real });
    expect(records).toHaveLength(7086);
    expect(records.filter((r) => r.label === 1)).toHaveLength(3995);
    expect(records.filter((r) => r.label === 0)).toHaveLength(3091);
  });
});
