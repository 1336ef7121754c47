import { precisionRecallFscoreSupport } from '@seqlearn/eval-metrics';
import { checkConfusionMatrix } from './confusion-matrix-spec';
import { ReportError } from './errors';
import type { ConfusionMatrixData } from './load-run';

/** Precision, recall, F1 and support of one class. */
export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of samples whose true class this is (the row total). */
  support: number;
}

/** Result of {@link perClassScores}: scikit-learn's `classification_report` in numbers. */
export interface PerClassScores {
  classes: ClassScores[];
  /** Diagonal over total. */
  accuracy: number;
  /** Unweighted mean over classes. */
  macro: Omit<ClassScores, 'label'>;
  /** Mean over classes weighted by support. */
  weighted: Omit<ClassScores, 'label'>;
}

/**
 * Per-class precision, recall and F1 from a confusion matrix (rows true, columns predicted),
 * with their macro and weighted means and the accuracy: the figures of scikit-learn's
 * `classification_report`, computed by `precisionRecallFscoreSupport` of
 * `@seqlearn/eval-metrics` with each cell's count as a sample weight. A score whose denominator
 * is 0 (a class never predicted, or never true) is 0, as with `zero_division=0`.
 * @example
 * ```ts
 * import { perClassScores } from '@seqlearn/report';
 * const scores = perClassScores({ labels: ['Czech', 'Greek', 'Irish'], matrix: [[3, 1, 0], [0, 2, 0], [1, 0, 1]] });
 * console.log(scores.classes[0], scores.accuracy);
 * // { label: 'Czech', precision: 0.75, recall: 0.75, f1: 0.75, support: 4 } 0.75
 * ```
 * @throws {ReportError} `INVALID_ARGUMENT` for a matrix that is not square with one row per
 * label, or one with no counts at all.
 */
export function perClassScores(cm: ConfusionMatrixData): PerClassScores {
  checkConfusionMatrix(cm);
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const weight: number[] = [];
  let diagonal = 0;
  cm.matrix.forEach((row, i) => {
    row.forEach((count, j) => {
      if (count > 0) {
        yTrue.push(i);
        yPred.push(j);
        weight.push(count);
        if (i === j) diagonal += count;
      }
    });
  });
  const total = weight.reduce((a, b) => a + b, 0);
  if (total === 0) {
    throw new ReportError({
      code: 'INVALID_ARGUMENT',
      argument: 'confusionMatrix',
      message: 'confusionMatrix: expected at least one count, got a matrix of zeros',
    });
  }
  const labels = cm.labels.map((_, i) => i);
  const options = { labels, sampleWeight: weight, zeroDivision: 0 } as const;
  const per = precisionRecallFscoreSupport(yTrue, yPred, { ...options, average: 'none' });
  const macro = precisionRecallFscoreSupport(yTrue, yPred, { ...options, average: 'macro' });
  const weighted = precisionRecallFscoreSupport(yTrue, yPred, { ...options, average: 'weighted' });
  return {
    classes: cm.labels.map((label, i) => ({
      label,
      precision: per.precision[i],
      recall: per.recall[i],
      f1: per.fScore[i],
      support: per.support[i],
    })),
    accuracy: diagonal / total,
    macro: { precision: macro.precision, recall: macro.recall, f1: macro.fScore, support: total },
    weighted: {
      precision: weighted.precision,
      recall: weighted.recall,
      f1: weighted.fScore,
      support: total,
    },
  };
}
