// Every metric against scikit-learn 1.2 / scipy on the cases of scripts/make-fixtures.py
// (regenerate with `/usr/bin/python3 scripts/make-fixtures.py`).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { accuracy } from './accuracy';
import { balancedAccuracy } from './balanced-accuracy';
import { classificationReport } from './classification-report';
import { cohenKappa } from './cohen-kappa';
import { computeClassWeight } from './compute-class-weight';
import { computeSampleWeight } from './compute-sample-weight';
import { confusionMatrix } from './confusion-matrix';
import { logLoss } from './log-loss';
import { matthewsCorrcoef } from './matthews-corrcoef';
import { meanAbsoluteError } from './mean-absolute-error';
import { meanSquaredError, rootMeanSquaredError } from './mean-squared-error';
import {
  type Average,
  f1,
  fbeta,
  precision,
  precisionRecallFscoreSupport,
  recall,
} from './precision-recall-fscore-support';
import { r2Score } from './r2-score';
import { rocAuc } from './roc-auc';
import { summarizeRuns } from './summarize-runs';
import type { Label } from './tensor-like';
import { topKAccuracy } from './top-k-accuracy';

// biome-ignore lint/suspicious/noExplicitAny: fixture records are read as loose JSON
type Rec = Record<string, any>;

const fixture: Rec = JSON.parse(
  readFileSync(new URL('./__fixtures__/sklearn.json', import.meta.url), 'utf8'),
  (_key, value) =>
    value === 'NaN'
      ? Number.NaN
      : value === 'Infinity'
        ? Number.POSITIVE_INFINITY
        : value === '-Infinity'
          ? Number.NEGATIVE_INFINITY
          : value,
);

