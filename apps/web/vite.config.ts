import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console builds to dist/web (or $CONSOLE_DIR), which the API serves at `/` (apps/api/src/app.factory.ts).
// `vite --config apps/web/vite.config.ts` serves it for development, the API proxied.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';
export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: {
    outDir: process.env.CONSOLE_DIR ? resolve(process.env.CONSOLE_DIR) : resolve(__dirname, '../../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
  server: { proxy: { '/api': api, '/openapi.json': api } },
});
