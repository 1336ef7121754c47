import { join } from 'node:path';
import type { DatasetAdapter, LoadedSplit, LoadOptions } from './dataset-adapter';
import { DatasetsError } from './errors';
import type { TextRecord } from './records';
import { checkLoadOptions, isDirectory, pickSplit, resolveSource } from './resolve-source';
import { isTextRecord, readTextFile, splitLines } from './text-files';

/** What {@link si650}`.load` resolves to. */
export interface Si650Data extends LoadedSplit<TextRecord> {
  /** `['negative', 'positive']`: label 0 is negative, 1 positive, as in the file. */
  classNames: string[];
}

const source = {
  filename: 'training.txt',
  url: 'https://www.kaggle.com/c/si650winter11/data',
  sha256: 'f62739660ffa9233cae138557dda4f5dac9865aef352645881240e9045df23d9',
  size: 447_540,
  manual: true,
};

/**
 * Adapter for the UMICH SI650 (Kaggle, 2011) sentiment training file, `training.txt`: one
 * `label<TAB>sentence` per line, label `1` positive or `0` negative; 7,086 lines, duplicates kept.
 * Kaggle requires accepting its rules, so the file is never downloaded: pass `path` (the file or
 * its folder) or put it in `<dataDir>/si650/training.txt`. Records keep the file's order.
 *
 * @example
 * ```ts
 * import { si650 } from '@seqlearn/datasets';
 * const { records, classNames } = await si650.load({ path: 'si650-sentiment/training.txt' });
 * console.log(records.length, records[0]); // 7086 { text: 'The Da Vinci Code book is just awesome.', label: 1 }
 * ```
 * @throws {DatasetsError} `MALFORMED_DATA` (with `line`) for a line without a tab or with a label
 *   other than 0 or 1, or for an empty file; `MISSING_FILE` when the file is absent.
 */
export const si650: DatasetAdapter<TextRecord, LoadOptions, Si650Data> = {
  name: 'si650',
  description:
    'UMICH SI650 sentiment sentences (Kaggle 2011): 7,086 labelled sentences, positive or negative.',
  license:
    'No open licence; provided under the Kaggle competition rules (download requires accepting them).',
  citation: 'UMICH SI650 - Sentiment Classification, Kaggle in-class competition, Winter 2011.',
  homepage: 'https://www.kaggle.com/c/si650winter11',
  kind: 'file',
  splits: ['train'],
  sources: [source],
  isRecord: isTextRecord,
  async load(options: LoadOptions = {}) {
    checkLoadOptions('si650', options);
    const split = pickSplit('si650', this.splits, options.split);
    let path = await resolveSource('si650', source, options);
    if (await isDirectory(path)) path = join(path, source.filename);
    const lines = splitLines(await readTextFile(path, 'si650'));
    const records = lines.map((line, i) => {
      const tab = line.indexOf('\t');
      const label = line.slice(0, tab);
      if (tab < 0 || (label !== '0' && label !== '1')) {
        throw new DatasetsError({
          code: 'MALFORMED_DATA',
          path,
          line: i + 1,
          message: `si650: expected "0<TAB>sentence" or "1<TAB>sentence" at ${path}:${i + 1}, got ${JSON.stringify(line.slice(0, 40))}`,
        });
      }
      return { text: line.slice(tab + 1), label: Number(label) };
    });
    return { split, records, classNames: ['negative', 'positive'] };
  },
};
