// `npx muzo classify <model-dir> <files|dirs|features.csv> --out predictions.csv`: the genre of each song (the mean
// of its segments' probabilities) as CSV `file,label,confidence,top3`; a summary JSON object is the last stdout line.
// A model on log-mel patches (the CNN) reads audio only: each song is cut into patches of the model's segment length.
import { readFile, writeFile } from 'node:fs/promises';
import { parseFeaturesCsv } from '../../core/data/csv.ts';
import { songGroupOf } from '../../core/data/dataset.ts';
import { FEATURE_SETS, logMelPatches, type FeatureSetName } from '../../core/features/gtzan.ts';
import { disposeModel, modelFromBundle, predictionsOf, predictProbabilities, type MuzoModel, type RowPrediction } from '../../core/models/model.ts';
import { listAudioFiles, readAnalysisAudio } from '../files.ts';
import { featureRowsOf } from './features.ts';
import { readBundle, selectNodeBackend } from './train.ts';

const USAGE =
  'usage: muzo classify <model-dir> <files|dirs|features.csv> --out predictions.csv\n' +
  '  a CNN model (log-mel patches) reads audio files only: a features CSV has no spectrograms';

interface SongFeatures {
  file: string;
  rows: ArrayLike<number>[];
}

function featureSetOf(names: string[]): FeatureSetName {
  for (const [set, columns] of Object.entries(FEATURE_SETS)) {
    if (columns.length === names.length && columns.every((c, i) => c === names[i])) return set as FeatureSetName;
  }
  throw new Error(`the model expects features muzo cannot compute from audio (${names.length} columns)`);
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Song-level prediction: the mean of the song's segment probabilities. */
export async function classifySong(model: MuzoModel, rows: ArrayLike<number>[]): Promise<RowPrediction> {
  const probabilities = await predictProbabilities(model, rows);
  const mean = (m: number[][]) => [m[0].map((_, c) => m.reduce((s, r) => s + r[c], 0) / m.length)];
  return predictionsOf(model, { top: mean(probabilities.top), paths: probabilities.paths ? mean(probabilities.paths) : null })[0];
}

export function formatPredictionsCsv(results: Array<{ file: string; prediction: RowPrediction }>, labels: string[]): string {
  const lines = ['file,label,confidence,top3'];
  for (const { file, prediction } of results) {
    const top3 = prediction.proba
      .map((p, c) => [labels[c], p] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([l, p]) => `${l}:${p.toFixed(3)}`)
      .join(';');
    const label = prediction.subLabel ? `${prediction.label}/${prediction.subLabel}` : prediction.label;
    lines.push([csvField(file), csvField(label), prediction.confidence.toFixed(4), csvField(top3)].join(','));
  }
  return lines.join('\n') + '\n';
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const positional = args.filter((_, i) => i !== outIndex && i !== outIndex + 1);
  if (!out || positional.length < 2 || positional.some((a) => a.startsWith('--'))) {
    console.error(`muzo classify: ${!out ? '--out is required' : 'need a model folder and at least one input'}\n${USAGE}`);
    return 2;
  }
  const [modelDir, ...inputs] = positional;
  let model: MuzoModel;
  try {
    const bundle = await readBundle(modelDir);
    await selectNodeBackend();
    model = await modelFromBundle(bundle);
    const songs: SongFeatures[] = [];
    let failures = 0;
    const audioInputs = inputs.filter((p) => !p.toLowerCase().endsWith('.csv'));
    const logMel = bundle.metadata.input === 'logmel';
    for (const csvPath of inputs.filter((p) => p.toLowerCase().endsWith('.csv'))) {
      if (logMel) throw new Error(`${csvPath}: this model reads log-mel patches of audio; a features CSV has no spectrograms`);
      const dataset = parseFeaturesCsv(await readFile(csvPath, 'utf8'));
      if (dataset.featureNames.join() !== model.featureNames.join()) throw new Error(`${csvPath}: its feature columns differ from the model's`);
      const bySong = new Map<string, SongFeatures>();
      for (const row of dataset.rows) {
        const song = songGroupOf(row.file);
        if (!bySong.has(song)) bySong.set(song, { file: song, rows: [] });
        bySong.get(song)!.rows.push(row.features);
      }
      songs.push(...bySong.values());
    }
    if (audioInputs.length > 0) {
      const featureSet = logMel ? null : featureSetOf(model.featureNames);
      const segmentSeconds = bundle.metadata.segmentSeconds;
      for (const path of await listAudioFiles(audioInputs)) {
        try {
          if (featureSet === null) {
            const { pcm } = await readAnalysisAudio(path);
            songs.push({ file: path, rows: logMelPatches(pcm.samples, pcm.sampleRate, { patchSeconds: segmentSeconds ?? 3 }).patches });
            continue;
          }
          const { rows } = await featureRowsOf({ path, featureSet, segmentSeconds });
          songs.push({ file: path, rows: rows.map((r) => r.features) });
        } catch (error) {
          failures++;
          console.error(`muzo classify: ${path}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    const results: Array<{ file: string; prediction: RowPrediction }> = [];
    const started = Date.now();
    for (const song of songs) results.push({ file: song.file, prediction: await classifySong(model, song.rows) });
    await writeFile(out, formatPredictionsCsv(results, model.labels));
    disposeModel(model);
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.prediction.label] = (counts[r.prediction.label] ?? 0) + 1;
    console.log(JSON.stringify({ out, songs: results.length, failures, counts, inferenceSeconds: (Date.now() - started) / 1000 }));
    return failures > 0 && results.length === 0 ? 1 : 0;
  } catch (error) {
    console.error(`muzo classify: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
