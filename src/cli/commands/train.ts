// `npx muzo train <dir|features.csv> --out <model-dir> [--model KIND] [--folds K] [--seed N] [--segment S]`:
// evaluates the model kind with a group-aware stratified protocol, then trains it on all the data and saves it.
// Progress goes to stderr; the last stdout line is one JSON object with the metrics, protocol and backend.
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { augmentedCopies, defaultAudioAugmentation, type AudioAugmentationSettings } from '../../core/audio/augment.ts';
import type { MonoPcm } from '../../core/audio/types.ts';
import { selectBackend, type BackendChoice, type Workload } from '../../core/backend/select.ts';
import { parseFeaturesCsv } from '../../core/data/csv.ts';
import { songGroupOf, type FeatureDataset, type FeatureRow } from '../../core/data/dataset.ts';
import { readTags } from '../../core/audio/tags.ts';
import { decodeForAnalysis } from '../../core/audio/decode.ts';
import { artistGrouping, groupsByArtistTag, groupsByPattern, type ArtistGrouping } from '../../core/data/splits.ts';
import { extractFeatures, FEATURE_SET_VERSION, FEATURE_SETS, logMelPatches, segmentBounds, type FeatureSetName } from '../../core/features/gtzan.ts';
import type { ModelBundle, ModelMetadata } from '../../core/models/bundle.ts';
import { evaluateModel, type EvaluationResult } from '../../core/models/evaluate.ts';
import { disposeModel, modelToBundle, trainModel } from '../../core/models/model.ts';
import { LOGMEL_FEATURE_NAMES } from '../../core/models/kinds/cnn.ts';
import { DEFAULT_MODEL_KIND, getModelKind } from '../../core/models/registry.ts';
import type { ModelKind } from '../../core/models/types.ts';
import { listAudioFiles, readAudioBytes } from '../files.ts';

const USAGE =
  'usage: muzo train <dir|features.csv> --out <model-dir> [--model mlp|logreg|knn|svm|cnn|ensemble] [--folds K] [--seed N]\n' +
  '                  [--segment SECONDS] [--fast] [--holdout FRACTION] [--artist-pattern REGEX] [--no-final]\n' +
  '                  [--group-by song|artist] [--augment] [--augment-copies N] [--mixup ALPHA]\n' +
  '  --model ensemble: a soft vote of the MLP, the SVM and extremely randomized trees\n' +
  '  --group-by artist: songs of one artist (from the files\' tags) never straddle train and test\n' +
  '  --model cnn: a convolutional network on log-mel patches of --segment seconds (an audio folder only: a features\n' +
  '               CSV has no spectrograms); song = mean of its patches\' probabilities';

/** The folder holding tfjs-backend-wasm's .wasm files, as a path ending in a separator. */
export function nodeWasmPath(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;
}

export async function selectNodeBackend(workload: Workload = 'dense'): Promise<BackendChoice> {
  const choice = await selectBackend({ workload, wasmPath: nodeWasmPath() });
  console.error(`muzo: backend ${choice.backend} (${choice.reason})`);
  return choice;
}

interface TrainArgs {
  input: string;
  out: string | null;
  kind: string;
  folds: number | null;
  holdout: number;
  seed: number;
  segmentSeconds: number;
  featureSet: FeatureSetName;
  artistPattern: string | null;
  groupBy: 'song' | 'artist';
  final: boolean;
  /** Augmented copies of each audio file for training (0: no audio augmentation). */
  augmentCopies: number;
  mixupAlpha: number;
}

