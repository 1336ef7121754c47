import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildEmbeddingMatrix } from './build-embedding-matrix';
import { loadWordVectors } from './load-word-vectors';
import { Tokenizer } from './tokenizer';
import { Vocabulary } from './vocabulary';
import { WordVectors } from './word-vectors';

const glove = new URL('./__fixtures__/glove-3d.txt', import.meta.url);
const word2vec = new URL('./__fixtures__/word2vec-3d.txt', import.meta.url);

describe('loadWordVectors', () => {
  it('should stream a GloVe file, words with spaces included', async () => {
    const vectors = await loadWordVectors(glove);
    expect(vectors.dim).toBe(3);
    expect(vectors.words).toEqual(['the', ',', 'cat', 'dog', '. . .', 'sat']);
    expect(Array.from(vectors.get('cat')!)).toEqual(
      Array.from(Float32Array.from([0.45281, -0.50108, -0.53714])),
    );
    expect(vectors.has('. . .')).toBe(true);
  });

  it('should skip the word2vec header and tolerate CRLF and trailing spaces', async () => {
    const vectors = await loadWordVectors(word2vec.pathname);
    expect(vectors.words).toEqual(['the', 'cat', 'dog', 'mat']);
    expect(Array.from(vectors.get('mat')!)).toEqual([Math.fround(0.001), -20, 0]);
  });

  it('should keep only the given words and stop at limit', async () => {
    expect((await loadWordVectors(glove, { words: ['dog', 'the', 'zebra'] })).words).toEqual([
      'the',
      'dog',
    ]);
    expect((await loadWordVectors(createReadStream(glove), { limit: 2 })).words).toEqual([
      'the',
      ',',
    ]);
  });

  it('should read an async iterable of text', async () => {
    async function* chunks() {
      yield 'a 1 2\nb 3';
      yield ' 4\n';
    }
    const vectors = await loadWordVectors(chunks());
    expect(Array.from(vectors.data)).toEqual([1, 2, 3, 4]);
  });

  it('should throw typed errors for a malformed line or a missing file', async () => {
    await expect(loadWordVectors(['a 1 2\n', 'b 3\n'])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'lines',
    });
    await expect(loadWordVectors(['a 1 x\n'])).rejects.toMatchObject({ argument: 'lines' });
    await expect(loadWordVectors('/nonexistent/vectors.txt')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'source',
    });
  });
});

describe('WordVectors', () => {
  it('should round-trip through JSON', () => {
    const vectors = WordVectors.fromLines(['x 0.5 1', 'y -1 2']);
    const back = WordVectors.fromJSON(JSON.stringify(vectors));
    expect(back.words).toEqual(['x', 'y']);
    expect(Array.from(back.get('y')!)).toEqual([-1, 2]);
    expect(() => WordVectors.fromJSON('{}')).toThrow(expect.objectContaining({ code: 'BAD_JSON' }));
  });
});

describe('buildEmbeddingMatrix', () => {
  it("should align rows to the tokenizer's indices and report coverage", async () => {
    const tokenizer = new Tokenizer({ oovToken: '<OOV>' });
    tokenizer.fitOnTexts(['the cat sat on the mat']);
    // word_index: <OOV> 1, the 2, cat 3, sat 4, on 5, mat 6
    const vectors = await loadWordVectors(glove);
    const { matrix, shape, hits, missing, coverage } = buildEmbeddingMatrix(tokenizer, vectors);
    expect(shape).toEqual([7, 3]);
    expect(hits).toBe(3);
    expect(missing).toEqual(['on', 'mat']);
    expect(coverage).toBeCloseTo(3 / 5, 12);
    expect(Array.from(matrix.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0]); // padding and OOV rows
    expect(Array.from(matrix.subarray(6, 9))).toEqual(Array.from(vectors.get('the')!));
  });

  it('should stop at numWords and take rows from the options', () => {
    const tokenizer = new Tokenizer({ numWords: 3 });
    tokenizer.fitOnTexts(['b a a']);
    const vectors = WordVectors.fromLines(['a 1', 'b 2']);
    expect(buildEmbeddingMatrix(tokenizer, vectors).shape).toEqual([3, 1]);
    expect(Array.from(buildEmbeddingMatrix(tokenizer, vectors, { rows: 2 }).matrix)).toEqual([
      0, 1,
    ]);
    expect(() => buildEmbeddingMatrix(tokenizer, vectors, { rows: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'rows' }),
    );
  });

  it("should skip a vocabulary's specials and fall back to lower case when asked", () => {
    const vocab = Vocabulary.fromCorpus([['The', 'cat', 'zebra']]);
    const vectors = WordVectors.fromLines(['the 1', 'cat 2']);
    expect(buildEmbeddingMatrix(vocab, vectors).missing).toEqual(['The', 'zebra']);
    const lowered = buildEmbeddingMatrix(vocab, vectors, { lowerFallback: true });
    expect(lowered.missing).toEqual(['zebra']);
    expect(Array.from(lowered.matrix)).toEqual([0, 0, 1, 2, 0]);
  });
});
