import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings, runSweep } from './sweep';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kit-sweep-'));
}

describe('runSweep', () => {
  it('runs every setting, repeats the best with new seeds and writes every file', async () => {
    const out = tmp();
    const settings = [
      { id: 'small', units: 8 },
      { id: 'large', units: 32 },
    ];
    const calls: string[] = [];
    const logged: string[] = [];
    const results = await runSweep({
      title: 'toy',
      settings,
      metric: 'accuracy',
      out,
      seed: 7,
      log: (line) => logged.push(line),
      run: async (s, seed, runId) => {
        calls.push(runId);
        const accuracy = s.units / 40 + seed / 1000;
        return { metrics: { accuracy }, history: { loss: [1, 0.5] }, seconds: 0.1 };
      },
    });
    expect(calls).toEqual(['small', 'large', 'large-seed8', 'large-seed9', 'large-seed10']);
    expect(results.best.id).toBe('large');
    expect(results.summary.accuracy.n).toBe(3);
    expect(results.summary.accuracy.mean).toBeCloseTo(0.8 + 0.009, 10);
    for (const id of calls) {
      expect(fs.existsSync(path.join(out, id, 'history.json'))).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(out, id, 'config.json'), 'utf8')).seed).toBe(
        id === 'small' || id === 'large' ? 7 : Number(id.split('seed')[1]),
      );
    }
    const md = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
    expect(md).toContain('| large | 0.8070 | 2 |');
    expect(md).toContain('Best by accuracy: `large`');
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // the report of the whole sweep, its path printed last
    const html = path.join(out, 'report.html');
    expect(logged.at(-1)).toBe(`report: ${html}`);
    expect(fs.readFileSync(html, 'utf8')).toContain('large-seed10');
    expect(fs.readdirSync(path.join(out, 'charts')).some((f) => f.endsWith('.svg'))).toBe(true);
  });

  it('picks the lowest value when minimize is set', async () => {
    const results = await runSweep({
      title: 'toy',
      settings: [
        { id: 'a', v: 2 },
        { id: 'b', v: 1 },
      ],
      metric: 'mse',
      minimize: true,
      repeats: 0,
      out: tmp(),
      seed: 1,
      log: () => {},
      run: async (s) => ({ metrics: { mse: s.v as number }, history: {}, seconds: 0 }),
    });
    expect(results.best.id).toBe('b');
  });

  it('leaves out of the summary a metric that is NaN on some repeat', async () => {
    const results = await runSweep({
      title: 'toy',
      settings: [{ id: 'a' }],
      metric: 'accuracy',
      repeats: 2,
      out: tmp(),
      seed: 1,
      log: () => {},
      run: async (_s, seed) => ({
        metrics: { accuracy: 0.5 + seed / 100, unseenAccuracy: seed === 2 ? Number.NaN : 0.4 },
        history: {},
        seconds: 0,
      }),
    });
    expect(Object.keys(results.summary)).toEqual(['accuracy']);
  });

  it('with finalOnly, chooses on validation and computes test figures in the final runs only', async () => {
    const out = tmp();
    const phases: string[] = [];
    const results = await runSweep({
      title: 'toy',
      settings: [
        { id: 'a', v: 0.6 },
        { id: 'b', v: 0.7 },
      ],
      metric: 'val_accuracy',
      finalOnly: /^test_/,
      finalColumns: ['val_accuracy', 'test_accuracy'],
      repeats: 2,
      out,
      seed: 10,
      log: () => {},
      run: async (s, seed, runId, { phase }) => {
        phases.push(`${runId}:${phase}`);
        const val = (s.v as number) + seed / 1000;
        return {
          metrics: {
            val_accuracy: val,
            ...(phase === 'final' ? { test_accuracy: val - 0.05 } : {}),
          },
          history: { loss: [1] },
          seconds: 0,
        };
      },
    });
    expect(phases).toEqual(['a:selection', 'b:selection', 'b-seed11:final', 'b-seed12:final']);
    expect(results.best.id).toBe('b');
    expect(results.testOnlyInFinal).toBe(true);
    expect(
      results.runs.every((r) => r.phase === 'selection' && !('test_accuracy' in r.metrics)),
    ).toBe(true);
    expect(results.repeats.map((r) => r.phase)).toEqual(['final', 'final']);
    expect(results.summary.test_accuracy.n).toBe(2);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'b-seed11', 'config.json'), 'utf8'));
    expect(config).toMatchObject({ id: 'b', seed: 11, phase: 'final' });
    const md = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
    expect(md).toContain('## Selection (validation data)');
    expect(md).toContain('No test figures are computed for these runs.');
    expect(md).toContain('## Chosen setting: `b` (by val_accuracy), on the test data');
    // The selection table has no test column; the final runs' table has one.
    const [selection, chosen] = md.split('## Chosen setting');
    expect(selection).not.toContain('test_accuracy');
    expect(chosen).toContain('| setting | val_accuracy | test_accuracy |');
    expect(chosen).toContain('| b-seed11 | 0.7110 | 0.6610 |');
  });

  it('with finalOnly, refuses a test metric in a selection run or as the selection metric', async () => {
    const base = {
      title: 'toy',
      settings: [{ id: 'a' }],
      finalOnly: /^test_/,
      out: tmp(),
      seed: 1,
      log: () => {},
    };
    await expect(
      runSweep({
        ...base,
        metric: 'val_accuracy',
        run: async () => ({
          metrics: { val_accuracy: 0.5, test_accuracy: 0.5 },
          history: {},
          seconds: 0,
        }),
      }),
    ).rejects.toThrow(/reported test_accuracy/);
    await expect(
      runSweep({
        ...base,
        metric: 'test_accuracy',
        run: async () => ({ metrics: {}, history: {}, seconds: 0 }),
      }),
    ).rejects.toThrow(/validation metric/);
  });

  it('says so when a finalOnly sweep has no final runs', async () => {
    const out = tmp();
    await runSweep({
      title: 'toy',
      settings: [{ id: 'a' }],
      metric: 'val_loss',
      minimize: true,
      finalOnly: /^test_/,
      repeats: 0,
      out,
      seed: 1,
      log: () => {},
      run: async () => ({ metrics: { val_loss: 1 }, history: {}, seconds: 0 }),
    });
    expect(fs.readFileSync(path.join(out, 'results.md'), 'utf8')).toContain('no test figures');
  });

  it('rejects repeated setting ids', async () => {
    await expect(
      runSweep({
        title: 'toy',
        settings: [{ id: 'a' }, { id: 'a' }],
        metric: 'x',
        out: tmp(),
        seed: 1,
        run: async () => ({ metrics: {}, history: {}, seconds: 0 }),
      }),
    ).rejects.toThrow(/repeated/);
  });
});

describe('readSettings', () => {
  it('reads a JSON array of settings and rejects one without ids', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'ok.json'), '[{"id":"a","units":4}]');
    fs.writeFileSync(path.join(dir, 'bad.json'), '[{"units":4}]');
    expect(await readSettings(path.join(dir, 'ok.json'))).toEqual([{ id: 'a', units: 4 }]);
    await expect(readSettings(path.join(dir, 'bad.json'))).rejects.toThrow(/"id"/);
  });
});
