import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetAdapter, LoadedSplit, LoadOptions } from './dataset-adapter';
import { DatasetsError } from './errors';
import { checkLoadOptions, exists, isDirectory, pickSplit, resolveSource } from './resolve-source';
import { openZip, type ZipArchive } from './zip-archive';

/** The nine inertial signals, in the order of the last axis of the `signals` variant. */
export const UCI_HAR_SIGNALS: readonly string[] = [
  'total_acc_x',
  'total_acc_y',
  'total_acc_z',
  'body_acc_x',
  'body_acc_y',
  'body_acc_z',
  'body_gyro_x',
  'body_gyro_y',
  'body_gyro_z',
];

/** Options for {@link uciHar}`.load`. */
export interface UciHarOptions extends LoadOptions {
  /**
   * `'signals'`: the nine raw inertial signals, `[windows, 128, 9]`; `'features'`: the 561
   * engineered features of `X_<split>.txt`, `[windows, 561]`. @default 'signals'
   */
  variant?: 'signals' | 'features';
}

/** One window of the UCI HAR data. */
export interface HarRecord {
  /** The window's values, row-major: 128 × 9 (`signals`) or 561 (`features`); a view into `x`. */
  features: Float32Array;
  /** Activity, 0-5, indexing `classNames`. */
  label: number;
  /** Volunteer id, 1-30. */
  subject: number;
}

/** What {@link uciHar}`.load` resolves to. */
export interface UciHarData extends LoadedSplit<HarRecord> {
  variant: 'signals' | 'features';
  /** All windows, row-major, of shape `shape`. */
  x: Float32Array;
  /** `[windows, 128, 9]` for signals, `[windows, 561]` for features. */
  shape: number[];
  /** Activity per window, 0-5. */
  labels: number[];
  /** Volunteer id per window. */
  subjects: number[];
  /** Activity names from `activity_labels.txt` (`WALKING` … `LAYING`). */
  classNames: string[];
  /** Names along the last axis: {@link UCI_HAR_SIGNALS}, or the 561 names of `features.txt`. */
  featureNames: string[];
}

const source = {
  filename: 'human+activity+recognition+using+smartphones.zip',
  url: 'https://archive.ics.uci.edu/static/public/240/human+activity+recognition+using+smartphones.zip',
};
const ROOT = 'UCI HAR Dataset';

/** Reads files of the dataset by their path relative to `UCI HAR Dataset/`. */
interface HarFiles {
  label: string;
  read(relative: string): Promise<string>;
  close(): void;
}

async function openFolder(root: string): Promise<HarFiles> {
  return {
    label: root,
    async read(relative) {
      const path = join(root, relative);
      try {
        return await readFile(path, 'latin1');
      } catch (error) {
        throw new DatasetsError({
          code: 'MISSING_FILE',
          path,
          message: `uciHar: expected ${relative} in ${root}, found nothing (the official zip has it)`,
          cause: error,
        });
      }
    },
    close() {},
  };
}

async function openHarZip(zipSource: string | Buffer, label: string): Promise<HarFiles> {
  const zip: ZipArchive = await openZip(zipSource, label);
  const marker = zip.names.find(
    (n) => n.endsWith('activity_labels.txt') && !n.includes('__MACOSX'),
  );
  if (marker === undefined) {
    // The archive on the UCI site wraps "UCI HAR Dataset.zip" in an outer zip.
    const inner = zip.names.find((n) => /UCI HAR Dataset\.zip$/.test(n));
    if (inner === undefined) {
      zip.close();
      throw new DatasetsError({
        code: 'MALFORMED_DATA',
        path: label,
        message: `uciHar: expected ${ROOT}/activity_labels.txt or ${ROOT}.zip inside ${label}, found neither`,
      });
    }
    const buffer = await zip.read(inner);
    zip.close();
    return openHarZip(buffer, `${label}!${inner}`);
  }
  const prefix = marker.slice(0, -'activity_labels.txt'.length);
  return {
    label,
    async read(relative) {
      return (await zip.read(prefix + relative)).toString('latin1');
    },
    close: () => zip.close(),
  };
}

