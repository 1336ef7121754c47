import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCharLmExperiment } from './experiment';
import { windowStarts } from './language-model';
import { parseCharLmArgs } from './options';

const options = parseCharLmArgs(['--quick', '--quiet']);
const data = options === 'help' ? '' : options.data;
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe.skipIf(!fs.existsSync(data))(`char-lm example (needs tiny-shakespeare at ${data})`, () => {
  it('runs in quick mode and writes histories, held-out figures and samples', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'char-lm-example-'));
    const parsed = parseCharLmArgs(['--quick', '--quiet', '--out', out]);
    if (parsed === 'help') throw new Error('unexpected help');
    const results = await runCharLmExperiment(parsed, () => {});

    expect(results.corpus.totalChars).toBe(1_115_394);
    expect(results.corpus.alphabetSize).toBe(65);
    expect(results.corpus.trainChars).toBe(parsed.trainChars);
    expect(results.sweep.runs.map((r) => r.runId)).toEqual(['lstm-32']);
    expect(results.sweep.repeats).toHaveLength(1);
    const dir = path.join(out, 'lstm-32');
    const history = readJson(path.join(dir, 'history.json'));
    expect(history.loss).toHaveLength(1);
    expect(history.val_bits_per_char[0]).toBeCloseTo(history.val_loss[0] / Math.LN2, 10);
    const metrics = readJson(path.join(dir, 'metrics.json'));
    expect(metrics.perplexity).toBeCloseTo(Math.exp(metrics.valLoss), 8);
    // One epoch on 3000 characters already beats uniform guessing over 65 characters.
    expect(metrics.bitsPerChar).toBeLessThan(Math.log2(65));
    const extra = readJson(path.join(dir, 'extra.json'));
    expect(extra.samples[0].samples.map((s: { temperature: number }) => s.temperature)).toEqual(
      parsed.temperatures,
    );
    for (const s of extra.samples[0].samples) expect([...s.text]).toHaveLength(100);
    expect(fs.readFileSync(path.join(out, 'samples.md'), 'utf8')).toContain('After epoch 1');
    expect(fs.readFileSync(path.join(out, 'results.md'), 'utf8')).toContain('bitsPerChar');
    fs.rmSync(out, { recursive: true, force: true });
  });
});

describe('char-lm helpers', () => {
  it('makes a window for every position that has a next character', () => {
    expect(windowStarts(5, 2)).toEqual([0, 1, 2]);
    expect(windowStarts(10, 3, 4)).toEqual([0, 4]);
  });

  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseCharLmArgs(['--temperatures', '0.5,-1'])).toThrow(/--temperatures/);
    expect(() => parseCharLmArgs(['--window', '0'])).toThrow(/--window/);
  });
});
