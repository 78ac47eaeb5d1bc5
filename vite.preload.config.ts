import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The sandboxed preload must be one CommonJS file that requires nothing but electron. */
export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL('./dist/preload', import.meta.url)),
    emptyOutDir: true,
    minify: false,
    lib: { entry: fileURLToPath(new URL('./electron/preload/preload.ts', import.meta.url)), formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
