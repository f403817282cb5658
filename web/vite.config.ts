import { defineConfig } from 'vite';

// Served by `entente serve` under /ui/ (static_dir); hash routing keeps deep links working.
export default defineConfig({
  base: '/ui/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // No inline <script>/<style>: the server's CSP is default-src 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/api': { target: process.env.ENTENTE_URL ?? 'https://127.0.0.1:8443', secure: false } },
  },
});
