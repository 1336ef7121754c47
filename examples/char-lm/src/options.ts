import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { intFlag, parseExampleArgs, sharedDataPath, UsageError } from '@seqlearn/example-kit';

/** Settings of one invocation of the char-lm example. */
export interface CharLmOptions {
  /** The corpus: a UTF-8 text file. */
  data: string;
  /** Sweep file: a JSON array of model settings. */
  sweep: string;
  /** Times the best setting is trained again with new seeds. */
  repeats: number;
  /** Override of every setting's epochs. */
  epochs?: number;
  /** Override of every setting's window (characters of context). */
  window?: number;
  /** Characters of the training part (the first 90%) used; all when undefined. */
  trainChars?: number;
  /** Characters of the held-out part (the last 10%) evaluated; all when undefined. */
  evalChars?: number;
  /** Characters between the starts of consecutive training windows. */
  stride: number;
  /** Sampling temperatures of the text generated after each epoch. */
  temperatures: number[];
  /** Characters generated per temperature. */
  sampleLength: number;
  quick: boolean;
  /**
   * Train the final runs on the training and validation text together (scikit-learn's
   * `GridSearchCV(refit=True)`); the setting is still chosen on validation. @default false
   */
  refit: boolean;
  out: string;
  seed: number;
  verbose: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Folder of the shipped sweep files. */
export const SWEEPS_DIR = path.resolve(here, '..', 'sweeps');

/** Characters of the training part in quick mode. */
export const QUICK_TRAIN_CHARS = 3000;
/** Held-out characters in quick mode. */
export const QUICK_EVAL_CHARS = 500;

export const usage = `Usage: npm start -- [flags]   (or: npm run example -- char-lm [flags])

Character language model on tiny-shakespeare: a window of characters predicts the next one
(one-hot in, softmax out, RMSProp). After every epoch it generates text at several temperatures
and reports loss, perplexity and bits per character on held-out text (the last 10% of the corpus).

  --data FILE          corpus (default $SEQLEARN_SHARED_DATASETS/shakespeare/input.txt, else
                       <repo>/../shared/datasets/shakespeare/input.txt)
  --sweep FILE         model settings (default sweeps/default.json; sweeps/quick.json with --quick)
  --window N           characters of context, overrides the settings (settings default 10)
  --epochs N           epochs, overrides the settings
  --train-chars N      use the first N characters of the training part (default all: 90% of
                       the corpus; ${QUICK_TRAIN_CHARS} with --quick)
  --eval-chars N       evaluate on the first N characters of the held-out part (default all:
                       the last 10%; ${QUICK_EVAL_CHARS} with --quick)
  --stride N           characters between training windows (default 1: every window)
  --temperatures LIST  sampling temperatures (default 0.2,0.5,1,1.2; 0.5,1 with --quick)
  --sample-length N    characters generated per temperature (default 100)
  --repeats N          extra runs of the best setting with new seeds (default 3; 1 with --quick)
  --seed N             seed of weights, shuffles and sampling (default 42)
  --out DIR            output folder (default runs/char-lm/<timestamp>)
  --refit              train the final runs on training + validation text (the first 90%);
                       the setting is still chosen on validation
  --quick              ${QUICK_TRAIN_CHARS} training characters, one epoch: a smoke run
  --quiet              final figures only
  --help               this text`;

/** Parses the command line of the char-lm example (flags as in {@link usage}). */
export function parseCharLmArgs(argv: string[]): CharLmOptions | 'help' {
  const parsed = parseExampleArgs('char-lm', argv, {
    data: { type: 'string' },
    sweep: { type: 'string' },
    window: { type: 'string' },
    epochs: { type: 'string' },
    'train-chars': { type: 'string' },
    'eval-chars': { type: 'string' },
    stride: { type: 'string' },
    temperatures: { type: 'string' },
    'sample-length': { type: 'string' },
    repeats: { type: 'string' },
    refit: { type: 'boolean', default: false },
  });
  if (parsed === 'help') return 'help';
  const { values, quick } = parsed;
  const optionalInt = (key: keyof typeof values, flag: string, quickValue?: number) =>
    values[key] === undefined ? (quick ? quickValue : undefined) : intFlag(values[key], flag, 1);
  const temperatures = String(values.temperatures ?? (quick ? '0.5,1' : '0.2,0.5,1,1.2'))
    .split(',')
    .map((t) => Number(t.trim()));
  if (temperatures.some((t) => !(t >= 0))) {
    throw new UsageError(
      `--temperatures: expected numbers >= 0, got ${JSON.stringify(values.temperatures)}`,
    );
  }
  return {
    data: path.join(
      sharedDataPath('shakespeare', { data: values.data as string | undefined }),
      values.data === undefined ? 'input.txt' : '',
    ),
    sweep: path.resolve(
      (values.sweep as string | undefined) ??
        path.join(SWEEPS_DIR, quick ? 'quick.json' : 'default.json'),
    ),
    repeats: intFlag(values.repeats, '--repeats', quick ? 1 : 3, 0),
    epochs: optionalInt('epochs', '--epochs'),
    window: optionalInt('window', '--window'),
    trainChars: optionalInt('train-chars', '--train-chars', QUICK_TRAIN_CHARS),
    evalChars: optionalInt('eval-chars', '--eval-chars', QUICK_EVAL_CHARS),
    stride: intFlag(values.stride, '--stride', 1),
    temperatures,
    sampleLength: intFlag(values['sample-length'], '--sample-length', 100),
    quick,
    refit: values.refit === true,
    out: parsed.out,
    seed: parsed.seed,
    verbose: !parsed.quiet,
  };
}
