import { textCorpus } from '@seqlearn/datasets';
import { CharAlphabet } from '@seqlearn/text-preprocess';

/**
 * The corpus cut into three parts, in order, encoded with one alphabet: training text, validation
 * text (the last 10% of the training part: settings are chosen on it) and held-out test text (the
 * last 10% of the corpus: reported for the chosen setting only).
 */
export interface SplitCorpus {
  /** Characters of the whole file. */
  totalChars: number;
  alphabet: CharAlphabet;
  /** Ids of the training text: the first 81% of the corpus, or its first `trainChars`. */
  train: number[];
  /** Ids of the validation text: the next 9% of the corpus, or its first `evalChars`. */
  validation: number[];
  /** Ids of the held-out test text: the last 10% of the corpus, or its first `evalChars`. */
  heldOut: number[];
  /** The validation text as read (generation starts from its first window). */
  validationText: string;
}

/** Where tiny-shakespeare comes from, for the message shown when it is missing. */
export const CORPUS_URL = textCorpus.sources[0]?.url ?? '';

/**
 * Reads the corpus with the `textCorpus` adapter and splits it in order: the first 90% is the
 * training part, whose last tenth is kept for validation, and the last 10% is held out for the
 * test. Contiguous parts, not random characters, so that no validation or test text was seen
 * inside a training window. The alphabet is every character of the whole file (65 for
 * tiny-shakespeare), so that no part has unknown characters.
 */
export async function loadSplitCorpus(
  file: string,
  { trainChars, evalChars }: { trainChars?: number; evalChars?: number } = {},
): Promise<SplitCorpus> {
  const { text } = await textCorpus.load({ path: file });
  const chars = Array.from(text);
  const cut = Math.floor(chars.length * 0.9);
  const validationCut = cut - Math.floor(cut * 0.1);
  const alphabet = CharAlphabet.fromCorpus([text]);
  const limit = (part: string[], n: number | undefined) =>
    (n === undefined ? part : part.slice(0, n)).join('');
  const trainText = limit(chars.slice(0, validationCut), trainChars);
  const validationText = limit(chars.slice(validationCut, cut), evalChars);
  const heldOutText = limit(chars.slice(cut), evalChars);
  return {
    totalChars: chars.length,
    alphabet,
    train: alphabet.encode(trainText),
    validation: alphabet.encode(validationText),
    heldOut: alphabet.encode(heldOutText),
    validationText,
  };
}
