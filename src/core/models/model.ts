/**
 * A complete muzo model: one classifier over the top-level labels and, for 'Genre/Sub' labels, a subgenre
 * classifier per genre that has more than one subgenre. Trains from feature rows, predicts, and converts to and
 * from the ModelBundle layout (top-level files = the genre model; `sub/<i>/` = subgenre models).
 */
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelBundle, type ModelMetadata } from './bundle.ts';
import { progressWithin } from './progress.ts';
import { getModelKind } from './registry.ts';
import type { Classifier, SavedPart, TrainingSet, TrainOptions, TrainOutcome } from './types.ts';

export interface LabelledRows {
  featureNames: string[];
  /** `augmented`: an augmented copy of a song (training only; see FeatureRow). */
  rows: Array<{ label: string; group: string; features: ArrayLike<number>; file?: string; augmented?: boolean }>;
}

export interface MuzoModel {
  kind: string;
  /** Top-level labels (genres), in the order of `top`'s outputs. */
  labels: string[];
  featureNames: string[];
  top: Classifier;
  /** Per genre with several subgenres: its subgenre classifier (labels = subgenre names). */
  sub: Record<string, Classifier>;
  /** Per genre: its subgenres ([] for a flat model's genres or genres whose rows have no subgenre). */
  subLabels: Record<string, string[]>;
}

export interface RowPrediction {
  label: string;
  confidence: number;
  /** Top-level probabilities in `model.labels` order. */
  proba: number[];
  /** For hierarchical models: the most probable subgenre of the predicted genre and its conditional probability. */
  subLabel?: string;
  subConfidence?: number;
}

/** 'Rock/Grunge' -> ['Rock', 'Grunge']; 'Rock' -> ['Rock', '']. */
export function splitLabelPath(label: string): [string, string] {
  const slash = label.indexOf('/');
  return slash < 0 ? [label, ''] : [label.slice(0, slash), label.slice(slash + 1)];
}

export function isHierarchical(labels: string[]): boolean {
  return labels.length > 0 && labels.some((l) => l.includes('/'));
}

export interface TrainModelResult {
  model: MuzoModel;
  /** History of the top-level model (the last trained layers member for an ensemble). */
  history: TrainOutcome['history'];
  details: Record<string, unknown>;
}

