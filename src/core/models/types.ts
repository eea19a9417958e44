/** What every model kind of the registry implements. */
import type { Workload } from '../backend/select.ts';
import type { EpochProgress, FitOptions } from './train.ts';

/** Training data for one model: feature vectors with integer classes, and the group (song/artist) of each row. */
export interface TrainingSet {
  rows: ArrayLike<number>[];
  /** Class index into `labels` per row. */
  y: number[];
  groups: string[];
  /** Per row: an augmented copy of its group's audio (trained on, never used for validation). */
  augmented?: boolean[];
  labels: string[];
  featureNames: string[];
}

export interface TrainOptions {
  seed: number;
  /** Overrides of the kind's training-loop defaults. */
  fit?: Partial<FitOptions>;
  /** Share of the training groups held out (group-aware, stratified) for early stopping and choosing k. */
  validationFraction?: number;
  /** Map features through their training quantiles to normal scores before standardizing. */
  quantileNormal?: boolean;
  /** Trees of an extra-trees forest. */
  trees?: number;
  /** Hidden layer widths of an MLP. */
  hidden?: number[];
  dropout?: number;
  /** Independent sub-networks trained side by side in one MLP, their probabilities averaged (seed bagging). */
  branches?: number;
  /** Members of an ensemble (kind + seed offset); default: the registry's standard ensemble. */
  members?: EnsembleMemberSpec[];
  /**
   * After early stopping on the inner validation split, train again on every row for the chosen number of epochs
   * (for a final model: no row is left out).
   */
  refitOnAll?: boolean;
  onEpoch?: (progress: EpochProgress & { part?: string }) => void;
  /** Progress inside one model of a kind that trains without epochs (the SVM's settings, a forest's trees). */
  onStep?: (progress: StepProgress) => void;
  signal?: AbortSignal;
}

/** `done` of `total` steps of one model's training; `what` names the current step. */
export interface StepProgress {
  done: number;
  total: number;
  what: string;
  /** Which model of several (ensemble member, subgenre model), as for epochs. */
  part?: string;
}

export interface EnsembleMemberSpec {
  kind: string;
  seed: number;
}

/** A trained model part as saved: descriptor (kept in metadata or `<prefix>part.json`) plus files. */
export interface SavedPart {
  kind: string;
  labels: string[];
  preprocessing: Record<string, unknown>;
  files: Record<string, Uint8Array>;
}

export interface Classifier {
  readonly kind: string;
  readonly labels: string[];
  /** Class probabilities per row, in `labels` order. */
  predictProba(rows: ArrayLike<number>[]): Promise<number[][]>;
  /** Files are written under `prefix` (e.g. 'members/0/'). */
  save(prefix: string): Promise<SavedPart>;
  dispose(): void;
}

export interface TrainOutcome {
  classifier: Classifier;
  /** Per-epoch progress of the (last) trained layers model; empty for k-NN. */
  history: EpochProgress[];
  /** Kind-specific facts chosen during training (best epoch, chosen k...). */
  details: Record<string, unknown>;
}

export interface ModelKind {
  kind: string;
  description: string;
  workload: Workload;
  input: 'features' | 'logmel';
  /** Trained by the shared epoch loop (train.ts), where the epoch limit and feature mixup apply (not k-NN, SVM). */
  trainsInEpochs: boolean;
  /**
   * Whether a model of this kind can be saved on its own. Every saved muzo model has a TF.js layers model at its
   * top level (the format's promise); a kind without a layers form (extra-trees) trains only inside an ensemble.
   */
  standalone: boolean;
  train(set: TrainingSet, options: TrainOptions): Promise<TrainOutcome>;
  load(part: Omit<SavedPart, 'files'>, files: Record<string, Uint8Array>, prefix: string): Promise<Classifier>;
}
