import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

// SITECYCLE_WEB_OUT: the folder `npm run build` writes the bundle to (default dist; a relative
// path is relative to this folder).
// SITECYCLE_API: the sitecycle server that the dev server and `vite preview` forward /api to.
const outDir = resolve(import.meta.dirname, process.env.SITECYCLE_WEB_OUT || 'dist');
const apiTarget = process.env.SITECYCLE_API || 'http://127.0.0.1:8080';
const apiProxy = { '/api': { target: apiTarget, changeOrigin: false } };

// Whether the folder is missing or contains nothing but an earlier build (index.html and assets/).
// Only then is it emptied before a build, so that a mistyped SITECYCLE_WEB_OUT such as the
// repository's build/ folder is not wiped.
function containsOnlyEarlierBuild(folder) {
  let names;
  try {
    names = readdirSync(folder);
  } catch {
    return true;
  }
  return names.every((name) => name === 'index.html' || name === 'assets');
}

export default defineConfig({
  // Relative asset paths, so the bundle works from whatever folder sitecycle serves it at.
  base: './',
  plugins: [
    vue(),
    // Imports only the Element Plus components and styles that templates use.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
  ],
  // vue-i18n feature flags: Composition API only, no global <i18n-t> component or v-t directive,
  // no devtools hooks.
  define: {
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir,
    emptyOutDir: containsOnlyEarlierBuild(outDir),
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1', strictPort: true, proxy: apiProxy },
  preview: { host: '127.0.0.1', strictPort: true, proxy: apiProxy },
});
