// Bench section `features`: extraction time per 30 s clip in Node (full 57-column set and the fast set without
// harmony/perceptr), decode time, and files per second for the shared GTZAN folder through `muzo features`.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudioBytes } from '../../core/audio/decode.ts';
import { extractFeatures, FAST_FEATURE_NAMES, FEATURE_SET_VERSION, GTZAN_FEATURE_NAMES } from '../../core/features/gtzan.ts';
import { cpuMs, median, round, SHARED_GTZAN_DIR } from '../benchMeasure.ts';
import { run } from '../commands/features.ts';

const GTZAN_DIR = SHARED_GTZAN_DIR;
/** Clips timed one by one (each set); the folder throughput uses all of them. */
const TIMED_CLIPS = 12;

function gtzanClips(): string[] {
  return readdirSync(GTZAN_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(GTZAN_DIR, d.name)).filter((f) => f.endsWith('.flac')).map((f) => join(GTZAN_DIR, d.name, f)))
    .sort();
}

export async function bench(): Promise<Record<string, unknown>> {
  if (!existsSync(GTZAN_DIR)) return { skipped: `no shared GTZAN clips at ${GTZAN_DIR}` };
  const files = gtzanClips();
  const timed = files.filter((_, i) => i % Math.max(1, Math.floor(files.length / TIMED_CLIPS)) === 0).slice(0, TIMED_CLIPS);
  const decodeMs: number[] = [];
  const clips: { samples: Float32Array; sampleRate: number }[] = [];
  for (const file of timed) {
    const bytes = new Uint8Array(readFileSync(file));
    const t0 = performance.now();
    const audio = await decodeAudioBytes(bytes);
    decodeMs.push(performance.now() - t0);
    clips.push({ samples: audio.channels[0], sampleRate: audio.sampleRate });
  }
  // Warm the JIT so the figures are steady-state (as in a batch of files).
  extractFeatures(clips[0].samples, clips[0].sampleRate, GTZAN_FEATURE_NAMES);

  const perSet = (names: readonly string[]) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (const clip of clips) {
      const c0 = cpuMs();
      const t0 = performance.now();
      extractFeatures(clip.samples, clip.sampleRate, names);
      wall.push(((performance.now() - t0) * 661794) / clip.samples.length);
      cpu.push(((cpuMs() - c0) * 661794) / clip.samples.length);
    }
    return { msPerClipMedian: round(median(wall)), msPerClipMean: round(wall.reduce((a, b) => a + b, 0) / wall.length), cpuMsPerClipMedian: round(median(cpu)) };
  };
  const full = perSet(GTZAN_FEATURE_NAMES);
  const fast = perSet(FAST_FEATURE_NAMES);

  // The folder through the CLI: read + decode + full feature set on every core.
  const outDir = mkdtempSync(join(tmpdir(), 'muzo-bench-'));
  const quiet = console.error;
  console.error = () => {};
  let folderSeconds: number;
  try {
    const t0 = performance.now();
    await run([GTZAN_DIR, '--out', join(outDir, 'features.csv')]);
    folderSeconds = (performance.now() - t0) / 1000;
  } finally {
    console.error = quiet;
    rmSync(outDir, { recursive: true, force: true });
  }

  return {
    featureSetVersion: FEATURE_SET_VERSION,
    clipSeconds: 30,
    timedClips: clips.length,
    fullSet57: { ...full, realtimeFactor: round(30000 / full.msPerClipMedian) },
    fastSet53: { ...fast, realtimeFactor: round(30000 / fast.msPerClipMedian) },
    decodeFlacMsPerClipMedian: round(median(decodeMs)),
    folder: {
      files: files.length,
      threads: Math.min(availableParallelism(), files.length),
      seconds: round(folderSeconds),
      clipsPerSecond: round(files.length / folderSeconds),
    },
  };
}
