import type { Tensor2D } from '@tensorflow/tfjs';
import { describe, expectTypeOf, it } from 'vitest';
import { type PaddedArray, padSequences } from './pad-sequences';

describe('padSequences types', () => {
  it('should return the type that output names', () => {
    expectTypeOf(padSequences([[1]])).toEqualTypeOf<number[][]>();
    expectTypeOf(padSequences([[1]], { output: 'typedArray' })).toEqualTypeOf<PaddedArray>();
    expectTypeOf(padSequences([[1]], { output: 'tensor' })).toEqualTypeOf<Tensor2D>();
  });
});
