import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { create } from 'tar';
import { describe, expect, it } from 'vitest';
import { sharedDatasets } from './__fixtures__/shared-datasets';
import { tempDir } from './__fixtures__/temp-dir';
import { imdb, readImdb } from './imdb';
import { describeAdapterConformance } from './testing/index';

const tmp = tempDir('imdb');
const reviews: Record<string, string> = {
  'aclImdb/README': 'Large Movie Review Dataset v1.0',
  'aclImdb/train/neg/0_3.txt': 'Story of a man who has unnatural feelings for a pig.',
  'aclImdb/train/neg/1_1.txt': 'Airport 77 <br /><br />is dull.',
  'aclImdb/train/pos/0_9.txt': 'Bromwell High is a cartoon comedy.',
  'aclImdb/train/pos/10_7.txt': 'Ünïcode review, fine.',
  'aclImdb/train/unsup/0_0.txt': 'unlabelled, skipped',
  'aclImdb/train/urls_pos.txt': 'http://www.imdb.com/title/tt0453418/usercomments',
  'aclImdb/test/neg/0_2.txt': 'Once again Mr. Costner has dragged out a movie.',
  'aclImdb/test/pos/0_10.txt': 'I went and saw this movie last night.',
  'aclImdb/test/pos/1_8.txt': 'Actor turned director Bill Paxton follows up.',
};
const folder = join(tmp.dir, 'extracted');
for (const [name, text] of Object.entries(reviews)) {
  mkdirSync(join(folder, name, '..'), { recursive: true });
  writeFileSync(join(folder, name), text);
}
const archive = join(tmp.dir, 'aclImdb_v1.tar.gz');
create({ gzip: true, file: archive, cwd: folder, sync: true, portable: true }, ['aclImdb']);
const real = join(sharedDatasets, 'imdb', 'aclImdb_v1.tar.gz');

describeAdapterConformance(imdb, { options: { path: archive }, splits: { train: 4, test: 3 } });
describeAdapterConformance(imdb, { options: { path: folder }, splits: { train: 4, test: 3 } });

describe('imdb', () => {
  it('reads text, label, rating and id of each review from the tar.gz stream', async () => {
    const { records, classNames } = await imdb.load({ path: archive, split: 'train' });
    expect(classNames).toEqual(['negative', 'positive']);
    const byName = Object.fromEntries(records.map((r) => [`${r.id}_${r.rating}`, r]));
    expect(byName['1_1']).toEqual({
      text: 'Airport 77 <br /><br />is dull.',
      label: 0,
      rating: 1,
      id: 1,
      split: 'train',
    });
    expect(byName['10_7'].text).toBe('Ünïcode review, fine.');
    expect(records.filter((r) => r.label === 1)).toHaveLength(2);
  });

  it('reads the extracted folder negative first, then positive, by id', async () => {
    const { records } = await imdb.load({ path: join(folder, 'aclImdb'), split: 'train' });
    expect(records.map((r) => `${r.label}:${r.id}`)).toEqual(['0:0', '0:1', '1:0', '1:10']);
  });

  it('throws MALFORMED_DATA for a file that is not a tar.gz', async () => {
    const path = tmp.write('broken.tar.gz', 'not an archive at all');
    await expect(imdb.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA' }),
    );
  });

  it('throws MALFORMED_DATA for an archive without reviews', async () => {
    const path = join(tmp.dir, 'empty.tar.gz');
    create({ gzip: true, file: path, cwd: folder, sync: true }, ['aclImdb/README']);
    await expect(imdb.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA' }),
    );
  });
});

describe.skipIf(!existsSync(real))('imdb on shared/datasets (skipped: folder absent)', () => {
  it('reads 25,000 train and 25,000 test reviews, half positive, in one pass over the archive', async () => {
    const counts: Record<string, number> = {};
    let ratingsOk = true;
    for await (const r of readImdb(real, new Set(['train', 'test']))) {
      const key = `${r.split}/${r.label}`;
      counts[key] = (counts[key] ?? 0) + 1;
      if (r.label === 1 ? r.rating < 7 : r.rating > 4) ratingsOk = false;
    }
    expect(counts).toEqual({
      'train/0': 12_500,
      'train/1': 12_500,
      'test/0': 12_500,
      'test/1': 12_500,
    });
    expect(ratingsOk).toBe(true);
  });
});
