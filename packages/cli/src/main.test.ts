import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from './main';
import { sink } from './test-io';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(packageDir, 'bin', 'seqlearn.js');

/** Runs the built `seqlearn` command through its committed shim, as npm's link would. */
function seqlearn(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
});

describe('the seqlearn bin', () => {
  it('prints the usage listing every command with --help and exits 0', async () => {
    const { code, stdout, stderr } = await seqlearn(['--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^usage: seqlearn <command>/);
    for (const command of ['sweep', 'report', 'datasets list', 'datasets download', 'bench']) {
      expect(stdout).toContain(`  ${command}`);
    }
  });

  it('exits 2 with the usage on stderr for an unknown command', async () => {
    const { code, stdout, stderr } = await seqlearn(['trian']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^seqlearn: unknown command "trian"; expected one of sweep, report, datasets, bench\nusage: seqlearn/,
    );
  });

  it('runs sweep through sweepCli of @seqlearn/sweep', async () => {
    const help = await seqlearn(['sweep', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^usage: seqlearn-sweep run <sweep module> --settings <file\.json>/,
    );
    const missing = await seqlearn(['sweep', 'run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('usage: seqlearn-sweep');
  });

  it('exits 2 without a command', async () => {
    const { code, stderr } = await seqlearn([]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^usage: seqlearn/);
  });
});

describe('main', () => {
  it('prints the version of the package', async () => {
    const stdout = sink();
    expect(await main(['--version'], { stdout, stderr: sink() })).toBe(0);
    const pkg = JSON.parse(await fs.readFile(path.join(packageDir, 'package.json'), 'utf8'));
    expect(stdout.text()).toBe(`${pkg.version}\n`);
  });

  it('exits 2 for an unknown option before the command', async () => {
    const stderr = sink();
    expect(await main(['--verbose', 'bench'], { stdout: sink(), stderr })).toBe(2);
    expect(stderr.text()).toMatch(/^seqlearn: unknown option --verbose/);
  });

  it('exits 2 naming the command and its --help for an unknown flag of a command', async () => {
    for (const argv of [
      ['datasets', 'list', '--csv'],
      ['datasets', 'download', 'imdb', '--directory', 'x'],
      ['datasets', 'fetch'],
      ['bench', '--batch', '3'],
    ]) {
      const stderr = sink();
      const stdout = sink();
      expect(await main(argv, { stdout, stderr })).toBe(2);
      expect(stdout.text()).toBe('');
      expect(stderr.text()).toMatch(
        new RegExp(
          `^seqlearn ${argv[0]}: .*\\nrun seqlearn ${argv[0]} --help for its options\\n$`,
          's',
        ),
      );
    }
  });

  it('runs report through reportCli of @seqlearn/report, named seqlearn report', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seqlearn-cli-report-'));
    temps.push(dir);
    // One run's files, as the example kit writes them.
    await fs.writeFile(
      path.join(dir, 'history.json'),
      JSON.stringify({ loss: [1.2, 0.9, 0.7], accuracy: [0.4, 0.6, 0.7] }),
    );
    await fs.writeFile(path.join(dir, 'metrics.json'), JSON.stringify({ accuracy: 0.7 }));
    const out = path.join(dir, 'out');
    const stdout = sink();
    const stderr = sink();
    expect(await main(['report', dir, '--out', out], { stdout, stderr })).toBe(0);
    expect(stderr.text()).toBe('');
    expect(stdout.text()).toBe(`${path.join(out, 'report.html')}\n`);
    expect((await fs.readFile(path.join(out, 'report.html'), 'utf8')).length).toBeGreaterThan(1000);

    const help = sink();
    expect(await main(['report', '--help'], { stdout: help, stderr })).toBe(0);
    expect(help.text()).toMatch(/^usage: seqlearn report <run folder>/);
    const usageError = sink();
    expect(await main(['report'], { stdout, stderr: usageError })).toBe(2);
    expect(usageError.text()).toMatch(/^seqlearn report: expected one run folder, got none/);
  });
});
