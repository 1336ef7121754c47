import { defineConfig, type Options } from 'tsup';
import root from '../../tsup.config';

// The root config, plus the `seqlearn-sweep` command and the entry of each run's child process
// (ESM only; the library finds pool-child.js beside itself in dist/). `clean` is off because the
// builds share dist/; `prebuild` empties it.
const base = (Array.isArray(root) ? root[0] : root) as Options;

export default defineConfig([
  { ...base, clean: false, entry: { index: 'src/index.ts' } },
  {
    ...base,
    clean: false,
    entry: { bin: 'src/bin.ts', 'pool-child': 'src/pool-child.ts' },
    format: ['esm'],
    dts: false,
  },
]);
