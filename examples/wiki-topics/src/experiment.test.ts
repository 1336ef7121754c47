import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildModel,
  encodeParagraphs,
  firstPerClass,
  runWikiTopics,
  settingOptimizer,
  splitValidation,
} from './experiment';
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

describe('splitValidation', () => {
  const records = Array.from({ length: 30 }, (_, i) => ({ text: `p${i}`, label: i % 3 }));

  it('holds out 20% of every class, seeded, disjoint from the rest and in file order', () => {
    const { train, val } = splitValidation(records, { seed: 7 });
    expect(val).toHaveLength(6);
    expect(train).toHaveLength(24);
    for (const label of [0, 1, 2]) expect(val.filter((r) => r.label === label)).toHaveLength(2);
    expect(new Set([...train, ...val].map((r) => r.text)).size).toBe(30);
    const order = (rs: typeof records) => rs.map((r) => Number(r.text.slice(1)));
    expect(order(val)).toEqual([...order(val)].sort((a, b) => a - b));
    expect(splitValidation(records, { seed: 7 }).val).toEqual(val);
    expect(splitValidation(records, { seed: 8 }).val).not.toEqual(val);
  });
});

describe('settingOptimizer', () => {
  it('makes SGD with momentum a tfjs momentum optimizer and names the others', () => {
    const m = settingOptimizer({ id: 'm', kind: 'wordCnn', optimizer: 'sgd', momentum: 0.9 }, 0.01);
    expect(typeof m.optimizer).toBe('object');
    expect(m.label).toContain('momentum 0.9');
    if (typeof m.optimizer === 'object') m.optimizer.dispose();
    expect(settingOptimizer({ id: 's', kind: 'wordCnn', optimizer: 'sgd' }, 0.01).optimizer).toBe(
      'sgd',
    );
    expect(settingOptimizer({ id: 'a', kind: 'wordCnn' }, 0.01).optimizer).toBe('adam');
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

  it('gives a character GRU or LSTM the units of its setting', () => {
    const vocab = { vocabSize: 128, maxLength: 100, seed: 1 };
    const gru = buildModel({ id: 'g', kind: 'charGru', units: 64 }, vocab);
    // GRU(64), tfjs' formulation, on 128 one-hot inputs: 3 × (64 × (128 + 64) + 64) = 37,056;
    // Dense 64 × 14 + 14 = 910: the 37,966 of the README's char-gru-64.
    expect(gru.params).toBe(37_056 + 910);
    expect(gru.model.countParams() - 128 * 128).toBe(gru.params);
    const lstm = buildModel({ id: 'l', kind: 'charGru', cell: 'lstm', units: 64 }, vocab);
    expect(lstm.params).toBe(4 * (64 * (128 + 64) + 64) + 910);
    expect(lstm.model.countParams() - 128 * 128).toBe(lstm.params);
    gru.model.dispose();
    lstm.model.dispose();
  });
});

describe.skipIf(!fs.existsSync(data))('wiki-topics example (needs shared/datasets/wiki-15)', () => {
  it('chooses on validation, tests the chosen setting only and writes every file', async () => {
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
      expect('test_accuracy' in metrics).toBe(final);
      const cm = JSON.parse(fs.readFileSync(path.join(dir, 'confusion-matrix.json'), 'utf8'));
      expect(cm.labels).toHaveLength(14);
      expect(cm.split).toBe(final ? 'test' : 'validation');
      // Quick mode: 20 training paragraphs per class (4 held out for validation), 10 test ones.
      expect(cm.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(
        14 * (final ? 10 : 4),
      );
    }
    const md = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
    expect(md).toContain('s / epoch');
    const [selection, chosen] = md.split('## Selection')[1].split('## Chosen setting');
    expect(selection).not.toContain('test_');
    expect(chosen).toContain('test_accuracy');
    const epochs = fs.readFileSync(path.join(out, 'epochs.md'), 'utf8');
    expect(epochs).toContain('word-gru');
    expect(epochs).toContain('# Validation loss after each epoch');
    expect(fs.readFileSync(path.join(out, 'curves.md'), 'utf8')).toContain(
      '## Validation loss per epoch',
    );
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('--optimizers compares five optimizers on the word CNN with learning curves', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wiki-optimizers-'));
    const parsed = parseWikiArgs([
      '--optimizers',
      '--quick',
      '--quiet',
      '--epochs',
      '3',
      '--out',
      out,
      '--repeats',
      '1',
    ]);
    if (parsed === 'help') throw new Error('unexpected help');
    const lines: string[] = [];
    const results = await runWikiTopics(parsed, (l) => lines.push(l));
    const ids = [
      'word-cnn-sgd',
      'word-cnn-sgd-momentum0.1',
      'word-cnn-sgd-momentum0.9',
      'word-cnn-rmsprop',
      'word-cnn-adam',
    ];
    expect(results.runs.map((r) => r.runId)).toEqual(ids);
    expect(results.runs.every((r) => (r.setting as { kind?: string }).kind === 'wordCnn')).toBe(
      true,
    );
    for (const id of ids) {
      const history = JSON.parse(fs.readFileSync(path.join(out, id, 'history.json'), 'utf8'));
      for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
        expect(history[key]).toHaveLength(3);
        expect(history[key].every(Number.isFinite)).toBe(true);
      }
    }
    // The optimizers train differently from the same initial weights.
    const finalLoss = results.runs.map((r) => r.history.loss[2]);
    expect(new Set(finalLoss).size).toBe(5);
    const curves = fs.readFileSync(path.join(out, 'curves.md'), 'utf8');
    expect(curves).toContain('optimizers on the word CNN');
    for (const section of ['Validation loss', 'Validation accuracy', 'Training loss']) {
      expect(curves).toContain(`## ${section} per epoch`);
    }
    for (const [i, id] of ids.entries()) expect(curves).toContain(`${i + 1} ${id}`);
    expect(lines.join('\n')).toContain('Validation loss per epoch');
    expect(results.repeats).toHaveLength(1);
    fs.rmSync(out, { recursive: true, force: true });
  });
});

describe('parseWikiArgs', () => {
  it('rejects a bad flag value with a message naming the flag', () => {
    expect(() => parseWikiArgs(['--learning-rate', '-1'])).toThrow(/--learning-rate/);
    expect(() => parseWikiArgs(['--optimizers', '--sweep', 'x.json'])).toThrow(/--optimizers/);
  });
});
