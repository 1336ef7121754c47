import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '@seqlearn/rnn-models';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildUmichModel,
  dedupe,
  groupedValidationSplit,
  predictionsTsv,
  readUnlabeled,
  runUmichSentiment,
  splitSentences,
  toSentences,
} from './experiment';
import { parseUmichArgs } from './options';

const options = parseUmichArgs(['--quick', '--quiet']);
const data = options === 'help' ? '' : options.data;

describe('dedupe and the splits', () => {
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

  // 40 distinct sentences, each repeated 1 to 4 times.
  const many = toSentences(
    Array.from({ length: 40 }, (_, k) =>
      Array.from({ length: 1 + (k % 4) }, () => ({
        text: `sentence number ${k} is ${k % 2 ? 'good' : 'bad'}`,
        label: k % 2,
      })),
    ).flat(),
  );

  it('holds out validation sentences by sentence: no copy on both sides', () => {
    const all = many.map((_, i) => i);
    const { trainIndices, valIndices } = groupedValidationSplit(many, all, { seed: 3 });
    expect(trainIndices.length + valIndices.length).toBe(many.length);
    const trainKeys = new Set(trainIndices.map((i) => many[i].key));
    expect(valIndices.some((i) => trainKeys.has(many[i].key))).toBe(false);
    // 20% of the 40 distinct sentences, half of each label.
    const valKeys = new Set(valIndices.map((i) => many[i].key));
    expect(valKeys.size).toBe(8);
    expect([...valKeys].filter((k) => k.endsWith('good'))).toHaveLength(4);
    expect(groupedValidationSplit(many, all, { seed: 3 }).valIndices).toEqual(valIndices);
  });

  it('splits test / validation / train and marks the test sentences also in training', () => {
    const { trainIndices, valIndices, testIndices, seenInTrain } = splitSentences(many, 1);
    expect(new Set([...trainIndices, ...valIndices, ...testIndices]).size).toBe(many.length);
    expect(testIndices.length).toBe(Math.ceil(0.2 * many.length));
    const trainKeys = new Set(trainIndices.map((i) => many[i].key));
    expect(seenInTrain).toEqual(testIndices.map((i) => trainKeys.has(many[i].key)));
    // The test part is a plain split: with duplicates, some test sentences were trained on.
    expect(seenInTrain.some(Boolean)).toBe(true);
    expect(valIndices.some((i) => trainKeys.has(many[i].key))).toBe(false);
  });
});

describe('buildUmichModel', () => {
  beforeAll(async () => {
    await initBackend({ log: false });
  });
  const base = { id: 'x', dedupe: true, embeddingDim: 6, units: 4 };
  const args = { vocabSize: 20, maxlen: 7, seed: 1 };

  it('puts SpatialDropout1D or Dropout between the Embedding and the LSTM', () => {
    const plain = buildUmichModel(base, args);
    const spatial = buildUmichModel({ ...base, spatialDropout: 0.2 }, args);
    const dropout = buildUmichModel({ ...base, embeddingDropout: 0.2 }, args);
    const classes = (m: { layers: { getClassName(): string }[] }) =>
      m.layers.map((l) => l.getClassName());
    expect(plain.base).toBeNull();
    expect(classes(plain.model)).toEqual(['Embedding', 'LSTM', 'Dense']);
    expect(classes(spatial.model)).toEqual([
      'InputLayer',
      'Embedding',
      'SpatialDropout1D',
      'LSTM',
      'Dense',
    ]);
    expect(classes(dropout.model)).toContain('Dropout');
    // Same weights to learn, and the same initial weights for the same seed.
    expect(spatial.model.countParams()).toBe(plain.model.countParams());
    const first = (m: typeof plain.model) => Array.from(m.getWeights()[0].dataSync());
    expect(first(spatial.model)).toEqual(first(plain.model));
    for (const m of [plain, spatial, dropout]) {
      m.model.dispose();
      m.base?.dispose();
    }
  });

  it('rejects both dropouts at once and a rate out of range', () => {
    expect(() =>
      buildUmichModel({ ...base, spatialDropout: 0.2, embeddingDropout: 0.2 }, args),
    ).toThrow(/not both/);
    expect(() => buildUmichModel({ ...base, spatialDropout: 1 }, args)).toThrow(/spatialDropout/);
  });
});

