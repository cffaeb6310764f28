/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { offlinePrecache } from './scripts/vite-offline-plugin.ts';
import { contentSecurityPolicy } from './scripts/csp.ts';

// Relative base: the built site works from any sub-path of a static host.
export default defineConfig({
  base: './',
  // offlinePrecache writes dist/sw.js: after the first visit the demo works offline (docs/OFFLINE.md).
  // contentSecurityPolicy: the CSP as a header in dev and preview, the same as index.html's meta tag (scripts/csp.ts).
  plugins: [react(), offlinePrecache(), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tensor work is CPU-bound on two cores: run files one at a time for stable timing.
    fileParallelism: false,
  },
});
