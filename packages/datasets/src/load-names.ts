import { NAMES_FILES } from './names-data';
import type { TextClassificationData } from './records';

/**
 * Loads the surname → language data of the PyTorch char-RNN tutorial, shipped inside this
 * package: 20,074 surnames over 18 languages, with duplicates kept as in the original files.
 *
 * `classNames` is alphabetical (`Arabic`, `Chinese`, …, `Vietnamese`), the order of the original
 * files; each `label` indexes it. Records come language by language in that order, and within
 * one language in file order, so the result is the same on every call. The data is embedded in
 * the module: no file system, download or network is needed, so it also works in a browser.
 * Provenance and licence: `data/names/NOTICE.md` in the package.
 *
 * @example
 * ```ts
 * import { loadNames } from '@seqlearn/datasets';
 * const { records, classNames } = await loadNames();
 * console.log(records.length, classNames.length); // 20074 18
 * console.log(records[0], classNames[records[0].label]); // { text: 'Khoury', label: 0 } Arabic
 * ```
 */
export async function loadNames(): Promise<TextClassificationData> {
  const classNames: string[] = [];
  const records: TextClassificationData['records'] = [];
  NAMES_FILES.forEach(([className, text], label) => {
    classNames.push(className);
    for (const line of text.split('\n')) {
      const name = line.replace(/\r$/, '');
      if (name !== '') records.push({ text: name, label });
    }
  });
  return { records, classNames };
}
