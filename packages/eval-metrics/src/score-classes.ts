import { checkSameKind, indexLabels, readLabelsOption, uniqueLabels } from './classification-input';
import { EvalMetricsError } from './errors';
import type { Label, LabelInput } from './tensor-like';

/**
 * The classes that the columns of a score matrix stand for, as scikit-learn's ranking metrics
 * decide them: the given `labels` (distinct and sorted), else the sorted labels of `yTrue`.
 * Returns them with each sample's column index; throws `UNKNOWN_LABEL` for a label outside them.
 */
export function scoreClasses(
  yTrue: Label[],
  labels: LabelInput | undefined,
  columns: number | undefined,
): { classes: Label[]; index: Int32Array } {
  let classes: Label[];
  if (labels !== undefined) {
    classes = readLabelsOption(labels);
    checkSameKind(yTrue, classes, 'yTrue', 'labels');
    const sorted = uniqueLabels(classes);
    if (sorted.some((v, i) => v !== classes[i])) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: 'labels',
        message: `labels: expected sorted labels (column order of the scores), got ${JSON.stringify(classes)}`,
      });
    }
    if (columns !== undefined && classes.length !== columns) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: 'labels',
        message: `labels: expected ${columns} labels, one per score column, got ${classes.length}`,
      });
    }
  } else {
    classes = uniqueLabels(yTrue);
    if (columns !== undefined && classes.length !== columns) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: 'yScore',
        message: `yScore: expected ${classes.length} columns, one per class in yTrue ${JSON.stringify(classes.length > 20 ? classes.slice(0, 20) : classes)}, got ${columns} (pass labels when yTrue lacks some classes)`,
      });
    }
  }
  return { classes, index: indexLabels(yTrue, classes, 'yTrue') };
}
