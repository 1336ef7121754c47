import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ReportError } from './errors';

/** The browser builds of vega, vega-lite and vega-embed, as script text to inline in a page. */
export interface VegaAssets {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

const BUILDS = [
  ['vega', 'vega', 'vega.min.js'],
  ['vegaLite', 'vega-lite', 'vega-lite.min.js'],
  ['vegaEmbed', 'vega-embed', 'vega-embed.min.js'],
] as const;

/**
 * Reads the minified browser (UMD) builds of vega, vega-lite and vega-embed from the installed
 * packages, for {@link reportHtml} to inline, so that a report opens without a network.
 * @example
 * ```ts
 * import { loadVegaAssets } from '@seqlearn/report';
 * const assets = await loadVegaAssets();
 * console.log(Object.keys(assets)); // [ 'vega', 'vegaLite', 'vegaEmbed' ]
 * ```
 * @throws {ReportError} `MISSING_ASSET` when a package or its `build/*.min.js` is not installed.
 */
export async function loadVegaAssets(): Promise<VegaAssets> {
  const require = createRequire(import.meta.url);
  const entries = await Promise.all(
    BUILDS.map(async ([key, pkg, file]) => {
      let location: string | undefined;
      try {
        // The packages export only their module entry, which lives in build/ beside the UMD file.
        location = path.join(path.dirname(require.resolve(pkg)), file);
        return [key, await fs.readFile(location, 'utf8')] as const;
      } catch (error) {
        throw new ReportError({
          code: 'MISSING_ASSET',
          argument: pkg,
          file: location,
          message: `${pkg}: expected its browser build ${location ?? `${pkg}/build/${file}`} to inline into the report, got ${(error as Error).message}`,
          cause: error,
        });
      }
    }),
  );
  return Object.fromEntries(entries) as unknown as VegaAssets;
}
