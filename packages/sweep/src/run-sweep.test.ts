import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { threadsPerRun } from './kernel-threads';
import { runSweep } from './run-sweep';
import { loadSweepModule } from './sweep-module';
import type { RunOutcome } from './types';

const fixture = fileURLToPath(new URL('./__fixtures__/arith-sweep.mjs', import.meta.url));

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'seqlearn-sweep-'));
}
const quiet = () => {};
const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('runSweep', () => {
  it('runs every setting, repeats the best with new seeds and writes every file', async () => {
    const out = tmp();
    const calls: string[] = [];
    const results = await runSweep({
      title: 'toy',
      settings: [
        { id: 'small', units: 8 },
        { id: 'large', units: 32 },
      ],
      metric: 'accuracy',
      out,
      seed: 7,
      log: quiet,
      run: async (s, { seed, runId }) => {
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
      for (const f of ['history.json', 'metrics.json', 'run.json']) {
        expect(fs.existsSync(path.join(out, id, f))).toBe(true);
      }
      expect(read(path.join(out, id, 'config.json')).seed).toBe(
        id === 'small' || id === 'large' ? 7 : Number(id.split('seed')[1]),
      );
    }
    expect(read(path.join(out, 'results.json'))).toEqual(JSON.parse(JSON.stringify(results)));
    const md = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
    expect(md).toContain('| large | 0.8070 | 2 |');
    expect(md).toContain('Best by accuracy: `large`');
    const leftovers = fs
      .readdirSync(out, { recursive: true })
      .filter((f) => String(f).endsWith('.tmp'));
    expect(leftovers).toEqual([]);
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
      log: quiet,
      run: async (s) => ({ metrics: { mse: s.v }, history: {}, seconds: 0 }),
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
      log: quiet,
      run: async (_s, { seed }) => ({
        metrics: { accuracy: 0.5 + seed / 100, unseenAccuracy: seed === 2 ? Number.NaN : 0.4 },
        history: {},
        seconds: 0,
      }),
    });
    expect(Object.keys(results.summary)).toEqual(['accuracy']);
  });

  it('prints runs done of the total with an ETA through the log sink', async () => {
    const lines: string[] = [];
    await runSweep({
      title: 'toy',
      settings: [{ id: 'a' }, { id: 'b' }],
      metric: 'm',
      repeats: 1,
      out: tmp(),
      seed: 1,
      log: (line) => lines.push(line),
      run: async () => ({ metrics: { m: 1 }, history: {}, seconds: 0 }),
    });
    const progress = lines.filter((l) => l.startsWith('['));
    expect(progress.map((l) => l.split(' ')[0])).toEqual(['[1/3]', '[2/3]', '[3/3]']);
    expect(progress[0]).toMatch(/^\[1\/3\] a m 1\.0000 \(\d+\.\d s\); ETA \d+ s$/);
    expect(progress[2]).toMatch(/; done$/);
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
      log: quiet,
      run: async (s, { seed, runId, phase }) => {
        phases.push(`${runId}:${phase}`);
        const val = s.v + seed / 1000;
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
    expect(results.summary.test_accuracy.n).toBe(2);
    expect(read(path.join(out, 'b-seed11', 'config.json'))).toMatchObject({
      id: 'b',
      seed: 11,
      phase: 'final',
    });
    const md = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
    const [selection, chosen] = md.split('## Chosen setting');
    expect(selection).toContain('## Selection (validation data)');
    expect(selection).not.toContain('test_accuracy');
    expect(chosen).toContain('| setting | val_accuracy | test_accuracy |');
    expect(chosen).toContain('| b-seed11 | 0.7110 | 0.6610 |');
  });

  it('with finalOnly, refuses a test metric in a selection run or as the selection metric', async () => {
    const base = {
      title: 'toy',
      settings: [{ id: 'a' }],
      finalOnly: /^test_/,
      seed: 1,
      log: quiet,
    };
    await expect(
      runSweep({
        ...base,
        out: tmp(),
        metric: 'val_accuracy',
        run: async () => ({
          metrics: { val_accuracy: 0.5, test_accuracy: 0.5 },
          history: {},
          seconds: 0,
        }),
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'TEST_METRIC_IN_SELECTION', runId: 'a' }));
    await expect(
      runSweep({
        ...base,
        out: tmp(),
        metric: 'test_accuracy',
        run: async () => ({ metrics: {}, history: {}, seconds: 0 }),
      }),
    ).rejects.toThrow(
      expect.objectContaining({ code: 'TEST_METRIC_IN_SELECTION', argument: 'metric' }),
    );
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
      log: quiet,
      run: async () => ({ metrics: { val_loss: 1 }, history: {}, seconds: 0 }),
    });
    expect(fs.readFileSync(path.join(out, 'results.md'), 'utf8')).toContain('no test figures');
  });

  it('rejects repeated setting ids, both or neither of run and module, and workers > 1 with run', async () => {
    const run = async () => ({ metrics: {}, history: {}, seconds: 0 });
    const base = { title: 'toy', metric: 'x', out: tmp(), seed: 1, log: quiet };
    await expect(runSweep({ ...base, settings: [{ id: 'a' }, { id: 'a' }], run })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_SETTINGS' }),
    );
    await expect(runSweep({ ...base, settings: [{ id: 'a' }] })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'run' }),
    );
    await expect(
      runSweep({ ...base, settings: [{ id: 'a' }], run, module: fixture }),
    ).rejects.toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'run' }));
    await expect(runSweep({ ...base, settings: [{ id: 'a' }], run, workers: 2 })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'workers' }),
    );
  });
});

