import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveParams, PARAM_QUESTIONS } from './param-counts';
import { runReviewQuestions } from './review';

describe('review-questions example', () => {
  it('answers 8874 for SimpleRNN(32, 64) and 33546 for LSTM(32, 64) on d = 30, 10 classes, by every route', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'review-questions-'));
    const lines: string[] = [];
    const answers = await runReviewQuestions({ out }, (l) => lines.push(l));
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
});
