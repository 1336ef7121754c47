import { describe, expect, it } from 'vitest';
import { parseJsonEntries, pythonDumps, pythonString } from './python-json';

describe('pythonDumps', () => {
  it("should format as Python's json.dumps", () => {
    // json.dumps({"a": [1, True, None], "é\n": "x\"\\"}) in Python 3
    expect(pythonDumps({ a: [1, true, null], 'é\n': 'x"\\' })).toBe(
      '{"a": [1, true, null], "\\u00e9\\n": "x\\"\\\\"}',
    );
  });

  it('should escape astral characters as surrogate pairs and DEL', () => {
    // json.dumps("😀\x7f\x01") == '"\\ud83d\\ude00\\u007f\\u0001"'
    expect(pythonString('😀\x7f\x01')).toBe('"\\ud83d\\ude00\\u007f\\u0001"');
  });

  it('should write Map keys as strings in Map order', () => {
    expect(
      pythonDumps(
        new Map([
          [10, 'b'],
          [2, 'a'],
        ]),
      ),
    ).toBe('{"10": "b", "2": "a"}');
  });
});

describe('parseJsonEntries', () => {
  it('should keep integer-like keys in written order', () => {
    expect(parseJsonEntries('{"b": 1, "10": "x", "2": null}')).toEqual([
      ['b', 1],
      ['10', 'x'],
      ['2', null],
    ]);
  });

  it('should return undefined for anything but a flat object', () => {
    for (const text of ['[1]', '{"a": {"b": 1}}', '{"a": 1', '{"a" 1}', '{"a": 1} x']) {
      expect(parseJsonEntries(text)).toBeUndefined();
    }
    expect(parseJsonEntries(' { } ')).toEqual([]);
  });
});
