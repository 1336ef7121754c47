import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { reportCli } from './cli';

const fixtures = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));

/** Runs `seqlearn-report` from source (through tsx) as a user would run the built command. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', bin, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seqlearn-report-cli-'));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
});

describe('seqlearn-report', () => {
  it('writes the report and prints the path of report.html', async () => {
    const out = await tempDir();
    const { code, stdout, stderr } = await cli([path.join(fixtures, 'har-quick'), '--out', out]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(`${path.join(out, 'report.html')}\n`);
    expect((await fs.readdir(path.join(out, 'charts'))).length).toBe(14);
  });

  it('exits 1 with the file named when a file is malformed', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'results.json'), '{"title": ');
    const { code, stdout, stderr } = await cli([dir]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `^seqlearn-report: ${path.join(dir, 'results.json')}: expected JSON.*\\[INVALID_JSON\\]\\n$`,
      ),
    );
  });

  it('exits 1 for a folder that does not exist', async () => {
    const { code, stderr } = await cli(['/nonexistent/run']);
    expect(code).toBe(1);
    expect(stderr).toContain('[NOT_FOUND]');
  });

  it('exits 2 with the usage for a missing folder argument or an unknown flag', async () => {
    for (const args of [[], ['a', '--colour']]) {
      const { code, stderr } = await cli(args);
      expect(code).toBe(2);
      expect(stderr).toContain('usage: seqlearn-report <run folder>');
    }
  });

  it('prints the usage with --help', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: seqlearn-report/);
  });
});

describe('reportCli', () => {
  function sink() {
    const chunks: string[] = [];
    return { chunks, write: (text: string) => chunks.push(text) };
  }

  it('writes to the streams it is given and names the command it is given', async () => {
    const stdout = sink();
    const stderr = sink();
    const out = await tempDir();
    const code = await reportCli([path.join(fixtures, 'har-quick'), '--out', out], {
      stdout,
      stderr,
      name: 'seqlearn report',
    });
    expect({ code, stderr: stderr.chunks }).toEqual({ code: 0, stderr: [] });
    expect(stdout.chunks.join('')).toBe(`${path.join(out, 'report.html')}\n`);

    const usageError = sink();
    expect(
      await reportCli(['--colour'], { stdout, stderr: usageError, name: 'seqlearn report' }),
    ).toBe(2);
    expect(usageError.chunks.join('')).toMatch(
      /^seqlearn report: .*\nusage: seqlearn report <run folder>/s,
    );
  });

  it('returns 1 rather than exiting when the folder cannot be read', async () => {
    const stderr = sink();
    expect(await reportCli(['/nonexistent/run'], { stdout: sink(), stderr })).toBe(1);
    expect(stderr.chunks.join('')).toMatch(/^seqlearn-report: .*\[NOT_FOUND\]\n$/);
  });
});
