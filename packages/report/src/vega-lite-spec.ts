/** The `$schema` of the Vega-Lite specifications this package writes (Vega-Lite 6). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * A Vega-Lite specification as plain JSON: what `vega-lite`'s `compile` and `vega-embed` take.
 * Typed loosely here so that the declarations of this package do not depend on vega-lite's.
 */
export type VegaLiteSpec = { $schema: string } & Record<string, unknown>;

/** Categorical colours: `tableau10` for up to ten series, `category20` beyond. */
export function colorScheme(count: number): string {
  return count <= 10 ? 'tableau10' : 'category20';
}
