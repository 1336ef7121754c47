#!/usr/bin/env node
// Scaffolds a dataset adapter: `npm run new-adapter -- <name> [--out <package folder>]`.
// Writes src/<kebab-name>.ts (an adapter for a "label<TAB>text" file, to adapt to your format),
// src/<kebab-name>.test.ts (the conformance suite plus a malformed-input test, passing as
// generated) and src/__fixtures__/<kebab-name>/data.txt, then prints the remaining steps.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const outFlag = args.indexOf('--out');
const out =
  outFlag >= 0 ? args.splice(outFlag, 2)[1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const [raw] = args;

if (!raw || !/^[a-zA-Z][a-zA-Z0-9-]*$/.test(raw)) {
  console.error(
    'usage: npm run new-adapter -- <name>   (letters, digits and dashes, e.g. movie-lines)',
  );
  process.exit(1);
}
const camel = raw
  .replace(/-([a-zA-Z0-9])/g, (_, c) => c.toUpperCase())
  .replace(/^./, (c) => c.toLowerCase());
const kebab = camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const files = {
  [`src/${kebab}.ts`]: adapterSource(),
  [`src/${kebab}.test.ts`]: testSource(),
  [`src/__fixtures__/${kebab}/data.txt`]:
    'positive\tA first example.\nnegative\tA second one.\npositive\tAnd a third.\n',
};
for (const path of Object.keys(files)) {
  if (existsSync(join(out, path))) {
    console.error(`new-adapter: ${path} exists already; choose another name`);
    process.exit(1);
  }
}
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), content);
  console.log(`created ${relative(process.cwd(), join(out, path)) || path}`);
}
console.log(`
Next steps (CONTRIBUTING.md, "Add a dataset adapter"):
  1. Adapt src/${kebab}.ts to your format and fill in description, license, citation, sources.
  2. Replace src/__fixtures__/${kebab}/data.txt with a few records in the official format.
  3. Run: npx vitest run src/${kebab}.test.ts
  4. Export it from src/index.ts and add it to the builtins in src/registry.ts.
  5. Add a changeset: npx changeset (minor for @seqlearn/datasets).`);

function adapterSource() {
  return `import { join } from 'node:path';
import type { DatasetAdapter, LoadedSplit, LoadOptions } from './dataset-adapter';
import { DatasetsError } from './errors';
import type { TextRecord } from './records';
import { isDirectory, pickSplit, resolveSource } from './resolve-source';
import { isTextRecord, readTextFile, splitLines } from './text-files';

/** What {@link ${camel}}\`.load\` resolves to. */
export interface ${pascal(camel)}Data extends LoadedSplit<TextRecord> {
  /** Class names; \`records[i].label\` indexes this array. */
  classNames: string[];
}

const CLASS_NAMES = ['negative', 'positive'];

const source = {
  filename: 'data.txt',
  url: 'https://example.org/${kebab}/data.txt',
  // sha256: '<64 hex digits of the official file>',
  // size: <bytes>,
};

/**
 * Adapter for ${camel}: one \`<class name><TAB><text>\` per line. TODO: describe the data.
 *
 * @example
 * \`\`\`ts
 * import { ${camel} } from '@seqlearn/datasets';
 * const { records, classNames } = await ${camel}.load({ path: 'data.txt' });
 * console.log(records[0], classNames); // { text: 'A first example.', label: 1 } ['negative', 'positive']
 * \`\`\`
 * @throws {DatasetsError} \`MALFORMED_DATA\` (with \`line\`) for a line without a tab or with an
 *   unknown class; \`MISSING_FILE\` when the file is absent.
 */
export const ${camel}: DatasetAdapter<TextRecord, LoadOptions, ${pascal(camel)}Data> = {
  name: '${camel}',
  description: 'TODO: one sentence on what the data is, with its size.',
  license: 'TODO: the licence or terms stated by the source.',
  citation: 'TODO: how to cite the data.',
  kind: 'file',
  splits: ['train'],
  sources: [source],
  isRecord: isTextRecord,
  async load(options: LoadOptions = {}) {
    const split = pickSplit('${camel}', this.splits, options.split);
    let path = await resolveSource('${camel}', source, options);
    if (await isDirectory(path)) path = join(path, source.filename);
    const lines = splitLines(await readTextFile(path, '${camel}'));
    const records = lines.map((line, i) => {
      const tab = line.indexOf('\\t');
      const label = CLASS_NAMES.indexOf(line.slice(0, tab));
      if (tab < 0 || label < 0) {
        throw new DatasetsError({
          code: 'MALFORMED_DATA',
          path,
          line: i + 1,
          message: \`${camel}: expected "<\${CLASS_NAMES.join('|')}><TAB>text" at \${path}:\${i + 1}, got \${JSON.stringify(line.slice(0, 40))}\`,
        });
      }
      return { text: line.slice(tab + 1), label };
    });
    return { split, records, classNames: [...CLASS_NAMES] };
  },
};
`;
}

function testSource() {
  return `import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ${camel} } from './${kebab}';
import { describeAdapterConformance } from './testing/index';

const fixture = join(__dirname, '__fixtures__', '${kebab}', 'data.txt');

describeAdapterConformance(${camel}, { options: { path: fixture }, splits: { train: 3 } });

describe('${camel}', () => {
  it('reads class and text of each line in file order', async () => {
    const { records } = await ${camel}.load({ path: fixture });
    expect(records[0]).toEqual({ text: 'A first example.', label: 1 });
  });

  it('throws MALFORMED_DATA with the line for an unknown class', async () => {
    const path = join(mkdtempSync(join(tmpdir(), '${kebab}-')), 'bad.txt');
    writeFileSync(path, 'positive\\tfine\\nneutral\\tunknown class\\n');
    await expect(${camel}.load({ path })).rejects.toThrow(
      expect.objectContaining({ code: 'MALFORMED_DATA', line: 2 }),
    );
  });
});
`;
}

function pascal(name) {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
