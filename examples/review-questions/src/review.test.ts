import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveParams, PARAM_QUESTIONS } from './param-counts';
import { runReviewQuestions } from './review';

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('review-questions example', () => {
  it('answers 8874 for SimpleRNN(32, 64) and 33546 for LSTM(32, 64) on d = 30, 10 classes, by every route', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'review-questions-'));
    const lines: string[] = [];
    const answers = await runReviewQuestions({ out, parts: ['params', 'embeddings'] }, (l) =>
      lines.push(l),
    );
    const [rnn, lstm] = answers.params;
    // Keras: SimpleRNN(32) 2016, SimpleRNN(64) 6208, Dense(10) 650; LSTM(32) 8064, LSTM(64) 24832.
    expect(rnn.layers.map((l) => l.params)).toEqual([2016, 6208, 650]);
    expect(lstm.layers.map((l) => l.params)).toEqual([8064, 24832, 650]);
    for (const [a, total] of [
      [rnn, 8874],
      [lstm, 33546],
    ] as const) {
      expect([a.byFormula, a.byCountParams, a.byBuiltModel, a.byPlainTfjs]).toEqual([
        total,
        total,
        total,
        total,
      ]);
      expect(a.agree).toBe(true);
    }
    const text = lines.join('\n');
    expect(text).toContain('32·30 + 32·32 + 32 = 960 + 1024 + 32 = 2016');
    expect(text).toContain('4·(64·32 + 64·64 + 64 = 2048 + 4096 + 64 = 6208) = 24832');
    expect(text).toContain('2016 + 6208 + 650 = 8874');
    expect(text).toContain('Pretrained (word2vec-style) embeddings');
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'answers.json'), 'utf8'));
    expect(saved.params.map((a: { byFormula: number }) => a.byFormula)).toEqual([8874, 33546]);
    expect(fs.readFileSync(path.join(out, 'answers.md'), 'utf8')).toContain(
      '| LSTM(64) on d = 32 |',
    );
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('gives 8938 and 33802 only for inputs of dimension 32, not 30', () => {
    const total = (q: (typeof PARAM_QUESTIONS)[number]) =>
      deriveParams(q).reduce((a, l) => a + l.params, 0);
    expect(PARAM_QUESTIONS.map((q) => total({ ...q, inputDim: 32 }))).toEqual([8938, 33802]);
  });

  it('answers (a), (c), (d, e) in quick mode, with sane measured figures in answers.json and answers.md', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'review-questions-quick-'));
    const lines: string[] = [];
    const answers = await runReviewQuestions({ out, quick: true, seed: 7 }, (l) => lines.push(l));
    const saved = read(path.join(out, 'answers.json'));
    const md = fs.readFileSync(path.join(out, 'answers.md'), 'utf8');

    // (a) Every form built and run: symbolic and real shapes agree, batch 2.
    expect(saved.forms.map((f: { form: string }) => f.form)).toEqual([
      'one-to-one',
      'one-to-many',
      'many-to-one',
      'many-to-many, synced',
      'many-to-many, encoder-decoder',
    ]);
    const shapes = Object.fromEntries(
      saved.forms.map((f: { form: string; batchInput: number[]; batchOutput: number[] }) => [
        f.form,
        [f.batchInput, f.batchOutput],
      ]),
    );
    expect(shapes['one-to-one']).toEqual([
      [2, 1, 16],
      [2, 3],
    ]);
    expect(shapes['one-to-many']).toEqual([
      [2, 16],
      [2, 6, 20],
    ]);
    expect(shapes['many-to-one']).toEqual([
      [2, 10, 16],
      [2, 2],
    ]);
    expect(shapes['many-to-many, synced']).toEqual([
      [2, 10, 16],
      [2, 10, 5],
    ]);
    expect(shapes['many-to-many, encoder-decoder']).toEqual([
      [2, 10, 16],
      [2, 7, 20],
    ]);
    for (const f of saved.forms) {
      expect(f.outputShape[0]).toBeNull();
      expect(f.outputShape.slice(1)).toEqual(f.batchOutput.slice(1));
      expect(f.params).toBeGreaterThan(0);
    }
    expect(md).toContain('## (a) Input/output forms');

    // (c) Vanishing at σ = 1: the first step's gradient shrinks with T relative to the last one;
    // exploding at σ = 2: it grows. Clipping caps the update at lr · clipNorm and scales it only.
    const g = answers.gradients!;
    const at = (sigma: number) => g.rows.filter((r) => r.sigma === sigma);
    const small = at(1).map((r) => r.ratio);
    const large = at(2).map((r) => r.gradFirst);
    expect(small[0]).toBeGreaterThan(small.at(-1)! * 100);
    expect(large.at(-1)!).toBeGreaterThan(large[0] * 100);
    const { learningRate, clipNorm } = g.options;
    for (const r of g.rows) {
      for (const v of [r.gradFirst, r.gradLast, r.gradGlobal, r.update, r.clippedUpdate]) {
        expect(Number.isFinite(v)).toBe(true);
      }
      expect(r.update).toBeCloseTo(learningRate * r.gradGlobal, 2);
      expect(r.clippedUpdate).toBeLessThanOrEqual(learningRate * clipNorm * 1.001);
      expect(r.clippedUpdate / r.update).toBeCloseTo(r.clipScale, 3);
    }
    const runs = g.training.runs;
    expect(runs).toHaveLength(8);
    for (const r of runs) {
      if (r.clipNorm !== null)
        expect(r.maxUpdate).toBeLessThanOrEqual(learningRate * clipNorm * 1.001);
      if (r.divergedAt === null) expect(r.valMse).toBeGreaterThan(0);
    }
    expect(md).toContain('## (c) Vanishing and exploding gradients');
    // the memory runs' report, its path printed
    const report = path.join(out, 'memory', 'report.html');
    expect(lines).toContain(`report: ${report}`);
    expect(fs.readFileSync(report, 'utf8')).toContain('lstm-delay5');

    // (d, e) Both cells at every delay, accuracies in [0, 1], the table in answers.md.
    const m = answers.memory!;
    expect(m.runs.map((r) => `${r.cell}@${r.delay}`)).toEqual([
      'simpleRNN@2',
      'lstm@2',
      'simpleRNN@5',
      'lstm@5',
    ]);
    for (const r of m.runs) {
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
      expect(r.epochs).toBeGreaterThanOrEqual(1);
      expect(r.epochs).toBeLessThanOrEqual(3);
      expect(r.valCurve).toHaveLength(r.epochs);
      expect(r.steps).toBe(2 * 2 + r.delay + 1);
      const run = path.join(out, 'memory', `${r.cell}-delay${r.delay}`);
      expect(read(path.join(run, 'history.json')).val_accuracy).toEqual(r.valCurve);
      expect(read(path.join(run, 'metrics.json')).test_accuracy).toBe(r.testAccuracy);
    }
    // Parameters: 4 gate blocks for the LSTM (16 units, 11 symbols in, 11 out).
    expect(m.runs[0].params).toBe(16 * 11 + 16 * 16 + 16 + 16 * 11 + 11);
    expect(m.runs[1].params).toBe(4 * (16 * 11 + 16 * 16 + 16) + 16 * 11 + 11);
    expect(md).toMatch(/\| 5 \| 10 \| [\d.]+ \(\d+ ep, \d+ s\) \| [\d.]+ \(\d+ ep, \d+ s\) \|/);
    expect(saved.params.map((a: { byFormula: number }) => a.byFormula)).toEqual([8874, 33546]);
    expect(lines.join('\n')).toContain('(d, e) SimpleRNN vs LSTM');
    fs.rmSync(out, { recursive: true, force: true });
  });
});
