import type { DatasetAdapter, LoadOptions } from './dataset-adapter';
import { createRandom } from './random';
import { checkLoadOptions, pickSplit } from './resolve-source';
import { checkInteger, splitSeed } from './synthetic-helpers';

/** Symbol of a blank step in {@link memoryTask} sequences. Digits are 0-8. */
export const MEMORY_TASK_BLANK = 9;
/** Symbol of the delimiter that asks for recall in {@link memoryTask} sequences. */
export const MEMORY_TASK_DELIMITER = 10;

/** Options for {@link memoryTask}`.load`. */
export interface MemoryTaskOptions extends LoadOptions {
  /** Number of sequences. @default 1000 */
  examples?: number;
  /** Digits to remember. @default 5 */
  k?: number;
  /** Blanks between the digits and the delimiter. @default 10 */
  delay?: number;
  /** Seed, an integer 0 … 2^32 - 1; the train and test splits draw independently from it. @default 0 */
  seed?: number;
}

/** One memory-task sequence: symbols 0-8 digits, 9 blank, 10 delimiter. */
export interface MemoryTaskRecord {
  /** `k` digits, `delay` blanks, the delimiter, then `k` blanks (length `2k + delay + 1`). */
  input: number[];
  /** Blanks, then the `k` digits again at the last `k` steps. */
  target: number[];
  /** Steps of `target` to grade: the last `k`, where the digits must be recalled. */
  gradePositions: number[];
}

/** What {@link memoryTask}`.load` resolves to. */
export interface MemoryTaskData {
  split: string;
  records: MemoryTaskRecord[];
  /** Number of distinct symbols, 11: digits 0-8, blank 9, delimiter 10. */
  vocabularySize: number;
  blank: number;
  delimiter: number;
}

/**
 * Synthetic, seeded copy-memory task: each sequence shows `k` random digits 0-8, then `delay`
 * blanks, then a delimiter; the model must output the `k` digits in order during the last `k`
 * steps. Grade only `gradePositions` (a model that always outputs blank is otherwise almost always
 * right). Splits `'train'` and `'test'` draw independently from `seed`.
 *
 * @example
 * ```ts
 * import { memoryTask } from '@seqlearn/datasets';
 * const { records } = await memoryTask.load({ examples: 1, k: 2, delay: 1, seed: 3 });
 * console.log(records[0].input.length, records[0].gradePositions); // 6 [4, 5]
 * ```
 * @throws {DatasetsError} `INVALID_ARGUMENT` for `examples` or `k` below 1, a negative `delay`
 *   or a `seed` that is not an integer 0 … 2^32 - 1.
 */
export const memoryTask: DatasetAdapter<MemoryTaskRecord, MemoryTaskOptions, MemoryTaskData> = {
  name: 'memoryTask',
  description:
    'Synthetic copy-memory task: remember k digits over a delay of blanks, recall them after a delimiter.',
  license: 'CC0-1.0 (generated data).',
  citation:
    'Martin Arjovsky, Amar Shah and Yoshua Bengio. Unitary Evolution Recurrent Neural Networks. ICML 2016 (copy memory problem).',
  kind: 'synthetic',
  splits: ['train', 'test'],
  sources: [],
  isRecord(value): value is MemoryTaskRecord {
    if (typeof value !== 'object' || value === null) return false;
    const r = value as MemoryTaskRecord;
    const symbols = (a: unknown) =>
      Array.isArray(a) &&
      a.every((s) => Number.isInteger(s) && s >= 0 && s <= MEMORY_TASK_DELIMITER);
    return (
      symbols(r.input) &&
      symbols(r.target) &&
      r.input.length === r.target.length &&
      Array.isArray(r.gradePositions) &&
      r.gradePositions.every((p) => Number.isInteger(p) && p >= 0 && p < r.target.length)
    );
  },
  async load(options: MemoryTaskOptions = {}) {
    checkLoadOptions('memoryTask', options);
    const split = pickSplit('memoryTask', this.splits, options.split);
    const { examples = 1000, k = 5, delay = 10, seed = 0 } = options;
    checkInteger('memoryTask', 'examples', examples, 1);
    checkInteger('memoryTask', 'k', k, 1);
    checkInteger('memoryTask', 'delay', delay, 0);
    const random = createRandom(splitSeed('memoryTask', seed, split, this.splits));
    const length = 2 * k + delay + 1;
    const gradePositions = Array.from({ length: k }, (_, i) => length - k + i);
    const records = Array.from({ length: examples }, () => {
      const digits = Array.from({ length: k }, () => Math.floor(random() * 9));
      const input = [
        ...digits,
        ...new Array(delay).fill(MEMORY_TASK_BLANK),
        MEMORY_TASK_DELIMITER,
        ...new Array(k).fill(MEMORY_TASK_BLANK),
      ];
      const target = [...new Array(length - k).fill(MEMORY_TASK_BLANK), ...digits];
      return { input, target, gradePositions: [...gradePositions] };
    });
    return {
      split,
      records,
      vocabularySize: 11,
      blank: MEMORY_TASK_BLANK,
      delimiter: MEMORY_TASK_DELIMITER,
    };
  },
};
