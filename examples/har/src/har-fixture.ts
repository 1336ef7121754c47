import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UCI_HAR_SIGNALS } from '@seqlearn/datasets';
import { mulberry32 } from '@seqlearn/sequence-windows';

/** The six activities, as in the official `activity_labels.txt`. */
export const HAR_ACTIVITIES = [
  'WALKING',
  'WALKING_UPSTAIRS',
  'WALKING_DOWNSTAIRS',
  'SITTING',
  'STANDING',
  'LAYING',
] as const;

/** Options for {@link writeHarFixture}. */
export interface HarFixtureOptions {
  /** Windows per split. @default { train: 240, test: 120 } */
  sizes?: { train: number; test: number };
  /** Seed of every draw. @default 7 */
  seed?: number;
  /** Write `X_<split>.txt` (561 features per window) too, as the official data has. @default true */
  features?: boolean;
}

/**
 * One value as the official files write it: C's `%.7e` with a three-digit exponent, right-aligned
 * in 16 characters (`  2.8858451e-001 -2.0294171e-002`).
 */
export function formatHarValue(value: number): string {
  const [mantissa, exponent] = value.toExponential(7).split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(3, '0')}`.padStart(16);
}

/** Gravity (in g) seen by the phone's accelerometer in each activity, x y z. */
const GRAVITY: readonly (readonly number[])[] = [
  [1, -0.1, 0.05],
  [0.95, -0.15, 0.1],
  [1.05, -0.05, 0],
  [0.85, 0.1, 0.45],
  [1, 0, 0.1],
  [0.1, 0.6, 0.75],
];
/** Cadence (cycles per 50 Hz window of 128 samples) and body-motion amplitude per activity. */
const MOTION: readonly { cycles: number; amplitude: number }[] = [
  { cycles: 4.5, amplitude: 0.3 },
  { cycles: 3.5, amplitude: 0.25 },
  { cycles: 5.5, amplitude: 0.45 },
  { cycles: 0, amplitude: 0.01 },
  { cycles: 0, amplitude: 0.015 },
  { cycles: 0, amplitude: 0.005 },
];

/**
 * Writes a small, seeded UCI HAR dataset in the official layout and number format under
 * `<dir>/UCI HAR Dataset/` and returns that folder: `activity_labels.txt`, `features.txt`, and
 * per split `y_`, `subject_`, `X_` (CRLF) and the nine `Inertial Signals/*_<split>.txt` files of
 * 128 values per window (CRLF). The signals are synthetic but learnable: walking activities
 * oscillate at their own cadence and strength, static ones differ in the direction of gravity.
 * @example
 * ```ts
 * import { uciHar } from '@seqlearn/datasets';
 * const folder = await writeHarFixture('/tmp/har', { sizes: { train: 12, test: 6 } });
 * console.log((await uciHar.load({ path: folder, split: 'train' })).shape); // [12, 128, 9]
 * ```
 */
export async function writeHarFixture(
  dir: string,
  { sizes = { train: 240, test: 120 }, seed = 7, features = true }: HarFixtureOptions = {},
): Promise<string> {
  const root = path.join(dir, 'UCI HAR Dataset');
  const random = mulberry32(seed);
  const normal = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const put = async (relative: string, text: string) => {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), text);
  };
  await put('activity_labels.txt', HAR_ACTIVITIES.map((a, i) => `${i + 1} ${a}\n`).join(''));
  await put(
    'features.txt',
    Array.from({ length: 561 }, (_, i) => `${i + 1} f${i + 1}-mean()-X\n`).join(''),
  );
  for (const [split, n] of Object.entries(sizes)) {
    const labels = Array.from({ length: n }, (_, i) => (i * 5 + 2) % 6);
    const subjects = Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 30));
    // [window][channel][step], channels in UCI_HAR_SIGNALS order: total_acc, body_acc, body_gyro.
    const windows = labels.map((label) => {
      const { cycles, amplitude } = MOTION[label];
      const phase = 2 * Math.PI * random();
      const tilt = GRAVITY[label].map((g) => g + 0.08 * normal());
      const body = [0, 1, 2].map((axis) =>
        Array.from({ length: 128 }, (_, t) => {
          const wave = Math.sin((2 * Math.PI * cycles * t) / 128 + phase + axis);
          return amplitude * (1 + 0.2 * axis) * wave + 0.02 * normal();
        }),
      );
      const total = body.map((b, axis) => b.map((v) => v + tilt[axis]));
      const gyro = body.map((b) =>
        b.map((v, t) => 0.8 * (b[(t + 3) % 128] - v) * 5 + 0.01 * normal()),
      );
      return [...total, ...body, ...gyro];
    });
    await put(`${split}/y_${split}.txt`, labels.map((y) => `${y + 1}\n`).join(''));
    await put(`${split}/subject_${split}.txt`, subjects.map((s) => `${s}\n`).join(''));
    if (features) {
      await put(
        `${split}/X_${split}.txt`,
        windows
          .map((w) => {
            const row = Array.from({ length: 561 }, (_, k) => {
              const channel = w[k % 9];
              return channel.reduce((a, v) => a + v, 0) / 128 + 0.05 * normal();
            });
            return `${row.map(formatHarValue).join('')}\r\n`;
          })
          .join(''),
      );
    }
    for (const [c, name] of UCI_HAR_SIGNALS.entries()) {
      await put(
        `${split}/Inertial Signals/${name}_${split}.txt`,
        windows.map((w) => `${w[c].map(formatHarValue).join('')}\r\n`).join(''),
      );
    }
  }
  return root;
}