describe('unlabelled sentences', () => {
  it('reads one sentence a line and writes sentence, label and probability', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umich-unlabeled-'));
    const file = path.join(dir, 'few.txt');
    fs.writeFileSync(file, 'I love it.\r\nso\tbad\n');
    expect(await readUnlabeled(file)).toEqual(['I love it.', 'so\tbad']);
    expect(await readUnlabeled(file, 1)).toEqual(['I love it.']);
    expect(predictionsTsv(['I love it.', 'so\tbad'], [0.91234, 0.2])).toBe(
      'sentence\tlabel\tprobability_positive\nI love it.\t1\t0.9123\nso bad\t0\t0.2000\n',
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!fs.existsSync(data))(
  'umich-sentiment example (needs shared/datasets/si650-sentiment)',
  () => {
    it('chooses on validation, tests the chosen setting only and labels unlabelled sentences', async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'umich-example-'));
      // A small unlabelled file generated here, so the test does not depend on testdata.txt.
      const unlabeled = path.join(out, 'unlabeled.txt');
      const texts = ['I love Harry Potter.', 'Brokeback Mountain was boring...', 'da vinci code'];
      fs.writeFileSync(unlabeled, `${texts.join('\n')}\n`);
      const parsed = parseUmichArgs([
        '--quick',
        '--quiet',
        '--out',
        out,
        '--repeats',
        '1',
        '--unlabeled',
        unlabeled,
      ]);
      if (parsed === 'help') throw new Error('unexpected help');
      const lines: string[] = [];
      const results = await runUmichSentiment(parsed, (l) => lines.push(l));
      expect(results.runs.map((r) => r.runId)).toEqual([
        'lstm-with-duplicates',
        'lstm-deduplicated',
        'lstm-deduplicated-dropout0.2',
        'lstm-deduplicated-spatialdropout0.2',
      ]);
      const [raw, deduped] = results.runs;
      expect(deduped.metrics.trainSize).toBeLessThan(raw.metrics.trainSize);
      // Deduplicating first leaves no test sentence that is also in training.
      expect(deduped.metrics.unseenTestSize).toBe(deduped.metrics.testSize);
      expect(raw.metrics.unseenTestSize).toBeLessThan(raw.metrics.testSize);
      const bestVal = Math.max(...results.runs.map((r) => r.metrics.val_accuracy));
      expect(results.runs.find((r) => r.setting.id === results.best.id)?.metrics.val_accuracy).toBe(
        bestVal,
      );
      expect(results.repeats.map((r) => r.runId)).toEqual([`${results.best.id}-seed43`]);
      for (const run of [...results.runs, ...results.repeats]) {
        const final = run.phase === 'final';
        const dir = path.join(out, run.runId);
        const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8'));
        expect(history.loss).toHaveLength(1);
        expect(history.val_accuracy).toHaveLength(1);
        const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
        expect(metrics.val_accuracy).toBeGreaterThanOrEqual(0);
        expect('test_accuracy' in metrics).toBe(final);
        const cm = JSON.parse(fs.readFileSync(path.join(dir, 'confusion-matrix.json'), 'utf8'));
        expect(cm.split).toBe(final ? 'test' : 'validation');
        expect(cm.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(
          final ? metrics.testSize : metrics.valSize,
        );
      }
      const md = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
      const [selection, chosen] = md.split('## Selection')[1].split('## Chosen setting');
      expect(selection).not.toContain('test_');
      expect(chosen).toContain('test_accuracyUnseen');
      expect(md).toContain('s / epoch');
      expect(md).toContain('## Predictions for unlabelled sentences');
      const tsv = fs.readFileSync(path.join(out, 'predictions.tsv'), 'utf8').trimEnd().split('\n');
      expect(tsv[0]).toBe('sentence\tlabel\tprobability_positive');
      expect(tsv.slice(1).map((l) => l.split('\t')[0])).toEqual(texts);
      for (const row of tsv.slice(1)) {
        const [, label, p] = row.split('\t');
        expect(Number(p)).toBeGreaterThanOrEqual(0);
        expect(Number(p)).toBeLessThanOrEqual(1);
        expect(label).toBe(Number(p) > 0.5 ? '1' : '0');
      }
      expect(results.predictions).toMatchObject({ count: 3, runId: `${results.best.id}-seed43` });
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

  it('finds testdata.txt beside the training data, and --unlabeled none skips it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umich-data-'));
    fs.writeFileSync(path.join(dir, 'training.txt'), '1\tgood\n');
    expect(parseUmichArgs(['--data', dir])).toMatchObject({ unlabeled: undefined });
    fs.writeFileSync(path.join(dir, 'testdata.txt'), 'fine\n');
    const withFile = parseUmichArgs(['--data', path.join(dir, 'training.txt')]);
    expect(withFile).toMatchObject({ unlabeled: path.join(dir, 'testdata.txt') });
    expect(parseUmichArgs(['--data', dir, '--unlabeled', 'none'])).toMatchObject({
      unlabeled: undefined,
    });
    expect(parseUmichArgs(['--quick', '--data', dir])).toMatchObject({ unlabeledLimit: 200 });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseUmichArgs(['--maxlen', '0'])).toThrow(/--maxlen/);
    expect(() => parseUmichArgs(['--unlabeled-limit', '-1'])).toThrow(/--unlabeled-limit/);
    expect(() => parseUmichArgs(['--nope'])).toThrow();
  });
});
