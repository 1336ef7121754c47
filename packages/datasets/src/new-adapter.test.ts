import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const pkg = join(__dirname, '..');
const workspaceModules = join(pkg, '..', '..', 'node_modules');
const dir = mkdtempSync(join(tmpdir(), 'seqlearn-scaffold-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!existsSync(join(workspaceModules, 'vitest')))('npm run new-adapter', () => {
  it('creates an adapter, a fixture and a conformance test that passes as generated', () => {
    // A copy of the package's sources, so that the scaffold writes outside the working tree.
    cpSync(join(pkg, 'src'), join(dir, 'src'), {
      recursive: true,
      filter: (path) => !path.endsWith('.test.ts'),
    });
    symlinkSync(workspaceModules, join(dir, 'node_modules'));
    const log = execFileSync(
      process.execPath,
      [join(pkg, 'scripts', 'new-adapter.mjs'), 'movie-lines', '--out', dir],
      { encoding: 'utf8' },
    );
    expect(log).toContain('src/movie-lines.ts');
    for (const file of [
      'src/movie-lines.ts',
      'src/movie-lines.test.ts',
      'src/__fixtures__/movie-lines/data.txt',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const run = execFileSync(
      process.execPath,
      [
        join(workspaceModules, 'vitest', 'vitest.mjs'),
        'run',
        '--root',
        dir,
        'src/movie-lines.test.ts',
      ],
      { encoding: 'utf8', cwd: dir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    expect(run).toMatch(/Tests\s+\d+ passed/);
    expect(run).not.toMatch(/failed/);
  });

  it('refuses to overwrite an existing adapter', () => {
    expect(() =>
      execFileSync(
        process.execPath,
        [join(pkg, 'scripts', 'new-adapter.mjs'), 'movie-lines', '--out', dir],
        {
          stdio: 'pipe',
        },
      ),
    ).toThrow();
  });

  it('refuses a name with spaces', () => {
    expect(() =>
      execFileSync(
        process.execPath,
        [join(pkg, 'scripts', 'new-adapter.mjs'), 'bad name', '--out', dir],
        {
          stdio: 'pipe',
        },
      ),
    ).toThrow();
  });
});