async function openHar(path: string): Promise<HarFiles> {
  if (await isDirectory(path)) {
    if (await exists(join(path, 'activity_labels.txt'))) return openFolder(path);
    if (await isDirectory(join(path, ROOT))) return openFolder(join(path, ROOT));
    throw new DatasetsError({
      code: 'MISSING_FILE',
      path,
      message: `uciHar: expected the "${ROOT}" folder or its contents at ${path}, found neither`,
    });
  }
  return openHarZip(path, path);
}

/** A decimal number as the dataset writes them (`-2.0294171e-002`, `1`): no hex, no Infinity. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses whitespace-separated numbers, one row per non-empty line, each of `width` values:
 * finite decimals that fit a float32, else `MALFORMED_DATA` naming the file and line.
 */
function parseMatrix(text: string, width: number, where: string): Float32Array[] {
  const rows: Float32Array[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    if (fields.length !== width) {
      throw new DatasetsError({
        code: 'MALFORMED_DATA',
        path: where,
        line: i + 1,
        message: `uciHar: expected ${width} values on line ${i + 1} of ${where}, got ${fields.length}`,
      });
    }
    const row = new Float32Array(width);
    for (let j = 0; j < width; j++) {
      // Number() also takes "Infinity", "0x1F", "0b101" and overflows "1e999" to Infinity.
      const value = DECIMAL.test(fields[j]) ? Math.fround(Number(fields[j])) : Number.NaN;
      if (!Number.isFinite(value)) {
        throw new DatasetsError({
          code: 'MALFORMED_DATA',
          path: where,
          line: i + 1,
          message: `uciHar: expected a finite decimal number (float32 range) as value ${j + 1} on line ${i + 1} of ${where}, got ${JSON.stringify(fields[j])}`,
        });
      }
      row[j] = value;
    }
    rows.push(row);
  }
  return rows;
}

function parseIntegers(text: string, where: string, min: number, max: number): number[] {
  return parseMatrix(text, 1, where).map((row, i) => {
    const value = row[0];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new DatasetsError({
        code: 'MALFORMED_DATA',
        path: where,
        line: i + 1,
        message: `uciHar: expected an integer ${min}-${max} in row ${i + 1} of ${where}, got ${value}`,
      });
    }
    return value;
  });
}

/** `1 WALKING` lines → names in id order. */
function parseNamedList(text: string, where: string): string[] {
  const names: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const match = /^(\d+)\s+(\S.*)$/.exec(line);
    if (match === null || Number(match[1]) !== names.length + 1) {
      throw new DatasetsError({
        code: 'MALFORMED_DATA',
        path: where,
        line: i + 1,
        message: `uciHar: expected "${names.length + 1} <name>" on line ${i + 1} of ${where}, got ${JSON.stringify(line)}`,
      });
    }
    names.push(match[2]);
  });
  return names;
}

/**
 * Adapter for "Human Activity Recognition Using Smartphones" (UCI HAR), read from the official
 * layout: the `UCI HAR Dataset` folder (or the folder holding it), or the official zip (also the
 * UCI site's outer zip that wraps `UCI HAR Dataset.zip`), read entry by entry without unpacking.
 * The `signals` variant gives the nine inertial signals ({@link UCI_HAR_SIGNALS}) as
 * `[windows, 128, 9]`; the `features` variant the 561 features of `X_<split>.txt`. Labels are
 * the activities 0-5 (file ids 1-6), with subject ids; windows keep the files' order
 * (train 7,352, test 2,947 in the official data). Without `path`, the official zip is downloaded
 * into the cache folder (UCI publishes no checksum for it).
 *
 * @example
 * ```ts
 * import { uciHar } from '@seqlearn/datasets';
 * const train = await uciHar.load({ path: 'UCI HAR Dataset', split: 'train' });
 * console.log(train.shape, train.classNames[train.labels[0]]); // [7352, 128, 9] STANDING
 * ```
 * @throws {DatasetsError} `MISSING_FILE` for an absent file, `MALFORMED_DATA` (with `line`) for
 *   a ragged row, a value that is not a finite decimal (`Infinity`, `NaN`, hex, `1e999`), an
 *   unknown activity or files of different lengths; `CHECKSUM_MISMATCH` for a zip entry whose
 *   CRC-32 does not match.
 */
