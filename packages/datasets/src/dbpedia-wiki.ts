import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DatasetAdapter, LoadedSplit, LoadOptions } from './dataset-adapter';
import { DatasetsError } from './errors';
import type { TextRecord } from './records';
import { checkLoadOptions, isDirectory, pickSplit, resolveSource } from './resolve-source';
import { isTextRecord, readTextFile } from './text-files';

/** The 14 DBpedia ontology classes, in label order (file label `1` is index 0). */
export const DBPEDIA_CLASS_NAMES: readonly string[] = [
  'Company',
  'EducationalInstitution',
  'Artist',
  'Athlete',
  'OfficeHolder',
  'MeanOfTransportation',
  'Building',
  'NaturalPlace',
  'Village',
  'Animal',
  'Plant',
  'Album',
  'Film',
  'WrittenWork',
];

/** What {@link dbpediaWiki}`.load` resolves to. */
export interface DbpediaWikiData extends LoadedSplit<TextRecord> {
  /** {@link DBPEDIA_CLASS_NAMES}; `records[i].label` indexes it. */
  classNames: string[];
}

const commit =
  'https://raw.githubusercontent.com/tanchuanxin/cz4042_assignment_2/9e47938991e420f958ffa32e0fad665f5cd358bd/2b';
const sources = {
  train: {
    filename: 'train_medium.csv',
    url: `${commit}/train_medium.csv`,
    sha256: '9c5816b344282bf25b5969c8f4c2ee0d3403d464e4f241ed77f5d6de33187ef5',
    size: 1_654_935,
  },
  test: {
    filename: 'test_medium.csv',
    url: `${commit}/test_medium.csv`,
    sha256: '7b00dbd17689f1fbe30473cb3122872a61160fee1d1e70c227d64e4e9a84dc10',
    size: 206_816,
  },
};

/**
 * Adapter for the Wikipedia first paragraphs in 14 DBpedia classes of the NTU CZ4042 course
 * (`train_medium.csv`: 5,600 rows, `test_medium.csv`: 700 rows, no header). Each row is
 * `<label 1-14>, <text>` padded with empty fields; labels become 0-13 indices into
 * {@link DBPEDIA_CLASS_NAMES}. The text is everything after the label but the trailing empty
 * padding: an unquoted comma in it (the official files have none) stays part of the text.
 * `path` may be the CSV file or the folder holding both. Records keep the file's order.
 *
 * @example
 * ```ts
 * import { dbpediaWiki } from '@seqlearn/datasets';
 * const { records, classNames } = await dbpediaWiki.load({ path: 'wiki-15', split: 'test' });
 * console.log(records.length, classNames[records[0].label]); // 700 ...
 * ```
 * @throws {DatasetsError} `MALFORMED_DATA` (with the file's `line`) for a row without a label,
 *   with a label outside 1-14 or without text, or for an empty file; `MISSING_FILE` when the
 *   file is absent; `CHECKSUM_MISMATCH` for a cached copy that differs from the official file.
 */
export const dbpediaWiki: DatasetAdapter<TextRecord, LoadOptions, DbpediaWikiData> = {
  name: 'dbpediaWiki',
  description:
    'Wikipedia first paragraphs in the 14 DBpedia ontology classes (CZ4042 subset): 5,600 train and 700 test rows.',
  license: 'DBpedia and Wikipedia content: CC BY-SA 3.0 (and GFDL).',
  citation:
    'Xiang Zhang, Junbo Zhao and Yann LeCun. Character-level Convolutional Networks for Text Classification. NeurIPS 2015.',
  homepage: 'https://github.com/tanchuanxin/cz4042_assignment_2',
  kind: 'file',
  splits: ['train', 'test'],
  sources: [sources.train, sources.test],
  isRecord: isTextRecord,
  async load(options: LoadOptions = {}) {
    checkLoadOptions('dbpediaWiki', options);
    const split = pickSplit('dbpediaWiki', this.splits, options.split) as 'train' | 'test';
    const source = sources[split];
    let path = await resolveSource('dbpediaWiki', source, options);
    if (await isDirectory(path)) path = join(path, source.filename);
    const text = await readTextFile(path, 'dbpediaWiki');
    let rows: { record: string[]; info: { lines: number } }[];
    try {
      rows = parse(text, {
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        info: true,
      }) as unknown as { record: string[]; info: { lines: number } }[];
    } catch (error) {
      throw new DatasetsError({
        code: 'MALFORMED_DATA',
        path,
        message: `dbpediaWiki: expected CSV rows "<label>, <text>" in ${path}: ${(error as Error).message}`,
        cause: error,
      });
    }
    const records = rows.map(({ record: row, info }) => {
      const line = info.lines;
      const field = (row[0] ?? '').trim();
      const label = Number(field);
      const bad = (what: string) =>
        new DatasetsError({
          code: 'MALFORMED_DATA',
          path,
          line,
          message: `dbpediaWiki: expected "<label 1-${DBPEDIA_CLASS_NAMES.length}>, <text>" on line ${line} of ${path}, got ${what}`,
        });
      if (field === '') throw bad('a row without a label');
      if (!/^\d+$/.test(field) || label < 1 || label > DBPEDIA_CLASS_NAMES.length) {
        throw bad(`the unknown label ${JSON.stringify(field)}`);
      }
      // The text is the last field but for the padding: a comma the course's preprocessing
      // missed splits it into more fields, which belong to it. Only trailing empty fields are
      // padding.
      const fields = row.slice(1);
      while (fields.length > 0 && fields[fields.length - 1].trim() === '') fields.pop();
      const text = fields.join(',').trim();
      if (text === '') throw bad('a row without text');
      return { text, label: label - 1 };
    });
    return { split, records, classNames: [...DBPEDIA_CLASS_NAMES] };
  },
};
