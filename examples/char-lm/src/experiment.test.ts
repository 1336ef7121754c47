import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSequenceModel } from '@seqlearn/rnn-models';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runCharLmExperiment } from './experiment';
import { chunkStarts, evaluateSequence, sequenceBatch, windowStarts } from './language-model';
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
    expect(results.corpus.validationChars).toBe(parsed.evalChars);
    expect(results.corpus.heldOutChars).toBe(parsed.evalChars);
    expect(results.sweep.runs.map((r) => r.runId)).toEqual(['lstm-32']);
    expect(results.sweep.repeats).toHaveLength(1);
    const dir = path.join(out, 'lstm-32');
    const history = readJson(path.join(dir, 'history.json'));
    expect(history.loss).toHaveLength(1);
    expect(history.val_bits_per_char[0]).toBeCloseTo(history.val_loss[0] / Math.LN2, 10);
    const metrics = readJson(path.join(dir, 'metrics.json'));
    expect(metrics.valPerplexity).toBeCloseTo(Math.exp(metrics.valLoss), 8);
    // One epoch on 3000 characters already beats uniform guessing over 65 characters.
    expect(metrics.valBitsPerChar).toBeLessThan(Math.log2(65));
    // The selection run never reads the test text; the final run reports it.
    expect(Object.keys(metrics).filter((k) => k.startsWith('test_'))).toEqual([]);
    const final = results.sweep.repeats[0];
    expect(final.metrics.test_bitsPerChar).toBeCloseTo(final.metrics.test_loss / Math.LN2, 10);
    expect(final.metrics.test_bitsPerChar).toBeLessThan(Math.log2(65));
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

describe.skipIf(!fs.existsSync(data))('char-lm --refit', () => {
  it('trains the final run on training + validation text and still chooses on validation', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'char-lm-refit-'));
    const parsed = parseCharLmArgs(['--quick', '--quiet', '--refit', '--out', out]);
    if (parsed === 'help') throw new Error('unexpected help');
    const results = await runCharLmExperiment(parsed, () => {});
    const [selection] = results.sweep.runs;
    const [final] = results.sweep.repeats;
    const { trainChars, validationChars } = results.corpus;
    expect(selection.metrics.trainChars).toBe(trainChars);
    expect(selection.metrics.valBitsPerChar).toBeLessThan(Math.log2(65));
    // The refit trained on both parts, so it has no validation figures, and it has test ones.
    expect(final.metrics.trainChars).toBe(trainChars + validationChars);
    expect(final.metrics.valBitsPerChar).toBeUndefined();
    expect(final.history.val_loss).toBeUndefined();
    expect(final.metrics.test_bitsPerChar).toBeLessThan(Math.log2(65));
    fs.rmSync(out, { recursive: true, force: true });
  });
});

describe.skipIf(!fs.existsSync(data))('char-lm settings', () => {
  it('refuses an unknown targets mode and a bad lrDecay, naming the field', async () => {
    for (const [field, value] of [
      ['targets', 'all'],
      ['lrDecay', 0],
      ['lrDecay', 1.5],
    ] as const) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'char-lm-bad-'));
      const sweep = path.join(dir, 'sweep.json');
      fs.writeFileSync(
        sweep,
        JSON.stringify([{ id: 'bad', cell: 'lstm', units: 4, [field]: value }]),
      );
      const parsed = parseCharLmArgs(['--quick', '--quiet', '--sweep', sweep, '--out', dir]);
      if (parsed === 'help') throw new Error('unexpected help');
      await expect(runCharLmExperiment(parsed, () => {})).rejects.toThrow(
        new RegExp(`setting "bad": ${field}: expected`),
      );
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('char-lm helpers', () => {
  it('makes a window for every position that has a next character', () => {
    expect(windowStarts(5, 2)).toEqual([0, 1, 2]);
    expect(windowStarts(10, 3, 4)).toEqual([0, 4]);
  });

  it('cuts the text into consecutive chunks that each have a next character', () => {
    expect(chunkStarts(10, 3)).toEqual([0, 3, 6]);
    expect(chunkStarts(10, 3, 1)).toEqual([1, 4]);
    const { xs, ys } = sequenceBatch([0, 1, 2, 3, 4, 0, 1], [0, 3], 3, 5);
    expect(xs.shape).toEqual([2, 3, 5]);
    expect(tf.argMax(xs, -1).arraySync() as number[][]).toEqual([
      [0, 1, 2],
      [3, 4, 0],
    ]);
    // The target of every step is the next character.
    expect(tf.argMax(ys, -1).arraySync() as number[][]).toEqual([
      [1, 2, 3],
      [4, 0, 1],
    ]);
    tf.dispose([xs, ys]);
  });

  it('scores every character once, with the context it would have in one pass', () => {
    const model = createSequenceModel({
      cell: 'lstm',
      units: 8,
      inputShape: [null, 5],
      returnSequences: true,
      numClasses: 5,
      seed: 3,
    });
    const ids = Array.from({ length: 23 }, (_, i) => (i * 7 + (i % 3)) % 5);
    // One chunk holding the whole text: the mean negative log-likelihood of one forward pass.
    const whole = evaluateSequence(model, ids, { steps: 100, size: 5 });
    const { xs, ys } = sequenceBatch(ids, [0], ids.length - 1, 5);
    const probs = model.predict(xs) as tf.Tensor;
    const expected = tf.mean(tf.neg(tf.log(tf.sum(tf.mul(probs, ys), -1)))).dataSync()[0];
    expect(whole.windows).toBe(ids.length - 1);
    expect(whole.crossEntropy).toBeCloseTo(expected, 5);
    // Chunks of 4 scored steps after up to 4 of context, batched by length: the same as running
    // each chunk alone and scoring its steps after the context.
    const chunked = evaluateSequence(model, ids, { steps: 4, size: 5, batchSize: 2 });
    let total = 0;
    for (let s = 0; s < ids.length - 1; s += 4) {
      const from = Math.max(0, s - 4);
      const to = Math.min(s + 4, ids.length - 1);
      tf.tidy(() => {
        const one = sequenceBatch(ids, [from], to - from, 5);
        const p = model.predict(one.xs) as tf.Tensor;
        const nll = tf.neg(tf.log(tf.sum(tf.mul(p, one.ys), -1))).dataSync();
        for (let t = s - from; t < to - from; t++) total += nll[t];
      });
    }
    expect(chunked.windows).toBe(ids.length - 1);
    expect(chunked.crossEntropy).toBeCloseTo(total / (ids.length - 1), 5);
    tf.dispose([xs, ys, probs]);
    model.dispose();
  });

  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseCharLmArgs(['--temperatures', '0.5,-1'])).toThrow(/--temperatures/);
    expect(() => parseCharLmArgs(['--window', '0'])).toThrow(/--window/);
  });
});
