/**
 * A saved model as a set of files, the one layout used by the CLI's <model-dir>, the app's .zip export/import and
 * IndexedDB: `metadata.json` plus TF.js layers-model files (`model.json` + weights, loadable by plain
 * tf.loadLayersModel), and, for model kinds made of several parts (ensembles, genre/subgenre hierarchies, k-NN's
 * reference set), further files under relative paths.
 */
export interface ModelBundle {
  metadata: ModelMetadata;
  /** Relative POSIX path -> bytes; never contains 'metadata.json' (that is `metadata`). */
  files: Record<string, Uint8Array>;
}

export const MODEL_FORMAT = 'muzo-model';
export const MODEL_FORMAT_VERSION = 1;

export interface ModelMetadata {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  name: string;
  /** A key of the model-kind registry: 'logreg' | 'mlp' | 'knn' | 'cnn' | 'ensemble'. */
  kind: string;
  /** Top-level class labels, in the order of the model's outputs. */
  labels: string[];
  /** Present for two-level models: subgenre labels per genre, each with its own model under `sub/<genre>/`. */
  hierarchy?: {
    subLabels: Record<string, string[]>;
    /** Where each genre's subgenre model lives (`sub/<i>/`, with its descriptor in `sub/<i>/part.json`). */
    subModels?: Array<{ genre: string; path: string }>;
  };
  /** Features the model expects, and the feature-set version that computed them. */
  featureSetVersion: string;
  featureNames: string[];
  /** 'features' = one vector per segment/clip; 'logmel' = log-mel spectrogram patches (CNN). */
  input: 'features' | 'logmel';
  segmentSeconds: number | null;
  /** Kind-specific preprocessing fit on the training split only (standardization means/stds, selection...). */
  preprocessing: Record<string, unknown>;
  /** Evaluation results, each with the protocol that produced it. */
  evaluation?: Record<string, unknown>;
  history?: Record<string, unknown>;
  backend: string;
  createdAt: string;
  updatedAt: string;
}
