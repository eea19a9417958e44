import type { GroupingChoice } from './dataset.ts';

/** Training settings the Train view offers, with their defaults. */
export interface TrainSettings {
  name: string;
  kind: string;
  /** Seconds per training segment; null = one vector per whole file. */
  segmentSeconds: number | null;
  epochs: number;
  /** Audio augmentation: AUDIO_AUGMENTATION_COPIES augmented copies of every training song. */
  augmentation: boolean;
  /** Mixup of training feature vectors (alpha AUGMENTATION_MIXUP_ALPHA). */
  mixup: boolean;
  /** What never straddles training and test. */
  grouping: GroupingChoice;
  /** Capture group 1 = the artist, matched against each file's path (grouping 'pattern'). */
  artistPattern: string;
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
  mixup: false,
  grouping: 'song',
  artistPattern: '([^/]+?) - [^/]+$',
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

/** Mixup strength when mixup is on. */
export const AUGMENTATION_MIXUP_ALPHA = 0.2;

/** Augmented copies per training song when audio augmentation is on. */
export const AUDIO_AUGMENTATION_COPIES = 1;

export const GROUPING_CHOICES: { value: GroupingChoice; label: string }[] = [
  { value: 'song', label: 'song (segments of a file stay together)' },
  { value: 'artist', label: 'artist, from the files’ tags' },
  { value: 'pattern', label: 'artist, from a file-name pattern' },
];

/** Whether the artist pattern compiles (the Start button waits for one that does). */
export function validPattern(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return pattern !== '';
  } catch {
    return false;
  }
}
