/**
 * One batch of files through the pipeline: read → feature cache → decode (Web Audio on this thread for compressed
 * formats; WAV/AU and anything the browser cannot decode go to the workers as bytes) → features in a worker.
 * Every file ends done, error (with a reason) or cancelled; one file's failure never stops the others.
 */
import { proxy, transfer } from 'comlink';
import { MAX_AUDIO_SECONDS } from '../../core/audio/limits.ts';
import { readTags, type AudioTags } from '../../core/audio/tags.ts';
import { FEATURE_SET_VERSION, type FeatureSetName } from '../../core/features/gtzan.ts';
import { cachedFeatures, storeFeatures } from '../../store/featureCache.ts';
import { AbortError } from '../../../workers/pool.ts';
import type { AnalysisInput, AnalysisOptions, AnalysisResult, AnalysisStage } from '../../../workers/analysis.ts';
import type { PickedFile } from '../files/collect.ts';
import { analysisPool } from './analysisPool.ts';
import { createLimiter } from './limit.ts';
import { sniffAudio } from './sniff.ts';
import { decodeWithWebAudio } from './webAudioDecode.ts';

export type FileState = 'queued' | 'decoding' | 'analysing' | 'done' | 'error' | 'cancelled';

const FINAL_STATES = new Set<FileState>(['done', 'error', 'cancelled']);

/** What a finished file keeps (and what the feature cache stores). */
export interface FileAnalysis {
  featureNames: string[];
  clip: Float64Array | null;
  segments: Float64Array;
  segmentCount: number;
  segmentSeconds: number | null;
  logMel: AnalysisResult['logMel'];
  durationSeconds: number;
  notes: string[];
  /** Features of augmented copies of the audio, when the batch asked for them (training). */
  augmented?: AnalysisResult['augmented'];
  /** Artist/title/album tags read from the file's bytes. */
  tags?: AudioTags;
}

export interface FileItem {
  id: string;
  file: File;
  path: string;
  state: FileState;
  /** Why it failed (or was cancelled). */
  message?: string;
  format?: string;
  /** The file's own sample rate (from its header, else the decoder's). */
  sampleRate?: number | null;
  durationSeconds?: number;
  fromCache?: boolean;
  analysis?: FileAnalysis;
}

export interface BatchOptions extends AnalysisOptions {
  signal?: AbortSignal;
  onUpdate(item: FileItem): void;
}

/** The cache key's version part: the feature-set version plus every option that changes what is computed. */
function cacheVersion(o: AnalysisOptions): string {
  const augment = o.augment ? `|aug=${JSON.stringify(o.augment)}` : '';
  return `${FEATURE_SET_VERSION}|${o.featureSet}|clip=${o.clip}|seg=${o.segmentSeconds ?? 'none'}|mel=${o.logMelPatchSeconds ?? 'none'}${augment}`;
}

/** Files are read whole into memory: beyond this, reading alone could exhaust a tab's memory. */
const MAX_FILE_BYTES = 2 * 2 ** 30;

const WEB_AUDIO_FORMATS = new Set(['mp3', 'flac', 'ogg', 'mp4']);

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function newFileItems(picked: PickedFile[]): FileItem[] {
  return picked.map((p, i) => ({ id: `${Date.now().toString(36)}-${i}-${p.path}`, file: p.file, path: p.path, state: 'queued' }));
}

