/**
 * The benchmark page: measures the analysis worker pool on the clips put in its file input. It calls the workers
 * directly (no feature cache), exactly as the app's pipeline does for WAV files: bytes transferred to a worker,
 * parsed, prepared and analysed there.
 */
import { transfer } from 'comlink';
import type { FeatureSetName } from '../../core/features/gtzan.ts';
import { WorkerPool, defaultPoolSize, domPoolWorker } from '../../../workers/pool.ts';
import type { AnalysisWorkerApi } from '../../../workers/analysis.worker.ts';

function newPool(size: number): WorkerPool<AnalysisWorkerApi> {
  return new WorkerPool<AnalysisWorkerApi>(
    () => domPoolWorker(new Worker(new URL('../../../workers/analysis.worker.ts', import.meta.url), { type: 'module' })),
    size,
  );
}

async function clipBytes(): Promise<Uint8Array[]> {
  const input = document.getElementById('files') as HTMLInputElement;
  return Promise.all([...(input.files ?? [])].map(async (f) => new Uint8Array(await f.arrayBuffer())));
}

async function analyseAll(pool: WorkerPool<AnalysisWorkerApi>, clips: Uint8Array[], featureSet: FeatureSetName) {
  return Promise.all(
    clips.map((bytes) => {
      const copy = bytes.slice();
      return pool.run((api) =>
        api.analyse(transfer({ kind: 'encoded' as const, bytes: copy }, [copy.buffer]), { featureSet, clip: true, segmentSeconds: null, logMelPatchSeconds: null }),
      );
    }),
  );
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * ms per clip on one worker, for a feature set: the first clip warms the worker up and is not counted; the sample is
 * then timed twice. The first pass (coldMsPerClip) still runs while V8 tiers the extractor's code up (over a fresh
 * worker's first five or so clips); the second is the steady state of a batch of files, which Node's `features`
 * section also measures (after its warm-up).
 */
async function perClipOnOneWorker(clips: Uint8Array[], featureSet: FeatureSetName) {
  const pool = newPool(1);
  try {
    await analyseAll(pool, clips.slice(0, 1), featureSet);
    const timePass = async () => {
      const results = [];
      for (const clip of clips) {
        const started = performance.now();
        const [r] = await analyseAll(pool, [clip], featureSet);
        results.push({ wall: performance.now() - started, ...r.timings, seconds: r.durationSeconds });
      }
      return results;
    };
    const cold = await timePass();
    const results = await timePass();
    return {
      clips: results.length,
      clipSeconds: mean(results.map((r) => r.seconds)),
      msPerClip: mean(results.map((r) => r.wall)),
      coldMsPerClip: mean(cold.map((r) => r.wall)),
      decodeMs: mean(results.map((r) => r.decodeMs)),
      prepareMs: mean(results.map((r) => r.prepareMs)),
      featuresMs: mean(results.map((r) => r.featuresMs)),
    };
  } finally {
    pool.close();
  }
}

/**
 * How late the page's main thread runs a 10 ms timer while `work` runs: the UI's responsiveness while every core
 * analyses (the worst and the 95th-percentile delay beyond the 10 ms asked for).
 */
async function mainThreadLag<T>(work: () => Promise<T>): Promise<{ result: T; maxMs: number; p95Ms: number }> {
  const lags: number[] = [];
  let running = true;
  let expected = performance.now() + 10;
  const tick = () => {
    const now = performance.now();
    lags.push(Math.max(0, now - expected));
    expected = now + 10;
    if (running) setTimeout(tick, 10);
  };
  setTimeout(tick, 10);
  try {
    const result = await work();
    return { result, ...lagSummary(lags) };
  } finally {
    running = false;
  }
}

function lagSummary(lags: number[]) {
  const sorted = [...lags].sort((a, b) => a - b);
  return { maxMs: sorted.at(-1) ?? 0, p95Ms: sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0 };
}

async function folderThroughput(clips: Uint8Array[], size: number) {
  const pool = newPool(size);
  try {
    await analyseAll(pool, clips.slice(0, size), 'gtzan'); // start every worker
    const started = performance.now();
    const lag = await mainThreadLag(() => analyseAll(pool, clips, 'gtzan'));
    const seconds = (performance.now() - started) / 1000;
    return {
      workers: size,
      clips: clips.length,
      seconds,
      clipsPerSecond: clips.length / seconds,
      mainThreadTimerLag: { maxMs: lag.maxMs, p95Ms: lag.p95Ms },
    };
  } finally {
    pool.close();
  }
}

async function runBench(perWorkerClips: number): Promise<Record<string, unknown>> {
  const clips = await clipBytes();
  if (clips.length === 0) throw new Error('no clips in the file input');
  const sample = clips.slice(0, perWorkerClips);
  return {
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated,
    perWorkerGtzan57: await perClipOnOneWorker(sample, 'gtzan'),
    perWorkerFast: await perClipOnOneWorker(sample, 'fast'),
    // The app's pool (every core of a 2-core machine, one core left to the UI on larger ones); the second figure is
    // one worker per core whatever the machine.
    folder: await folderThroughput(clips, defaultPoolSize()),
    folderOneWorkerPerCore: await folderThroughput(clips, navigator.hardwareConcurrency || 1),
  };
}

(window as unknown as { muzoBench: typeof runBench }).muzoBench = runBench;
document.title += ' (ready)';
