import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into dist/console, which the API serves at /console (src/api/console).
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  // `npx vite --config console/vite.config.ts`: hot reload, with the API calls sent to a running Kairos.
  server: {
    proxy: Object.fromEntries(['/v1', '/docs'].map((p) => [p, process.env.KAIROS_API_URL ?? 'http://127.0.0.1:3000'])),
  },
  build: {
    outDir: path.resolve(__dirname, '../dist/console'),
    emptyOutDir: true,
    // Hashed file names: the API serves assets/ as immutable and index.html as no-cache.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      // zod's sources carry comments Rollup cannot place ("contains an annotation that Rollup cannot interpret"): a
      // dependency's, harmless, and printed on every build (npm start included). Kairos's own annotations still warn.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
});
