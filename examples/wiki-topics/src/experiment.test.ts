import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, encodeParagraphs, firstPerClass, runWikiTopics } from './experiment';
import { parseWikiArgs } from './options';

const quick = parseWikiArgs(['--quick', '--quiet']);
const data = quick === 'help' ? '' : quick.data;

describe('firstPerClass and encodeParagraphs', () => {
  const records = [
    { text: 'Acme Corp is a company.', label: 0 },
    { text: 'Springfield High is a school.', label: 1 },
    { text: 'Globex is a firm.', label: 0 },
    { text: 'Initech makes software.', label: 0 },
  ];

  it('keeps the first records of every class in file order', () => {
    expect(firstPerClass(records, 2).map((r) => r.text)).toEqual([
      'Acme Corp is a company.',
      'Springfield High is a school.',
      'Globex is a firm.',
    ]);
    expect(firstPerClass(records, 0)).toHaveLength(4);
  });

  it('cuts characters and words at the end and pads them in front to maxLength', () => {
    const enc = encodeParagraphs(records, [{ text: 'Acme Zeta', label: 0 }], {
      maxLength: 6,
      vocabSize: 100,
    });
    expect(enc.xChar.train.every((row) => row.length === 6)).toBe(true);
    expect(enc.chars.decode(enc.xChar.train[0])).toBe('Acme C');
    // Padding (0), then 'acme' (known) and 'zeta' (unknown: <unk> = 1).
    expect(enc.xWord.test[0]).toEqual([0, 0, 0, 0, enc.words.encode(['acme'])[0], 1]);
  });
});

describe('buildModel', () => {
  it('swaps the GRU of the character model for an LSTM and counts its parameters', () => {
    const { model, params } = buildModel(
      { id: 'x', kind: 'charGru', cell: 'lstm' },
      { vocabSize: 30, maxLength: 10, seed: 1 },
    );
    // LSTM(20) on 30 one-hot inputs: 4 × (30 × 20 + 20 × 20 + 20) = 4080, Dense 20 × 14 + 14 = 294.
    expect(params).toBe(4080 + 294);
    expect(model.countParams() - 30 * 30).toBe(params);
    model.dispose();
  });
});

describe.skipIf(!fs.existsSync(data))('wiki-topics example (needs shared/datasets/wiki-15)', () => {
  it('runs in quick mode and writes histories, metrics and tables for every variant', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wiki-example-'));
    const parsed = parseWikiArgs(['--quick', '--quiet', '--out', out, '--repeats', '1']);
    if (parsed === 'help') throw new Error('unexpected help');
    const results = await runWikiTopics(parsed, () => {});
    expect(results.runs.map((r) => r.runId)).toEqual([
      'char-cnn',
      'word-cnn',
      'char-gru',
      'word-gru',
      'word-lstm-2layers-clip2',
    ]);
    for (const run of [...results.runs, ...results.repeats]) {
      const dir = path.join(out, run.runId);
      const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
      expect(history.loss).toHaveLength(1);
      expect(history.val_accuracy).toHaveLength(1);
      const cm = JSON.parse(fs.readFileSync(path.join(dir, 'confusion-matrix.json'), 'utf8'));
      expect(cm.labels).toHaveLength(14);
      expect(cm.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(14 * 10);
    }
    expect(fs.readFileSync(path.join(out, 'results.md'), 'utf8')).toContain('s / epoch');
    expect(fs.readFileSync(path.join(out, 'epochs.md'), 'utf8')).toContain('word-gru');
    fs.rmSync(out, { recursive: true, force: true });
  });
});

describe('parseWikiArgs', () => {
  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseWikiArgs(['--learning-rate', '-1'])).toThrow(/--learning-rate/);
  });
});