function trainingSetOf(data: LabelledRows, indices: number[], labelOf: (label: string) => string): TrainingSet {
  const labels = [...new Set(indices.map((i) => labelOf(data.rows[i].label)))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  return {
    rows: indices.map((i) => data.rows[i].features),
    y: indices.map((i) => index.get(labelOf(data.rows[i].label))!),
    groups: indices.map((i) => data.rows[i].group),
    augmented: indices.map((i) => data.rows[i].augmented === true),
    labels,
    featureNames: data.featureNames,
  };
}

/**
 * Trains the model kind on the given rows (all rows when `indices` is omitted). Labels with a '/' give a two-level
 * model; every preprocessing step is fit inside each part's training rows only.
 */
export async function trainModel(
  data: LabelledRows,
  kind: string,
  options: TrainOptions,
  indices: number[] = data.rows.map((_, i) => i),
): Promise<TrainModelResult> {
  const modelKind = getModelKind(kind);
  const top = trainingSetOf(data, indices, (l) => splitLabelPath(l)[0]);
  if (top.labels.length < 2) throw new Error(`training needs at least two classes, found ${top.labels.join(', ') || 'none'}`);
  const topOutcome = await modelKind.train(top, { ...options, ...progressWithin(options, (inner) => inner ?? 'genre') });
  const sub: Record<string, Classifier> = {};
  const subLabels: Record<string, string[]> = {};
  const details: Record<string, unknown> = { top: topOutcome.details };
  try {
    for (const genre of top.labels) {
      const genreRows = indices.filter((i) => splitLabelPath(data.rows[i].label)[0] === genre);
      const names = [...new Set(genreRows.map((i) => splitLabelPath(data.rows[i].label)[1]))].filter((s) => s !== '').sort();
      subLabels[genre] = names;
      if (names.length < 2) continue;
      const set = trainingSetOf(data, genreRows, (l) => splitLabelPath(l)[1]);
      const outcome = await modelKind.train(set, {
        ...options,
        ...progressWithin(options, (inner) => `${genre} subgenres${inner ? `, ${inner}` : ''}`),
      });
      sub[genre] = outcome.classifier;
      details[`sub:${genre}`] = outcome.details;
    }
  } catch (e) {
    topOutcome.classifier.dispose();
    Object.values(sub).forEach((c) => c.dispose());
    throw e;
  }
  return {
    model: { kind, labels: top.labels, featureNames: data.featureNames, top: topOutcome.classifier, sub, subLabels },
    history: topOutcome.history,
    details,
  };
}

export function disposeModel(model: MuzoModel): void {
  model.top.dispose();
  Object.values(model.sub).forEach((c) => c.dispose());
}

/** Full label paths of a model ('Genre/Sub', or 'Genre' for a genre without subgenres), sorted. */
export function pathLabels(model: MuzoModel): string[] {
  return model.labels.flatMap((g) => (model.subLabels[g]?.length ? model.subLabels[g].map((s) => `${g}/${s}`) : [g])).sort();
}

/**
 * Probabilities per row over the top-level labels and, for hierarchical models, over the full paths
 * (P(genre) * P(sub | genre), in `pathLabels(model)` order).
 */
export async function predictProbabilities(
  model: MuzoModel,
  rows: ArrayLike<number>[],
): Promise<{ top: number[][]; paths: number[][] | null }> {
  const top = await model.top.predictProba(rows);
  if (!Object.values(model.subLabels).some((s) => s.length > 0)) return { top, paths: null };
  const paths = pathLabels(model);
  const pathIndex = new Map(paths.map((p, i) => [p, i]));
  const out = top.map(() => new Array<number>(paths.length).fill(0));
  for (const [g, genre] of model.labels.entries()) {
    const names = model.subLabels[genre] ?? [];
    if (names.length === 0) top.forEach((p, i) => (out[i][pathIndex.get(genre)!] = p[g]));
    else if (names.length === 1) top.forEach((p, i) => (out[i][pathIndex.get(`${genre}/${names[0]}`)!] = p[g]));
    else {
      const conditional = await model.sub[genre].predictProba(rows);
      top.forEach((p, i) => names.forEach((s, j) => (out[i][pathIndex.get(`${genre}/${s}`)!] = p[g] * conditional[i][j])));
    }
  }
  return { top, paths: out };
}

/** The most probable genre per row and, when it has subgenres, its most probable subgenre. */
export async function predictRows(model: MuzoModel, rows: ArrayLike<number>[]): Promise<RowPrediction[]> {
  return predictionsOf(model, await predictProbabilities(model, rows));
}

/** Turns (e.g. song-averaged) probabilities into predictions. */
export function predictionsOf(model: MuzoModel, probabilities: { top: number[][]; paths: number[][] | null }): RowPrediction[] {
  const paths = probabilities.paths ? pathLabels(model) : [];
  return probabilities.top.map((p, i) => {
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    const label = model.labels[best];
    const prediction: RowPrediction = { label, confidence: p[best], proba: p };
    const names = model.subLabels[label] ?? [];
    if (probabilities.paths && names.length > 0 && p[best] > 0) {
      let bestSub = names[0];
      let bestSubP = -1;
      for (const s of names) {
        const v = probabilities.paths[i][paths.indexOf(`${label}/${s}`)];
        if (v > bestSubP) {
          bestSubP = v;
          bestSub = s;
        }
      }
      prediction.subLabel = bestSub;
      prediction.subConfidence = bestSubP / p[best];
    }
    return prediction;
  });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface BundleInfo {
  name: string;
  featureSetVersion: string;
  segmentSeconds: number | null;
  backend: string;
  evaluation?: Record<string, unknown>;
  history?: Record<string, unknown>;
}

/** The model as bundle files + metadata.json (the CLI's <model-dir>, the app's .zip and IndexedDB). */
export async function modelToBundle(model: MuzoModel, info: BundleInfo): Promise<ModelBundle> {
  const topPart = await model.top.save('');
  const files: Record<string, Uint8Array> = { ...topPart.files };
  const subModels: Array<{ genre: string; path: string }> = [];
  for (const [i, genre] of Object.keys(model.sub).sort().entries()) {
    const path = `sub/${i}/`;
    const part: SavedPart = await model.sub[genre].save(path);
    Object.assign(files, part.files);
    files[`${path}part.json`] = encoder.encode(JSON.stringify({ kind: part.kind, labels: part.labels, preprocessing: part.preprocessing }));
    subModels.push({ genre, path });
  }
  const now = new Date().toISOString();
  const hierarchical = Object.values(model.subLabels).some((s) => s.length > 0);
  const metadata: ModelMetadata = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    name: info.name,
    kind: model.kind,
    labels: model.labels,
    ...(hierarchical ? { hierarchy: { subLabels: model.subLabels, subModels } } : {}),
    featureSetVersion: info.featureSetVersion,
    featureNames: model.featureNames,
    input: getModelKind(model.kind).input,
    segmentSeconds: info.segmentSeconds,
    preprocessing: topPart.preprocessing,
    ...(info.evaluation ? { evaluation: info.evaluation } : {}),
    ...(info.history ? { history: info.history } : {}),
    backend: info.backend,
    createdAt: now,
    updatedAt: now,
  };
  return { metadata, files };
}

/** Rebuilds a model from a bundle (validating what each part reads). */
export async function modelFromBundle(bundle: ModelBundle): Promise<MuzoModel> {
  const meta = bundle.metadata;
  if (meta.format !== MODEL_FORMAT) throw new Error(`not a muzo model (format '${String(meta.format)}')`);
  if (meta.formatVersion > MODEL_FORMAT_VERSION) throw new Error(`model format version ${meta.formatVersion} is newer than this muzo`);
  const kind = getModelKind(meta.kind);
  const top = await kind.load({ kind: meta.kind, labels: meta.labels, preprocessing: meta.preprocessing }, bundle.files, '');
  const sub: Record<string, Classifier> = {};
  const subLabels: Record<string, string[]> = meta.hierarchy?.subLabels ?? {};
  const subModels = meta.hierarchy?.subModels ?? [];
  try {
    for (const { genre, path } of subModels) {
      if (!meta.labels.includes(genre) || !/^sub\/\d+\/$/.test(path)) throw new Error('invalid subgenre model entry');
      const bytes = bundle.files[`${path}part.json`];
      if (!bytes) throw new Error(`the model has no ${path}part.json`);
      const part = JSON.parse(decoder.decode(bytes)) as Omit<SavedPart, 'files'>;
      sub[genre] = await getModelKind(part.kind).load({ ...part, labels: subLabels[genre] ?? part.labels }, bundle.files, path);
    }
  } catch (e) {
    top.dispose();
    Object.values(sub).forEach((c) => c.dispose());
    throw e;
  }
  return { kind: meta.kind, labels: meta.labels, featureNames: meta.featureNames, top, sub, subLabels };
}
