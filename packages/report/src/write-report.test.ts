import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReport } from './write-report';

const fixtures = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const har = path.join(fixtures, 'har-quick');

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seqlearn-report-write-'));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
});

/** Counts the elements of each data mark type (`mark-line`, `mark-rect`, …) in an SVG. */
function markCounts(svg: string): Record<string, number> {
  const tree = new XMLParser({ ignoreAttributes: false, preserveOrder: true }).parse(svg);
  const counts: Record<string, number> = {};
  const walk = (nodes: Record<string, unknown>[], mark?: string) => {
    for (const node of nodes) {
      const tag = Object.keys(node).find((k) => k !== ':@');
      if (!tag || !Array.isArray(node[tag])) continue; // text content
      const cls = String((node[':@'] as Record<string, string> | undefined)?.['@_class'] ?? '');
      const type = /\bmark-(\w+) role-mark\b/.exec(cls)?.[1]; // data marks, not axes or legends
      if (mark && ['path', 'rect', 'text', 'line'].includes(tag)) {
        counts[mark] = (counts[mark] ?? 0) + 1;
      }
      walk(node[tag] as Record<string, unknown>[], type ?? mark);
    }
  };
  walk(tree);
  return counts;
}

describe('writeReport', () => {
  it('writes report.html and one parseable SVG with marks per chart (har quick run)', async () => {
    const out = await tempDir();
    const { html, svgs } = await writeReport(har, { out });
    expect(html).toBe(path.join(out, 'report.html'));
    expect(svgs.map((f) => path.relative(out, f))).toEqual([
      'charts/sweep-val_accuracy.svg',
      'charts/learning-curve-loss.svg',
      'charts/learning-curve-accuracy.svg',
      'charts/confusion-matrix-simplernn8.svg',
      'charts/confusion-matrix-simplernn8-normalized.svg',
      'charts/repeat-summary.svg',
      ...['lstm8', 'gru8', 'conv1d-16x5', 'simplernn8-seed43'].flatMap((id) => [
        `charts/confusion-matrix-${id}.svg`,
        `charts/confusion-matrix-${id}-normalized.svg`,
      ]),
    ]);
    for (const file of svgs) {
      const svg = await fs.readFile(file, 'utf8');
      expect(XMLValidator.validate(svg), file).toBe(true);
      expect(svg.startsWith('<svg')).toBe(true);
    }
    const read = async (name: string) =>
      markCounts(await fs.readFile(path.join(out, 'charts', `${name}.svg`), 'utf8'));
    // 5 runs × (train + validation) lines; 4 bars; 6×6 cells; one mean point per metric.
    expect((await read('learning-curve-loss')).line).toBe(10);
    expect((await read('sweep-val_accuracy')).rect).toBe(4);
    expect((await read('confusion-matrix-simplernn8')).rect).toBe(36);
    expect((await read('confusion-matrix-simplernn8')).text).toBeGreaterThan(0);
    expect((await read('repeat-summary')).symbol).toBeGreaterThanOrEqual(4);
    expect(await fs.readdir(out)).toEqual(['charts', 'report.html']);
  });

  it('writes a self-contained page: vega inlined, specs embedded, no network URLs', async () => {
    const out = await tempDir();
    const { html } = await writeReport(har, { out });
    const page = await fs.readFile(html, 'utf8');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<title>har: activity recognition</title>');
    const scripts = [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1])).toEqual([
      ' type="application/json" id="seqlearn-report-specs"',
      '',
      '',
      '',
      '',
    ]);
    expect(scripts[2][2]).toContain('vegaLite');
    const specs = JSON.parse(scripts[0][2]) as Record<string, { $schema?: string }>;
    expect(Object.keys(specs)).toHaveLength(14);
    expect(Object.values(specs).every((s) => s.$schema === undefined)).toBe(true);
    // Outside the inlined libraries, nothing refers to the network.
    const markup = page.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    expect(markup).not.toMatch(/https?:|\/\/cdn|<link|src=/i);
    const containers = [...markup.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(containers)).toEqual(new Set(Object.keys(specs)));
  });

  it('shows the sweep table with the best row, per-class scores and the summary', async () => {
    const out = await tempDir();
    const page = await fs.readFile((await writeReport(har, { out })).html, 'utf8');
    expect(page).toMatch(/<tr class="best"><td>simplernn8 <span class="badge">best<\/span>/);
    expect(page).toContain('<td>WALKING</td><td class="num">0.2500</td>');
    expect(page).toContain('<td>macro avg</td>');
    expect(page).toContain('confidence interval is undefined');
    expect(page).toContain('<details class="run" id="run-lstm8">');
  });

  it('writes into the run folder by default and takes a title', async () => {
    const dir = await tempDir();
    await fs.cp(har, dir, { recursive: true });
    const { html, svgs } = await writeReport(dir, { title: 'HAR <quick>' });
    expect(html).toBe(path.join(dir, 'report.html'));
    expect(path.dirname(svgs[0])).toBe(path.join(dir, 'charts'));
    expect(await fs.readFile(html, 'utf8')).toContain('<title>HAR &lt;quick&gt;</title>');
  });

  it('reports what is there for a folder with only some files', async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, 'gru8'));
    await fs.copyFile(
      path.join(har, 'gru8', 'history.json'),
      path.join(dir, 'gru8', 'history.json'),
    );
    const { html, svgs } = await writeReport(dir);
    expect(svgs.map((f) => path.basename(f))).toEqual([
      'learning-curve-loss.svg',
      'learning-curve-accuracy.svg',
    ]);
    const page = await fs.readFile(html, 'utf8');
    expect(page).toContain('No results.json');
    expect(page).toContain('gru8: no metrics.');
  });

  it('draws error bars with interval: std', async () => {
    const out = await tempDir();
    const dir = await tempDir();
    await fs.cp(har, dir, { recursive: true });
    const results = JSON.parse(await fs.readFile(path.join(dir, 'results.json'), 'utf8'));
    results.summary = {
      val_accuracy: {
        n: 3,
        mean: 0.3,
        std: 0.05,
        min: 0.25,
        max: 0.35,
        ci: [0.18, 0.42],
        confidence: 0.95,
      },
    };
    await fs.writeFile(path.join(dir, 'results.json'), JSON.stringify(results));
    await writeReport(dir, { out, interval: 'std' });
    const svg = await fs.readFile(path.join(out, 'charts', 'repeat-summary.svg'), 'utf8');
    expect(svg).toContain('mean with ± std');
    expect(markCounts(svg).rule).toBe(1);
  });

  it('rejects a malformed file with INVALID_JSON naming it, writing nothing', async () => {
    const dir = await tempDir();
    await fs.cp(har, dir, { recursive: true });
    const file = path.join(dir, 'lstm8', 'metrics.json');
    await fs.writeFile(file, '{"val_accuracy": 0.29,');
    await expect(writeReport(dir)).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_JSON', file }),
    );
    await expect(fs.access(path.join(dir, 'report.html'))).rejects.toThrow();
  });

  it('throws INVALID_ARGUMENT for an empty out', async () => {
    await expect(writeReport(har, { out: '' })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'out' }),
    );
  });

  it('throws IO_ERROR when the output cannot be written, leaving no temporary file', async () => {
    const dir = await tempDir();
    const blocker = path.join(dir, 'charts');
    await fs.writeFile(blocker, 'a file where the charts folder should go');
    await expect(writeReport(har, { out: dir })).rejects.toThrow(
      expect.objectContaining({ code: 'IO_ERROR' }),
    );
    expect(await fs.readdir(dir)).toEqual(['charts']);
  });
});
