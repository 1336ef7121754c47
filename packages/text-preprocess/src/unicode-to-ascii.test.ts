import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAME_LETTERS, unicodeToAscii } from './unicode-to-ascii';

const namesDir = '/work/shared/datasets/names';

describe('unicodeToAscii', () => {
  it('should strip accents as the PyTorch tutorial does', () => {
    // The tutorial's own example: print(unicodeToAscii('Ślusàrski')) -> Slusarski
    expect(unicodeToAscii('Ślusàrski')).toBe('Slusarski');
  });

  it('should drop characters without an ASCII decomposition and those outside the letters', () => {
    expect(unicodeToAscii('Weiß-Müller 1/2:ł\u00a0')).toBe('WeiMuller ');
  });

  it("should keep the tutorial's 57 letters unchanged", () => {
    expect(NAME_LETTERS).toHaveLength(57);
    expect(unicodeToAscii(NAME_LETTERS)).toBe(NAME_LETTERS);
  });

  it('should keep only the given letters', () => {
    expect(unicodeToAscii('Åsa-Lena', { letters: 'ALaens-' })).toBe('Asa-Lena');
  });
});

describe.skipIf(!existsSync(namesDir))('unicodeToAscii on the real surnames', () => {
  const lines = readdirSync(namesDir)
    .filter((f) => f.endsWith('.txt'))
    .flatMap((f) => readFileSync(join(namesDir, f), 'utf8').trim().split('\n'));

  it('should map all 20,074 surnames into the 57 letters', () => {
    expect(lines).toHaveLength(20074);
    const outside = lines
      .map((line) => unicodeToAscii(line))
      .filter((a) => /[^A-Za-z .,;']/.test(a));
    expect(outside).toEqual([]);
  });

  it('should change only the surnames that hold characters outside the letters', () => {
    const changed = lines.filter((line) => unicodeToAscii(line) !== line);
    // 'Bélanger', 'Müller', 'Abl-Sabri'... : counted once by hand from the NFD census of the files.
    expect(changed.length).toBeGreaterThan(0);
    for (const line of changed) expect(/[^A-Za-z .,;']/.test(line)).toBe(true);
  });
});
