import { textCorpus } from '@seqlearn/datasets';
import { CharAlphabet } from '@seqlearn/text-preprocess';

/** The corpus cut into a training part and a held-out part, encoded with one alphabet. */
export interface SplitCorpus {
  /** Characters of the whole file. */
  totalChars: number;
  alphabet: CharAlphabet;
  /** Ids of the training text: the first 90% of the corpus, or its first `trainChars`. */
  train: number[];
  /** Ids of the held-out text: the last 10% of the corpus, or its first `evalChars`. */
  heldOut: number[];
  /** The held-out text as read (generation starts from its first window). */
  heldOutText: string;
}

/** Where tiny-shakespeare comes from, for the message shown when it is missing. */
export const CORPUS_URL = textCorpus.sources[0]?.url ?? '';

/**
 * Reads the corpus with the `textCorpus` adapter and splits it: the first 90% to train on, the
 * last 10% held out. The alphabet is every character of the whole file (65 for tiny-shakespeare),
 * so that the held-out text has no unknown characters.
 */
export async function loadSplitCorpus(
  file: string,
  { trainChars, evalChars }: { trainChars?: number; evalChars?: number } = {},
): Promise<SplitCorpus> {
  const { text } = await textCorpus.load({ path: file });
  const chars = Array.from(text);
  const cut = Math.floor(chars.length * 0.9);
  const alphabet = CharAlphabet.fromCorpus([text]);
  const trainText = chars.slice(0, trainChars === undefined ? cut : Math.min(cut, trainChars));
  const heldOutChars = chars.slice(cut);
  const heldOutText = (
    evalChars === undefined ? heldOutChars : heldOutChars.slice(0, evalChars)
  ).join('');
  return {
    totalChars: chars.length,
    alphabet,
    train: alphabet.encode(trainText.join('')),
    heldOut: alphabet.encode(heldOutText),
    heldOutText,
  };
}
