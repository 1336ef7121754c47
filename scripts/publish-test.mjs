#!/usr/bin/env node
// The publish test: the release steps of CONTRIBUTING.md, run for real against a private registry.
// Run it after `npm run build` (the root `npm test` does): `node scripts/publish-test.mjs [--keep]`.
// 1. Copy the repository (git-tracked and not-ignored files, plus each package's built dist/) to a
//    scratch folder and make it a git repository of one commit, as a clean `main` would be.
// 2. There, `changeset version` (when changesets are pending): versions bumped, CHANGELOG.md
//    written, the changesets consumed.
// 3. Start Verdaccio on 127.0.0.1 (a free port) with a temporary config: storage in the scratch
//    folder, no uplinks (nothing goes to the internet), publishing for a user created here.
// 4. `changeset publish` with the @seqlearn registry pointed at Verdaccio: every public package
//    under packages/ (found by listing the folder) is published and tagged.
// 5. A fresh project whose .npmrc sends @seqlearn/* to Verdaccio (third-party packages such as
//    @tensorflow/tfjs come from the usual registry) installs every package at its new version and
//    runs each package's bins with --help and each README's first snippet there.
// Verdaccio is stopped and the scratch folders removed at the end, failed or not (`--keep` keeps
// the folders and prints where).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChecks, indent, listPackages, writeReadmeSnippet } from './lib/packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const changesetBin = path.join(root, 'node_modules', '@changesets', 'cli', 'bin.js');
const verdaccioBin = path.join(root, 'node_modules', 'verdaccio', 'bin', 'verdaccio');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlearn-publish-'));
const scratch = path.join(work, 'repo');
const app = path.join(work, 'app');
const registryDir = path.join(work, 'verdaccio');
const { check, summary } = createChecks();
const started = Date.now();
let verdaccio;

function run(cmd, args, cwd, extra = {}) {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: 'pipe',
    timeout: 300_000,
    ...extra,
  });
}

/**
 * The environment for npm and changesets without the npm settings that `npm test` exports to its
 * scripts and that would override ours (registry, scoped registry, user config).
 */
function npmEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(registry|userconfig|@seqlearn:registry)$/i.test(key)) delete env[key];
  }
  return { ...env, ...extra };
}

/**
 * Git in the scratch repository (for the commit here and the tags of `changeset publish`) with a
 * fixed identity and without the user's or system's config, so that signing or hooks set there
 * do not get in the way.
 */
const gitEnv = {
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'publish-test',
  GIT_AUTHOR_EMAIL: 'publish-test@localhost',
  GIT_COMMITTER_NAME: 'publish-test',
  GIT_COMMITTER_EMAIL: 'publish-test@localhost',
};
const git = (...args) => run('git', args, scratch, { env: { ...process.env, ...gitEnv } });

/** Stops Verdaccio and waits for it to exit (SIGKILL after 5 s), so that no process is left. */
async function stopVerdaccio() {
  if (!verdaccio || verdaccio.exitCode !== null || verdaccio.signalCode !== null) return;
  const exited = new Promise((resolve) => verdaccio.once('exit', resolve));
  verdaccio.kill('SIGTERM');
  const timer = setTimeout(() => verdaccio.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function cleanUp() {
  await stopVerdaccio();
  if (keep) console.log(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp().finally(() => process.exit(130));
  });
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForRegistry(url, log) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (verdaccio.exitCode !== null) {
      throw new Error(
        `Verdaccio exited with ${verdaccio.exitCode}:\n${fs.readFileSync(log, 'utf8')}`,
      );
    }
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `Verdaccio did not answer on ${url} within 60 s:\n${fs.readFileSync(log, 'utf8')}`,
  );
}

