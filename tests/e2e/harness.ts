/**
 * End-to-end harness: serves the BUILT app (dist/, from `npm run build`) with `vite preview` on a free port and drives
 * Debian's Chromium through playwright-core. Every page's console errors and every request leaving the page's
 * origin are recorded; `expectClean()` fails the test on either.
 */
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** The build to serve: dist/, or MUZO_E2E_DIST (a separate build folder, e.g. while others rebuild dist/). */
export const BUILD_DIR = resolve(ROOT, process.env.MUZO_E2E_DIST ?? 'dist');

/** Serves the build with the preview settings (COOP/COEP headers) of vite.config.ts. */
export async function serveBuiltApp(): Promise<ServedApp> {
  if (!existsSync(join(BUILD_DIR, 'index.html'))) {
    throw new Error(`${BUILD_DIR}/index.html is missing: run \`npm run build\` first (\`npm test\` does it)`);
  }
  const port = await freePort();
  const server: PreviewServer = await preview({
    root: ROOT,
    build: { outDir: BUILD_DIR },
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => server.close(),
  };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  origin: string;
  consoleErrors: string[];
  foreignRequests: string[];
  /** Saves a full-page screenshot as test-artifacts/<name>.png. */
  screenshot(name: string, page?: Page): Promise<void>;
  /** Throws when a console error or a request outside the origin was seen; clears both lists. */
  expectClean(): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Console messages matching one of these are not errors of the app (e.g. an expected failed fetch offline). */
  allowConsole?: RegExp[];
}

/** Launches Chromium with a fresh profile and opens `url`. */
export async function openBrowser(url: string, options: OpenOptions = {}): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'muzo-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const origin = new URL(url).origin;
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const allowed = options.allowConsole ?? [];

  context.on('request', (request) => {
    const target = request.url();
    if (/^(data|blob|about|chrome-extension):/.test(target)) return;
    if (new URL(target).origin !== origin) foreignRequests.push(target);
  });
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = `${message.text()} (${message.location().url})`;
      if (!allowed.some((re) => re.test(text))) consoleErrors.push(text);
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  await page.goto(url);

  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    origin,
    consoleErrors,
    foreignRequests,
    async screenshot(name, target = page) {
      await target.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    expectClean() {
      const errors = consoleErrors.splice(0);
      const foreign = foreignRequests.splice(0);
      if (errors.length > 0) throw new Error(`console errors:\n${errors.join('\n')}`);
      if (foreign.length > 0) throw new Error(`requests outside ${origin}:\n${foreign.join('\n')}`);
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