function parseArgs(args: string[]): TrainArgs | string {
  const parsed: TrainArgs = {
    input: '',
    out: null,
    kind: DEFAULT_MODEL_KIND,
    folds: null,
    holdout: 0.2,
    seed: 0,
    segmentSeconds: 3,
    featureSet: 'gtzan',
    artistPattern: null,
    groupBy: 'song',
    final: true,
    augmentCopies: 0,
    mixupAlpha: 0,
  };
  const number = (flag: string, value: string | undefined, ok: (n: number) => boolean): number | string => {
    const n = Number(value);
    return value !== undefined && ok(n) ? n : `${flag} got '${value ?? ''}'`;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    let value: number | string | undefined;
    if (arg === '--out') parsed.out = args[++i] ?? null;
    else if (arg === '--model') parsed.kind = args[++i] ?? '';
    else if (arg === '--folds') value = number('--folds', args[++i], (n) => Number.isInteger(n) && n >= 2);
    else if (arg === '--holdout') value = number('--holdout', args[++i], (n) => n > 0 && n < 1);
    else if (arg === '--seed') value = number('--seed', args[++i], Number.isInteger);
    else if (arg === '--segment') value = number('--segment', args[++i], (n) => n > 0);
    else if (arg === '--fast') parsed.featureSet = 'fast';
    else if (arg === '--artist-pattern') parsed.artistPattern = args[++i] ?? null;
    else if (arg === '--group-by') {
      const by = args[++i];
      if (by !== 'song' && by !== 'artist') return `--group-by takes song or artist, got '${by ?? ''}'`;
      parsed.groupBy = by;
    } else if (arg === '--no-final') parsed.final = false;
    else if (arg === '--augment') parsed.augmentCopies = Math.max(parsed.augmentCopies, 1);
    else if (arg === '--augment-copies') value = number('--augment-copies', args[++i], (n) => Number.isInteger(n) && n >= 1 && n <= 10);
    else if (arg === '--mixup') value = number('--mixup', args[++i], (n) => n > 0 && n <= 10);
    else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else if (parsed.input) return `one input only (got '${parsed.input}' and '${arg}')`;
    else parsed.input = arg;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') {
      if (arg === '--folds') parsed.folds = value;
      else if (arg === '--holdout') parsed.holdout = value;
      else if (arg === '--seed') parsed.seed = value;
      else if (arg === '--augment-copies') parsed.augmentCopies = value;
      else if (arg === '--mixup') parsed.mixupAlpha = value;
      else parsed.segmentSeconds = value;
    }
  }
  if (!parsed.input) return 'no input given';
  if (parsed.groupBy === 'artist' && parsed.artistPattern) return '--group-by artist reads tags; --artist-pattern reads file names: choose one';
  if (parsed.final && !parsed.out) return '--out <model-dir> is required (or --no-final)';
  return parsed;
}

/**
 * One row per segment of the clip: its length in samples and its features, or for a model on log-mel patches
 * (the CNN) the segment's patch (frames x 128 mel bands, in dB).
 */
function segmentRows(
  pcm: MonoPcm,
  featureSet: FeatureSetName,
  segmentSeconds: number,
  input: ModelKind['input'],
): Array<{ length: number; features: Float64Array }> {
  if (input === 'logmel') {
    const length = Math.floor(segmentSeconds * pcm.sampleRate);
    return logMelPatches(pcm.samples, pcm.sampleRate, { patchSeconds: segmentSeconds }).patches.map((p) => ({ length, features: Float64Array.from(p) }));
  }
  return segmentBounds(pcm.samples.length, pcm.sampleRate, segmentSeconds).map(([start, end]) => ({
    length: end - start,
    features: extractFeatures(pcm.samples.subarray(start, end), pcm.sampleRate, FEATURE_SETS[featureSet]),
  }));
}

/**
 * Feature rows of every audio file under `root`: one row per segment, label = the file's folder path relative to
 * the root ('Rock' or 'Rock/Grunge'), group = the file (so its segments stay together). With `augmentation`, also
 * the rows of augmented copies of each file's audio, flagged `augmented` (same file, group and label).
 */
