import path from 'node:path';
import { bitsPerChar, perplexity } from '@seqlearn/eval-metrics';
import {
  markdownTable,
  type ProgressSink,
  type RunOutcome,
  readSettings,
  runSweep,
  type Setting,
  type SweepResults,
  setLearningRate,
  UsageError,
  writeFileAtomic,
} from '@seqlearn/example-kit';
import { createRnnClassifier, createSequenceModel, initBackend } from '@seqlearn/rnn-models';
import { loadSplitCorpus, type SplitCorpus } from './corpus';
import {
  evaluateSequence,
  evaluateText,
  fitEpoch,
  samplesAt,
  type TargetMode,
} from './language-model';
import type { CharLmOptions } from './options';

/** One model setting of the sweep file. */
export interface CharLmSetting extends Setting {
  /** Recurrent layer. */
  cell: 'simpleRNN' | 'lstm' | 'gru';
  /** Units of the recurrent layer (or one per stacked layer). */
  units: number | number[];
  /**
   * `'last'`: a window of characters predicts the one after it (one prediction per window, a
   * window starting at every character). `'every'`: chunks of `window` characters, one after the
   * other, predict the next character at every step (char-rnn's training; `window` is then the
   * length of backpropagation through time). @default 'last'
   */
  targets?: TargetMode;
  /** Characters of context (with `targets: 'every'`, steps per chunk). @default 10 */
  window?: number;
  /** Passes over the training windows. @default 1 */
  epochs?: number;
  /** Optimizer. @default 'rmsprop' */
  optimizer?: 'rmsprop' | 'adam';
  /** Learning rate. @default 0.01 */
  learningRate?: number;
  /** Learning rate multiplier applied after every epoch (1: constant). @default 1 */
  lrDecay?: number;
  /** Clip the gradients' global norm to this. @default none */
  clipNorm?: number;
  /** Windows (or chunks) per gradient step. @default 128 */
  batchSize?: number;
}

/** Generated text after one epoch. */
export interface EpochSamples {
  epoch: number;
  samples: { temperature: number; text: string }[];
}

/** What {@link runCharLmExperiment} returns. */
export interface CharLmResults {
  backend: string;
  corpus: {
    file: string;
    totalChars: number;
    trainChars: number;
    validationChars: number;
    heldOutChars: number;
    alphabetSize: number;
  };
  sweep: SweepResults<CharLmSetting>;
}

/**
 * Trains one model setting: a one-hot window of characters into a recurrent layer and a softmax
 * over the alphabet, RMSProp on categorical cross-entropy. After every epoch it reports the
 * held-out loss, perplexity and bits per character, and generates `sampleLength` characters at
 * every temperature from the first window of the held-out text.
 */
