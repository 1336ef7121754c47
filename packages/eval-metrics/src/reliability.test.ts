import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  classificationReport,
  cohenKappa,
  computeClassWeight,
  computeSampleWeight,
  confusionMatrix,
  EvalMetricsError,
  f1,
  fbeta,
  formatConfusionMatrix,
  historySummary,
  logLoss,
  matthewsCorrcoef,
  meanAbsoluteError,
  meanSquaredError,
  precision,
  precisionRecallFscoreSupport,
  r2Score,
  recall,
  rocAuc,
  rootMeanSquaredError,
  summarizeRuns,
  topKAccuracy,
  validationMetricsCallback,
} from './index';

/** Asserts that `fn` throws an EvalMetricsError with `code` and `argument` whose message matches `message`. */
function expectError(fn: () => unknown, code: string, argument: string, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(EvalMetricsError.isInstance(caught), `expected an EvalMetricsError, got ${caught}`).toBe(
    true,
  );
  expect(caught).toMatchObject({ code, argument });
  if (message) expect((caught as Error).message).toMatch(message);
}

/** mulberry32: a seeded generator of floats in [0, 1). */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let warnings: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterEach(() => {
  warnings.mockRestore();
});

/**
 * A next-identifier model for JavaScript source: the classes are identifier tokens, some of which
 * are Object.prototype names. 120 seeded samples, about 75 % predicted right.
 */
const IDENTIFIERS = ['__proto__', 'constructor', 'length', 'toString', 'valueOf'];
function identifierPredictions(seed: number, n = 120): { yTrue: string[]; yPred: string[] } {
  const random = rng(seed);
  const pick = () => IDENTIFIERS[Math.floor(random() * IDENTIFIERS.length)];
  const yTrue = Array.from({ length: n }, pick);
  const yPred = yTrue.map((t) => (random() < 0.75 ? t : pick()));
  return { yTrue, yPred };
}

describe('label names that are Object.prototype keys', () => {
  const { yTrue, yPred } = identifierPredictions(17);

  it('classificationReport outputDict keeps a row for __proto__, constructor and toString', () => {
    const report = classificationReport(yTrue, yPred, { outputDict: true });
    expect(Object.getPrototypeOf(report)).toBe(null);
    expect(Object.keys(report)).toEqual([...IDENTIFIERS, 'accuracy', 'macro avg', 'weighted avg']);
    const perClass = precisionRecallFscoreSupport(yTrue, yPred, { labels: IDENTIFIERS });
    IDENTIFIERS.forEach((name, i) => {
      expect(Object.hasOwn(report, name)).toBe(true);
      expect(report[name]).toEqual({
        precision: perClass.precision[i],
        recall: perClass.recall[i],
        'f1-score': perClass.fScore[i],
        support: yTrue.filter((t) => t === name).length,
      });
    });
    // The row supports add up to the samples: none was lost to a prototype setter.
    const total = IDENTIFIERS.reduce(
      (a, name) => a + (report[name] as { support: number }).support,
      0,
    );
    expect(total).toBe(yTrue.length);
    // Numeric labels with such target names too.
    const codes = yTrue.map((t) => IDENTIFIERS.indexOf(t));
    const predCodes = yPred.map((t) => IDENTIFIERS.indexOf(t));
    const named = classificationReport(codes, predCodes, {
      outputDict: true,
      targetNames: IDENTIFIERS,
    });
    const proto = '__proto__';
    expect(named[proto]).toEqual(report[proto]);
  });

  it('classificationReport outputDict refuses two rows under one key instead of dropping one', () => {
    const codes = yTrue.map((t) => IDENTIFIERS.indexOf(t));
    const predCodes = yPred.map((t) => IDENTIFIERS.indexOf(t));
    expectError(
      () =>
        classificationReport(codes, predCodes, {
          outputDict: true,
          targetNames: ['a', 'b', 'c', 'd', 'a'],
        }),
      'INVALID_ARGUMENT',
      'targetNames',
      /"a" twice/,
    );
    expectError(
      () =>
        classificationReport(codes, predCodes, {
          outputDict: true,
          targetNames: ['a', 'b', 'macro avg', 'd', 'e'],
        }),
      'INVALID_ARGUMENT',
      'targetNames',
      /"macro avg" as a row name/,
    );
    // The text form has no keys and still prints duplicate names.
    expect(
      classificationReport(codes, predCodes, { targetNames: ['a', 'b', 'c', 'd', 'a'] }),
    ).toContain('weighted avg');
  });

  it('confusionMatrix, computeClassWeight and computeSampleWeight treat them as plain labels', () => {
    const m = confusionMatrix(yTrue, yPred, { labels: IDENTIFIERS });
    expect(m[0].reduce((a, b) => a + b, 0)).toBe(yTrue.filter((t) => t === '__proto__').length);
    const spec = JSON.parse('{"__proto__": 3, "constructor": 2}');
    const weights = computeClassWeight(spec, IDENTIFIERS, yTrue);
    expect(weights).toEqual({ 0: 3, 1: 2, 2: 1, 3: 1, 4: 1 });
    const perSample = computeSampleWeight(spec, yTrue);
    yTrue.forEach((t, i) => {
      expect(perSample[i]).toBe(t === '__proto__' ? 3 : t === 'constructor' ? 2 : 1);
    });
  });

  it('historySummary keeps metrics named __proto__ or constructor (JSON-read history)', () => {
    const history = JSON.parse(
      '{"epoch":[0,1,2],"history":{"val_loss":[0.9,0.7,0.8],"__proto__":[3,1,2],"constructor":[0.1,0.5,0.4]}}',
    );
    const s = historySummary(history);
    expect(Object.keys(s.metrics).sort()).toEqual(['__proto__', 'constructor', 'val_loss']);
    const proto = '__proto__';
    expect(s.metrics[proto]).toEqual({ mode: 'min', final: 2, best: 1, bestEpoch: 1 });
    const byProto = historySummary(history, { monitor: '__proto__' });
    expect(byProto).toMatchObject({ monitor: '__proto__', best: 1, bestEpoch: 1, final: 2 });
  });

  it('validationMetricsCallback refuses toString or constructor as built-in metric names', () => {
    const model = { predict: () => ({ shape: [1, 2], dataSync: () => [0.2, 0.8] }) };
    for (const name of ['toString', 'constructor', 'hasOwnProperty']) {
      expectError(
        () =>
          validationMetricsCallback({
            model,
            validationData: [null, [1]],
            metrics: [name as never],
          }),
        'INVALID_ARGUMENT',
        'metrics',
        new RegExp(`got "${name}"`),
      );
    }
  });
});