async function main() {
  const packages = listPackages(root).filter((p) => !p.manifest.private);

  // 1. The scratch copy.
  const missing = packages.filter((p) => !fs.existsSync(path.join(p.dir, 'dist')));
  if (missing.length) {
    throw new Error(
      `no dist/ in ${missing.map((p) => p.folder).join(', ')}: run \`npm run build\` first`,
    );
  }
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root)
    .split('\0')
    .filter((f) => f && fs.existsSync(path.join(root, f)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(scratch, file));
  }
  for (const { folder } of packages) {
    fs.cpSync(
      path.join(root, 'packages', folder, 'dist'),
      path.join(scratch, 'packages', folder, 'dist'),
      {
        recursive: true,
      },
    );
  }
  // changesets resolves its changelog module from the repository; the tools are the root's.
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'scratch copy for the publish test');
  console.log(
    `ok   copied ${files.length} files and ${packages.length} dist/ folders to ${scratch}`,
  );

  // 2. changeset version.
  const pending = fs
    .readdirSync(path.join(scratch, '.changeset'))
    .filter((f) => f.endsWith('.md') && f !== 'README.md');
  const before = Object.fromEntries(packages.map((p) => [p.manifest.name, p.manifest.version]));
  if (pending.length) {
    check(`changeset version consumes the ${pending.length} pending changesets`, () => {
      run('node', [changesetBin, 'version'], scratch, { env: npmEnv(gitEnv) });
      const left = fs
        .readdirSync(path.join(scratch, '.changeset'))
        .filter((f) => f.endsWith('.md') && f !== 'README.md');
      if (left.length) throw new Error(`changesets left behind: ${left.join(', ')}`);
    });
  } else {
    console.log('ok   no pending changesets: publishing the versions as they are');
  }
  const released = listPackages(scratch).filter((p) => !p.manifest.private);
  for (const { manifest, dir } of released) {
    const from = before[manifest.name];
    if (from === undefined || from === manifest.version) continue;
    check(`${manifest.name}: ${from} -> ${manifest.version}, with a CHANGELOG.md entry`, () => {
      const changelog = fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8');
      if (!changelog.includes(`## ${manifest.version}`)) {
        throw new Error(`CHANGELOG.md has no "## ${manifest.version}" section`);
      }
    });
  }

  // 3. Verdaccio, with no uplinks, on a free port of 127.0.0.1.
  const port = await freePort();
  const registry = `http://127.0.0.1:${port}/`;
  fs.mkdirSync(registryDir, { recursive: true });
  const config = path.join(registryDir, 'config.yaml');
  fs.writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(path.join(registryDir, 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(path.join(registryDir, 'htpasswd'))}`,
      '    max_users: 1',
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      '    unpublish: $authenticated',
      'max_body_size: 200mb',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const log = path.join(registryDir, 'verdaccio.log');
  const logFd = fs.openSync(log, 'a');
  verdaccio = spawn(
    process.execPath,
    [verdaccioBin, '--config', config, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', logFd, logFd] },
  );
  await waitForRegistry(registry, log);
  const user = await fetch(`${registry}-/user/org.couchdb.user:publish-test`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'publish-test', password: 'publish-test-password' }),
  });
  const { token } = await user.json();
  if (!user.ok || !token)
    throw new Error(`could not create the Verdaccio user: HTTP ${user.status}`);
  const publishNpmrc = path.join(work, 'publish.npmrc');
  fs.writeFileSync(
    publishNpmrc,
    `registry=${registry}\n@seqlearn:registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`,
  );
  console.log(`ok   Verdaccio on ${registry} (no uplinks), user publish-test`);

  // 4. changeset publish, as CONTRIBUTING.md says, to Verdaccio.
  const publishEnv = npmEnv({
    ...gitEnv,
    npm_config_userconfig: publishNpmrc,
    npm_config_registry: registry,
    'npm_config_@seqlearn:registry': registry,
  });
  const published = check(
    `changeset publish publishes ${released.length} packages to Verdaccio`,
    () => {
      process.stdout.write(
        indent(run('node', [changesetBin, 'publish'], scratch, { env: publishEnv })),
      );
    },
  );
  if (!published) {
    console.log(indent(fs.readFileSync(log, 'utf8')));
    return;
  }
  for (const { manifest } of released) {
    check(`${manifest.name}@${manifest.version}: on Verdaccio as latest, and git-tagged`, () => {
      const info = JSON.parse(
        run(
          'npm',
          ['view', manifest.name, 'dist-tags', '--json', `--registry=${registry}`],
          scratch,
          {
            env: publishEnv,
          },
        ),
      );
      if (info.latest !== manifest.version) {
        throw new Error(
          `dist-tags: expected latest ${manifest.version}, got ${JSON.stringify(info)}`,
        );
      }
      const tag = `${manifest.name}@${manifest.version}`;
      if (!git('tag', '--list', tag).trim()) throw new Error(`no git tag ${tag}`);
    });
  }

  // 5. A fresh project that installs from Verdaccio.
  fs.mkdirSync(app);
  fs.writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'seqlearn-from-registry', private: true, version: '0.0.0' }, null, 2),
  );
  fs.writeFileSync(path.join(app, '.npmrc'), `@seqlearn:registry=${registry}\n`);
  const installed = check(
    'npm install of every package from Verdaccio into a fresh project',
    () => {
      run(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          ...released.map(({ manifest }) => `${manifest.name}@${manifest.version}`),
          '@tensorflow/tfjs@^4.22.0',
        ],
        app,
        { env: npmEnv(), timeout: 600_000 },
      );
    },
  );
  if (!installed) return;
  // npm leaves `resolved` out of the lock file for registry packages, so the proof that each came
  // from Verdaccio is its integrity: the hash of the tarball Verdaccio serves for that version.
  const lock = JSON.parse(fs.readFileSync(path.join(app, 'package-lock.json'), 'utf8'));
  for (const { manifest } of released) {
    check(
      `${manifest.name}: installed at ${manifest.version}, the tarball Verdaccio serves`,
      () => {
        const entry = lock.packages[`node_modules/${manifest.name}`];
        const integrity = run(
          'npm',
          [
            'view',
            `${manifest.name}@${manifest.version}`,
            'dist.integrity',
            `--registry=${registry}`,
          ],
          app,
          { env: npmEnv() },
        ).trim();
        if (entry?.version !== manifest.version || !integrity || entry.integrity !== integrity) {
          throw new Error(
            `expected ${manifest.version} with integrity ${integrity}, got ${entry?.version} with ${entry?.integrity}`,
          );
        }
      },
    );
  }
  for (const { manifest } of released) {
    for (const bin of Object.keys(manifest.bin ?? {})) {
      check(`${manifest.name}: npx ${bin} --help runs from the installed package`, () => {
        const out = run('npx', ['--no-install', bin, '--help'], app, { env: npmEnv() });
        if (!out.includes(bin)) throw new Error(`--help printed no usage naming ${bin}:\n${out}`);
      });
    }
  }
  for (const pkg of released) {
    check(`${pkg.manifest.name}: README's first snippet runs as written`, () => {
      run('node', [writeReadmeSnippet(pkg, app)], app, { env: npmEnv() });
    });
  }
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.log(`FAIL ${error?.stack ?? error}`);
} finally {
  await cleanUp();
}
console.log(`publish test took ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(summary('publish') || failed ? 1 : 0);
