import { describe, expect, it } from 'vitest';
import { dampedSine } from './damped-sine';
import { MEMORY_TASK_BLANK, MEMORY_TASK_DELIMITER, memoryTask } from './memory-task';
import { powerSeries } from './power-series';
import { sine } from './sine';
import { describeAdapterConformance } from './testing/index';

describeAdapterConformance(sine, {
  options: { length: 64, noise: 0.1, seed: 1 },
  splits: { all: 64 },
});
describeAdapterConformance(dampedSine, {
  options: { length: 64, noise: 0.1, seed: 1 },
  splits: { all: 64 },
});
describeAdapterConformance(memoryTask, {
  options: { examples: 20, k: 3, delay: 4, seed: 1 },
  splits: { train: 20, test: 20 },
});
describeAdapterConformance(powerSeries, { options: { hours: 200, seed: 1 }, splits: { all: 200 } });

describe('sine', () => {
  it('follows amplitude · sin(2π t / period + phase) without noise', async () => {
    const { values } = await sine.load({ length: 5, period: 4, amplitude: 2, phase: 0.5 });
    values.forEach((v, t) => {
      expect(v).toBeCloseTo(2 * Math.sin((2 * Math.PI * t) / 4 + 0.5), 12);
    });
  });

  it('adds noise that depends on the seed only', async () => {
    const a = await sine.load({ length: 50, noise: 0.5, seed: 1 });
    const b = await sine.load({ length: 50, noise: 0.5, seed: 1 });
    const c = await sine.load({ length: 50, noise: 0.5, seed: 2 });
    expect(b.values).toEqual(a.values);
    expect(c.values).not.toEqual(a.values);
  });

  it('throws INVALID_ARGUMENT for a length of 0 or a period of 0', async () => {
    await expect(sine.load({ length: 0 })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'length' }),
    );
    await expect(sine.load({ period: 0 })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'period' }),
    );
  });
});

describe('dampedSine', () => {
  it('follows amplitude · exp(-decay t) · sin(2π t / period + phase)', async () => {
    const { values } = await dampedSine.load({ length: 30, period: 7, decay: 0.1, amplitude: 3 });
    values.forEach((v, t) => {
      expect(v).toBeCloseTo(3 * Math.exp(-0.1 * t) * Math.sin((2 * Math.PI * t) / 7), 12);
    });
  });

  it('throws INVALID_ARGUMENT for a negative decay', async () => {
    await expect(dampedSine.load({ decay: -1 })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'decay' }),
    );
  });
});

describe('memoryTask', () => {
  it('lays out k digits, delay blanks, the delimiter, k blanks; the target recalls the digits', async () => {
    const { records, vocabularySize } = await memoryTask.load({
      examples: 50,
      k: 4,
      delay: 6,
      seed: 9,
    });
    expect(vocabularySize).toBe(11);
    for (const { input, target, gradePositions } of records) {
      expect(input).toHaveLength(15);
      const digits = input.slice(0, 4);
      expect(digits.every((d) => d >= 0 && d <= 8)).toBe(true);
      expect(input.slice(4, 10)).toEqual(new Array(6).fill(MEMORY_TASK_BLANK));
      expect(input[10]).toBe(MEMORY_TASK_DELIMITER);
      expect(input.slice(11)).toEqual(new Array(4).fill(MEMORY_TASK_BLANK));
      expect(target.slice(0, 11)).toEqual(new Array(11).fill(MEMORY_TASK_BLANK));
      expect(gradePositions).toEqual([11, 12, 13, 14]);
      expect(gradePositions.map((p) => target[p])).toEqual(digits);
    }
  });

  it('draws all nine digits and different sequences for train and test', async () => {
    const train = await memoryTask.load({ examples: 200, k: 5, seed: 1, split: 'train' });
    const test = await memoryTask.load({ examples: 200, k: 5, seed: 1, split: 'test' });
    const seen = new Set(train.records.flatMap((r) => r.input.slice(0, 5)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(test.records).not.toEqual(train.records);
  });

  it('throws INVALID_ARGUMENT for k = 0 or a negative delay', async () => {
    await expect(memoryTask.load({ k: 0 })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'k' }),
    );
    await expect(memoryTask.load({ delay: -1 })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'delay' }),
    );
  });
});

describe('powerSeries', () => {
  it('gives positive power with hour, weekday and temperature on every step', async () => {
    const { records, power } = await powerSeries.load({ hours: 24 * 14, seed: 3 });
    expect(records).toHaveLength(336);
    expect(power.every((p) => p > 0)).toBe(true);
    expect(records[25]).toMatchObject({ t: 25, hour: 1, dayOfWeek: 1 });
  });

  it('peaks in the evening and uses more power at weekends, on average', async () => {
    const { records } = await powerSeries.load({ hours: 24 * 7 * 20, seed: 4 });
    const mean = (f: (r: (typeof records)[number]) => boolean) => {
      const xs = records.filter(f).map((r) => r.power);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean((r) => r.hour === 19)).toBeGreaterThan(mean((r) => r.hour === 3) + 0.5);
    expect(mean((r) => r.dayOfWeek >= 5)).toBeGreaterThan(mean((r) => r.dayOfWeek < 5));
  });

  it('throws INVALID_ARGUMENT for hours = 0', async () => {
    await expect(powerSeries.load({ hours: 0 })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'hours' }),
    );
  });
});
