import { afterAll, beforeAll } from 'vitest';
import { openBrowser, serveBuiltApp, type BrowserSession, type ServedApp } from './harness.ts';

/**
 * Serves the build and opens it (at `hash`) in a fresh browser for the enclosing describe block, closing both after
 * it. The fields are set once the block's beforeAll hooks have run.
 */
export function useServedApp(hash = ''): { app: ServedApp; session: BrowserSession } {
  const served = {} as { app: ServedApp; session: BrowserSession };
  beforeAll(async () => {
    served.app = await serveBuiltApp();
    served.session = await openBrowser(`${served.app.url}${hash}`);
  });
  afterAll(async () => {
    await served.session?.close();
    await served.app?.close();
  });
  return served;
}