export async function runCharLmSetting(
  setting: CharLmSetting,
  seed: number,
  runId: string,
  phase: 'selection' | 'final',
  corpus: SplitCorpus,
  options: CharLmOptions,
  log: (line: string) => void,
  sink: ProgressSink,
): Promise<RunOutcome> {
  const window = options.window ?? setting.window ?? 10;
  const epochs = options.epochs ?? setting.epochs ?? 1;
  const {
    learningRate = 0.01,
    batchSize = 128,
    targets = 'last',
    optimizer = 'rmsprop',
    lrDecay = 1,
    clipNorm,
  } = setting;
  // The fields the model factories and compileModel do not check themselves.
  if (targets !== 'last' && targets !== 'every') {
    throw new UsageError(
      `setting ${JSON.stringify(setting.id)}: targets: expected 'last' or 'every', got ${JSON.stringify(targets)}`,
    );
  }
  if (!(typeof lrDecay === 'number' && lrDecay > 0 && lrDecay <= 1)) {
    throw new UsageError(
      `setting ${JSON.stringify(setting.id)}: lrDecay: expected a number in (0, 1], got ${JSON.stringify(lrDecay)}`,
    );
  }
  const size = corpus.alphabet.size;
  const compile = { optimizer, learningRate, ...(clipNorm === undefined ? {} : { clipNorm }) };
  const model =
    targets === 'every'
      ? createSequenceModel({
          cell: setting.cell,
          units: setting.units,
          inputShape: [null, size],
          returnSequences: true,
          numClasses: size,
          seed,
          compile,
        })
      : createRnnClassifier({
          cell: setting.cell,
          units: setting.units,
          inputShape: [window, size],
          numClasses: size,
          seed,
          compile,
        });
  const evaluate = (ids: readonly number[]) =>
    targets === 'every'
      ? evaluateSequence(model, ids, { steps: window, size })
      : evaluateText(model, ids, { window, size });
  const seedText = corpus.validationText.slice(0, window);
  // A refit (final runs with --refit) trains on the validation text too, so it has no validation
  // figures: the two parts are contiguous, so together they are the first 90% of the corpus.
  const refit = phase === 'final' && options.refit;
  const trainIds = refit ? [...corpus.train, ...corpus.validation] : corpus.train;
  const history: Record<string, number[]> = {};
  const samples: EpochSamples[] = [];
  const push = (k: string, v: number) => {
    history[k] ??= [];
    history[k].push(v);
  };
  let trainSeconds = 0;
  let last = { crossEntropy: Number.NaN, accuracy: Number.NaN, windows: 0 };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const started = Date.now();
    if (epoch > 0 && lrDecay !== 1) setLearningRate(model, learningRate * lrDecay ** epoch);
    const logs = await fitEpoch(model, trainIds, {
      targets,
      window,
      size,
      batchSize,
      stride: options.stride,
      seed,
      epoch,
      epochs,
      label: runId,
      sink: options.verbose ? sink : undefined,
    });
    trainSeconds += (Date.now() - started) / 1000;
    push('loss', logs.loss);
    push('accuracy', logs.acc ?? logs.accuracy);
    if (!refit) {
      last = evaluate(corpus.validation);
      push('val_loss', last.crossEntropy);
      push('val_accuracy', last.accuracy);
      push('val_perplexity', perplexity(last.crossEntropy));
      push('val_bits_per_char', bitsPerChar(last.crossEntropy));
    }
    const epochSamples = samplesAt(model, {
      seedText,
      alphabet: corpus.alphabet,
      temperatures: options.temperatures,
      length: options.sampleLength,
      seed: seed + 100 * epoch,
      window,
    });
    samples.push({ epoch: epoch + 1, samples: epochSamples });
    if (options.verbose && refit) {
      log(`${runId} epoch ${epoch + 1}/${epochs}: train loss ${logs.loss.toFixed(4)} (refit)`);
    } else if (options.verbose) {
      log(
        `${runId} epoch ${epoch + 1}/${epochs}: train loss ${logs.loss.toFixed(4)}, validation loss ${last.crossEntropy.toFixed(4)}, perplexity ${perplexity(last.crossEntropy).toFixed(2)}, ${bitsPerChar(last.crossEntropy).toFixed(3)} bits/char`,
      );
      for (const s of epochSamples) {
        log(`  T=${s.temperature}: ${JSON.stringify(seedText)} + ${JSON.stringify(s.text)}`);
      }
    }
  }
  const params = model.countParams();
  // The test text is read only by the chosen setting's final runs.
  const test = phase === 'final' ? evaluate(corpus.heldOut) : undefined;
  if (test && options.verbose) {
    log(
      `${runId} test: loss ${test.crossEntropy.toFixed(4)}, ${bitsPerChar(test.crossEntropy).toFixed(3)} bits/char`,
    );
  }
  model.dispose();
  return {
    metrics: {
      ...(refit
        ? {}
        : {
            valLoss: last.crossEntropy,
            valPerplexity: perplexity(last.crossEntropy),
            valBitsPerChar: bitsPerChar(last.crossEntropy),
            valAccuracy: last.accuracy,
          }),
      trainChars: trainIds.length,
      trainLoss: history.loss.at(-1) ?? Number.NaN,
      params,
      ...(test
        ? {
            test_loss: test.crossEntropy,
            test_perplexity: perplexity(test.crossEntropy),
            test_bitsPerChar: bitsPerChar(test.crossEntropy),
            test_accuracy: test.accuracy,
          }
        : {}),
    },
    history,
    seconds: trainSeconds,
    extra: { window, epochs, seedText, samples },
  };
}

