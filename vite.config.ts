import { createReadStream, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP/COEP) enables SharedArrayBuffer and multi-threaded wasm.
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const ROOT = import.meta.dirname;

/** The benchmark page: built beside the app, never cached by the service worker. */
export const BENCH_PAGE = 'src/ui/bench/bench.html';

/** Where the app serves tfjs-backend-wasm's binaries: from its own origin, never a CDN (see the CSP). */
export const TFJS_WASM_DIR = 'tfjs-wasm/';
const TFJS_WASM_SOURCE = resolve(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const TFJS_WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Copies the tfjs wasm binaries into the build (fixed names, as setWasmPaths expects) and serves them in dev. */
function tfjsWasm(): Plugin {
  return {
    name: 'muzo-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.startsWith(`/${TFJS_WASM_DIR}`) ? req.url.slice(TFJS_WASM_DIR.length + 1).split('?')[0] : null;
        if (!name || !TFJS_WASM_FILES.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        createReadStream(join(TFJS_WASM_SOURCE, name)).pipe(res);
      });
    },
    generateBundle() {
      for (const name of TFJS_WASM_FILES) {
        this.emitFile({ type: 'asset', fileName: `${TFJS_WASM_DIR}${name}`, source: readFileSync(join(TFJS_WASM_SOURCE, name)) });
      }
    },
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * Writes dist/sw.js: the service worker (src/sw/service-worker.js) preceded by the list of every file of the build
 * and a version derived from their contents, so the whole app is cached at first load and works offline after.
 */
function serviceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'muzo-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      if (!existsSync(outDir)) return;
      const hash = createHash('sha256');
      const files = listFiles(outDir)
        .map((path) => relative(outDir, path).split('\\').join('/'))
        .filter((path) => path !== 'sw.js' && !path.endsWith('.map') && !path.startsWith('src/ui/bench/') && !path.includes('/bench-'))
        .sort();
      for (const path of files) hash.update(path).update(readFileSync(join(outDir, path)));
      const precache = ['./', ...files.filter((path) => path !== 'index.html').map((p) => `./${p}`)];
      const source = readFileSync(resolve(ROOT, 'src/sw/service-worker.js'), 'utf8');
      writeFileSync(
        join(outDir, 'sw.js'),
        `const VERSION = ${JSON.stringify(hash.digest('hex').slice(0, 16))};\nconst PRECACHE = ${JSON.stringify(precache)};\n${source}`,
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), tfjsWasm(), serviceWorker()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders, port: 5173 },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // The app, and the worker-pool benchmark page that `npx muzo bench` drives (src/cli/bench/browser.ts).
    rollupOptions: { input: { main: resolve(ROOT, 'index.html'), bench: resolve(ROOT, BENCH_PAGE) } },
  },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
