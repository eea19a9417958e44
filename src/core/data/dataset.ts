/** One labelled feature vector: a whole clip, or one segment of it. */
export interface FeatureRow {
  /** File name as shown to the user (the CSV's `filename` column). */
  file: string;
  /** Rows sharing a group (the source song, or its artist) never straddle train and test. */
  group: string;
  /** Label path: 'Rock' or 'Rock/Grunge'. */
  label: string;
  /** Length in samples at the analysis rate (the CSV's `length` column). */
  length: number;
  features: Float64Array;
  /**
   * An augmented copy of its song's audio (same file, group and label as the original): used for training only,
   * never tested or validated on.
   */
  augmented?: boolean;
}

export interface FeatureDataset {
  featureNames: string[];
  rows: FeatureRow[];
}

/**
 * The song a table row came from: GTZAN's 3-second table names segments `blues.00000.3.wav`,
 * its 30-second table `blues.00000.wav`; both map to `blues.00000`.
 */
export function songGroupOf(file: string): string {
  const stem = file.replace(/\.[A-Za-z0-9]+$/, '');
  const segment = /^(.*\.\d{5})\.\d+$/.exec(stem);
  return segment ? segment[1] : stem;
}

/** The name of segment `index` of `file`, as in GTZAN's 3-second table: `blues.00000.wav` -> `blues.00000.3.wav`. */
export function segmentFileName(file: string, index: number): string {
  const ext = /\.[A-Za-z0-9]+$/.exec(file)?.[0] ?? '';
  return `${file.slice(0, file.length - ext.length)}.${index}${ext}`;
}

export function labelsOf(dataset: FeatureDataset): string[] {
  return [...new Set(dataset.rows.map((r) => r.label))].sort();
}
