import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sweepCli } from './cli';

const fixture = fileURLToPath(new URL('./__fixtures__/arith-sweep.mjs', import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((line) => {
    out.push(`${line}\n`);
  });
  return { out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sweepCli', () => {
  it('prints the usage with --help and exits 0', async () => {
    const { out } = capture();
    expect(await sweepCli(['--help'])).toBe(0);
    expect(out.join('')).toContain('usage: seqlearn-sweep run <sweep module>');
  });

  it('exits 2 with a message on a usage error', async () => {
    const { err } = capture();
    expect(await sweepCli([])).toBe(2);
    expect(await sweepCli(['run', fixture])).toBe(2);
    expect(err.join('')).toContain('--settings <file.json> is required');
    expect(await sweepCli(['worker'])).toBe(2);
    expect(err.join('')).toContain('--queue redis://host:port is required');
    expect(await sweepCli(['run', fixture, '--settings', 'x.json', '--workers', '0'])).toBe(2);
    expect(await sweepCli(['run', fixture, '--settings', 'x.json', '--concurrency', '2'])).toBe(2);
    expect(await sweepCli(['launch'])).toBe(2);
  });

  it('runs a sweep module over a settings file with worker processes and the module defaults', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlearn-sweep-cli-'));
    const settings = path.join(dir, 'settings.json');
    fs.writeFileSync(
      settings,
      JSON.stringify([
        { id: 'a', units: 10 },
        { id: 'b', units: 30 },
      ]),
    );
    const out = path.join(dir, 'out');
    const { out: stdout } = capture();
    const code = await sweepCli([
      'run',
      fixture,
      '--settings',
      settings,
      '--out',
      out,
      '--workers',
      '2',
      '--repeats',
      '1',
      '--seed',
      '4',
    ]);
    expect(code).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    // metric, finalOnly and title come from the module's exports
    expect(results).toMatchObject({
      title: 'arithmetic',
      metric: 'val_score',
      testOnlyInFinal: true,
    });
    expect(results.best.id).toBe('b');
    expect(results.repeats.map((r: { runId: string }) => r.runId)).toEqual(['b-seed5']);
    expect(stdout.join('')).toContain('[3/3] b-seed5');
    expect(stdout.join('')).toContain(path.join(out, 'results.md'));
  });

  it('exits 1 and names the code when the module has no run function', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlearn-sweep-cli-'));
    fs.writeFileSync(path.join(dir, 's.json'), '[{"id":"a"}]');
    const { err } = capture();
    const noRun = fileURLToPath(new URL('./__fixtures__/no-run.mjs', import.meta.url));
    expect(await sweepCli(['run', noRun, '--settings', path.join(dir, 's.json')])).toBe(1);
    expect(err.join('')).toContain('INVALID_MODULE');
  });
});
