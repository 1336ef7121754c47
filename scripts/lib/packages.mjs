// Shared by the consumer test and the publish test: which packages there are, and the snippet of
// each README that must run as written.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The folders under `packages/` that hold a package.json, sorted, with their manifests: every
 * package the repository publishes (none is hardcoded, so a new package is picked up).
 */
export function listPackages(root) {
  const packagesDir = path.join(root, 'packages');
  return fs
    .readdirSync(packagesDir)
    .filter((d) => fs.existsSync(path.join(packagesDir, d, 'package.json')))
    .sort()
    .map((folder) => {
      const dir = path.join(packagesDir, folder);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return { folder, dir, manifest };
    });
}

/**
 * The first ```ts or ```js block of a README: the snippet that must run as written once the
 * package is installed (written to a `.mjs` file and run with node, so it carries no types).
 */
export function firstSnippet(markdown) {
  return markdown.match(/```(?:ts|js)\n([\s\S]*?)```/)?.[1];
}

/**
 * Writes the first snippet of `<dir>/README.md` into `app` as `readme-<folder>.mjs`, for `run` to
 * execute there; throws when the README has none.
 */
export function writeReadmeSnippet({ folder, dir }, app) {
  const snippet = firstSnippet(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'));
  if (!snippet)
    throw new Error(`${path.join(dir, 'README.md')} has no \`\`\`ts or \`\`\`js snippet`);
  const file = path.join(app, `readme-${folder}.mjs`);
  fs.writeFileSync(file, snippet);
  return file;
}

/**
 * A checklist printer: `check(label, fn)` runs `fn`, prints `ok` or `FAIL` with the error's
 * output indented, and counts; `summary(name)` prints the totals and returns the failure count.
 */
export function createChecks() {
  let failures = 0;
  let passes = 0;
  return {
    check(label, fn) {
      try {
        fn();
        passes++;
        console.log(`ok   ${label}`);
        return true;
      } catch (error) {
        failures++;
        console.log(
          `FAIL ${label}\n${indent(String(error?.stdout ?? ''))}${indent(String(error?.stderr ?? error?.message ?? error))}`,
        );
        return false;
      }
    },
    summary(name) {
      console.log(`${name}: ${passes} passed, ${failures} failed`);
      return failures;
    },
  };
}

/** `text` with every line indented by five spaces, or '' when it is blank. */
export function indent(text) {
  return text.trim() ? `${text.trim().replace(/^/gm, '     ')}\n` : '';
}
