import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dedupe, runUmichSentiment, splitWithOverlap, toSentences } from './experiment';
import { parseUmichArgs } from './options';

const options = parseUmichArgs(['--quick', '--quiet']);
const data = options === 'help' ? '' : options.data;

describe('dedupe and splitWithOverlap', () => {
  const sentences = toSentences([
    { text: 'I love Harry Potter.', label: 1 },
    { text: 'i love harry potter', label: 1 },
    { text: 'Brokeback Mountain was boring.', label: 0 },
    { text: 'I hate the Da Vinci Code!', label: 0 },
    { text: 'Mission Impossible is great', label: 1 },
  ]);

  it('treats sentences with the same lower-cased word tokens as duplicates', () => {
    expect(dedupe(sentences).map((s) => s.key)).toEqual([
      'i love harry potter',
      'brokeback mountain was boring',
      'i hate the da vinci code',
      'mission impossible is great',
    ]);
  });

  it('marks the test sentences that also occur in the training part', () => {
    const many = [...sentences, ...sentences, ...sentences, ...sentences];
    const { trainIndices, testIndices, seenInTrain } = splitWithOverlap(many, 1);
    expect(trainIndices.length + testIndices.length).toBe(many.length);
    const trainKeys = new Set(trainIndices.map((i) => many[i].key));
    expect(seenInTrain).toEqual(testIndices.map((i) => trainKeys.has(many[i].key)));
    expect(seenInTrain.some(Boolean)).toBe(true);
  });
});

describe.skipIf(!fs.existsSync(data))(
  'umich-sentiment example (needs shared/datasets/si650-sentiment)',
  () => {
    it('runs in quick mode and writes histories, metrics and results for every setting', async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'umich-example-'));
      const parsed = parseUmichArgs(['--quick', '--quiet', '--out', out, '--repeats', '1']);
      if (parsed === 'help') throw new Error('unexpected help');
      const lines: string[] = [];
      const results = await runUmichSentiment(parsed, (l) => lines.push(l));
      expect(results.runs.map((r) => r.runId)).toEqual([
        'lstm-with-duplicates',
        'lstm-deduplicated',
      ]);
      const [raw, deduped] = results.runs;
      // Deduplicating before the split leaves no test sentence that is also in training.
      expect(deduped.metrics.unseenSize).toBe(deduped.metrics.testSize);
      expect(raw.metrics.unseenSize).toBeLessThan(raw.metrics.testSize);
      expect(deduped.metrics.trainSize).toBeLessThan(raw.metrics.trainSize);
      for (const run of [...results.runs, ...results.repeats]) {
        const dir = path.join(out, run.runId);
        const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
        expect(history.loss).toHaveLength(1);
        expect(history.val_accuracy).toHaveLength(1);
        const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
        expect(metrics.accuracy).toBeGreaterThanOrEqual(0);
        const cm = JSON.parse(fs.readFileSync(path.join(dir, 'confusion-matrix.json'), 'utf8'));
        expect(cm.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(metrics.testSize);
      }
      expect(results.repeats).toHaveLength(1);
      const md = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
      expect(md).toContain('accuracyUnseen');
      expect(md).toContain('s / epoch');
      expect(lines.join('\n')).toContain('distinct after tokenizing');
      fs.rmSync(out, { recursive: true, force: true });
    });
  },
);

describe('parseUmichArgs', () => {
  it('defaults to the exercise: maxlen 40, 10 epochs, batch 32', () => {
    const o = parseUmichArgs([]);
    expect(o).toMatchObject({ maxlen: 40, epochs: 10, batchSize: 32, repeats: 3, limit: 0 });
  });

  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseUmichArgs(['--maxlen', '0'])).toThrow(/--maxlen/);
    expect(() => parseUmichArgs(['--nope'])).toThrow();
  });
});
