import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Source maps stay off in production: they would publish the source a second time.
    sourcemap: false,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
