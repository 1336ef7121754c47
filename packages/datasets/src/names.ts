import type { DatasetAdapter, LoadedSplit, LoadOptions } from './dataset-adapter';
import { loadNames } from './load-names';
import type { TextRecord } from './records';
import { checkLoadOptions, pickSplit } from './resolve-source';
import { isTextRecord } from './text-files';

/** What {@link names}`.load` resolves to. */
export interface NamesData extends LoadedSplit<TextRecord> {
  /** The 18 languages, alphabetical; `records[i].label` indexes this array. */
  classNames: string[];
}

/**
 * Adapter for the surname → language data embedded in the package (see {@link loadNames}):
 * one split, `'all'`, of 20,074 records over 18 classes. Split it yourself, e.g. with a
 * stratified split from `@seqlearn/sequence-windows`.
 *
 * @example
 * ```ts
 * import { names } from '@seqlearn/datasets';
 * const { records, classNames } = await names.load();
 * console.log(records.length, classNames[0]); // 20074 Arabic
 * ```
 * @throws {DatasetsError} `INVALID_ARGUMENT` for a split other than `'all'` or options that are
 *   not an object.
 */
export const names: DatasetAdapter<TextRecord, LoadOptions, NamesData> = {
  name: 'names',
  description:
    'Surnames from 18 languages (PyTorch char-RNN tutorial), embedded in the package: 20,074 records.',
  license:
    'No separate licence stated by the data archive; the pytorch/tutorials repository is BSD-3-Clause.',
  citation:
    'Sean Robertson, "NLP From Scratch: Classifying Names with a Character-Level RNN", PyTorch tutorials.',
  homepage: 'https://pytorch.org/tutorials/intermediate/char_rnn_classification_tutorial.html',
  kind: 'embedded',
  splits: ['all'],
  sources: [],
  isRecord: isTextRecord,
  async load(options: LoadOptions = {}) {
    checkLoadOptions('names', options);
    const chosen = pickSplit('names', this.splits, options.split);
    const { records, classNames } = await loadNames();
    return { split: chosen, records, classNames };
  },
};
