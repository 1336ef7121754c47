import { describe, expect, it } from 'vitest';
import { characterStats } from './character-stats';

describe('characterStats', () => {
  it('counts characters, lines and each character', () => {
    expect(characterStats('abba\n')).toEqual({
      characters: 5,
      lines: 1,
      vocabulary: ['\n', 'a', 'b'],
      counts: { a: 2, b: 2, '\n': 1 },
    });
  });

  it('counts a last line without a newline and code points rather than UTF-16 units', () => {
    const stats = characterStats('é😀\nx');
    expect(stats.characters).toBe(4);
    expect(stats.lines).toBe(2);
    expect(stats.vocabulary).toEqual(['\n', 'x', 'é', '😀']);
  });

  it('gives zeros for an empty text', () => {
    expect(characterStats('')).toEqual({ characters: 0, lines: 0, vocabulary: [], counts: {} });
  });
});