export const uciHar: DatasetAdapter<HarRecord, UciHarOptions, UciHarData> = {
  name: 'uciHar',
  description:
    'Human Activity Recognition Using Smartphones (UCI HAR): 2.56 s windows of 9 inertial signals or 561 features, 6 activities, 30 subjects.',
  license:
    'CC BY 4.0 on the UCI repository; the README asks to cite [Anguita et al. 2013] and says "Any commercial use is prohibited".',
  citation:
    'Davide Anguita, Alessandro Ghio, Luca Oneto, Xavier Parra and Jorge L. Reyes-Ortiz. A Public Domain Dataset for Human Activity Recognition Using Smartphones. ESANN 2013.',
  homepage: 'https://archive.ics.uci.edu/dataset/240/human+activity+recognition+using+smartphones',
  kind: 'file',
  splits: ['train', 'test'],
  sources: [source],
  isRecord(value): value is HarRecord {
    if (typeof value !== 'object' || value === null) return false;
    const { features, label, subject } = value as HarRecord;
    return (
      features instanceof Float32Array &&
      Number.isInteger(label) &&
      label >= 0 &&
      label <= 5 &&
      Number.isInteger(subject)
    );
  },
  async load(options: UciHarOptions = {}) {
    checkLoadOptions('uciHar', options);
    const split = pickSplit('uciHar', this.splits, options.split);
    const { variant = 'signals' } = options;
    if (variant !== 'signals' && variant !== 'features') {
      throw new DatasetsError({
        code: 'INVALID_ARGUMENT',
        argument: 'variant',
        message: `uciHar: variant must be 'signals' or 'features', got ${JSON.stringify(variant)}`,
      });
    }
    const files = await openHar(await resolveSource('uciHar', source, options));
    try {
      const where = (relative: string) => `${files.label}/${relative}`;
      const read = async (relative: string) =>
        [await files.read(relative), where(relative)] as const;
      const classNames = parseNamedList(...(await read('activity_labels.txt')));
      const labels = parseIntegers(
        ...(await read(`${split}/y_${split}.txt`)),
        1,
        classNames.length,
      ).map((y) => y - 1);
      const subjects = parseIntegers(...(await read(`${split}/subject_${split}.txt`)), 1, 1000);
      const n = labels.length;
      const sameLength = (count: number, relative: string) => {
        if (count !== n) {
          throw new DatasetsError({
            code: 'MALFORMED_DATA',
            path: where(relative),
            message: `uciHar: expected ${n} rows in ${where(relative)} (as in y_${split}.txt), got ${count}`,
          });
        }
      };
      sameLength(subjects.length, `${split}/subject_${split}.txt`);
      let x: Float32Array;
      let shape: number[];
      let featureNames: string[];
      if (variant === 'features') {
        featureNames = parseNamedList(...(await read('features.txt')));
        const relative = `${split}/X_${split}.txt`;
        const rows = parseMatrix(await files.read(relative), featureNames.length, where(relative));
        sameLength(rows.length, relative);
        shape = [n, featureNames.length];
        x = new Float32Array(n * featureNames.length);
        for (const [i, row] of rows.entries()) x.set(row, i * featureNames.length);
      } else {
        featureNames = [...UCI_HAR_SIGNALS];
        const channels = UCI_HAR_SIGNALS.length;
        shape = [n, 128, channels];
        x = new Float32Array(n * 128 * channels);
        for (let c = 0; c < channels; c++) {
          const relative = `${split}/Inertial Signals/${UCI_HAR_SIGNALS[c]}_${split}.txt`;
          const rows = parseMatrix(await files.read(relative), 128, where(relative));
          sameLength(rows.length, relative);
          for (let w = 0; w < n; w++) {
            const row = rows[w];
            const base = w * 128 * channels + c;
            for (let t = 0; t < 128; t++) x[base + t * channels] = row[t];
          }
        }
      }
      const size = x.length / Math.max(n, 1);
      const records = labels.map((label, w) => ({
        features: x.subarray(w * size, (w + 1) * size),
        label,
        subject: subjects[w],
      }));
      return { split, variant, x, shape, labels, subjects, classNames, featureNames, records };
    } finally {
      files.close();
    }
  },
};
