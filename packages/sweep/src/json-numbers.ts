// JSON that keeps NaN and ±Infinity (a metric undefined on some run is NaN): plain JSON turns
// them into null, which would change a result on its way through run.json or Redis.
const KEY = '$number';

/** `JSON.stringify` that writes NaN, Infinity and -Infinity as `{"$number": "NaN"}` etc. */
export function stringifyNumbers(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? { [KEY]: String(v) } : v),
    space,
  );
}

/** The inverse of {@link stringifyNumbers}. */
export function parseNumbers(text: string): unknown {
  return JSON.parse(text, (_key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === KEY && typeof v[KEY] === 'string') return Number(v[KEY]);
    }
    return v;
  });
}