async function datasetOfDirectory(
  root: string,
  args: TrainArgs,
  augmentation: AudioAugmentationSettings | null,
): Promise<{ dataset: FeatureDataset; artists: Map<string, string | undefined> }> {
  const artists = new Map<string, string | undefined>();
  const files = await listAudioFiles([root]);
  const rows: FeatureRow[] = [];
  const input = getModelKind(args.kind).input;
  const started = Date.now();
  for (const [i, path] of files.entries()) {
    const rel = relative(root, path).split(sep).join('/');
    const label = rel.split('/').slice(0, -1).join('/');
    if (!label) {
      console.error(`muzo: skipping ${rel}: files must be in a label folder`);
      continue;
    }
    try {
      const bytes = await readAudioBytes(path);
      const { pcm } = await decodeForAnalysis(bytes);
      artists.set(rel, readTags(bytes).artist);
      const song = rel.slice(0, rel.length - extname(rel).length);
      for (const row of segmentRows(pcm, args.featureSet, args.segmentSeconds, input)) rows.push({ ...row, file: rel, group: song, label });
      for (const copy of augmentation ? augmentedCopies(pcm, augmentation) : []) {
        for (const row of segmentRows(copy.pcm, args.featureSet, args.segmentSeconds, input)) rows.push({ ...row, file: rel, group: song, label, augmented: true });
      }
    } catch (error) {
      console.error(`muzo: skipping ${rel}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const elapsed = (Date.now() - started) / 1000;
    console.error(`muzo: features ${i + 1}/${files.length} (ETA ${Math.round((elapsed / (i + 1)) * (files.length - i - 1))} s)`);
  }
  if (rows.length === 0) throw new Error(`no usable audio files under ${root}`);
  const featureNames = input === 'logmel' ? [...LOGMEL_FEATURE_NAMES] : [...FEATURE_SETS[args.featureSet]];
  return { dataset: { featureNames, rows }, artists };
}

export async function writeBundle(dir: string, bundle: ModelBundle): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [path, bytes] of Object.entries(bundle.files)) {
    const target = resolve(dir, path);
    if (!target.startsWith(resolve(dir) + sep)) throw new Error(`refusing to write outside the model folder: ${path}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
  await writeFile(join(dir, 'metadata.json'), JSON.stringify(bundle.metadata, null, 2) + '\n');
}

export async function readBundle(dir: string): Promise<ModelBundle> {
  const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8')) as ModelMetadata;
  const files: Record<string, Uint8Array> = {};
  const walk = async (sub: string) => {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else if (rel !== 'metadata.json') files[rel] = new Uint8Array(await readFile(join(dir, rel)));
    }
  };
  await walk('');
  return { metadata, files };
}

/** The CLI's summary of an evaluation: pooled metrics, fold statistics and the protocol. */
export function evaluationSummary(evaluation: EvaluationResult): Record<string, unknown> {
  const top = evaluation.top;
  return {
    accuracy: top.summary.accuracy.mean,
    macroF1: top.summary.macroF1.mean,
    perClass: top.pooled.perClass,
    confusion: top.pooled.confusion,
    labels: top.labels,
    rocAucMacro: top.pooled.rocAucMacro,
    top2Accuracy: top.pooled.top2Accuracy,
    pooledAccuracy: top.pooled.accuracy,
    trainAccuracy: evaluation.trainAccuracy,
    gap: evaluation.gap,
    protocol: { ...evaluation.protocol, description: evaluation.description },
    ...(evaluation.protocol.kind === 'kfold'
      ? { folds: { k: top.summary.folds, mean: top.summary.accuracy.mean, std: top.summary.accuracy.std, accuracy: top.summary.accuracy.perFold, macroF1: top.summary.macroF1.perFold } }
      : {}),
    ...(evaluation.paths
      ? {
          subgenre: {
            accuracy: evaluation.paths.summary.accuracy.mean,
            macroF1: evaluation.paths.summary.macroF1.mean,
            labels: evaluation.paths.labels,
            perClass: evaluation.paths.pooled.perClass,
            confusion: evaluation.paths.pooled.confusion,
          },
        }
      : {}),
    songs: evaluation.songs,
    rows: evaluation.rows,
    ...(evaluation.protocol.augmentation ? { augmentation: { ...evaluation.protocol.augmentation, augmentedRows: evaluation.augmentedRows } } : {}),
  };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    console.error(`muzo train: ${parsed}\n${USAGE}`);
    return 2;
  }
  let kind;
  try {
    kind = getModelKind(parsed.kind);
  } catch (error) {
    console.error(`muzo train: ${(error as Error).message}`);
    return 2;
  }
  if (!kind.standalone) {
    console.error(`muzo train: --model ${kind.kind} has no TF.js layers form, so it trains only inside an ensemble (--model ensemble)`);
    return 2;
  }
  const started = Date.now();
  const isDirectory = (await stat(parsed.input).catch(() => null))?.isDirectory() ?? false;
  if (kind.input === 'logmel' && !isDirectory) {
    console.error(`muzo train: --model ${kind.kind} trains on log-mel spectrogram patches computed from audio; a features CSV has no spectrograms: give a folder of audio files`);
    return 2;
  }
  if (parsed.augmentCopies > 0 && !isDirectory) {
    console.error('muzo train: --augment needs a folder of audio files (it transforms the audio before feature extraction)');
    return 2;
  }
  const augmentation = parsed.augmentCopies > 0 ? defaultAudioAugmentation(parsed.seed, parsed.augmentCopies) : null;
  const train = parsed.mixupAlpha > 0 ? { fit: { mixupAlpha: parsed.mixupAlpha } } : {};
  if (parsed.groupBy === 'artist' && !isDirectory) {
    console.error('muzo train: --group-by artist reads the audio files\' tags: give a folder (or use --artist-pattern)');
    return 2;
  }
  let dataset: FeatureDataset;
  let artistTags = new Map<string, string | undefined>();
  try {
    if (isDirectory) ({ dataset, artists: artistTags } = await datasetOfDirectory(parsed.input, parsed, augmentation));
    else dataset = parseFeaturesCsv(await readFile(parsed.input, 'utf8'));
  } catch (error) {
    console.error(`muzo train: ${(error as Error).message}`);
    return 1;
  }
  if (augmentation) {
    const copies = dataset.rows.filter((r) => r.augmented).length;
    console.error(`muzo: audio augmentation: ${copies} training rows from ${augmentation.copies} augmented ${augmentation.copies === 1 ? 'copy' : 'copies'} per file`);
  }
  let artists: ArtistGrouping | undefined;
  if (parsed.artistPattern || parsed.groupBy === 'artist') {
    const files = dataset.rows.map((r) => r.file);
    const groups = parsed.artistPattern
      ? groupsByPattern(files, parsed.artistPattern)
      : groupsByArtistTag(files, files.map((f) => artistTags.get(f)));
    // Counted per song: a table's segment rows are one file.
    artists = artistGrouping(parsed.artistPattern ? 'pattern' : 'tags', files.map(songGroupOf), groups, parsed.artistPattern ?? undefined);
    console.error(`muzo: artist groups from ${artists.source}: ${artists.filesWithArtist} files with an artist, ${artists.filesWithoutArtist} without (grouped by song)`);
    dataset = { ...dataset, rows: dataset.rows.map((r, i) => ({ ...r, group: groups[i] })) };
  }
  const featuresSeconds = (Date.now() - started) / 1000;
  const backend = await selectNodeBackend(kind.workload);
  const songs = dataset.rows.map((r) => songGroupOf(r.file));
  const evalStarted = Date.now();
  let lastStepKey = '';
  const evaluation = await evaluateModel(dataset, {
    kind: parsed.kind,
    scheme: parsed.folds ? { kind: 'kfold', k: parsed.folds } : { kind: 'holdout', testFraction: parsed.holdout },
    seed: parsed.seed,
    grouping: artists ? 'artist' : 'song',
    ...(artists ? { artists } : {}),
    songs,
    train,
    ...(augmentation ? { audioAugmentation: augmentation } : {}),
    onProgress: ({ fold, folds, epoch, step }) => {
      if (step) {
        // Steps (SVM settings, trees) come in dozens per model: report each quarter of a model's work.
        const quarter = Math.floor((4 * step.done) / step.total);
        const key = `${fold} ${step.part ?? ''} ${quarter}`;
        if (quarter > 0 && key !== lastStepKey) {
          console.error(`muzo: fold ${fold}/${folds}${step.part ? ` ${step.part}` : ''} ${step.what} ${step.done}/${step.total}`);
        }
        lastStepKey = key;
        return;
      }
      if (!epoch) {
        console.error(`muzo: fold ${fold}/${folds}`);
        return;
      }
      // CNN epochs take seconds each: report every one.
      if (epoch.epoch % (kind.workload === 'conv' ? 1 : 10) === 0) {
        console.error(
          `muzo: fold ${fold}/${folds}${epoch.part ? ` ${epoch.part}` : ''} epoch ${epoch.epoch} loss ${epoch.loss.toFixed(3)} val ${epoch.valLoss?.toFixed(3) ?? '-'}`,
        );
      }
    },
  });
  const summary = evaluationSummary(evaluation);
  console.error(`muzo: ${evaluation.description}: accuracy ${((summary.accuracy as number) * 100).toFixed(1)}%`);
  const evaluationSeconds = (Date.now() - evalStarted) / 1000;
  let finalSeconds = 0;
  if (parsed.final && parsed.out) {
    const finalStarted = Date.now();
    const { model, history, details } = await trainModel(dataset, parsed.kind, { ...train, seed: parsed.seed, refitOnAll: true });
    try {
      const bundle = await modelToBundle(model, {
        name: `${parsed.kind} on ${parsed.input.split(/[\\/]/).filter(Boolean).pop() ?? parsed.input}`,
        featureSetVersion: isDirectory ? `${FEATURE_SET_VERSION}${parsed.featureSet === 'fast' ? '+fast' : ''}` : FEATURE_SET_VERSION,
        segmentSeconds: isDirectory ? parsed.segmentSeconds : null,
        backend: backend.backend,
        evaluation: { ...summary, kind: parsed.kind },
        history: { epochs: history, details },
      });
      await writeBundle(parsed.out, bundle);
    } finally {
      disposeModel(model);
    }
    finalSeconds = (Date.now() - finalStarted) / 1000;
    console.error(`muzo: saved ${parsed.out}`);
  }
  console.log(
    JSON.stringify({
      ...summary,
      model: parsed.kind,
      backend: backend.backend,
      backendReason: backend.reason,
      out: parsed.out,
      seconds: { features: featuresSeconds, evaluation: evaluationSeconds, final: finalSeconds },
    }),
  );
  return 0;
}