describe('runSweep with resume', () => {
  const settings = [
    { id: 'a', v: 1 },
    { id: 'b', v: 3 },
    { id: 'c', v: 2 },
  ];
  const outcome = (v: number, seed: number): RunOutcome => ({
    metrics: { score: v + seed / 100, odd: seed % 2 ? Number.NaN : 1 },
    history: { loss: [v] },
    seconds: 0,
  });

  it('after a crash, runs only the runs not finished, and ends as an uninterrupted sweep', async () => {
    const out = tmp();
    const calls: string[] = [];
    const options = {
      title: 'toy',
      settings,
      metric: 'score',
      out,
      seed: 5,
      repeats: 2,
      log: quiet,
    };
    await expect(
      runSweep({
        ...options,
        run: async (s, { seed, runId }) => {
          if (calls.length === 3) throw new Error('simulated crash in the 4th run');
          calls.push(runId);
          return outcome(s.v, seed);
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(
      read(path.join(out, 'results.json')).runs.map((r: { runId: string }) => r.runId),
    ).toEqual(['a', 'b', 'c']);

    const again: string[] = [];
    const lines: string[] = [];
    const resumed = await runSweep({
      ...options,
      resume: true,
      log: (l) => lines.push(l),
      run: async (s, { seed, runId }) => {
        again.push(runId);
        return outcome(s.v, seed);
      },
    });
    // the three selection runs are kept, never redone; only the two final runs run
    expect(again).toEqual(['b-seed6', 'b-seed7']);
    expect(lines.filter((l) => l.includes('finished earlier, kept'))).toHaveLength(3);

    const fresh = tmp();
    const whole = await runSweep({
      ...options,
      out: fresh,
      run: async (s, { seed }) => outcome(s.v, seed),
    });
    expect(resumed).toEqual(whole);
    // NaN came back from run.json as NaN, not null
    expect(Number.isNaN(resumed.runs[0].metrics.odd)).toBe(true);
    expect(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(fresh, 'results.json'), 'utf8'),
    );
  });

  it('refuses to keep a finished run of another setting under the same id', async () => {
    const out = tmp();
    const run = async (s: { v: number }, { seed }: { seed: number }) => outcome(s.v, seed);
    const base = { title: 'toy', metric: 'score', out, seed: 5, repeats: 0, log: quiet, run };
    await runSweep({ ...base, settings: [{ id: 'a', v: 1 }] });
    await expect(
      runSweep({ ...base, settings: [{ id: 'a', v: 2 }], resume: true }),
    ).rejects.toThrow(expect.objectContaining({ code: 'RESUME_MISMATCH', runId: 'a' }));
  });
});

describe('runSweep with worker processes', () => {
  const settings = [
    { id: 's1', units: 10 },
    { id: 's2', units: 40 },
    { id: 's3', units: 30 },
    { id: 's4', units: 20 },
  ];
  const base = {
    title: 'arithmetic',
    settings,
    metric: 'val_score',
    finalOnly: /^test_/,
    seed: 3,
    repeats: 2,
    log: quiet,
  };

  it('gives a run with no other run left beside it the whole machine: a lone final run gets every core', async () => {
    const dir = tmp();
    process.env.SWEEP_TEST_DIR = dir;
    try {
      const out = tmp();
      await runSweep({ ...base, repeats: 1, module: fixture, workers: 2, out });
      const starts = fs.readdirSync(dir).filter((f) => f.endsWith('.start'));
      const final = starts.filter((f) => f.includes('-seed'));
      expect(final).toHaveLength(1);
      expect(fs.readFileSync(path.join(dir, final[0]), 'utf8')).toBe(String(threadsPerRun(1)));
    } finally {
      delete process.env.SWEEP_TEST_DIR;
    }
  });

  it('gives the same results.json with 2 workers, 1 worker and in this process', async () => {
    const dir = tmp();
    process.env.SWEEP_TEST_DIR = dir;
    try {
      const pool = tmp();
      const one = tmp();
      const inline = tmp();
      await runSweep({ ...base, module: fixture, workers: 2, out: pool });
      const poolThreads = fs.readdirSync(dir).filter((f) => f.endsWith('.start'));
      expect(poolThreads).toHaveLength(6);
      // each run got floor(cores / workers) kernel threads, in its own process; a run that
      // starts with nothing left to run beside it (the last of a phase, when the other worker
      // has just finished) may get floor(cores / 1)
      const threadsOf = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
      for (const f of poolThreads) {
        expect([String(threadsPerRun(2)), String(threadsPerRun(1))]).toContain(threadsOf(f));
      }
      for (const first of ['s1.', 's2.']) {
        const f = poolThreads.find((name) => name.startsWith(first)) as string;
        expect(threadsOf(f)).toBe(String(threadsPerRun(2)));
      }
      expect(new Set(poolThreads.map((f) => f.split('.')[1])).size).toBe(6);
      await runSweep({ ...base, module: fixture, workers: 1, out: one });
      const { run } = await loadSweepModule<(typeof settings)[number]>(fixture);
      await runSweep({ ...base, run, out: inline });
      const text = (d: string) => fs.readFileSync(path.join(d, 'results.json'), 'utf8');
      expect(text(pool)).toBe(text(inline));
      expect(text(one)).toBe(text(inline));
      expect(read(path.join(pool, 'results.json')).best.id).toBe('s2');
    } finally {
      delete process.env.SWEEP_TEST_DIR;
    }
  });

  it('reports a worker that dies as RUN_FAILED, keeps the other runs, and resumes', async () => {
    const out = tmp();
    const dying = [
      { id: 'ok1', units: 10 },
      { id: 'dies', units: 50, exitCode: 3 },
      { id: 'ok2', units: 20 },
    ];
    // one worker: ok1 runs, then 'dies' kills its process, and ok2 never starts
    await expect(
      runSweep({ ...base, settings: dying, module: fixture, workers: 1, out }),
    ).rejects.toThrow(expect.objectContaining({ code: 'RUN_FAILED', runId: 'dies' }));
    expect(fs.existsSync(path.join(out, 'ok1', 'run.json'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'dies', 'run.json'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'ok2'))).toBe(false);

    const dir = tmp();
    process.env.SWEEP_TEST_DIR = dir;
    try {
      const fixed = dying.map(({ exitCode: _, ...s }) => s);
      const lines: string[] = [];
      // the setting changed (no exitCode), so 'dies' is not finished and nothing else differs
      const results = await runSweep({
        ...base,
        settings: fixed,
        module: fixture,
        workers: 2,
        out,
        resume: true,
        log: (l) => lines.push(l),
      });
      const ran = fs.readdirSync(dir).filter((f) => f.endsWith('.done'));
      expect(ran.sort()).toEqual(['dies-seed4.done', 'dies-seed5.done', 'dies.done', 'ok2.done']);
      expect(results.best.id).toBe('dies');
      expect(lines.some((l) => l.includes('ok1: finished earlier, kept'))).toBe(true);
    } finally {
      delete process.env.SWEEP_TEST_DIR;
    }
  });

  it('rejects a module without a run function', async () => {
    await expect(
      runSweep({
        ...base,
        module: fileURLToPath(new URL('./__fixtures__/no-run.mjs', import.meta.url)),
        workers: 1,
        out: tmp(),
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'RUN_FAILED', runId: 's1' }));
  });
});
