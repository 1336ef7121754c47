#!/usr/bin/env node
// `npm run example -- <name> [flags]`: builds the packages the example needs, then runs it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...flags] = process.argv.slice(2);
const available = fs
  .readdirSync(path.join(root, 'examples'))
  .filter((d) => fs.existsSync(path.join(root, 'examples', d, 'package.json')));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run example -- <name> [flags]\nexamples: ${available.join(', ')}`);
  process.exit(2);
}
const workspace = `@seqlearn/example-${name}`;
const steps = [
  ['npx', ['turbo', 'run', 'build', `--filter=${workspace}...`, '--output-logs=errors-only']],
  ['npm', ['run', 'start', '--silent', '-w', workspace, '--', ...flags]],
];
for (const [cmd, args] of steps) {
  const { status } = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
