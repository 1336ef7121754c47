import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelConfig, reviewTokens, runImdbExperiment } from './experiment';
import { parseImdbArgs } from './options';

const quick = parseImdbArgs(['--quick', '--quiet']);
const data = quick === 'help' ? '' : quick.data;

describe('reviewTokens', () => {
  it('drops <br /> tags and lower-cases the words', () => {
    expect(reviewTokens('Great film.<br /><br />Loved it')).toEqual([
      'great',
      'film',
      'loved',
      'it',
    ]);
  });
});

describe('modelConfig', () => {
  const pretrained = [
    [0, 0, 0],
    [0, 0, 0],
    [1, 0, 0],
  ];

  it('freezes the pretrained vectors for "frozen" and trains them for "finetuned"', () => {
    const args = { vocabSize: 3, maxlen: 5, embeddingDim: 8, pretrained, seed: 1 };
    const frozen = modelConfig({ id: 'f', model: 'gru', embedding: 'frozen' }, args);
    const tuned = modelConfig({ id: 't', model: 'gru', embedding: 'finetuned' }, args);
    expect(frozen.embedding).toMatchObject({ outputDim: 3, trainable: false, weights: pretrained });
    expect(tuned.embedding).toMatchObject({ outputDim: 3, trainable: true });
  });

  it('learns an Embedding of embeddingDim from scratch for "learned"', () => {
    const c = modelConfig(
      { id: 'l', model: 'conv1d', embedding: 'learned' },
      { vocabSize: 3, maxlen: 5, embeddingDim: 8, seed: 1 },
    );
    expect(c.embedding).toEqual({ inputDim: 3, outputDim: 8 });
    expect(c.conv).toHaveLength(1);
    expect(c.cell).toBeUndefined();
  });
});

describe.skipIf(!fs.existsSync(data))('imdb example (needs shared/datasets/imdb)', () => {
  it('runs both sweeps in quick mode and writes every run and both results tables', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'imdb-example-'));
    const parsed = parseImdbArgs(['--quick', '--quiet', '--out', out, '--repeats', '1']);
    if (parsed === 'help') throw new Error('unexpected help');
    const lines: string[] = [];
    const results = await runImdbExperiment(parsed, (l) => lines.push(l));
    expect(results.preprocessing?.runs.map((r) => r.runId)).toEqual([
      'vocab200-len50-pre',
      'vocab1000-len20-post',
    ]);
    expect(results.models?.runs.map((r) => r.runId)).toEqual([
      'lstm-learned',
      'gru-frozen',
      'conv1d-finetuned',
    ]);
    const data = JSON.parse(fs.readFileSync(path.join(out, 'data.json'), 'utf8'));
    // 300 reviews split 2:1, then 20% of the 200 training reviews held out for validation.
    expect([data.trainSize, data.valSize, data.testSize]).toEqual([160, 40, 100]);
    for (const [sweep, res] of Object.entries(results)) {
      expect(res.repeats).toHaveLength(1);
      expect(res.repeats[0].setting.id).toBe(res.best.id);
      for (const run of [...res.runs, ...res.repeats]) {
        const final = run.phase === 'final';
        const dir = path.join(out, sweep, run.runId);
        const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
        expect(history.val_accuracy).toHaveLength(1);
        const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
        expect(metrics.val_accuracy).toBeGreaterThanOrEqual(0);
        expect(metrics.val_rocAuc).toBeGreaterThanOrEqual(0);
        // Test figures for the final runs of the chosen setting only.
        expect('test_accuracy' in metrics).toBe(final);
        expect('test_rocAuc' in metrics).toBe(final);
        const cm = JSON.parse(fs.readFileSync(path.join(dir, 'confusion-matrix.json'), 'utf8'));
        expect(cm.split).toBe(final ? 'test' : 'validation');
        expect(cm.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(
          final ? data.testSize : data.valSize,
        );
      }
      const md = fs.readFileSync(path.join(out, sweep, 'results.md'), 'utf8');
      expect(md).toContain('s / epoch');
      const [selection, chosen] = md.split('## Selection')[1].split('## Chosen setting');
      expect(selection).toContain('val_accuracy');
      expect(selection).not.toContain('test_');
      expect(chosen).toContain('test_accuracy');
    }
    // The pretrained settings use vectors computed from the training reviews (no --vectors).
    expect(results.models?.runs[1].metrics.coverage).toBeGreaterThan(0.9);
    expect(lines.join('\n')).toContain('PPMI-SVD');
    fs.rmSync(out, { recursive: true, force: true });
  });
});

describe('parseImdbArgs', () => {
  it('rejects an unknown --only value', () => {
    expect(() => parseImdbArgs(['--only', 'all'])).toThrow(/--only/);
  });
});
