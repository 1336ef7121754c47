#!/usr/bin/env node
// Keeps `npm ci` working where the registry serves only this platform's binaries.
//
// Packages such as @biomejs/biome, rollup, esbuild and turbo list one optional dependency per
// platform. When the registry answers 404 for the other platforms' packages (as the mirror on our
// build machines does), `npm install` leaves them out of package-lock.json, and `npm ci` then
// refuses the lock file ("Missing: @biomejs/cli-darwin-arm64@ from lock file"). This script adds
// the missing entries back as optional stubs (name, version, optional), which `npm ci` accepts
// and skips on platforms where they do not apply. It runs as the root `postinstall`, so every
// `npm install` leaves a lock file that `npm ci` takes; it changes nothing when nothing is missing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockPath = path.join(root, 'package-lock.json');
if (!fs.existsSync(lockPath)) process.exit(0);
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages ?? {};

/** Where node would find `name` from the package at `from`: its own node_modules, then up. */
function resolve(from, name) {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

let added = 0;
for (const [location, entry] of Object.entries({ ...packages })) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const version = String(spec).replace(/^[\^~=v]+/, '');
    if (!/^\d+\.\d+\.\d+/.test(version)) continue; // only exact pins are platform binaries
    const found = resolve(location, name);
    if (found && packages[found].version === version) continue;
    const target =
      !found && !packages[`node_modules/${name}`]
        ? `node_modules/${name}`
        : `${location ? `${location}/` : ''}node_modules/${name}`;
    if (packages[target]) continue;
    packages[target] = { version, ...(entry.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}

if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) =>
      a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
    ),
  );
  const tmp = `${lockPath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(lock, null, 2)}\n`);
  fs.renameSync(tmp, lockPath);
  console.log(`complete-lockfile: added ${added} optional platform entries to package-lock.json`);
}
