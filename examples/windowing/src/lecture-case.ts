import { reshapeWindows, shiftWindows, statefulBatches } from '@seqlearn/sequence-windows';
import type * as tf from '@tensorflow/tfjs';

/** The lecture's windowing case on the series 0, 1, ..., 13, as data and as printable text. */
export interface LectureCase {
  series: number[];
  /** `reshapeWindows(series, { length: 7 })`: non-overlapping windows. */
  reshape: { windows: number[][]; dropped: number };
  /** `shiftWindows(series, { length: 7, shift: 2, targetShift: 1 })`: inputs and next-step targets. */
  shift: { x: number[][]; y: number[] };
  /** The same with `targetLength: 7`: every input step's next value (many-to-many). */
  shiftManyToMany: { x: number[][]; y: number[][] };
  /** `statefulBatches(series, { batchSize: 2, length: 3 })`: rows that continue one another. */
  stateful: { x: number[][]; y: number[][]; batches: number; dropped: number };
  text: string;
}

const squeeze = (t: tf.Tensor) => (t.squeeze([t.rank - 1]).arraySync() as number[][]).slice();
const row = (r: readonly number[]) => `[${r.map((v) => String(v).padStart(2)).join(' ')}]`;

/**
 * Reshape vs shift windowing on the lecture's 14-step series (`x_t = t`, so every value is its own
 * step index): reshaping into windows of 7 gives 2 examples; sliding windows of 7 with shift 2 and
 * a target one step ahead give `floor((14 - 7 - 1) / 2) + 1 = 4`; the stateful layout cuts the
 * series into streams whose rows continue one another from batch to batch.
 */
export function lectureCase(): LectureCase {
  const series = Array.from({ length: 14 }, (_, t) => t);
  const r = reshapeWindows(series, { length: 7 });
  const s = shiftWindows(series, { length: 7, shift: 2, targetShift: 1 });
  const m = shiftWindows(series, { length: 7, shift: 2, targetShift: 1, targetLength: 7 });
  const b = statefulBatches(series, { batchSize: 2, length: 3 });
  const result = {
    series,
    reshape: { windows: squeeze(r.windows), dropped: r.dropped },
    shift: { x: squeeze(s.x), y: (s.y.arraySync() as number[][]).map((v) => v[0]) },
    shiftManyToMany: { x: squeeze(m.x), y: squeeze(m.y) },
    stateful: { x: squeeze(b.x), y: squeeze(b.y), batches: b.batches, dropped: b.dropped },
  };
  for (const t of [r.windows, s.x, s.y, m.x, m.y, b.x, b.y]) t.dispose();

  const lines = [
    `The lecture's case: a series of 14 steps, x_t = t: ${row(series)}`,
    '',
    `reshapeWindows(series, { length: 7 }): ${result.reshape.windows.length} windows, ${result.reshape.dropped} steps dropped (no overlap)`,
    ...result.reshape.windows.map((w, i) => `  window ${i}: ${row(w)}`),
    '  As training pairs (6 steps in, the 7th as target) that is 2 examples, and no window starts',
    '  between them: each step is the target of at most one example.',
    '',
    `shiftWindows(series, { length: 7, shift: 2, targetShift: 1 }): ${result.shift.x.length} examples = floor((14 - 7 - 1) / 2) + 1`,
    ...result.shift.x.map((x, i) => `  x[${i}] = ${row(x)}  ->  y[${i}] = ${result.shift.y[i]}`),
    '  Overlapping windows reuse each step in several examples: twice the examples of reshape',
    '  here, and with shift 1 it would be 14 - 7 - 1 + 1 = 7.',
    '',
    'shiftWindows(..., targetLength: 7), many-to-many: the target is the window moved one step on',
    ...result.shiftManyToMany.x.map(
      (x, i) => `  x[${i}] = ${row(x)}  ->  y[${i}] = ${row(result.shiftManyToMany.y[i])}`,
    ),
    '',
    `statefulBatches(series, { batchSize: 2, length: 3 }): ${result.stateful.batches} batches of 2 rows, ${result.stateful.dropped} step(s) unused`,
    ...result.stateful.x.map(
      (x, i) =>
        `  batch ${Math.floor(i / 2)} row ${i % 2}: x = ${row(x)}  y = ${row(result.stateful.y[i])}`,
    ),
    '  Row i of batch 1 continues row i of batch 0 (stream 0 = steps 0-5, stream 1 = steps 6-11),',
    '  so a stateful layer can carry its state from one batch to the next; reset it each epoch.',
  ];
  return { ...result, text: lines.join('\n') };
}
