import { SequenceWindowsError } from './errors';
import { describe } from './validate';

/** Internal: is `value` a tfjs tensor (duck-typed, so two tfjs copies still work)? */
export function isTensorLike(
  value: unknown,
): value is { shape: number[]; dataSync(): ArrayLike<number>; arraySync(): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'shape' in value &&
    Array.isArray((value as { shape: unknown }).shape) &&
    typeof (value as { dataSync?: unknown }).dataSync === 'function'
  );
}

/** Internal: the number of samples in `n` (a count, an array-like or a tensor's first axis). */
/** The longest array: a larger count would end in a RangeError ("Invalid array length"). */
const MAX_COUNT = 2 ** 32 - 1;

export function sampleCount(n: unknown, argument: string): number {
  if (typeof n === 'number') {
    if (!Number.isInteger(n) || n < 0 || n > MAX_COUNT) {
      throw new SequenceWindowsError({
        code: 'INVALID_ARGUMENT',
        argument,
        message: `${argument}: expected a non-negative integer count (at most ${MAX_COUNT}, the longest array), an array or a tensor, got ${describe(n)}`,
      });
    }
    return n;
  }
  if (isTensorLike(n)) {
    if (n.shape.length === 0) {
      throw new SequenceWindowsError({
        code: 'SHAPE_MISMATCH',
        argument,
        message: `${argument}: expected a tensor of rank >= 1, got a scalar`,
      });
    }
    return n.shape[0];
  }
  if (typeof n === 'object' && n !== null && typeof (n as ArrayLike<unknown>).length === 'number') {
    const { length } = n as ArrayLike<unknown>;
    if (!Number.isInteger(length) || length < 0 || length > MAX_COUNT) {
      throw new SequenceWindowsError({
        code: 'INVALID_ARGUMENT',
        argument,
        message: `${argument}: expected an array-like object with a length in [0, ${MAX_COUNT}], got one with length ${describe(length)}`,
      });
    }
    return length;
  }
  throw new SequenceWindowsError({
    code: 'INVALID_ARGUMENT',
    argument,
    message: `${argument}: expected a non-negative integer count, an array or a tensor, got ${describe(n)}`,
  });
}

function checkSize(value: number, argument: string, nSamples: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected a fraction in (0, 1) or a count in [1, ${nSamples - 1}], got ${describe(value)}`,
    });
  }
  if (Number.isInteger(value) ? value >= nSamples : value >= 1) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected a fraction in (0, 1) or a count in [1, ${nSamples - 1}] for ${nSamples} samples, got ${value}`,
    });
  }
}

/**
 * Internal: scikit-learn's `_validate_shuffle_split`. A fraction gives `ceil(testSize * n)` test
 * samples and `floor(trainSize * n)` train samples; an integer is a count; a missing side takes
 * the rest; both missing means `testSize = 0.25`.
 */
export function resolveSplitSizes(
  nSamples: number,
  testSize: number | undefined,
  trainSize: number | undefined,
): { nTrain: number; nTest: number } {
  if (testSize === undefined && trainSize === undefined) testSize = 0.25;
  if (testSize !== undefined) checkSize(testSize, 'testSize', nSamples);
  if (trainSize !== undefined) checkSize(trainSize, 'trainSize', nSamples);
  // An integer is a count; a fraction rounds up for the test side and down for the train side.
  const toCount = (size: number | undefined, round: (v: number) => number) =>
    size === undefined ? undefined : Number.isInteger(size) ? size : round(size * nSamples);
  let nTest = toCount(testSize, Math.ceil);
  let nTrain = toCount(trainSize, Math.floor);
  if (nTrain === undefined) nTrain = nSamples - (nTest as number);
  if (nTest === undefined) nTest = nSamples - nTrain;
  if (nTrain + nTest > nSamples) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'trainSize',
      message: `trainSize + testSize: expected at most ${nSamples} samples in all, got ${nTrain} train + ${nTest} test`,
    });
  }
  if (nTrain === 0) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'testSize',
      message: `testSize: with ${nSamples} samples and testSize ${testSize} the train part would be empty`,
    });
  }
  return { nTrain, nTest };
}