export async function analyseBatch(items: FileItem[], options: BatchOptions): Promise<FileItem[]> {
  const pool = analysisPool();
  const analysisOptions: AnalysisOptions = {
    featureSet: options.featureSet as FeatureSetName,
    clip: options.clip,
    segmentSeconds: options.segmentSeconds,
    logMelPatchSeconds: options.logMelPatchSeconds,
    ...(options.augment ? { augment: options.augment } : {}),
  };
  const version = cacheVersion(analysisOptions);
  // Bounds the files read into memory at once: enough to keep every worker busy, no more.
  const limit = createLimiter(pool.size + 2);
  const { signal } = options;

  const update = (item: FileItem, change: Partial<FileItem>): FileItem => {
    Object.assign(item, change);
    options.onUpdate({ ...item });
    return item;
  };

  const runInWorker = (item: FileItem, input: AnalysisInput, transfers: Transferable[]) =>
    pool.run(
      (api) =>
        api.analyse(
          transfer(input, transfers),
          analysisOptions,
          // A stage report can arrive after the file was cancelled (it was in flight when its worker stopped).
          proxy((stage: AnalysisStage) => !signal?.aborted && !FINAL_STATES.has(item.state) && update(item, { state: stage })),
        ),
      { signal },
    );

  const one = async (item: FileItem): Promise<FileItem> => {
    if (signal?.aborted) return update(item, { state: 'cancelled', message: 'cancelled' });
    try {
      if (item.file.size > MAX_FILE_BYTES) {
        throw new Error(`too large to analyse in the browser: ${(item.file.size / 2 ** 30).toFixed(1)} GB (the limit is 2 GB)`);
      }
      const bytes = new Uint8Array(await item.file.arrayBuffer());
      const sniffed = sniffAudio(bytes);
      update(item, { format: sniffed.format, sampleRate: sniffed.sampleRate });
      if (bytes.length === 0) throw new Error('the file is empty');

      const cached = await cachedFeatures<FileAnalysis>(bytes, { featureSetVersion: version }).catch(() => undefined);
      if (cached) {
        const analysis = cached.tags ? cached : { ...cached, tags: readTags(bytes) };
        return update(item, { state: 'done', analysis, durationSeconds: cached.durationSeconds, fromCache: true });
      }

      let result: AnalysisResult;
      // A file promising more than muzo analyses goes to the workers' decoders, which refuse it from its header.
      const promisesTooMuch = (sniffed.estimatedSeconds ?? 0) > MAX_AUDIO_SECONDS;
      if (WEB_AUDIO_FORMATS.has(sniffed.format) && !promisesTooMuch) {
        update(item, { state: 'decoding' });
        const decoded = await decodeWithWebAudio(bytes.buffer).catch(() => null);
        if (signal?.aborted) throw new AbortError();
        if (decoded) {
          result = await runInWorker(item, { kind: 'decoded', audio: decoded }, decoded.channels.map((c) => c.buffer as ArrayBuffer));
        } else {
          // The browser cannot decode it: the workers' own decoders try, and say why if they cannot either.
          const copy = bytes.slice();
          result = await runInWorker(item, { kind: 'encoded', bytes: copy }, [copy.buffer]);
        }
      } else {
        // WAV/AU: TypeScript parsers in the worker. The copy is transferred; `bytes` stays for the cache key.
        const copy = bytes.slice();
        result = await runInWorker(item, { kind: 'encoded', bytes: copy }, [copy.buffer]);
      }
      const analysis: FileAnalysis = {
        featureNames: result.featureNames,
        clip: result.clip,
        segments: result.segments,
        segmentCount: result.segmentCount,
        segmentSeconds: result.segmentSeconds,
        logMel: result.logMel,
        durationSeconds: result.durationSeconds,
        notes: result.notes,
        ...(result.augmented ? { augmented: result.augmented } : {}),
        // Files the page decoded never showed the worker their bytes.
        tags: result.tags ?? readTags(bytes),
      };
      // The cache only saves time: a full disk must not fail the file.
      await storeFeatures(bytes, analysis, { featureSetVersion: version }).catch(() => undefined);
      return update(item, {
        state: 'done',
        analysis,
        durationSeconds: result.durationSeconds,
        sampleRate: sniffed.sampleRate ?? (result.format === 'webaudio' ? null : result.decodedSampleRate),
        fromCache: false,
      });
    } catch (error) {
      if (error instanceof AbortError || signal?.aborted) return update(item, { state: 'cancelled', message: 'cancelled' });
      return update(item, { state: 'error', message: `${item.path}: ${reasonOf(error)}` });
    }
  };

  return Promise.all(items.map((item) => limit(() => one(item))));
}
