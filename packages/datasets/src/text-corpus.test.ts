import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDatasets } from './__fixtures__/shared-datasets';
import { tempDir } from './__fixtures__/temp-dir';
import { describeAdapterConformance } from './testing/index';
import { textCorpus } from './text-corpus';

const fixture = join(__dirname, '__fixtures__', 'text-corpus', 'input.txt');
const real = join(sharedDatasets, 'shakespeare', 'input.txt');
const tmp = tempDir('corpus');

describeAdapterConformance(textCorpus, { options: { path: fixture }, splits: { all: 20 } });

describe('textCorpus', () => {
  it('returns the text, its lines and its character statistics', async () => {
    const path = tmp.write('small.txt', 'ab\nba\n');
    const data = await textCorpus.load({ path });
    expect(data.text).toBe('ab\nba\n');
    expect(data.records).toEqual([{ text: 'ab' }, { text: 'ba' }]);
    expect(data.stats).toEqual({
      characters: 6,
      lines: 2,
      vocabulary: ['\n', 'a', 'b'],
      counts: { a: 2, b: 2, '\n': 2 },
    });
  });

  it('throws MALFORMED_DATA for an empty file', async () => {
    const path = tmp.write('empty.txt', '');
    await expect(textCorpus.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA' }),
    );
  });
});

describe.skipIf(!existsSync(real))('textCorpus on shared/datasets (skipped: folder absent)', () => {
  it('reads tiny-shakespeare: 1,115,394 characters, 40,000 lines, 65 distinct characters', async () => {
    const { stats, records } = await textCorpus.load({ path: real });
    expect(stats.characters).toBe(1_115_394);
    expect(stats.lines).toBe(40_000);
    expect(records).toHaveLength(40_000);
    expect(stats.vocabulary).toHaveLength(65);
  });
});
