import { type CharacterStats, characterStats } from './character-stats';
import type { DatasetAdapter, LoadedSplit, LoadOptions } from './dataset-adapter';
import { checkLoadOptions, pickSplit, resolveSource } from './resolve-source';
import { readTextFile, splitLines } from './text-files';

/** One line of a corpus. */
export interface CorpusLine {
  text: string;
}

/** What {@link textCorpus}`.load` resolves to. */
export interface TextCorpusData extends LoadedSplit<CorpusLine> {
  /** The whole text, as in the file. */
  text: string;
  /** Character statistics of `text`. */
  stats: CharacterStats;
}

const shakespeare = {
  filename: 'input.txt',
  url: 'https://raw.githubusercontent.com/karpathy/char-rnn/6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e/data/tinyshakespeare/input.txt',
  sha256: '86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed',
  size: 1_115_394,
};

/**
 * Adapter for any UTF-8 plain-text corpus, for character-level language models. With `path` it
 * reads that file; without, Karpathy's tiny-shakespeare (1,115,394 characters), downloaded once
 * into the cache folder and verified. Returns the text, its lines as records (file order) and
 * its {@link characterStats}.
 *
 * @example
 * ```ts
 * import { textCorpus } from '@seqlearn/datasets';
 * const { stats } = await textCorpus.load({ path: 'shakespeare/input.txt' });
 * console.log(stats.characters, stats.vocabulary.length); // 1115394 65
 * ```
 * @throws {DatasetsError} `MISSING_FILE` when the file is absent, `MALFORMED_DATA` when it is empty.
 */
export const textCorpus: DatasetAdapter<CorpusLine, LoadOptions, TextCorpusData> = {
  name: 'textCorpus',
  description:
    'Any plain-text corpus with character statistics; by default tiny-shakespeare (1,115,394 characters).',
  license: "Shakespeare's text is public domain; char-rnn (the default source) is MIT-licensed.",
  citation:
    'Andrej Karpathy. The Unreasonable Effectiveness of Recurrent Neural Networks, 2015 (char-rnn, tiny-shakespeare).',
  homepage: 'https://github.com/karpathy/char-rnn',
  kind: 'file',
  splits: ['all'],
  sources: [shakespeare],
  isRecord: (value): value is CorpusLine =>
    typeof value === 'object' && value !== null && typeof (value as CorpusLine).text === 'string',
  async load(options: LoadOptions = {}) {
    checkLoadOptions('textCorpus', options);
    const split = pickSplit('textCorpus', this.splits, options.split);
    const path = await resolveSource('textCorpus', shakespeare, options);
    const text = await readTextFile(path, 'textCorpus');
    const records = splitLines(text).map((line) => ({ text: line }));
    return { split, text, records, stats: characterStats(text) };
  },
};
