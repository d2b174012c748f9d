import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  css: {
    preprocessorOptions: {
      scss: {
        loadPaths: [fileURLToPath(new URL('./node_modules/@kern-ux/native/src/scss', import.meta.url))],
        // KERN's own sources use Sass features that newer Sass versions deprecate; not ours to fix.
        quietDeps: true,
        silenceDeprecations: ['if-function', 'import', 'global-builtin', 'color-functions'],
      },
    },
  },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Source maps stay off in production: they would publish the source a second time.
    sourcemap: false,
    // The manifest tells the server the hashed files of the residents' survey page (survey-page.ts).
    manifest: true,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./src/web/index.html', import.meta.url)),
        survey: fileURLToPath(new URL('./src/web/survey/main.ts', import.meta.url)),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
