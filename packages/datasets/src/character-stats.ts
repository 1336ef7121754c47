/** What {@link characterStats} returns. */
export interface CharacterStats {
  /** Number of characters (Unicode code points). */
  characters: number;
  /** Number of lines (line breaks, plus one for a last line without a newline). */
  lines: number;
  /** The distinct characters, sorted by code point. */
  vocabulary: string[];
  /** How often each character occurs. */
  counts: Record<string, number>;
}

/**
 * Counts the characters of a text: total, lines, the sorted vocabulary and each character's
 * frequency, the figures a character-level language model starts from.
 *
 * @example
 * ```ts
 * import { characterStats } from '@seqlearn/datasets';
 * console.log(characterStats('abba\n'));
 * // { characters: 5, lines: 1, vocabulary: ['\n', 'a', 'b'], counts: { a: 2, b: 2, '\n': 1 } }
 * ```
 */
export function characterStats(text: string): CharacterStats {
  const counts = new Map<string, number>();
  let characters = 0;
  for (const c of text) {
    counts.set(c, (counts.get(c) ?? 0) + 1);
    characters++;
  }
  const newlines = counts.get('\n') ?? 0;
  const lines = newlines + (text.length > 0 && !text.endsWith('\n') ? 1 : 0);
  const vocabulary = [...counts.keys()].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  return { characters, lines, vocabulary, counts: Object.fromEntries(counts) };
}