/**
 * The char-lm example: loads the corpus, splits it 90/10, and runs every model setting of the
 * sweep (then the best by held-out bits per character again with new seeds), writing each run's
 * config, history, metrics and generated samples, `results.json`/`results.md`, and `samples.md`
 * (the text generated by the best setting after each epoch).
 */
export async function runCharLmExperiment(
  options: CharLmOptions,
  log: (line: string) => void = console.log,
  sink: ProgressSink = process.stderr,
): Promise<CharLmResults> {
  const backend = await initBackend({ log: options.verbose ? log : false });
  const settings = await readSettings<CharLmSetting>(options.sweep);
  const corpus = await loadSplitCorpus(options.data, {
    trainChars: options.trainChars,
    evalChars: options.evalChars,
  });
  const info = {
    file: options.data,
    totalChars: corpus.totalChars,
    trainChars: corpus.train.length,
    validationChars: corpus.validation.length,
    heldOutChars: corpus.heldOut.length,
    alphabetSize: corpus.alphabet.size,
  };
  const notes =
    `Corpus ${path.basename(options.data)}: ${info.totalChars} characters, alphabet of ${info.alphabetSize}; ` +
    `trained on ${info.trainChars} characters (the first 81%; stride ${options.stride} for window settings), settings chosen on ${info.validationChars} validation characters (the next 9%), test on ${info.heldOutChars} held-out characters (the last 10%, chosen setting only). ` +
    `Backend ${backend.name}; seed ${options.seed}${options.quick ? '; quick mode' : ''}.`;
  log(`char-lm: ${notes}`);
  const sweep = await runSweep({
    title: 'char-lm: next-character prediction (chosen on validation text, test on held-out text)',
    settings,
    metric: 'valBitsPerChar',
    minimize: true,
    finalOnly: /^test_/,
    out: options.out,
    seed: options.seed,
    repeats: options.repeats,
    columns: [
      'valLoss',
      'valPerplexity',
      'valBitsPerChar',
      'valAccuracy',
      'trainLoss',
      'trainChars',
      'params',
      'test_loss',
      'test_perplexity',
      'test_bitsPerChar',
      'test_accuracy',
    ],
    notes,
    log,
    run: (setting, { seed, runId, phase }) =>
      runCharLmSetting(setting, seed, runId, phase, corpus, options, log, sink),
  });
  const best = sweep.runs.find((r) => r.setting.id === sweep.best.id);
  if (best) {
    const extra = best.extra as { seedText: string; samples: EpochSamples[] };
    const lines = [
      `# Samples of \`${best.runId}\``,
      '',
      `Seed text (the start of the validation part): ${JSON.stringify(extra.seedText)}; ${options.sampleLength} characters per temperature.`,
      '',
    ];
    for (const e of extra.samples) {
      lines.push(`## After epoch ${e.epoch}`, '');
      for (const s of e.samples)
        lines.push(`T = ${s.temperature}:`, '', '```text', s.text, '```', '');
    }
    await writeFileAtomic(path.join(options.out, 'samples.md'), `${lines.join('\n')}\n`);
  }
  log(
    `\n${markdownTable(
      ['run', 'validation bits/char', 'test bits/char', 'test perplexity', 'train s'],
      sweep.runs.map((r) => [
        r.runId,
        r.metrics.valBitsPerChar?.toFixed(3) ?? '(refit)',
        r.metrics.test_bitsPerChar?.toFixed(3) ?? '',
        r.metrics.test_perplexity?.toFixed(2) ?? '',
        r.seconds.toFixed(1),
      ]),
    )}`,
  );
  log(`wrote ${options.out}`);
  return { backend: backend.name, corpus: info, sweep };
}