/** Deep comparison with a relative tolerance of 1e-9; NaN matches NaN, null matches undefined. */
function expectClose(actual: unknown, expected: unknown, path = 'value'): void {
  if (expected === null) {
    expect(actual, path).toBeUndefined();
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => {
      expectClose((actual as unknown[])[i], e, `${path}[${i}]`);
    });
  } else if (typeof expected === 'object') {
    expect(Object.keys(actual as object), `${path} keys`).toEqual(Object.keys(expected as object));
    for (const [k, e] of Object.entries(expected as object)) {
      expectClose((actual as Rec)[k], e, `${path}.${k}`);
    }
  } else if (typeof expected === 'number' && Number.isNaN(expected)) {
    expect(actual, path).toBeNaN();
  } else if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    const diff = Math.abs((actual as number) - expected);
    expect(diff, `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(expected)),
    );
  } else {
    expect(actual, path).toEqual(expected);
  }
}

let warnings: MockInstance;
beforeAll(() => {
  warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterAll(() => {
  warnings.mockRestore();
});

const opt = (c: Rec) => ({
  labels: c.labels ?? undefined,
  sampleWeight: c.sample_weight ?? undefined,
});

describe.each(fixture.labels as Rec[])('label metrics on the "$name" case', (c) => {
  const yt: Label[] = c.y_true;
  const yp: Label[] = c.y_pred;
  const sampleWeight: number[] | undefined = c.sample_weight ?? undefined;

  it('confusionMatrix matches confusion_matrix, with each normalize', () => {
    expectClose(confusionMatrix(yt, yp, opt(c)), c.confusion_matrix);
    for (const normalize of ['true', 'pred', 'all'] as const) {
      expectClose(
        confusionMatrix(yt, yp, { ...opt(c), normalize }),
        c[`confusion_matrix_${normalize}`],
        normalize,
      );
    }
  });

  it('accuracy and balancedAccuracy match accuracy_score and balanced_accuracy_score', () => {
    expectClose(accuracy(yt, yp, { sampleWeight }), c.accuracy);
    expectClose(accuracy(yt, yp, { sampleWeight, normalize: false }), c.accuracy_count);
    expectClose(balancedAccuracy(yt, yp, { sampleWeight }), c.balanced_accuracy);
    expectClose(
      balancedAccuracy(yt, yp, { sampleWeight, adjusted: true }),
      c.balanced_accuracy_adjusted,
    );
  });

  it('precisionRecallFscoreSupport matches for every average, zeroDivision and beta', () => {
    for (const r of c.prfs as Rec[]) {
      const got = precisionRecallFscoreSupport(yt, yp, {
        ...opt(c),
        average: r.average as Average,
        zeroDivision: r.zero_division,
        beta: r.beta,
      });
      const where = `average=${r.average} zeroDivision=${r.zero_division} beta=${r.beta}`;
      expectClose(got.precision, r.precision, `${where} precision`);
      expectClose(got.recall, r.recall, `${where} recall`);
      expectClose(got.fScore, r.f_score, `${where} fScore`);
      expectClose(got.support, r.support, `${where} support`);
    }
  });

  it('precision, recall, f1 and fbeta match their scikit-learn functions', () => {
    expectClose(precision(yt, yp, { ...opt(c), average: 'macro' }), c.precision_macro);
    expectClose(recall(yt, yp, { ...opt(c), average: 'none' }), c.recall_none);
    expectClose(f1(yt, yp, { ...opt(c), average: 'weighted' }), c.f1_weighted);
    expectClose(fbeta(yt, yp, { ...opt(c), beta: 2, average: 'micro' }), c.fbeta_micro_2);
  });

  it('classificationReport reproduces the text and dict forms exactly', () => {
    const targetNames = c.target_names ?? undefined;
    expect(classificationReport(yt, yp, { ...opt(c), targetNames })).toBe(c.report_2);
    expect(classificationReport(yt, yp, { ...opt(c), digits: 4 })).toBe(c.report_4);
    expect(classificationReport(yt, yp, { ...opt(c), zeroDivision: 1 })).toBe(
      c.report_zero_division_1,
    );
    expectClose(
      classificationReport(yt, yp, { ...opt(c), targetNames, outputDict: true }),
      c.report_dict,
    );
  });

  it('cohenKappa and matthewsCorrcoef match', () => {
    expectClose(cohenKappa(yt, yp, opt(c)), c.cohen_kappa);
    expectClose(cohenKappa(yt, yp, { ...opt(c), weights: 'linear' }), c.cohen_kappa_linear);
    expectClose(cohenKappa(yt, yp, { ...opt(c), weights: 'quadratic' }), c.cohen_kappa_quadratic);
    expectClose(matthewsCorrcoef(yt, yp, { sampleWeight }), c.matthews_corrcoef);
  });

  it('computeClassWeight and computeSampleWeight match sklearn.utils.class_weight', () => {
    const classes = [...new Set(yt)].sort((a, b) =>
      typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1,
    );
    const w = computeClassWeight('balanced', classes, yt);
    expectClose(
      classes.map((_, i) => w[i]),
      c.class_weight_balanced,
    );
    expectClose(computeSampleWeight('balanced', yt), c.sample_weight_balanced);
    expectClose(
      computeSampleWeight('balanced', yt, { indices: c.subsample_indices }),
      c.sample_weight_balanced_subsample,
    );
  });
});

describe.each(fixture.scores as Rec[])('score metrics on the "$name" case', (c) => {
  it('topKAccuracy matches top_k_accuracy_score for k = 1, 2, 3', () => {
    for (const k of [1, 2, 3]) {
      expectClose(topKAccuracy(c.y_true, c.y_score, { ...opt(c), k }), c[`top_${k}_accuracy`]);
    }
    expectClose(
      topKAccuracy(c.y_true, c.y_score, { ...opt(c), k: 2, normalize: false }),
      c.top_2_accuracy_count,
    );
  });

  it('logLoss matches log_loss', () => {
    expectClose(logLoss(c.y_true, c.y_score, opt(c)), c.log_loss);
    expectClose(logLoss(c.y_true, c.y_score, { ...opt(c), normalize: false }), c.log_loss_sum);
  });

  it('rocAuc one-vs-rest matches roc_auc_score (which refuses a class absent from yTrue)', () => {
    if (c.labels !== null) {
      expect(() => rocAuc(c.y_true, c.y_score, { ...opt(c), multiClass: 'ovr' })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'yTrue' }),
      );
      return;
    }
    for (const average of ['macro', 'weighted', 'micro', 'none'] as const) {
      expectClose(
        rocAuc(c.y_true, c.y_score, { ...opt(c), multiClass: 'ovr', average }),
        c[`roc_auc_ovr_${average}`],
        average,
      );
    }
  });
});

describe.each(fixture.binary_scores as Rec[])('binary scores on the "$name" case', (c) => {
  it('rocAuc, logLoss and topKAccuracy match on 1-D scores', () => {
    expectClose(rocAuc(c.y_true, c.y_score), c.roc_auc);
    expectClose(rocAuc(c.y_true, c.y_score, { sampleWeight: c.sample_weight }), c.roc_auc_weighted);
    expectClose(logLoss(c.y_true, c.y_score), c.log_loss);
    expectClose(topKAccuracy(c.y_true, c.y_score, { k: 1 }), c.top_1_accuracy);
    expectClose(
      topKAccuracy(c.y_true, c.y_score, { k: 1, sampleWeight: c.sample_weight }),
      c.top_1_accuracy_weighted,
    );
  });
});

describe.each((fixture.regression as Rec[]).filter((c) => c.name !== 'constant target'))(
  'regression metrics on the "$name" case',
  (c) => {
    it('meanSquaredError, rootMeanSquaredError, meanAbsoluteError and r2Score match', () => {
      for (const [suffix, sampleWeight] of [
        ['', undefined],
        ['_weighted', c.sample_weight],
      ] as const) {
        for (const multioutput of ['uniform_average', 'raw_values'] as const) {
          const o = { sampleWeight, multioutput } as { multioutput: 'raw_values' };
          expectClose(meanSquaredError(c.y_true, c.y_pred, o), c[`mse_${multioutput}${suffix}`]);
          expectClose(
            rootMeanSquaredError(c.y_true, c.y_pred, o),
            c[`rmse_${multioutput}${suffix}`],
          );
          expectClose(meanAbsoluteError(c.y_true, c.y_pred, o), c[`mae_${multioutput}${suffix}`]);
          expectClose(r2Score(c.y_true, c.y_pred, o), c[`r2_${multioutput}${suffix}`]);
        }
        expectClose(
          r2Score(c.y_true, c.y_pred, { sampleWeight, multioutput: 'variance_weighted' }),
          c[`r2_variance_weighted${suffix}`],
        );
      }
    });
  },
);

describe('r2Score on a constant target', () => {
  it('gives 0 for an imperfect and 1 for a perfect prediction (force_finite)', () => {
    const c = (fixture.regression as Rec[]).find((r) => r.name === 'constant target') as Rec;
    expectClose(r2Score(c.y_true, c.y_pred), c.r2_uniform_average);
    expectClose(r2Score(c.y_true, c.y_true), c.r2_perfect);
  });
});

describe.each(fixture.runs as Rec[])('summarizeRuns on $values', (c) => {
  it('matches numpy (ddof=1) and scipy.stats.t.interval', () => {
    const s = summarizeRuns(c.values, { confidence: c.confidence });
    expect(s.n).toBe(c.values.length);
    expectClose(s.mean, c.mean);
    expectClose(s.std, c.std);
    expectClose([s.min, s.max], [c.min, c.max]);
    expect(s.ci[0]).toBeCloseTo(c.ci[0], 7);
    expect(s.ci[1]).toBeCloseTo(c.ci[1], 7);
  });
});
