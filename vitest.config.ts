import { defineConfig } from 'vitest/config';

// Lets an editor run every package's tests from the root; CI runs them per package under turbo.
export default defineConfig({
  test: { projects: ['packages/*', 'examples/*'] },
});
