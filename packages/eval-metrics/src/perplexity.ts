import { EvalMetricsError } from './errors';

function checkCrossEntropy(value: number): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new EvalMetricsError({
      code: 'INVALID_VALUE',
      argument: 'crossEntropy',
      message: `crossEntropy: expected a mean cross-entropy in nats (a number >= 0), got ${value}`,
    });
  }
}

/**
 * Perplexity `exp(H)` from a mean cross-entropy `H` in nats per token (the `loss` that tfjs
 * reports for `categoricalCrossentropy` / `sparseCategoricalCrossentropy`, which use natural logs).
 * @param crossEntropy mean cross-entropy per token, in nats
 * @example
 * ```ts
 * import { perplexity } from '@seqlearn/eval-metrics';
 * console.log(perplexity(Math.log(27))); // 27 (uniform guessing over 27 symbols)
 * ```
 * @throws {EvalMetricsError} `INVALID_VALUE` for NaN or a negative value.
 */
export function perplexity(crossEntropy: number): number {
  checkCrossEntropy(crossEntropy);
  return Math.exp(crossEntropy);
}

/**
 * Bits per character `H / ln 2` from a mean cross-entropy `H` in nats per character.
 * @param crossEntropy mean cross-entropy per character, in nats
 * @example
 * ```ts
 * import { bitsPerChar } from '@seqlearn/eval-metrics';
 * console.log(bitsPerChar(Math.LN2 * 1.5)); // 1.5
 * ```
 * @throws {EvalMetricsError} `INVALID_VALUE` for NaN or a negative value.
 */
export function bitsPerChar(crossEntropy: number): number {
  checkCrossEntropy(crossEntropy);
  return crossEntropy / Math.LN2;
}
