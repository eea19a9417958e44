// Bench section `browser`: the app's analysis worker pool in headless Chromium, on 30 s WAV clips made from the
// shared GTZAN FLACs: ms per clip on one worker (57 features, and the fast set without harmony/perceptr) and
// clips per second for the folder (every shared clip, as WAV) through the whole pool. Builds the app when its benchmark page is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudioBytes } from '../../core/audio/decode.ts';
import { encodeWav } from '../../core/audio/wav.ts';
import { BUILD_DIR, hasChromium, openBrowser, ROOT, serveBuiltApp } from '../../../tests/e2e/harness.ts';
import { SHARED_GTZAN_DIR } from '../benchMeasure.ts';

const GTZAN_DIR = SHARED_GTZAN_DIR;
const BENCH_PAGE = 'src/ui/bench/bench.html';
/**
 * Clips in the folder (default: all of them; fewer are spread over the genres) and clips timed one by one on a single
 * worker. A small folder mostly times V8 tiering up in fresh workers (their first ~5 clips are slower).
 */
const FOLDER_CLIPS = Number(process.env.MUZO_BENCH_CLIPS ?? Infinity);
const PER_WORKER_CLIPS = 4;

function gtzanClips(): string[] {
  const all = readdirSync(GTZAN_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(GTZAN_DIR, d.name)).filter((f) => f.endsWith('.flac')).map((f) => join(GTZAN_DIR, d.name, f)))
    .sort();
  const step = Math.max(1, Math.floor(all.length / FOLDER_CLIPS));
  return all.filter((_, i) => i % step === 0).slice(0, FOLDER_CLIPS);
}

const round = (value: unknown): unknown =>
  typeof value === 'number' ? Math.round(value * 100) / 100 : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)])) : value;

export async function bench(): Promise<Record<string, unknown>> {
  if (!existsSync(GTZAN_DIR)) return { skipped: `no shared GTZAN clips at ${GTZAN_DIR}` };
  if (!hasChromium()) return { skipped: 'no Chromium at /usr/bin/chromium' };
  if (!existsSync(join(BUILD_DIR, BENCH_PAGE))) {
    const build = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  const folder = mkdtempSync(join(tmpdir(), 'muzo-bench-wav-'));
  const app = await serveBuiltApp();
  const session = await openBrowser(`${app.url}${BENCH_PAGE}`);
  try {
    const paths: string[] = [];
    for (const flac of gtzanClips()) {
      const decoded = await decodeAudioBytes(new Uint8Array(readFileSync(flac)));
      const path = join(folder, flac.split('/').pop()!.replace(/\.flac$/, '.wav'));
      writeFileSync(path, encodeWav(decoded.channels, decoded.sampleRate, 'int16'));
      paths.push(path);
    }
    const { page } = session;
    await page.waitForFunction(() => document.title.endsWith('(ready)'));
    await page.getByLabel('Clips').setInputFiles(paths);
    const result = await page.evaluate((n) => (window as unknown as { muzoBench: (n: number) => Promise<Record<string, unknown>> }).muzoBench(n), PER_WORKER_CLIPS);
    session.expectClean();
    return { browser: 'Debian Chromium (headless)', targetClipsPerSecond: 5, ...(round(result) as Record<string, unknown>) };
  } finally {
    await session.close();
    await app.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
