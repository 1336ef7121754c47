import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatasetsError, type UciHarData, uciHar } from '@seqlearn/datasets';
import { sharedDataPath } from '@seqlearn/example-kit';
import { writeHarFixture } from './har-fixture';

/** Thrown when the UCI HAR signals cannot be read; its message says how to get them. */
export class HarDataMissingError extends Error {
  override name = 'HarDataMissingError';
}

/** The two official splits and where they came from. */
export interface HarSplits {
  train: UciHarData;
  test: UciHarData;
  /** `fixture (generated)`, a folder or zip path, or `download`. */
  source: string;
}

/** How to get the data: printed when it is missing. */
export function howToGetHar(where: string, reason: string): string {
  const [source] = uciHar.sources;
  return [
    `UCI HAR: cannot read the inertial signals at ${where}`,
    `  (${reason})`,
    '',
    'This example needs the official "Human Activity Recognition Using Smartphones" data:',
    `  ${source.url}`,
    `  (${uciHar.homepage})`,
    'Download and unzip it, then run with --data "<folder>/UCI HAR Dataset" (or --data on the zip),',
    'or run with --download to let @seqlearn/datasets fetch it into its cache,',
    'or run with --quick (or --fixture) to train on a generated fixture in the official format.',
  ].join('\n');
}

/**
 * Loads the train and test splits of the nine-signal variant: from a generated fixture (quick
 * mode), from `--data` or the shared datasets folder, or by download. A missing or partial copy
 * (the shared one lacks `Inertial Signals/`) becomes a {@link HarDataMissingError}.
 */
export async function loadHarSplits({
  fixture,
  data,
  download,
  seed,
  quick = false,
}: {
  fixture: boolean;
  /** Quick mode: a smaller fixture (120 train / 48 test windows instead of 600 / 300). */
  quick?: boolean;
  data?: string;
  download: boolean;
  seed: number;
}): Promise<HarSplits> {
  if (fixture) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'har-fixture-'));
    try {
      const sizes = quick ? { train: 120, test: 48 } : { train: 600, test: 300 };
      const folder = await writeHarFixture(dir, { sizes, seed, features: false });
      return {
        train: await uciHar.load({ path: folder, split: 'train' }),
        test: await uciHar.load({ path: folder, split: 'test' }),
        source: `fixture (generated in the official format: ${sizes.train} train / ${sizes.test} test windows)`,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const where = download ? undefined : sharedDataPath('uci-har', { data });
  try {
    return {
      train: await uciHar.load({ path: where, split: 'train' }),
      test: await uciHar.load({ path: where, split: 'test' }),
      source: where ?? 'download',
    };
  } catch (error) {
    if (
      DatasetsError.isInstance(error) &&
      (error.code === 'MISSING_FILE' || error.code === 'DOWNLOAD_FAILED')
    ) {
      throw new HarDataMissingError(howToGetHar(where ?? 'the download cache', error.message), {
        cause: error,
      });
    }
    throw error;
  }
}
