import { defineConfig, type Options } from 'tsup';
import root from '../../tsup.config';

// The root config, plus the second entry point `@seqlearn/datasets/testing` for adapter authors.
// Its CommonJS build comes from index-cjs.ts, which does not load vitest (vitest throws when
// required). `clean` is off because the two builds share dist/; `prebuild` empties it.
const base = (Array.isArray(root) ? root[0] : root) as Options;

export default defineConfig([
  {
    ...base,
    clean: false,
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
  },
  {
    ...base,
    clean: false,
    entry: { testing: 'src/testing/index.ts' },
    format: ['esm'],
    external: ['vitest'],
  },
  {
    ...base,
    clean: false,
    entry: { testing: 'src/testing/index-cjs.ts' },
    format: ['cjs'],
    external: ['vitest'],
  },
]);
