import { defineConfig, type Options } from 'tsup';
import root from '../../tsup.config';

// The root config, plus the `seqlearn` command (ESM only, one file with its shebang).
// `clean` is off because the two builds share dist/; `prebuild` empties it.
const base = (Array.isArray(root) ? root[0] : root) as Options;

export default defineConfig([
  { ...base, clean: false, entry: { index: 'src/index.ts' } },
  { ...base, clean: false, entry: { cli: 'src/bin.ts' }, format: ['esm'], dts: false },
]);
