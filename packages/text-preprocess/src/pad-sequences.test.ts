import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padSequences } from './pad-sequences';

describe('padSequences', () => {
  it('should pad and truncate at the start to the longest length by default, as Keras does', () => {
    // keras.utils.pad_sequences([[1, 2, 3], [4], []]) -> [[1, 2, 3], [0, 0, 4], [0, 0, 0]]
    expect(padSequences([[1, 2, 3], [4], []])).toEqual([
      [1, 2, 3],
      [0, 0, 4],
      [0, 0, 0],
    ]);
    // pad_sequences([[1, 2, 3, 4], [5]], maxlen=2) -> [[3, 4], [0, 5]]
    expect(padSequences([[1, 2, 3, 4], [5]], { maxlen: 2 })).toEqual([
      [3, 4],
      [0, 5],
    ]);
  });

  it('should pad and truncate at the end with post', () => {
    expect(
      padSequences([[1, 2, 3, 4], [5]], { maxlen: 2, padding: 'post', truncating: 'post' }),
    ).toEqual([
      [1, 2],
      [5, 0],
    ]);
  });

  it('should write value into padded slots', () => {
    expect(padSequences([[1], [2, 3]], { value: -1 })).toEqual([
      [-1, 1],
      [2, 3],
    ]);
  });

  it('should refuse fractions for int32 (numpy would truncate them) and keep floats with float32', () => {
    expect(() => padSequences([[1.7, -1.7]])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'sequences' }),
    );
    expect(padSequences([[0.5]], { dtype: 'float32', maxlen: 2 })).toEqual([[0, 0.5]]);
  });

  it('should return a typed array with its shape', () => {
    const { data, shape } = padSequences([[1, 2], [3]], { output: 'typedArray' });
    expect(data).toBeInstanceOf(Int32Array);
    expect(shape).toEqual([2, 2]);
    expect(Array.from(data)).toEqual([1, 2, 0, 3]);
    expect(padSequences([[1]], { output: 'typedArray', dtype: 'float32' }).data).toBeInstanceOf(
      Float32Array,
    );
  });

  it('should return a tensor of dtype without leaking', () => {
    const before = tf.memory().numTensors;
    const x = padSequences([[1, 2], [3]], { output: 'tensor' });
    expect(x.dtype).toBe('int32');
    expect(x.arraySync()).toEqual([
      [1, 2],
      [0, 3],
    ]);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('should accept typed arrays as sequences and return [] for no sequences', () => {
    expect(padSequences([Int32Array.from([7, 8]), [9]])).toEqual([
      [7, 8],
      [0, 9],
    ]);
    expect(padSequences([])).toEqual([]);
  });

  it('should throw typed errors for bad options', () => {
    const cases: [object, string][] = [
      [{ maxlen: -1 }, 'maxlen'],
      [{ maxlen: 1.5 }, 'maxlen'],
      [{ padding: 'left' }, 'padding'],
      [{ truncating: 'middle' }, 'truncating'],
      [{ dtype: 'int64' }, 'dtype'],
      [{ output: 'list' }, 'output'],
      [{ value: Number.NaN }, 'value'],
    ];
    for (const [options, argument] of cases) {
      expect(() => padSequences([[1]], options)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument }),
      );
    }
  });

  it('should not mutate its input', () => {
    const input = [[1, 2, 3], [4]];
    padSequences(input, { maxlen: 2 });
    expect(input).toEqual([[1, 2, 3], [4]]);
  });

  it('should give every row maxlen elements holding the kept end of the sequence (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 12 }), { maxLength: 8 }),
        fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
        fc.constantFrom('pre' as const, 'post' as const),
        fc.constantFrom('pre' as const, 'post' as const),
        (sequences, maxlen, padding, truncating) => {
          const rows = padSequences(sequences, { maxlen, padding, truncating });
          const width = maxlen ?? Math.max(0, ...sequences.map((s) => s.length));
          expect(rows).toHaveLength(sequences.length);
          rows.forEach((row, i) => {
            expect(row).toHaveLength(width);
            const s = sequences[i];
            const kept =
              truncating === 'pre' ? s.slice(Math.max(0, s.length - width)) : s.slice(0, width);
            expect(row.filter((v) => v !== 0)).toEqual(kept);
            if (kept.length > 0) {
              expect(padding === 'pre' ? row.at(-1) : row[0]).toBe(
                padding === 'pre' ? kept.at(-1) : kept[0],
              );
            }
          });
        },
      ),
      { seed: 4, numRuns: 300 },
    );
  });
});
