import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharAlphabet } from './char-alphabet';
import { oneHot, oneHotArray } from './one-hot';
import { NAME_LETTERS, unicodeToAscii } from './unicode-to-ascii';

const namesDir = '/work/shared/datasets/names';

describe('oneHotArray', () => {
  it('should pre-pad and pre-truncate by default, as Keras pad_sequences does', () => {
    const { data, shape } = oneHotArray([[1], [0, 2]], { depth: 3 });
    expect(shape).toEqual([2, 2, 3]);
    expect(Array.from(data)).toEqual([0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]);
    const cut = oneHotArray([[0, 1, 2]], { depth: 3, maxlen: 2 });
    expect(Array.from(cut.data)).toEqual([0, 1, 0, 0, 0, 1]);
  });

  it('should post-pad and post-truncate when asked', () => {
    const { data } = oneHotArray([[1], [0, 1, 2]], {
      depth: 3,
      maxlen: 2,
      padding: 'post',
      truncating: 'post',
    });
    expect(Array.from(data)).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
  });

  it('should reject ids outside [0, depth) and bad options', () => {
    expect(() => oneHotArray([[3]], { depth: 3 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'sequences' }),
    );
    expect(() => oneHotArray([[0]], { depth: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'depth' }),
    );
    expect(() => oneHotArray([[0]], { depth: 2, maxlen: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'maxlen' }),
    );
    expect(() => oneHotArray([[0]], { depth: 2, padding: 'left' as unknown as 'pre' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'padding' }),
    );
  });

  it('should have exactly one hot entry per kept step and all-zero padding rows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 8 }), { maxLength: 6 }),
        fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        fc.constantFrom('pre' as const, 'post' as const),
        (sequences, maxlen, padding) => {
          const { data, shape } = oneHotArray(sequences, { depth: 5, maxlen, padding });
          const steps = shape[1];
          sequences.forEach((s, i) => {
            const kept = Math.min(s.length, steps);
            for (let t = 0; t < steps; t++) {
              const row = data.subarray((i * steps + t) * 5, (i * steps + t + 1) * 5);
              const hot = row.reduce((a, b) => a + b, 0);
              const padded = padding === 'pre' ? t < steps - kept : t >= kept;
              expect(hot).toBe(padded ? 0 : 1);
            }
          });
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('oneHot', () => {
  it('should return a float32 [examples, steps, depth] tensor without leaking', () => {
    const before = tf.memory().numTensors;
    const alphabet = new CharAlphabet('abc');
    const x = oneHot(
      ['ab', 'c'].map((t) => alphabet.encode(t)),
      { depth: alphabet.size },
    );
    expect(x.shape).toEqual([2, 2, 3]);
    expect(x.dtype).toBe('float32');
    expect(x.arraySync()).toEqual([
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
      [
        [0, 0, 0],
        [0, 0, 1],
      ],
    ]);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe.skipIf(!existsSync(namesDir))('oneHot on the real surnames', () => {
  it('should encode the Polish names file into [139, longest, 57]', () => {
    const names = readFileSync(`${namesDir}/Polish.txt`, 'utf8').trim().split('\n');
    const alphabet = new CharAlphabet(NAME_LETTERS);
    const ids = names.map((n) => alphabet.encode(unicodeToAscii(n)));
    const longest = Math.max(...ids.map((s) => s.length));
    const x = oneHot(ids, { depth: alphabet.size });
    expect(x.shape).toEqual([139, longest, 57]);
    // every example has as many hot entries as characters
    const perExample = x.sum([1, 2]).arraySync() as number[];
    expect(perExample).toEqual(ids.map((s) => s.length));
    tf.dispose(x);
  });
});
