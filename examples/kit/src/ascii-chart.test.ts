import { describe, expect, it } from 'vitest';
import { asciiChart } from './ascii-chart';

describe('asciiChart', () => {
  it('draws the maximum on the top row and the minimum on the bottom row', () => {
    const text = asciiChart([{ label: 'ramp', values: [0, 1, 2, 3] }], { height: 4 });
    const rows = text.split('\n');
    expect(rows[0]).toBe('3.00 |   *');
    expect(rows[3]).toBe('0.00 |*');
    expect(rows[4]).toBe('     +----');
    expect(rows[5]).toBe('* ramp');
  });

  it('gives each series its own symbol and names it in the legend', () => {
    const text = asciiChart(
      [
        { label: 'true', values: [0, 0, 0] },
        { label: 'generated', values: [1, 1, 1] },
      ],
      { height: 3 },
    );
    expect(text.split('\n')[0]).toContain('+++');
    expect(text.split('\n')[2]).toContain('***');
    expect(text).toContain('* true   + generated');
  });

  it('samples a long series down to the width and draws the marker column', () => {
    const values = Array.from({ length: 200 }, (_, t) => Math.sin(t / 10));
    const text = asciiChart([{ label: 's', values }], { height: 5, width: 50, marker: 100 });
    const lines = text.split('\n');
    const start = lines[5].indexOf('+') + 1; // first column of the plot area
    const rows = lines.slice(0, 5);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(start + 50);
    expect(lines[5].length).toBe(start + 50);
    expect(rows.every((row) => row[start + 25] === '|' || row[start + 25] === '*')).toBe(true);
    expect(rows.filter((row) => row[start + 25] === '|')).toHaveLength(4);
  });

  it('rejects a height below 2', () => {
    expect(() => asciiChart([{ label: 's', values: [1] }], { height: 1 })).toThrow(/height/);
  });
});
