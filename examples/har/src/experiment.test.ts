import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { uciHar } from '@seqlearn/datasets';
import { describe, expect, it } from 'vitest';
import { runHar } from './experiment';
import { HarDataMissingError } from './har-data';
import { HAR_ACTIVITIES, writeHarFixture } from './har-fixture';
import { type HarSetting, parseHarArgs } from './options';

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), name));

describe('writeHarFixture', () => {
  it('writes files that the uciHar adapter reads in both variants', async () => {
    const dir = tmp('har-fixture-');
    const folder = await writeHarFixture(dir, { sizes: { train: 12, test: 6 } });
    const train = await uciHar.load({ path: folder, split: 'train' });
    expect(train.shape).toEqual([12, 128, 9]);
    expect(train.classNames).toEqual([...HAR_ACTIVITIES]);
    expect(new Set(train.labels).size).toBe(6);
    const features = await uciHar.load({ path: folder, split: 'test', variant: 'features' });
    expect(features.shape).toEqual([6, 561]);
    const line = fs
      .readFileSync(
        path.join(folder, 'train', 'Inertial Signals', 'body_acc_x_train.txt'),
        'latin1',
      )
      .split('\r\n')[0];
    expect(line).toMatch(/^( {1,2}-?\d\.\d{7}e[+-]\d{3}){128}$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('har example', () => {
  it('runs the quick sweep on the fixture and writes histories, metrics, confusion matrices and results', async () => {
    const out = tmp('har-example-');
    const options = parseHarArgs(['--quick', '--quiet', '--out', out]);
    if (options === 'help') throw new Error('unexpected help');
    const lines: string[] = [];
    const results = await runHar(options, (l) => lines.push(l));

    expect(results.source).toMatch(/^fixture/);
    expect(results.runs.map((r) => r.runId)).toEqual([
      'simplernn8',
      'lstm8',
      'gru8',
      'conv1d-16x5',
      'lstm8-batch16',
      'lstm8-epochs4',
    ]);
    expect(results.repeats).toHaveLength(1);
    // The sweep varies the batch size and the epochs: each run keeps its own.
    const byId = Object.fromEntries(results.runs.map((r) => [r.runId, r.setting as HarSetting]));
    expect([byId['lstm8-batch16'].batchSize, byId['lstm8-epochs4'].epochs]).toEqual([16, 4]);
    for (const run of [...results.runs, ...results.repeats]) {
      const dir = path.join(out, run.runId);
      const setting = run.setting as HarSetting;
      const history = read(path.join(dir, 'history.json'));
      for (const k of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
        expect(history[k]).toHaveLength(setting.epochs);
      }
      const config = read(path.join(dir, 'config.json'));
      expect(config.batchSize).toBe(setting.batchSize);
      const metrics = read(path.join(dir, 'metrics.json'));
      for (const k of ['train_accuracy', 'val_accuracy', 'test_accuracy']) {
        expect(metrics[k]).toBeGreaterThanOrEqual(0);
        expect(metrics[k]).toBeLessThanOrEqual(1);
      }
      expect(metrics.params).toBeGreaterThan(0);
      const extra = read(path.join(dir, 'extra.json'));
      expect(extra.gradientSteps).toBe(
        setting.epochs * Math.ceil(extra.trainWindows / setting.batchSize),
      );
      const cm = read(path.join(dir, 'confusion-matrix.json'));
      expect(cm.labels).toEqual([...HAR_ACTIVITIES]);
      expect(cm.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(48);
    }
    // Train accuracy is summarized over the repeats next to test accuracy.
    const best = results.repeats.map((r) => r.metrics.train_accuracy);
    expect(results.summary.train_accuracy.n).toBe(1);
    expect(results.summary.train_accuracy.mean).toBeCloseTo(best[0], 10);
    expect(Object.keys(results.summary).slice(0, 3)).toEqual([
      'val_accuracy',
      'train_accuracy',
      'test_accuracy',
    ]);
    const md = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
    expect(md).toContain('| conv1d-16x5 |');
    expect(md).toContain('| train_accuracy |');
    expect(md).toContain('## Batch size and epochs');
    expect(md).toMatch(/\| lstm8-batch16 \| 16 \| 2 \| \d+ \|/);
    expect(md).toMatch(/over 1 repeats: train accuracy [\d.]+ ± - %, test accuracy [\d.]+ ± - %/);
    expect(md).toContain('## Learning curves');
    expect(md).toContain('## Confusion matrix of');
    expect(md).toContain('WALKING_DOWNSTAIRS');
    expect(lines.join('\n')).toContain('confusion matrix of');
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('says where to get the data when the signals are missing', async () => {
    const empty = tmp('har-empty-');
    const options = parseHarArgs(['--data', empty, '--quiet', '--out', path.join(empty, 'out')]);
    if (options === 'help') throw new Error('unexpected help');
    const error = await runHar(options, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarDataMissingError);
    expect((error as Error).message).toContain(uciHar.sources[0].url);
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it('rejects --download together with --data', () => {
    expect(() => parseHarArgs(['--download', '--data', 'x'])).toThrow(/--download/);
  });
});
