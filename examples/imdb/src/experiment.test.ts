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
    for (const [sweep, res] of Object.entries(results)) {
      for (const run of [...res.runs, ...res.repeats]) {
        const dir = path.join(out, sweep, run.runId);
        const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
        expect(history.val_accuracy).toHaveLength(1);
        const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
        expect(metrics.accuracy).toBeGreaterThanOrEqual(0);
        expect(metrics.rocAuc).toBeGreaterThanOrEqual(0);
      }
      expect(fs.readFileSync(path.join(out, sweep, 'results.md'), 'utf8')).toContain('s / epoch');
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
