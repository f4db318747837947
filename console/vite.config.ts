import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into dist/console, which the API serves at /console (src/api/console).
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: path.resolve(__dirname, '../dist/console'),
    emptyOutDir: true,
    // Hashed file names: the API serves assets/ as immutable and index.html as no-cache.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 600,
  },
});