describe('sample weights: all zero, negative, NaN, wrong length (as scikit-learn)', () => {
  // A binary detector: 60 seeded samples, positives score higher on average.
  const random = rng(29);
  const yTrue = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const yScore = yTrue.map((t) =>
    Math.min(1, Math.max(0, 0.35 + 0.3 * t + 0.25 * (random() - 0.5))),
  );
  const yPred = yScore.map((s) => (s > 0.5 ? 1 : 0));
  const zeros = yTrue.map(() => 0);

  it('rocAuc: all-zero weights throw INVALID_VALUE instead of returning NaN', () => {
    expectError(
      () => rocAuc(yTrue, yScore, { sampleWeight: zeros }),
      'INVALID_VALUE',
      'sampleWeight',
      /all 0/,
    );
    const probs = yScore.map((s) => [1 - s, s]);
    expectError(
      () => rocAuc(yTrue, probs, { sampleWeight: zeros }),
      'INVALID_VALUE',
      'sampleWeight',
    );
  });

  it('rocAuc: a negative weight throws INVALID_VALUE naming its index', () => {
    const weights = yTrue.map((_, i) => (i === 7 ? -0.5 : 1));
    expectError(
      () => rocAuc(yTrue, yScore, { sampleWeight: weights }),
      'INVALID_VALUE',
      'sampleWeight',
      /got -0\.5 at index 7/,
    );
  });

  it('rocAuc: a class whose weights are all 0 gives NaN with an UndefinedMetricWarning', () => {
    const noPositives = yTrue.map((t) => (t === 1 ? 0 : 1));
    expect(rocAuc(yTrue, yScore, { sampleWeight: noPositives })).toBeNaN();
    expect(warnings).toHaveBeenCalledWith(
      expect.stringMatching(/No positive samples/),
      'UndefinedMetricWarning',
    );
    // Positive weights give the same area as repeating samples.
    const doubled = rocAuc([...yTrue, ...yTrue], [...yScore, ...yScore]);
    expect(rocAuc(yTrue, yScore, { sampleWeight: yTrue.map(() => 2) })).toBeCloseTo(doubled, 12);
  });

  it('weighted means over all-zero weights throw INVALID_VALUE (np.average raises ZeroDivisionError)', () => {
    const reg = yScore.map((s) => s * 10);
    const regPred = reg.map((v) => v + random() - 0.5);
    const probs = yScore.map((s) => [1 - s, s]);
    const cases: [string, () => unknown][] = [
      ['accuracy', () => accuracy(yTrue, yPred, { sampleWeight: zeros })],
      ['logLoss', () => logLoss(yTrue, probs, { sampleWeight: zeros })],
      ['topKAccuracy', () => topKAccuracy(yTrue, yScore, { k: 1, sampleWeight: zeros })],
      ['meanSquaredError', () => meanSquaredError(reg, regPred, { sampleWeight: zeros })],
      ['rootMeanSquaredError', () => rootMeanSquaredError(reg, regPred, { sampleWeight: zeros })],
      ['meanAbsoluteError', () => meanAbsoluteError(reg, regPred, { sampleWeight: zeros })],
      ['r2Score', () => r2Score(reg, regPred, { sampleWeight: zeros })],
    ];
    for (const [name, fn] of cases) {
      expect(name).toBeTruthy();
      expectError(fn, 'INVALID_VALUE', 'sampleWeight', /sum to zero|summing to 0/);
    }
    // Weights that cancel out are a zero sum too.
    const cancel = yTrue.map((_, i) => (i % 2 === 0 ? 1 : -1));
    expectError(
      () => meanSquaredError(reg, regPred, { sampleWeight: cancel }),
      'INVALID_VALUE',
      'sampleWeight',
    );
    // Totals (normalize: false) are defined: 0, as numpy's dot product.
    expect(accuracy(yTrue, yPred, { sampleWeight: zeros, normalize: false })).toBe(0);
    expect(logLoss(yTrue, probs, { sampleWeight: zeros, normalize: false })).toBe(0);
  });

  it('metrics that scikit-learn defines on all-zero weights keep its values', () => {
    expect(f1(yTrue, yPred, { sampleWeight: zeros, zeroDivision: 0 })).toBe(0);
    expect(matthewsCorrcoef(yTrue, yPred, { sampleWeight: zeros })).toBe(0);
    expect(confusionMatrix(yTrue, yPred, { sampleWeight: zeros, normalize: 'all' })).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('multioutput weights: NaN or a zero sum throw INVALID_VALUE naming multioutput', () => {
    const t = yScore.map((s, i) => [s, i / 10]);
    const p = t.map(([a, b]) => [a + 0.1, b - 0.2]);
    expectError(
      () => meanSquaredError(t, p, { multioutput: [Number.NaN, 1] }),
      'INVALID_VALUE',
      'multioutput',
      /NaN at index 0/,
    );
    expectError(
      () => meanAbsoluteError(t, p, { multioutput: [0, 0] }),
      'INVALID_VALUE',
      'multioutput',
    );
    expectError(() => r2Score(t, p, { multioutput: [1, -1] }), 'INVALID_VALUE', 'multioutput');
    expect(meanAbsoluteError(t, p, { multioutput: [1, 3] })).toBeCloseTo(0.175, 12);
  });

  it('NaN and wrong-length weights are refused everywhere (kept from before)', () => {
    const nan = yTrue.map((_, i) => (i === 3 ? Number.NaN : 1));
    expectError(
      () => rocAuc(yTrue, yScore, { sampleWeight: nan }),
      'INVALID_VALUE',
      'sampleWeight',
    );
    expectError(
      () => accuracy(yTrue, yPred, { sampleWeight: nan }),
      'INVALID_VALUE',
      'sampleWeight',
    );
    expectError(
      () => meanSquaredError(yScore, yScore, { sampleWeight: [1, 2] }),
      'LENGTH_MISMATCH',
      'sampleWeight',
    );
  });
});

describe('NaN and empty inputs (scikit-learn: "Input contains NaN", empty arrays raise)', () => {
  const random = rng(41);
  const load = Array.from({ length: 48 }, (_, h) => 50 + 20 * Math.sin((2 * Math.PI * h) / 24));
  const forecast = load.map((v) => v + 4 * (random() - 0.5));

  it('regression metrics refuse NaN or ±Infinity in yTrue or yPred, naming the index', () => {
    const gap = forecast.map((v, i) => (i === 13 ? Number.NaN : v));
    const metrics: ((a: number[], b: number[]) => unknown)[] = [
      (a, b) => meanSquaredError(a, b),
      (a, b) => rootMeanSquaredError(a, b),
      (a, b) => meanAbsoluteError(a, b),
      (a, b) => r2Score(a, b),
    ];
    for (const metric of metrics) {
      expectError(() => metric(load, gap), 'INVALID_VALUE', 'yPred', /NaN at index 13/);
      expectError(() => metric(gap, load), 'INVALID_VALUE', 'yTrue', /NaN at index 13/);
    }
    const inf = load.map((v, i) => (i === 2 ? Number.POSITIVE_INFINITY : v));
    expectError(() => r2Score(inf, forecast), 'INVALID_VALUE', 'yTrue', /Infinity at index 2/);
  });

  it('every metric refuses empty inputs with EMPTY_INPUT', () => {
    const cases: [() => unknown, string][] = [
      [() => meanSquaredError([], []), 'yTrue'],
      [() => r2Score([], []), 'yTrue'],
      [() => accuracy([], []), 'yTrue'],
      [() => confusionMatrix([], []), 'yTrue'],
      [() => classificationReport([], [], { outputDict: true }), 'yTrue'],
      [() => rocAuc([], []), 'yTrue'],
      [() => logLoss([], []), 'yTrue'],
      [() => historySummary({ val_loss: [] }), 'history'],
    ];
    for (const [fn, argument] of cases) expectError(fn, 'EMPTY_INPUT', argument);
  });

  it('null where an object is expected is a typed error, not a TypeError', () => {
    expectError(() => historySummary(null as never), 'INVALID_ARGUMENT', 'history', /got null/);
    expectError(() => formatConfusionMatrix(null as never), 'INVALID_ARGUMENT', 'matrix');
    expectError(
      () =>
        formatConfusionMatrix([
          [1, '2' as never],
          [0, 1],
        ]),
      'INVALID_VALUE',
      'matrix',
      /\[0\]\[1\]/,
    );
    expectError(() => validationMetricsCallback(null as never), 'INVALID_ARGUMENT', 'options');
    expectError(
      () =>
        validationMetricsCallback({
          model: { predict: () => ({ shape: [1], dataSync: () => [0] }) },
          validationData: [null, [0]],
          metrics: [{ custom: 1 as never }],
        }),
      'INVALID_ARGUMENT',
      'metrics',
      /"custom"/,
    );
  });
});

describe('option objects and digits (hostile inputs)', () => {
  it('null or non-object options are INVALID_ARGUMENT naming options in every metric (were TypeErrors)', () => {
    const y = [0, 1, 1, 0];
    const p = [0, 1, 0, 0];
    const scores = [0.1, 0.9, 0.4, 0.3];
    const probs = [
      [0.9, 0.1],
      [0.2, 0.8],
      [0.6, 0.4],
      [0.7, 0.3],
    ];
    const calls: [string, (options: never) => unknown][] = [
      ['accuracy', (o) => accuracy(y, p, o)],
      ['balancedAccuracy', (o) => balancedAccuracy(y, p, o)],
      ['classificationReport', (o) => classificationReport(y, p, o)],
      ['cohenKappa', (o) => cohenKappa(y, p, o)],
      ['computeSampleWeight', (o) => computeSampleWeight('balanced', y, o)],
      ['confusionMatrix', (o) => confusionMatrix(y, p, o)],
      ['formatConfusionMatrix', (o) => formatConfusionMatrix([[1]], o)],
      ['historySummary', (o) => historySummary({ loss: [1, 0.5] }, o)],
      ['logLoss', (o) => logLoss(y, probs, o)],
      ['matthewsCorrcoef', (o) => matthewsCorrcoef(y, p, o)],
      ['meanAbsoluteError', (o) => meanAbsoluteError(scores, scores, o)],
      ['meanSquaredError', (o) => meanSquaredError(scores, scores, o)],
      ['rootMeanSquaredError', (o) => rootMeanSquaredError(scores, scores, o)],
      ['precisionRecallFscoreSupport', (o) => precisionRecallFscoreSupport(y, p, o)],
      ['precision', (o) => precision(y, p, o)],
      ['recall', (o) => recall(y, p, o)],
      ['f1', (o) => f1(y, p, o)],
      ['fbeta', (o) => fbeta(y, p, o)],
      ['r2Score', (o) => r2Score(scores, scores, o)],
      ['rocAuc', (o) => rocAuc(y, scores, o)],
      ['summarizeRuns', (o) => summarizeRuns([0.8, 0.9], o)],
      ['topKAccuracy', (o) => topKAccuracy(y, probs, o)],
    ];
    for (const [name, call] of calls) {
      for (const options of [null, 'macro', 3]) {
        let caught: unknown;
        try {
          call(options as never);
        } catch (error) {
          caught = error;
        }
        expect(EvalMetricsError.isInstance(caught), `${name}(${options}): ${caught}`).toBe(true);
        expect(caught).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options' });
      }
    }
  });

  it('digits above 100 are INVALID_ARGUMENT, not a RangeError from toFixed', () => {
    for (const digits of [101, 1e9]) {
      expectError(
        () => classificationReport([0, 1], [0, 1], { digits }),
        'INVALID_ARGUMENT',
        'digits',
        /expected an integer in \[0, 100\]/,
      );
      expectError(() => formatConfusionMatrix([[0.5]], { digits }), 'INVALID_ARGUMENT', 'digits');
    }
    expect(classificationReport([0, 1], [0, 1], { digits: 100 })).toContain('1.0000');
  });
});
