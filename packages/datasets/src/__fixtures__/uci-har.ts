import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, normal } from '../random';
import { UCI_HAR_SIGNALS } from '../uci-har';

export const ACTIVITY_LABELS =
  '1 WALKING\n2 WALKING_UPSTAIRS\n3 WALKING_DOWNSTAIRS\n4 SITTING\n5 STANDING\n6 LAYING\n';

/**
 * One value as the official files write it: C's `%.7e` with a 3-digit exponent, right-aligned in
 * 16 characters, so positive values get two leading spaces and negative ones one
 * (`  2.8858451e-001 -2.0294171e-002`).
 */
export function formatHarValue(value: number): string {
  const [mantissa, exponent] = value.toExponential(7).split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(3, '0');
  return `${mantissa}e${sign}${digits}`.padStart(16);
}

export interface HarFixture {
  /** Per split: signals [n][128][9] and features [n][561], as written (after float32 rounding by the reader). */
  signals: Record<string, number[][][]>;
  features: Record<string, number[][]>;
  labels: Record<string, number[]>;
  subjects: Record<string, number[]>;
  /** Relative path → file content, the layout inside `UCI HAR Dataset/`. */
  files: Record<string, string>;
}

/**
 * Generates a small UCI HAR dataset in exactly the official layout and number format: CRLF line
 * ends in the X and Inertial Signals files, LF in the y/subject/label files as in the copies
 * studied. Values are seeded normals scaled like the real ones (about 1e-4 to 1).
 */
export function makeHarFixture(
  sizes: Record<string, number> = { train: 6, test: 4 },
  seed = 7,
): HarFixture {
  const random = createRandom(seed);
  const fixture: HarFixture = { signals: {}, features: {}, labels: {}, subjects: {}, files: {} };
  const featureNames = Array.from({ length: 561 }, (_, i) => `${i + 1} f${i + 1}-mean()-X`);
  fixture.files['activity_labels.txt'] = ACTIVITY_LABELS;
  fixture.files['features.txt'] = `${featureNames.join('\n')}\n`;
  for (const [split, n] of Object.entries(sizes)) {
    const labels = Array.from({ length: n }, (_, i) => (i * 5 + 2) % 6);
    const subjects = Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 30));
    const value = () => normal(random) * 10 ** -Math.floor(random() * 4);
    const signals = Array.from({ length: n }, () =>
      Array.from({ length: 128 }, () => Array.from({ length: 9 }, value)),
    );
    const features = Array.from({ length: n }, () => Array.from({ length: 561 }, value));
    fixture.labels[split] = labels;
    fixture.subjects[split] = subjects;
    fixture.signals[split] = signals;
    fixture.features[split] = features;
    fixture.files[`${split}/y_${split}.txt`] = labels.map((y) => `${y + 1}\n`).join('');
    fixture.files[`${split}/subject_${split}.txt`] = subjects.map((s) => `${s}\n`).join('');
    fixture.files[`${split}/X_${split}.txt`] = features
      .map((row) => `${row.map(formatHarValue).join('')}\r\n`)
      .join('');
    UCI_HAR_SIGNALS.forEach((name, c) => {
      fixture.files[`${split}/Inertial Signals/${name}_${split}.txt`] = signals
        .map((window) => `${window.map((step) => formatHarValue(step[c])).join('')}\r\n`)
        .join('');
    });
  }
  return fixture;
}

/** Writes the fixture's files under `<dir>/UCI HAR Dataset/`; returns that folder. */
export function writeHarFolder(dir: string, files: Record<string, string>): string {
  const root = join(dir, 'UCI HAR Dataset');
  for (const [relative, content] of Object.entries(files)) {
    mkdirSync(join(root, relative, '..'), { recursive: true });
    writeFileSync(join(root, relative), content);
  }
  return root;
}
