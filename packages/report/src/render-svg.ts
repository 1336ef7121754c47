import { ReportError } from './errors';
import type { VegaLiteSpec } from './vega-lite-spec';

/**
 * Renders a Vega-Lite specification to an SVG document in Node, with vega's headless
 * `View.toSVG()` (no browser, no canvas package needed). vega and vega-lite are loaded on the
 * first call (they are ES modules with top-level await, so this also works from CommonJS).
 * @example
 * ```ts
 * import { learningCurveSpec, renderSvg } from '@seqlearn/report';
 * const spec = learningCurveSpec([{ runId: 'gru', history: { loss: [1.2, 0.9, 0.7] } }], { metric: 'loss' });
 * const svg = await renderSvg(spec);
 * console.log(svg.startsWith('<svg')); // true
 * ```
 * @throws {ReportError} `INVALID_ARGUMENT` when vega-lite cannot compile the specification.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vegaLite, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  let compiled: ReturnType<typeof vegaLite.compile>;
  try {
    // biome-ignore lint/suspicious/noExplicitAny: the spec is typed loosely on purpose
    compiled = vegaLite.compile(spec as any);
  } catch (error) {
    throw new ReportError({
      code: 'INVALID_ARGUMENT',
      argument: 'spec',
      message: `spec: expected a Vega-Lite specification, got one that does not compile: ${(error as Error).message}`,
      cause: error,
    });
  }
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
