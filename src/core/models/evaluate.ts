/**
 * Honest evaluation: group-aware stratified hold-out or k-fold (rows of one song — or one artist — never straddle
 * train and test), every model and preprocessing step fit on the training rows of each fold only, song-level
 * predictions as the mean of a song's segment probabilities, and the protocol stored with every metric.
 */
import { AUGMENTATION_ORDER, type AudioAugmentationSettings } from '../audio/augment.ts';
import { songGroupOf } from '../data/dataset.ts';
import {
  describeProtocol,
  mergeGroups,
  splitKeepingCopiesInTraining,
  stratifiedGroupHoldoutWithin,
  stratifiedGroupKFold,
  type ArtistGrouping,
  type AugmentationProtocol,
  type Protocol,
  type Split,
} from '../data/splits.ts';
import {
  classificationMetrics,
  songLevelProbabilities,
  summarizeFolds,
  type ClassificationMetrics,
  type FoldSummary,
} from '../metrics/classification.ts';
import { disposeModel, isHierarchical, pathLabels, predictProbabilities, splitLabelPath, trainModel, type LabelledRows } from './model.ts';
import { getModelKind } from './registry.ts';
import type { EpochProgress } from './train.ts';
import type { StepProgress, TrainOptions } from './types.ts';

export type EvaluationScheme = { kind: 'kfold'; k: number } | { kind: 'holdout'; testFraction: number };

export interface EvaluateOptions {
  kind: string;
  scheme: EvaluationScheme;
  seed: number;
  /** What the rows' `group` means: 'song' (default), or 'artist' when the caller set artist groups. */
  grouping?: 'song' | 'artist';
  /** Where the artist groups came from (recorded in the protocol). */
  artists?: ArtistGrouping;
  train?: Omit<TrainOptions, 'seed' | 'signal' | 'onEpoch' | 'onStep'>;
  /** Song of each row (default: songGroupOf(file)); song-level scores average a song's rows. */
  songs?: string[];
  /** How the rows flagged `augmented` were made (recorded in the protocol). */
  audioAugmentation?: AudioAugmentationSettings;
  /**
   * Called as each fold starts (without `epoch` or `step`), then after each epoch of kinds that train in epochs and
   * after each step of those that do not.
   */
  onProgress?: (progress: { fold: number; folds: number; epoch?: EpochProgress & { part?: string }; step?: StepProgress }) => void;
  signal?: AbortSignal;
}

/** Metrics of one level (genre, or full 'Genre/Sub' path) over the test rows. */
export interface LevelEvaluation {
  labels: string[];
  /** Out-of-fold predictions of all folds pooled (k-fold), or the hold-out test set. */
  pooled: ClassificationMetrics;
  /** One entry per fold (a single entry for a hold-out). */
  summary: FoldSummary;
}

export interface EvaluationResult {
  protocol: Protocol;
  description: string;
  kind: string;
  /** Genre level (the only level of a flat model). */
  top: LevelEvaluation;
  /** Full-path level of a two-level model. */
  paths?: LevelEvaluation;
  /** Song-level accuracy on the training rows, mean over folds; minus the test accuracy = the train-vs-test gap. */
  trainAccuracy: number;
  gap: number;
  songs: number;
  /** Original rows (the ones scored). */
  rows: number;
  /** Augmented copies' rows, trained on only. */
  augmentedRows: number;
}

function argmax(p: number[]): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return best;
}

/** Song-level probabilities and true class indices of some rows. */
function songLevel(
  indices: number[],
  proba: number[][],
  songs: string[],
  truth: (row: number) => number,
): { y: number[]; proba: number[][] } {
  const grouped = songLevelProbabilities(
    indices.map((i) => songs[i]),
    proba,
  );
  return { y: grouped.index.map((j) => truth(indices[j])), proba: grouped.proba };
}

