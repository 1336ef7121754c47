import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Sweeps with workers > 1 run each setting in a child process that imports the TypeScript
    // sweep module (src/sweep-module.ts). `npm start` runs under tsx, whose loader the children
    // inherit with Node's flags; the test workers have none, so the children get it here.
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim() },
  },
});
