import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweep } from './sweep';

// The sweep itself is tested in @seqlearn/sweep; here, what the examples add: the report.
describe('runSweep', () => {
  const options = (out: string, logged: string[]) => ({
    title: 'toy',
    settings: [
      { id: 'small', units: 8 },
      { id: 'large', units: 32 },
    ],
    metric: 'accuracy',
    out,
    seed: 7,
    repeats: 2,
    log: (line: string) => logged.push(line),
    run: async (s: { units: number }, { seed }: { seed: number }) => ({
      metrics: { accuracy: s.units / 40 + seed / 1000 },
      history: { loss: [1, 0.5] },
      seconds: 0.1,
    }),
  });

  it('writes the report of the whole sweep and prints its path last', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-sweep-'));
    const logged: string[] = [];
    const results = await runSweep(options(out, logged));
    expect(results.best.id).toBe('large');
    const html = path.join(out, 'report.html');
    expect(logged.at(-1)).toBe(`report: ${html}`);
    expect(fs.readFileSync(html, 'utf8')).toContain('large-seed9');
    expect(fs.readdirSync(path.join(out, 'charts')).some((f) => f.endsWith('.svg'))).toBe(true);
  });

  it('writes no report with report: false', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-sweep-'));
    await runSweep({ ...options(out, []), report: false });
    expect(fs.existsSync(path.join(out, 'results.json'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'report.html'))).toBe(false);
  });
});
