import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetAdapter, LoadedSplit, LoadOptions } from './dataset-adapter';
import { DatasetsError } from './errors';
import { checkLoadOptions, isDirectory, pickSplit, resolveSource } from './resolve-source';
import { readTar } from './tar-archive';

/** One review of the Large Movie Review Dataset. */
export interface ImdbRecord {
  /** The review, as in the file (with its `<br />` tags). */
  text: string;
  /** 0 negative (rating 1-4), 1 positive (rating 7-10). */
  label: number;
  /** The reviewer's rating, 1-10, from the file name `<id>_<rating>.txt`. */
  rating: number;
  /** The id from the file name, unique within a split and polarity. */
  id: number;
  split: 'train' | 'test';
}

/** What {@link imdb}`.load` resolves to. */
export interface ImdbData extends LoadedSplit<ImdbRecord> {
  /** `['negative', 'positive']`. */
  classNames: string[];
}

const source = {
  filename: 'aclImdb_v1.tar.gz',
  url: 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz',
  sha256: 'c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe',
  size: 84_125_825,
};

const REVIEW = /(?:^|\/)(train|test)\/(pos|neg)\/(\d+)_(\d+)\.txt$/;

function toRecord(name: string, text: string): ImdbRecord | undefined {
  const match = REVIEW.exec(name);
  if (match === null) return undefined;
  return {
    text,
    label: match[2] === 'pos' ? 1 : 0,
    rating: Number(match[4]),
    id: Number(match[3]),
    split: match[1] as 'train' | 'test',
  };
}

/**
 * Yields the labelled reviews of `aclImdb_v1.tar.gz` (or an extracted `aclImdb` folder) for the
 * given splits in one pass: archive order for the archive, neg then pos by id for a folder.
 * The archive is read as a gzip stream, entry by entry, never unpacked; `train/unsup` is skipped.
 * Every tar header's checksum and the gzip CRC-32 are checked (`CHECKSUM_MISMATCH`), and a
 * truncated archive is `MALFORMED_DATA`; a review is yielded only once it is complete.
 */
export async function* readImdb(
  path: string,
  splits: ReadonlySet<string>,
): AsyncGenerator<ImdbRecord> {
  if (await isDirectory(path)) {
    yield* readImdbFolder(path, splits);
    return;
  }
  let count = 0;
  for await (const entry of readTar(path, 'imdb')) {
    const match = REVIEW.exec(entry.name);
    if (entry.type !== 'file' || match === null || !splits.has(match[1])) continue;
    const text = (await entry.read()).toString('utf8');
    count++;
    yield toRecord(entry.name, text)!;
  }
  if (count === 0) {
    throw new DatasetsError({
      code: 'MALFORMED_DATA',
      path,
      message: `imdb: expected aclImdb_v1.tar.gz with <split>/<pos|neg>/<id>_<rating>.txt entries of ${[...splits].join(' or ')} at ${path}, got no labelled review`,
    });
  }
}

async function* readImdbFolder(
  path: string,
  splits: ReadonlySet<string>,
): AsyncGenerator<ImdbRecord> {
  let root = path;
  if (await isDirectory(join(path, 'aclImdb'))) root = join(path, 'aclImdb');
  let count = 0;
  for (const split of ['train', 'test']) {
    if (!splits.has(split)) continue;
    for (const polarity of ['neg', 'pos']) {
      const dir = join(root, split, polarity);
      let files: string[];
      try {
        files = await readdir(dir);
      } catch (error) {
        throw new DatasetsError({
          code: 'MISSING_FILE',
          path: dir,
          message: `imdb: expected the folder ${dir} of the extracted aclImdb archive, found nothing`,
          cause: error,
        });
      }
      const named = files
        .map((file) => ({ file, record: toRecord(`${split}/${polarity}/${file}`, '') }))
        .filter((f) => f.record !== undefined)
        .sort((a, b) => a.record!.id - b.record!.id);
      for (const { file, record } of named) {
        count++;
        yield { ...record!, text: await readFile(join(dir, file), 'utf8') };
      }
    }
  }
  if (count === 0) {
    throw new DatasetsError({
      code: 'MALFORMED_DATA',
      path,
      message: `imdb: expected <id>_<rating>.txt reviews under ${root}, found none`,
    });
  }
}

/**
 * Adapter for the Large Movie Review Dataset v1.0 (aclImdb): 25,000 train and 25,000 test
 * reviews, half positive. `path` is `aclImdb_v1.tar.gz`, read as a stream without unpacking, or
 * the extracted folder; without it, the official archive (84 MB) is downloaded into the cache
 * folder and verified against its sha256. Records come in archive order (folder: negative then
 * positive, by id). `stream` yields them one at a time; `load` collects one split.
 *
 * @example
 * ```ts
 * import { imdb } from '@seqlearn/datasets';
 * const { records } = await imdb.load({ path: 'aclImdb_v1.tar.gz', split: 'test' });
 * console.log(records.length, records.filter((r) => r.label === 1).length); // 25000 12500
 * ```
 * @throws {DatasetsError} `MALFORMED_DATA` for a file that is not such an archive, is truncated
 *   or holds no review of the split; `CHECKSUM_MISMATCH` for a corrupt tar header or gzip
 *   stream; `MISSING_FILE` when it is absent.
 */
export const imdb: DatasetAdapter<ImdbRecord, LoadOptions, ImdbData> = {
  name: 'imdb',
  description:
    'Large Movie Review Dataset v1.0 (aclImdb): 25,000 train and 25,000 test movie reviews, half positive.',
  license:
    'No formal licence; the authors ask that publications cite Maas et al. (2011). Reviews come from IMDb.',
  citation:
    'Andrew L. Maas, Raymond E. Daly, Peter T. Pham, Dan Huang, Andrew Y. Ng and Christopher Potts. Learning Word Vectors for Sentiment Analysis. ACL 2011.',
  homepage: 'https://ai.stanford.edu/~amaas/data/sentiment/',
  kind: 'file',
  splits: ['train', 'test'],
  sources: [source],
  isRecord(value): value is ImdbRecord {
    if (typeof value !== 'object' || value === null) return false;
    const r = value as ImdbRecord;
    return (
      typeof r.text === 'string' &&
      (r.label === 0 || r.label === 1) &&
      Number.isInteger(r.rating) &&
      Number.isInteger(r.id) &&
      (r.split === 'train' || r.split === 'test')
    );
  },
  async *stream(options: LoadOptions = {}) {
    checkLoadOptions('imdb', options);
    const split = pickSplit('imdb', imdb.splits, options.split);
    yield* readImdb(await resolveSource('imdb', source, options), new Set([split]));
  },
  async load(options: LoadOptions = {}) {
    checkLoadOptions('imdb', options);
    const split = pickSplit('imdb', this.splits, options.split);
    const records: ImdbRecord[] = [];
    for await (const record of imdb.stream!({ ...options, split })) records.push(record);
    return { split, records, classNames: ['negative', 'positive'] };
  },
};