export async function evaluateModel(data: LabelledRows, options: EvaluateOptions): Promise<EvaluationResult> {
  const songs = options.songs ?? data.rows.map((r, i) => (r.file !== undefined ? songGroupOf(r.file) : String(i)));
  // Split on the union of row groups and songs: a caller's groups finer than songs must not split a song.
  const groups = mergeGroups(data.rows.map((r) => r.group), songs);
  // Models see the merged groups too, so that their inner validation cannot split a song either.
  const grouped: LabelledRows = { ...data, rows: data.rows.map((r, i) => ({ ...r, group: groups[i] })) };
  const augmented = data.rows.map((r) => r.augmented === true);
  const augmentedRows = augmented.filter(Boolean).length;
  const topOf = (l: string) => splitLabelPath(l)[0];
  const topNames = data.rows.map((r) => topOf(r.label));
  const topLabels = [...new Set(topNames)].sort();
  const hierarchical = isHierarchical(data.rows.map((r) => r.label));
  const pathNames = [...new Set(data.rows.map((r) => r.label))].sort();
  // Stratify on the finest label so every fold sees every subgenre where possible.
  const strata = hierarchical ? data.rows.map((r) => r.label) : topNames;
  const scheme = options.scheme;
  // Only original rows are split (and so tested); augmented copies join their song's training side.
  const splits: Split[] = splitKeepingCopiesInTraining(augmented, groups, (originals) =>
    scheme.kind === 'kfold'
      ? stratifiedGroupKFold(
          originals.map((i) => strata[i]),
          originals.map((i) => groups[i]),
          scheme.k,
          options.seed,
        ).map((s) => ({ train: s.train.map((j) => originals[j]), test: s.test.map((j) => originals[j]) }))
      : [stratifiedGroupHoldoutWithin(originals, strata, groups, scheme.testFraction, options.seed)],
  );
  // Rows are always scored per song (the mean of its rows' probabilities; a whole-clip row is its own song).
  const level = 'song';
  // Mixup happens in the epoch loop: a kind without one never mixes, and its protocol must not say so.
  const mixupAlpha = getModelKind(options.kind).trainsInEpochs ? (options.train?.fit?.mixupAlpha ?? 0) : 0;
  const augmentation = augmentationProtocol(augmentedRows > 0 ? options.audioAugmentation : undefined, mixupAlpha);
  const base = {
    grouping: options.grouping ?? 'song',
    stratified: true,
    seed: options.seed,
    level,
    ...(options.grouping === 'artist' && options.artists ? { artists: options.artists } : {}),
    ...(augmentation ? { augmentation } : {}),
  } as const;
  const protocol: Protocol =
    scheme.kind === 'kfold' ? { kind: 'kfold', k: scheme.k, ...base } : { kind: 'holdout', testFraction: scheme.testFraction, ...base };

  const topFolds: ClassificationMetrics[] = [];
  const pathFolds: ClassificationMetrics[] = [];
  const pooledTop: { y: number[]; proba: number[][] } = { y: [], proba: [] };
  const pooledPaths: { y: number[]; proba: number[][] } = { y: [], proba: [] };
  const trainAccuracies: number[] = [];
  for (const [f, split] of splits.entries()) {
    options.onProgress?.({ fold: f + 1, folds: splits.length });
    const { model } = await trainModel(
      grouped,
      options.kind,
      {
        ...options.train,
        seed: options.seed * 7 + f,
        signal: options.signal,
        onEpoch: options.onProgress ? (epoch) => options.onProgress!({ fold: f + 1, folds: splits.length, epoch }) : undefined,
        onStep: options.onProgress ? (step) => options.onProgress!({ fold: f + 1, folds: splits.length, step }) : undefined,
      },
      split.train,
    );
    try {
      // A fold's model only knows the labels of its training rows; map them onto the dataset's label order.
      const alignTop = (p: number[]) => topLabels.map((l) => p[model.labels.indexOf(l)] ?? 0);
      const testProba = await predictProbabilities(model, split.test.map((i) => data.rows[i].features));
      const testTop = songLevel(split.test, testProba.top.map(alignTop), songs, (i) => topLabels.indexOf(topNames[i]));
      topFolds.push(classificationMetrics(testTop.y, testTop.proba, topLabels));
      pooledTop.y.push(...testTop.y);
      pooledTop.proba.push(...testTop.proba);
      if (hierarchical && testProba.paths) {
        const modelPaths = pathLabels(model);
        const alignPath = (p: number[]) => pathNames.map((l) => p[modelPaths.indexOf(l)] ?? 0);
        const testPaths = songLevel(split.test, testProba.paths.map(alignPath), songs, (i) => pathNames.indexOf(data.rows[i].label));
        pathFolds.push(classificationMetrics(testPaths.y, testPaths.proba, pathNames));
        pooledPaths.y.push(...testPaths.y);
        pooledPaths.proba.push(...testPaths.proba);
      }
      // Training accuracy on the original training rows, comparable with the test accuracy.
      const trainOriginals = split.train.filter((i) => !augmented[i]);
      const trainProba = await predictProbabilities(model, trainOriginals.map((i) => data.rows[i].features));
      const trainTop = songLevel(trainOriginals, trainProba.top.map(alignTop), songs, (i) => topLabels.indexOf(topNames[i]));
      trainAccuracies.push(trainTop.y.filter((y, s) => argmax(trainTop.proba[s]) === y).length / trainTop.y.length);
    } finally {
      disposeModel(model);
    }
  }
  const top: LevelEvaluation = {
    labels: topLabels,
    pooled: classificationMetrics(pooledTop.y, pooledTop.proba, topLabels),
    summary: summarizeFolds(topFolds),
  };
  const trainAccuracy = trainAccuracies.reduce((a, b) => a + b, 0) / trainAccuracies.length;
  return {
    protocol,
    description: describeProtocol(protocol),
    kind: options.kind,
    top,
    ...(pathFolds.length > 0
      ? {
          paths: {
            labels: pathNames,
            pooled: classificationMetrics(pooledPaths.y, pooledPaths.proba, pathNames),
            summary: summarizeFolds(pathFolds),
          },
        }
      : {}),
    trainAccuracy,
    gap: trainAccuracy - top.summary.accuracy.mean,
    songs: new Set(songs).size,
    rows: data.rows.length - augmentedRows,
    augmentedRows,
  };
}

function augmentationProtocol(audio: AudioAugmentationSettings | undefined, mixupAlpha: number): AugmentationProtocol | undefined {
  if (!audio && !(mixupAlpha > 0)) return undefined;
  return { ...(audio ? { audio: { ...audio, order: AUGMENTATION_ORDER } } : {}), ...(mixupAlpha > 0 ? { mixupAlpha } : {}) };
}
