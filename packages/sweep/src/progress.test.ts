import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from './progress';

describe('createProgress', () => {
  it('prints runs done of total and an ETA from the mean run time and the workers', () => {
    const lines: string[] = [];
    let t = 0;
    const progress = createProgress({
      total: 5,
      parallel: 2,
      log: (l) => lines.push(l),
      now: () => t,
    });
    progress.kept('a');
    progress.started('b');
    progress.started('c');
    t = 10_000;
    progress.finished('b', 'accuracy 0.8000');
    t = 30_000;
    progress.finished('c');
    expect(lines).toEqual([
      '[1/5] a: finished earlier, kept; ETA unknown until a run finishes',
      // one timed run of 10 s, 3 left, 2 at once: 15 s
      '[2/5] b accuracy 0.8000 (10.0 s); ETA 15 s',
      // mean (10 + 30) / 2 = 20 s, 2 left, 2 at once: 20 s
      '[3/5] c (30.0 s); ETA 20 s',
    ]);
  });

  it('divides by the runs left when fewer runs than workers remain', () => {
    const lines: string[] = [];
    let t = 0;
    const progress = createProgress({
      total: 2,
      parallel: 8,
      log: (l) => lines.push(l),
      now: () => t,
    });
    progress.started('a');
    t = 90_000;
    progress.finished('a');
    expect(lines.at(-1)).toBe('[1/2] a (90.0 s); ETA 1 min 30 s');
    progress.started('b');
    progress.finished('b');
    expect(lines.at(-1)).toMatch(/^\[2\/2\] b .*; done$/);
  });
});

describe('formatDuration', () => {
  it('writes seconds, minutes and hours', () => {
    expect([formatDuration(45.4), formatDuration(185), formatDuration(7620)]).toEqual([
      '45 s',
      '3 min 05 s',
      '2 h 07 min',
    ]);
  });
});
