import { defineConfig } from 'tsup';

// One config serves every package: tsup looks for it in parent folders.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  shims: true,
});
