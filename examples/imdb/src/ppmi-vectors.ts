import { mulberry32 } from '@seqlearn/sequence-windows';
import { WordVectors } from '@seqlearn/text-preprocess';

/** Options for {@link ppmiVectors}. */
export interface PpmiVectorsOptions {
  /** Vector size. @default 50 */
  dim?: number;
  /** Words counted on each side of a word as its context. @default 4 */
  window?: number;
  /** Context-distribution smoothing exponent (Levy, Goldberg and Dagan 2015). @default 0.75 */
  alpha?: number;
  /** Power iterations of the randomized range finder. @default 2 */
  powerIterations?: number;
  /** Seed of the random test matrix. @default 0 */
  seed?: number;
}

/** A symmetric sparse matrix in compressed-row form. */
interface Csr {
  n: number;
  rowStart: Int32Array;
  cols: Int32Array;
  values: Float32Array;
}

/** `out = M · B` for a CSR `M` (n × n) and a dense row-major `B` (n × k). */
function csrTimesDense(m: Csr, b: Float64Array, k: number): Float64Array {
  const out = new Float64Array(m.n * k);
  for (let i = 0; i < m.n; i++) {
    for (let p = m.rowStart[i]; p < m.rowStart[i + 1]; p++) {
      const v = m.values[p];
      const j = m.cols[p] * k;
      for (let c = 0; c < k; c++) out[i * k + c] += v * b[j + c];
    }
  }
  return out;
}

/** Orthonormalises the k columns of a row-major n × k matrix in place (modified Gram-Schmidt). */
function orthonormalize(a: Float64Array, n: number, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let prev = 0; prev < c; prev++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += a[i * k + c] * a[i * k + prev];
      for (let i = 0; i < n; i++) a[i * k + c] -= dot * a[i * k + prev];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += a[i * k + c] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) a[i * k + c] /= norm;
  }
}

/**
 * Word vectors learned from a corpus without a network: counts of words within `window` of each
 * other, turned into positive pointwise mutual information (PPMI, with the context distribution
 * raised to `alpha`), then reduced to `dim` dimensions by a truncated SVD computed with a
 * randomized range finder (Halko, Martinsson and Tropp 2011): `Q` spans the top singular
 * vectors of the PPMI matrix `M`, and the vectors are the rows of `M · Q`, which equal
 * `U_k Σ_k` up to a rotation, L2-normalised. Only words of `vocabulary` are counted; other
 * tokens still take up their position in the window. Deterministic for a given `seed`.
 * @example
 * ```ts
 * import { ppmiVectors } from './ppmi-vectors';
 * const docs = [['a', 'good', 'film'], ['a', 'great', 'film'], ['a', 'bad', 'plot']];
 * const vectors = ppmiVectors(docs, ['a', 'good', 'great', 'bad', 'film', 'plot'], { dim: 2 });
 * console.log(vectors.size, vectors.dim); // 6 2
 * ```
 */
export function ppmiVectors(
  docs: Iterable<readonly string[]>,
  vocabulary: readonly string[],
  { dim = 50, window = 4, alpha = 0.75, powerIterations = 2, seed = 0 }: PpmiVectorsOptions = {},
): WordVectors {
  const n = vocabulary.length;
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  // Co-occurrence counts, one map of context → count per word.
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (const doc of docs) {
    const ids = doc.map((t) => index.get(t) ?? -1);
    for (let i = 0; i < ids.length; i++) {
      const w = ids[i];
      if (w < 0) continue;
      for (let j = Math.max(0, i - window); j <= Math.min(ids.length - 1, i + window); j++) {
        const c = ids[j];
        if (j === i || c < 0) continue;
        rows[w].set(c, (rows[w].get(c) ?? 0) + 1);
      }
    }
  }
  const wordTotals = new Float64Array(n);
  const contextTotals = new Float64Array(n);
  rows.forEach((row, w) => {
    for (const [c, count] of row) {
      wordTotals[w] += count;
      contextTotals[c] += count;
    }
  });
  const smoothed = contextTotals.map((x) => x ** alpha);
  const smoothedTotal = smoothed.reduce((a, b) => a + b, 0);
  // PPMI(w, c) = max(0, log(P(w, c) / (P(w) · P_alpha(c)))), as CSR.
  const rowStart = new Int32Array(n + 1);
  const cols: number[] = [];
  const values: number[] = [];
  rows.forEach((row, w) => {
    for (const [c, count] of row) {
      // P(w, c) / (P(w) · P_alpha(c)) = count · Σ_alpha / (count(w) · count(c)^alpha)
      const pmi = Math.log((count * smoothedTotal) / (wordTotals[w] * smoothed[c]));
      if (pmi > 0) {
        cols.push(c);
        values.push(pmi);
      }
    }
    rowStart[w + 1] = cols.length;
  });
  const m: Csr = { n, rowStart, cols: Int32Array.from(cols), values: Float32Array.from(values) };
  // Randomized range finder: Q = orth(M^(2q+1) Ω); M is symmetric (the window is).
  const k = Math.min(dim, n);
  const random = mulberry32(seed);
  let q: Float64Array = Float64Array.from({ length: n * k }, () => random() * 2 - 1);
  q = csrTimesDense(m, q, k);
  orthonormalize(q, n, k);
  for (let it = 0; it < powerIterations; it++) {
    q = csrTimesDense(m, csrTimesDense(m, q, k), k);
    orthonormalize(q, n, k);
  }
  const projected = csrTimesDense(m, q, k);
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let c = 0; c < k; c++) norm += projected[i * k + c] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let c = 0; c < k; c++) data[i * dim + c] = projected[i * k + c] / norm;
  }
  return new WordVectors(vocabulary, data, dim);
}
