import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDatasets } from './__fixtures__/shared-datasets';
import { tempDir } from './__fixtures__/temp-dir';
import { formatHarValue, makeHarFixture, writeHarFolder } from './__fixtures__/uci-har';
import { writeZip } from './__fixtures__/write-zip';
import { describeAdapterConformance } from './testing/index';
import { UCI_HAR_SIGNALS, uciHar } from './uci-har';

const tmp = tempDir('uci-har');
const fixture = makeHarFixture({ train: 6, test: 4 });
const folder = writeHarFolder(tmp.dir, fixture.files);
const zipped = (name: string, files: Record<string, string>) => {
  const entries = Object.fromEntries(
    Object.entries(files).map(([relative, content]) => [`UCI HAR Dataset/${relative}`, content]),
  );
  const path = join(tmp.dir, name);
  writeZip(path, entries);
  return path;
};
const zip = zipped('UCI HAR Dataset.zip', fixture.files);
const outer = join(tmp.dir, 'human+activity+recognition+using+smartphones.zip');
writeZip(outer, { 'UCI HAR Dataset.zip': readFileSync(zip), 'UCI HAR Dataset.names': 'notes' });
const real = join(sharedDatasets, 'uci-har', 'UCI HAR Dataset');

/** What the reader must return: the written decimal strings, rounded to float32. */
const written = (value: number) => Math.fround(Number(formatHarValue(value)));

describeAdapterConformance(uciHar, { options: { path: folder }, splits: { train: 6, test: 4 } });
describeAdapterConformance(uciHar, {
  options: { path: zip, variant: 'features' },
  splits: { train: 6, test: 4 },
});

describe('formatHarValue (fixture writer)', () => {
  it('writes %.7e with a 3-digit exponent in 16 characters, like the official files', () => {
    expect(formatHarValue(0.28858451)).toBe('  2.8858451e-001');
    expect(formatHarValue(-0.020294171)).toBe(' -2.0294171e-002');
    expect(formatHarValue(1.808515e-4)).toBe('  1.8085150e-004');
    expect(formatHarValue(1.5)).toBe('  1.5000000e+000');
  });
});

describe('uciHar', () => {
  it('reads the nine inertial signals as [windows, 128, 9] in UCI_HAR_SIGNALS order', async () => {
    const data = await uciHar.load({ path: folder, split: 'train' });
    expect(data.variant).toBe('signals');
    expect(data.shape).toEqual([6, 128, 9]);
    expect(data.x).toHaveLength(6 * 128 * 9);
    expect(data.featureNames).toEqual(UCI_HAR_SIGNALS);
    const expected = fixture.signals.train;
    for (const [w, t, c] of [
      [0, 0, 0],
      [0, 127, 8],
      [3, 64, 4],
      [5, 1, 2],
    ]) {
      expect(data.x[(w * 128 + t) * 9 + c]).toBe(written(expected[w][t][c]));
    }
    expect(data.records[3].features[64 * 9 + 4]).toBe(written(expected[3][64][4]));
  });

  it('gives labels 0-5, activity names and subject ids in file order', async () => {
    const data = await uciHar.load({ path: folder, split: 'test' });
    expect(data.labels).toEqual(fixture.labels.test);
    expect(data.subjects).toEqual(fixture.subjects.test);
    expect(data.classNames).toEqual([
      'WALKING',
      'WALKING_UPSTAIRS',
      'WALKING_DOWNSTAIRS',
      'SITTING',
      'STANDING',
      'LAYING',
    ]);
    expect(data.records.map((r) => r.label)).toEqual(fixture.labels.test);
  });

  it('reads the 561-feature variant as [windows, 561] with the feature names', async () => {
    const data = await uciHar.load({ path: folder, split: 'train', variant: 'features' });
    expect(data.shape).toEqual([6, 561]);
    expect(data.featureNames).toHaveLength(561);
    expect(data.featureNames[0]).toBe('f1-mean()-X');
    expect(data.x[2 * 561 + 560]).toBe(written(fixture.features.train[2][560]));
  });

  it('reads the same data from the folder holding "UCI HAR Dataset", the zip and the UCI outer zip', async () => {
    const fromFolder = await uciHar.load({ path: folder, split: 'test' });
    for (const path of [tmp.dir, zip, outer]) {
      const data = await uciHar.load({ path, split: 'test' });
      expect(data.x).toEqual(fromFolder.x);
      expect(data.labels).toEqual(fromFolder.labels);
    }
  });

  it('throws MALFORMED_DATA with file and line for a ragged signal row', async () => {
    const files = { ...fixture.files };
    const key = 'train/Inertial Signals/body_gyro_y_train.txt';
    const lines = files[key].split('\r\n');
    lines[2] = lines[2].slice(0, -16); // 127 values
    files[key] = lines.join('\r\n');
    const path = zipped('ragged.zip', files);
    await expect(uciHar.load({ path, split: 'train' })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA', line: 3, path: `${path}/${key}` }),
    );
  });

  it('throws MALFORMED_DATA for an unknown activity id', async () => {
    const files = { ...fixture.files, 'test/y_test.txt': '1\n7\n2\n3\n' };
    const path = zipped('unknown-label.zip', files);
    await expect(uciHar.load({ path, split: 'test' })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA', line: 2 }),
    );
  });

  it('throws MALFORMED_DATA when a signal file has fewer windows than y', async () => {
    const files = { ...fixture.files, 'test/subject_test.txt': '1\n2\n' };
    const path = zipped('short.zip', files);
    await expect(uciHar.load({ path, split: 'test' })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA' }),
    );
  });

  it('throws MALFORMED_DATA for a file that is not a zip', async () => {
    const path = tmp.write('not-a-zip.zip', 'hello');
    await expect(uciHar.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA' }),
    );
  });

  it('throws INVALID_ARGUMENT for an unknown variant', async () => {
    await expect(
      uciHar.load({ path: folder, variant: 'raw' as unknown as 'signals' }),
    ).rejects.toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'variant' }));
  });
});

describe.skipIf(!existsSync(real))('uciHar on shared/datasets (skipped: folder absent)', () => {
  it('reports the Inertial Signals files that the partial copy lacks as MISSING_FILE', async () => {
    await expect(uciHar.load({ path: real, split: 'test' })).rejects.toThrow(
      expect.objectContaining({
        code: 'MISSING_FILE',
        path: join(real, 'test', 'Inertial Signals', 'total_acc_x_test.txt'),
      }),
    );
  });
});
