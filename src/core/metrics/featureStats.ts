/**
 * Descriptive statistics for the Train and Explore views: how one feature is distributed in each class, how many
 * rows and songs each class has, and warnings when the classes are too unbalanced or too small to trust.
 */

export interface Quartiles {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export interface ClassDistribution {
  label: string;
  /** Finite values of this class. */
  n: number;
  /** Rows per histogram bin (bins shared by all classes). */
  counts: number[];
  /** null when the class has no finite value. */
  quartiles: Quartiles | null;
  mean: number | null;
}

export interface FeatureDistribution {
  /** bins + 1 ascending bin edges; every bin is [edge, next edge) except the last, which includes its right edge. */
  edges: number[];
  /** One entry per class, labels sorted. */
  classes: ClassDistribution[];
  /** Values left out: not finite (NaN, ±Infinity) or outside an explicit range. */
  skipped: number;
}

export interface DistributionOptions {
  /** Number of bins (default 30). */
  bins?: number;
  /** Histogram range; default: the smallest to the largest finite value. */
  range?: [number, number];
}

/**
 * Quantile of ascending-sorted values by linear interpolation between closest ranks (numpy's default 'linear'
 * method): position (n - 1) p.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function quartilesOf(values: ArrayLike<number>): Quartiles | null {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return null;
  return {
    min: sorted[0],
    q1: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
    max: sorted[sorted.length - 1],
  };
}

/** Equal-width bin edges over [lo, hi]; a zero-width range is widened to [lo - 0.5, hi + 0.5] as numpy does. */
function binEdges(lo: number, hi: number, bins: number): number[] {
  const [a, b] = lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? b : a + ((b - a) * i) / bins));
}

/** The bin of `v` (known to lie within the edges), corrected for rounding at bin edges. */
function binOf(v: number, edges: number[]): number {
  const bins = edges.length - 1;
  const lo = edges[0];
  let k = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (edges[bins] - lo)) * bins)));
  if (v < edges[k]) k--;
  else if (k < bins - 1 && v >= edges[k + 1]) k++;
  return k;
}

/** Per-class histogram (shared bins) and quartiles of one feature's values. */
export function featureDistribution(
  values: ArrayLike<number>,
  labels: ArrayLike<string>,
  options: DistributionOptions = {},
): FeatureDistribution {
  if (values.length !== labels.length) {
    throw new RangeError(`values (${values.length}) and labels (${labels.length}) must have the same length`);
  }
  const bins = options.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (options.range && !(options.range[0] <= options.range[1])) {
    throw new RangeError(`the range must be ascending, got [${options.range.join(', ')}]`);
  }

  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const [rangeLo, rangeHi] = options.range ?? (lo <= hi ? [lo, hi] : [0, 1]);
  const edges = binEdges(rangeLo, rangeHi, bins);

  const classNames = [...new Set(Array.from(labels))].sort();
  const classIndex = new Map(classNames.map((c, i) => [c, i]));
  const counts = classNames.map(() => new Array<number>(bins).fill(0));
  const classValues: number[][] = classNames.map(() => []);
  let skipped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < edges[0] || v > edges[bins]) {
      skipped++;
      continue;
    }
    const c = classIndex.get(labels[i]) as number;
    counts[c][binOf(v, edges)]++;
    classValues[c].push(v);
  }

  return {
    edges,
    skipped,
    classes: classNames.map((label, c) => {
      const own = classValues[c];
      return {
        label,
        n: own.length,
        counts: counts[c],
        quartiles: quartilesOf(own),
        mean: own.length === 0 ? null : own.reduce((a, b) => a + b, 0) / own.length,
      };
    }),
  };
}

export interface ClassCount {
  label: string;
  rows: number;
  /** Distinct groups (songs) of the class; equals `rows` when no groups are given. */
  songs: number;
}

/** Rows and songs per class, labels sorted. */
export function classCounts(labels: ArrayLike<string>, groups?: ArrayLike<string>): ClassCount[] {
  if (groups && groups.length !== labels.length) {
    throw new RangeError(`labels (${labels.length}) and groups (${groups.length}) must have the same length`);
  }
  const rows = new Map<string, number>();
  const songs = new Map<string, Set<string>>();
  for (let i = 0; i < labels.length; i++) {
    rows.set(labels[i], (rows.get(labels[i]) ?? 0) + 1);
    if (groups) {
      let set = songs.get(labels[i]);
      if (!set) songs.set(labels[i], (set = new Set()));
      set.add(groups[i]);
    }
  }
  return [...rows.keys()].sort().map((label) => ({
    label,
    rows: rows.get(label) as number,
    songs: groups ? (songs.get(label) as Set<string>).size : (rows.get(label) as number),
  }));
}

export interface ImbalanceThresholds {
  /** Warn when the largest class has more than this many times the songs of the smallest (default 3). */
  maxRatio?: number;
  /** Warn about each class with fewer songs than this (default 5). */
  minSongs?: number;
}

export type ImbalanceWarning =
  | { kind: 'single-class'; message: string }
  | { kind: 'ratio'; ratio: number; largest: string; smallest: string; message: string }
  | { kind: 'few-songs'; label: string; songs: number; message: string };

/**
 * Warnings for a training set: fewer than two classes, a largest/smallest song-count ratio above `maxRatio`
 * (accuracy then flatters the model; class weights and macro-F1 matter), or classes with fewer than `minSongs` songs
 * (too few to learn from or to test on). Empty when all is well.
 */
export function imbalanceWarnings(counts: ClassCount[], thresholds: ImbalanceThresholds = {}): ImbalanceWarning[] {
  const maxRatio = thresholds.maxRatio ?? 3;
  const minSongs = thresholds.minSongs ?? 5;
  const warnings: ImbalanceWarning[] = [];
  if (counts.length < 2) {
    warnings.push({ kind: 'single-class', message: 'a classifier needs at least two classes' });
    return warnings;
  }
  const largest = counts.reduce((a, b) => (b.songs > a.songs ? b : a));
  const smallest = counts.reduce((a, b) => (b.songs < a.songs ? b : a));
  const ratio = largest.songs / smallest.songs;
  if (ratio > maxRatio) {
    warnings.push({
      kind: 'ratio',
      ratio,
      largest: largest.label,
      smallest: smallest.label,
      message:
        `${largest.label} has ${ratio.toFixed(1)}x the songs of ${smallest.label} (${largest.songs} vs ${smallest.songs}): ` +
        'the classes are unbalanced, so read macro-F1 and per-class recall rather than accuracy alone',
    });
  }
  for (const c of counts) {
    if (c.songs < minSongs) {
      warnings.push({
        kind: 'few-songs',
        label: c.label,
        songs: c.songs,
        message: `${c.label} has only ${c.songs} song${c.songs === 1 ? '' : 's'} (fewer than ${minSongs}): too few to learn from and to test on`,
      });
    }
  }
  return warnings;
}
