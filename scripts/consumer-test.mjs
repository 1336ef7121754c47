#!/usr/bin/env node
// The consumer test: what a user gets from npm, checked outside the workspace.
// 1. `npm pack` every package (after `npm run build`) and check what the tarball holds.
// 2. Install the tarballs and @tensorflow/tfjs into a fresh temporary project.
// 3. There: import every package as ESM, require it as CJS (same export names both ways),
//    type-check `scripts/consumer/usage.ts` against the published types, run it, and run the
//    first ```ts snippet of every package README as written.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChecks, indent, listPackages, writeReadmeSnippet } from './lib/packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const packagesDir = path.join(root, 'packages');
const names = listPackages(root).map((p) => p.folder);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlearn-consumer-'));
const tarballs = path.join(work, 'tarballs');
const app = path.join(work, 'app');
fs.mkdirSync(tarballs);
fs.mkdirSync(app);

const { check, summary } = createChecks();
function run(cmd, args, cwd, extra = {}) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', ...extra });
}

// 1. Pack and inspect.
const manifests = {};
for (const name of names) {
  const dir = path.join(packagesDir, name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  manifests[name] = pkg;
  check(`${pkg.name}: npm pack holds dist (ESM, CJS, both declarations) and no sources`, () => {
    const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs], dir));
    const files = info.files.map((f) => f.path);
    for (const needed of [
      'package.json',
      'README.md',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
    ]) {
      if (!files.includes(needed)) throw new Error(`missing ${needed} in ${info.filename}`);
    }
    const stray = files.filter((f) => /^src\/|\.test\.|__fixtures__/.test(f));
    if (stray.length) throw new Error(`unexpected files in tarball: ${stray.join(', ')}`);
  });
}

// 2. A fresh project outside the workspace.
fs.writeFileSync(
  path.join(app, 'package.json'),
  JSON.stringify({ name: 'seqlearn-consumer', private: true, version: '0.0.0' }, null, 2),
);
const tgz = fs.readdirSync(tarballs).map((f) => path.join(tarballs, f));
check('install the tarballs with @tensorflow/tfjs and @types/node into a fresh project', () => {
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...tgz,
      '@tensorflow/tfjs@^4.22.0',
      '@types/node@^20',
    ],
    app,
    { timeout: 600_000 },
  );
});

// 3a. ESM and CJS both load, with the same named exports.
for (const name of names) {
  const spec = manifests[name].name;
  check(`${spec}: import (ESM) and require (CJS) give the same non-empty exports`, () => {
    const esm = run(
      'node',
      [
        '--input-type=module',
        '-e',
        `import * as m from '${spec}'; console.log(JSON.stringify(Object.keys(m).sort()))`,
      ],
      app,
    );
    const cjs = run(
      'node',
      [
        '-e',
        `console.log(JSON.stringify(Object.keys(require('${spec}')).filter(k => k !== '__esModule').sort()))`,
      ],
      app,
    );
    const esmKeys = JSON.parse(esm).filter((k) => k !== 'default');
    const cjsKeys = JSON.parse(cjs);
    if (esmKeys.length === 0) throw new Error('no exports');
    if (JSON.stringify(esmKeys) !== JSON.stringify(cjsKeys)) {
      throw new Error(`ESM exports ${esmKeys.join(',')}\nCJS exports ${cjsKeys.join(',')}`);
    }
  });
  for (const sub of Object.keys(manifests[name].exports ?? {}).filter(
    (k) => k !== '.' && k !== './package.json',
  )) {
    const subSpec = `${spec}/${sub.slice(2)}`;
    check(`${subSpec}: resolves for import and require`, () => {
      run('node', ['--input-type=module', '-e', `await import.meta.resolve('${subSpec}')`], app);
      run('node', ['-e', `require.resolve('${subSpec}')`], app);
    });
  }
}

// 3a'. Every package's commands run from the fresh project, as `npx <bin>` would run them.
for (const name of names) {
  for (const bin of Object.keys(manifests[name].bin ?? {})) {
    check(`${manifests[name].name}: npx ${bin} --help runs from the installed package`, () => {
      const out = run('npx', ['--no-install', bin, '--help'], app);
      if (!out.includes(bin)) throw new Error(`--help printed no usage naming ${bin}:\n${out}`);
    });
  }
}

// 3b. Types: the usage file type-checks against the published declarations, as ESM and as CJS.
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const usage = fs.readFileSync(path.join(root, 'scripts', 'consumer', 'usage.ts'), 'utf8');
for (const [label, moduleKind, ext] of [
  ['ESM (node16, .mts)', 'node16', 'mts'],
  ['CJS (node16, .cts)', 'node16', 'cts'],
  ['bundler', 'esnext', 'ts'],
]) {
  check(`types: usage.ts type-checks as ${label}`, () => {
    const dir = path.join(app, `types-${ext}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `usage.${ext}`), usage);
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: moduleKind,
          moduleResolution: moduleKind === 'node16' ? 'node16' : 'bundler',
          target: 'es2022',
          types: ['node'],
          typeRoots: [path.join(app, 'node_modules', '@types')],
          // tfjs' own declarations fail strict library checks (Long, PyJsonValue), so users
          // compile with skipLibCheck; the usage file is still checked against ours.
          skipLibCheck: true,
        },
        files: [`usage.${ext}`],
      }),
    );
    run('node', [tsc, '-p', dir], app);
  });
}

// 3c. The usage file runs, compiled by the same TypeScript to CJS.
check('usage.ts runs against the installed packages', () => {
  const dir = path.join(app, 'run-usage');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'usage.ts'), usage);
  run(
    'node',
    [
      tsc,
      '--outDir',
      dir,
      '--module',
      'commonjs',
      '--target',
      'es2022',
      '--moduleResolution',
      'node10',
      '--esModuleInterop',
      '--skipLibCheck',
      path.join(dir, 'usage.ts'),
    ],
    app,
  );
  process.stdout.write(
    indent(run('node', [path.join(dir, 'usage.js')], app, { timeout: 300_000 })),
  );
});

// 3d. Each README's first ```ts (or ```js) snippet runs as written.
for (const name of names) {
  check(`${manifests[name].name}: README's first snippet runs as written`, () => {
    const file = writeReadmeSnippet({ folder: name, dir: path.join(packagesDir, name) }, app);
    run('node', [file], app, { timeout: 300_000 });
  });
}

if (!keep) fs.rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
process.exit(summary('consumer') ? 1 : 0);
