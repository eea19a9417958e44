/** Training settings the Train view offers, with their defaults. */
export interface TrainSettings {
  name: string;
  kind: string;
  /** Seconds per training segment; null = one vector per whole file. */
  segmentSeconds: number | null;
  epochs: number;
  augmentation: boolean;
  protocol: 'holdout' | 'kfold';
  holdoutFraction: number;
  folds: number;
  seed: number;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  name: '',
  kind: 'mlp',
  segmentSeconds: 3,
  epochs: 100,
  augmentation: false,
  protocol: 'holdout',
  holdoutFraction: 0.2,
  folds: 5,
  seed: 1,
};

export const SEGMENT_CHOICES: { value: number | null; label: string }[] = [
  { value: 3, label: '3 s (as GTZAN’s 3-second table)' },
  { value: 5, label: '5 s' },
  { value: 10, label: '10 s' },
  { value: null, label: 'whole file' },
];

/** Mixup strength when augmentation is on. */
export const AUGMENTATION_MIXUP_ALPHA = 0.2;
