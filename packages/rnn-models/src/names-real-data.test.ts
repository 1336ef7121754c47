import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRnnClassifier } from './create-rnn-classifier';
import { train } from './train';

const dir = join(__dirname, '../../../../shared/datasets/names');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!existsSync(dir))(
  'on the real surname data (shared/datasets/names; skipped when absent)',
  () => {
    it('a char SimpleRNN classifier trained with class weights lowers its loss on 4 languages', async () => {
      const languages = ['Chinese', 'Greek', 'Irish', 'Japanese'];
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(languages.map((l) => `${l}.txt`)));
      const letters = 'abcdefghijklmnopqrstuvwxyz';
      const maxLength = 10;
      const xs: number[][][] = [];
      const ys: number[] = [];
      languages.forEach((language, label) => {
        const names = readFileSync(join(dir, `${language}.txt`), 'utf8')
          .split('\n')
          .filter(Boolean)
          .slice(0, 150);
        for (const name of names) {
          const ids = [...name.toLowerCase()]
            .map((ch) => letters.indexOf(ch))
            .filter((i) => i >= 0)
            .slice(-maxLength);
          const rows = Array.from({ length: maxLength }, () => new Array(letters.length).fill(0));
          ids.forEach((id, t) => {
            rows[maxLength - ids.length + t][id] = 1; // pre-padding with zero rows
          });
          xs.push(rows);
          ys.push(label);
        }
      });
      const counts = languages.map((_, c) => ys.filter((y) => y === c).length);
      const classWeight = counts.map((n) => ys.length / (languages.length * n)); // scikit-learn 'balanced'
      const model = createRnnClassifier({
        cell: 'simpleRNN',
        units: 32,
        inputShape: [maxLength, 26],
        numClasses: 4,
        seed: 1,
      });
      const { history } = await train(
        model,
        { x: xs, y: ys },
        {
          loss: 'sparseCategoricalCrossentropy',
          epochs: 6,
          batchSize: 32,
          learningRate: 0.01,
          classWeight,
          seed: 1,
          verbose: 0,
        },
      );
      expect(history.loss.at(-1)!).toBeLessThan(history.loss[0] * 0.8);
      expect(history.accuracy.at(-1)!).toBeGreaterThan(0.5);
    });
  },
);
