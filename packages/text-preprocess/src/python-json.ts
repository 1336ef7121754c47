// Writes JSON exactly as Python's `json.dumps` does with its defaults (internal): `", "` and
// `": "` separators and `ensure_ascii=True` (every character outside space..`~` escaped as a
// lowercase `\uXXXX`, astral characters as surrogate pairs), so that Keras' `to_json()` output
// can be reproduced byte for byte.

const named: Record<number, string> = {
  34: '\\"',
  92: '\\\\',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  8: '\\b',
  12: '\\f',
};

/** Python's `json.dumps(s)` for a string. */
export function pythonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const short = named[code];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += value[i];
  }
  return `${out}"`;
}

/** A value that {@link pythonDumps} can write. */
export type PythonJsonValue =
  | null
  | boolean
  | number
  | string
  | readonly PythonJsonValue[]
  | readonly (readonly [string | number, PythonJsonValue])[]
  | { readonly [key: string]: PythonJsonValue };

/**
 * Python's `json.dumps(value)`. A `Map` or an array of `[key, value]` entries (via
 * {@link entries}) is written as an object in its own order; integer keys become strings, as in
 * Python.
 */
export function pythonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Number.isInteger(value) ? value.toFixed(0) : String(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [k, v] of value) parts.push(`${pythonString(String(k))}: ${pythonDumps(v)}`);
    return `{${parts.join(', ')}}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => pythonDumps(v)).join(', ')}]`;
  const parts = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${pythonString(k)}: ${pythonDumps(v)}`,
  );
  return `{${parts.join(', ')}}`;
}

const stringToken = /"(?:[^"\\]|\\.)*"/y;
const scalarToken = /-?(?:\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity/y;
const space = /\s*/y;

/**
 * Parses a flat JSON object (values: strings, numbers, booleans, null) into its entries in the
 * order written. `JSON.parse` would move integer-like keys such as `"1"` or `"2020"` to the
 * front, which would lose Keras' `word_counts` order. Returns `undefined` when the text is not
 * such an object.
 */
export function parseJsonEntries(text: string): [string, unknown][] | undefined {
  let pos = 0;
  const skip = () => {
    space.lastIndex = pos;
    space.exec(text);
    pos = space.lastIndex;
  };
  const read = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return undefined;
    pos = re.lastIndex;
    return m[0];
  };
  const value = (token: string): unknown => {
    if (token === 'NaN') return Number.NaN;
    if (token === 'Infinity') return Number.POSITIVE_INFINITY;
    if (token === '-Infinity') return Number.NEGATIVE_INFINITY;
    return JSON.parse(token);
  };
  const entries: [string, unknown][] = [];
  try {
    skip();
    if (text[pos++] !== '{') return undefined;
    skip();
    if (text[pos] === '}') {
      pos++;
    } else {
      for (;;) {
        skip();
        const key = read(stringToken);
        if (key === undefined) return undefined;
        skip();
        if (text[pos++] !== ':') return undefined;
        skip();
        const token = read(stringToken) ?? read(scalarToken);
        if (token === undefined) return undefined;
        entries.push([JSON.parse(key) as string, value(token)]);
        skip();
        const next = text[pos++];
        if (next === '}') break;
        if (next !== ',') return undefined;
      }
    }
    skip();
    return pos === text.length ? entries : undefined;
  } catch {
    return undefined;
  }
}
