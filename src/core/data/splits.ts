/**
 * Group-aware, stratified train/test splits. Rows sharing a group (the segments of one song, or the songs of one
 * artist) always land on the same side, so that a model is never tested on a song it heard in training.
 */
import type { AudioAugmentationSettings } from '../audio/augment.ts';
import { songGroupOf } from './dataset.ts';
import { createRng, shuffleInPlace } from './random.ts';

export interface Split {
  /** Row indices, ascending. */
  train: number[];
  test: number[];
}

export class SplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SplitError';
  }
}

/** What an evaluation did, stored with every metric so that numbers are never read without their protocol. */
export type Protocol = KFoldProtocol | HoldoutProtocol;

interface ProtocolBase {
  /** What never straddles train and test: whole songs, whole artists, or single rows (no grouping). */
  grouping: 'song' | 'artist' | 'none';
  stratified: boolean;
  seed: number;
  /** 'song' = a song's prediction is the mean of its segments' probabilities; 'segment' = each row scored alone. */
  level: 'song' | 'segment';
  /** Training-side augmentation, when any: test rows are always original audio. */
  augmentation?: AugmentationProtocol;
  /** Where artist groups came from, when grouped by artist. */
  artists?: ArtistGrouping;
}

export interface ArtistGrouping {
  /** 'tags': the files' artist tags; 'pattern': a regular expression on the file names. */
  source: 'tags' | 'pattern';
  pattern?: string;
  /** Files given an artist; the others form a group of their own (their song). */
  filesWithArtist: number;
  filesWithoutArtist: number;
}

/**
 * How many distinct files (or songs: give each row's song) got an artist group (see groupsByPattern /
 * groupsByArtistTag) and how many did not.
 */
export function artistGrouping(source: ArtistGrouping['source'], files: string[], groups: string[], pattern?: string): ArtistGrouping {
  const byFile = new Map<string, boolean>();
  files.forEach((file, i) => byFile.set(file, groups[i].startsWith('artist:')));
  const withArtist = [...byFile.values()].filter(Boolean).length;
  return { source, ...(pattern !== undefined ? { pattern } : {}), filesWithArtist: withArtist, filesWithoutArtist: byFile.size - withArtist };
}

export interface AugmentationProtocol {
  /** Augmented copies of each training file's audio (transforms in `order`), added to the training side only. */
  audio?: AudioAugmentationSettings & { order: readonly string[] };
  /** Beta(alpha, alpha) mixup of training feature vectors. */
  mixupAlpha?: number;
}

export interface KFoldProtocol extends ProtocolBase {
  kind: 'kfold';
  k: number;
}

export interface HoldoutProtocol extends ProtocolBase {
  kind: 'holdout';
  /** Share of the rows held out for testing, in (0, 1). */
  testFraction: number;
}

/** One line for people: "stratified 10-fold, grouped by song, song-level". */
export function describeProtocol(p: Protocol): string {
  const stratified = p.stratified ? 'stratified ' : '';
  const scheme =
    p.kind === 'kfold' ? `${stratified}${p.k}-fold` : `${stratified}${formatPercent(p.testFraction)} hold-out`;
  const grouping = p.grouping === 'none' ? 'ungrouped' : `grouped by ${p.grouping}${describeArtists(p.artists)}`;
  return `${scheme}, ${grouping}, ${p.level}-level${describeAugmentation(p.augmentation)}`;
}

/** " (from tags: 40 of 80 files; the others by song)", or '' when the artists' source is not known. */
function describeArtists(a: ArtistGrouping | undefined): string {
  if (!a) return '';
  const source = a.source === 'tags' ? 'artist tags' : `file-name pattern ${a.pattern ?? ''}`.trim();
  const total = a.filesWithArtist + a.filesWithoutArtist;
  return ` (from ${source}: ${a.filesWithArtist} of ${total} files${a.filesWithoutArtist > 0 ? '; the others by song' : ''})`;
}

/** ", training audio augmented (1 copy per file: time stretch 0.9–1.1, ...), mixup α 0.2", or '' for none. */
function describeAugmentation(a: AugmentationProtocol | undefined): string {
  const parts: string[] = [];
  if (a?.audio) {
    const { copies, ranges } = a.audio;
    const range = ([low, high]: [number, number], unit: string) => `${low}–${high}${unit}`;
    parts.push(
      `training audio augmented (${copies} ${copies === 1 ? 'copy' : 'copies'} per file: time stretch ${range(ranges.stretchRate, '×')}, ` +
        `pitch ${range(ranges.semitones, ' semitones')}, gain ${range(ranges.gainDb, ' dB')}, noise at ${range(ranges.snrDb, ' dB')} SNR)`,
    );
  }
  if (a?.mixupAlpha) parts.push(`mixup α ${a.mixupAlpha}`);
  return parts.map((p) => `, ${p}`).join('');
}

function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}

/** Per group: its row indices and its row count per class. */
interface GroupTable {
  rows: number[][];
  classCounts: number[][];
  /** Rows per class over the whole data set. */
  classTotals: number[];
  classNames: string[];
  groupNames: string[];
}

function tabulateGroups(labels: string[], groups: string[]): GroupTable {
  if (labels.length !== groups.length) {
    throw new SplitError(`labels (${labels.length}) and groups (${groups.length}) must have the same length`);
  }
  const classNames = [...new Set(labels)].sort();
  const classIndex = new Map(classNames.map((c, i) => [c, i]));
  const groupIndex = new Map<string, number>();
  const groupNames: string[] = [];
  const rows: number[][] = [];
  const classCounts: number[][] = [];
  const classTotals = new Array<number>(classNames.length).fill(0);
  for (let i = 0; i < labels.length; i++) {
    let g = groupIndex.get(groups[i]);
    if (g === undefined) {
      g = groupNames.length;
      groupIndex.set(groups[i], g);
      groupNames.push(groups[i]);
      rows.push([]);
      classCounts.push(new Array<number>(classNames.length).fill(0));
    }
    const c = classIndex.get(labels[i]) as number;
    rows[g].push(i);
    classCounts[g][c]++;
    classTotals[c]++;
  }
  return { rows, classCounts, classTotals, classNames, groupNames };
}

/** Number of distinct groups holding at least one row of each class. */
function groupsPerClass(table: GroupTable): number[] {
  const out = new Array<number>(table.classNames.length).fill(0);
  for (const counts of table.classCounts) counts.forEach((n, c) => (out[c] += n > 0 ? 1 : 0));
  return out;
}

/**
 * The largest k for which every class has at least k groups, i.e. every test fold can hold every class
 * (0 when there are no rows). Lets a UI cap its fold count before calling `stratifiedGroupKFold`.
 */
export function maxStratifiedFolds(labels: string[], groups: string[]): number {
  const perClass = groupsPerClass(tabulateGroups(labels, groups));
  return perClass.length === 0 ? 0 : Math.min(...perClass);
}

/**
 * Visiting order for the greedy assignment: a seeded shuffle of the groups, then (stably) the groups with the most
 * uneven class counts first — large single-class groups are the hardest to place, as in scikit-learn.
 */
function groupOrder(table: GroupTable, seed: number): number[] {
  const order = shuffleInPlace(
    table.rows.map((_, g) => g),
    createRng(seed),
  );
  const spread = table.classCounts.map(populationStd);
  return order.sort((a, b) => spread[b] - spread[a]);
}

function populationStd(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

/** numpy.isclose with its default tolerances, so ties are broken the way scikit-learn breaks them. */
function isClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/**
 * Stratified k-fold over groups, after scikit-learn's StratifiedGroupKFold(shuffle=True): groups are visited in a
 * seeded random order (most uneven class counts first) and each goes to the fold that keeps the per-class share of
 * rows most even across folds (the mean over classes of the standard deviation across folds of the fold's share of
 * that class), ties going to the fold with fewer rows. Each group lies entirely in one test fold. When every group
 * is a single row this is a shuffled StratifiedKFold: per-class counts differ by at most one between folds.
 *
 * Throws a SplitError when k < 2, when there are fewer groups than folds, or when a class has fewer groups than
 * folds (some test folds would have none of it; see `maxStratifiedFolds`).
 */
export function stratifiedGroupKFold(labels: string[], groups: string[], k: number, seed: number): Split[] {
  if (!Number.isInteger(k) || k < 2) throw new SplitError(`k-fold needs an integer k >= 2, got ${k}`);
  const table = tabulateGroups(labels, groups);
  const nGroups = table.rows.length;
  if (nGroups < k) throw new SplitError(`${k}-fold needs at least ${k} groups (songs or artists); there are ${nGroups}`);
  const perClass = groupsPerClass(table);
  const short = table.classNames.filter((_, c) => perClass[c] < k);
  if (short.length > 0) {
    const detail = short.map((name) => `${name} (${perClass[table.classNames.indexOf(name)]})`).join(', ');
    throw new SplitError(
      `${k}-fold needs at least ${k} groups per class, so that every test fold holds every class; too few in: ${detail}. ` +
        `Use at most ${Math.min(...perClass)} folds, or add songs to these classes.`,
    );
  }

  const nClasses = table.classNames.length;
  const foldCounts = Array.from({ length: k }, () => new Array<number>(nClasses).fill(0));
  const foldSizes = new Array<number>(k).fill(0);
  const foldOfGroup = new Array<number>(nGroups);
  const share = (fold: number, c: number, extra: number) => (foldCounts[fold][c] + extra) / table.classTotals[c];
  const stdAcrossFolds = (c: number, candidate: number, extra: number) => {
    let sum = 0;
    let sumSq = 0;
    for (let f = 0; f < k; f++) {
      const s = share(f, c, f === candidate ? extra : 0);
      sum += s;
      sumSq += s * s;
    }
    const mean = sum / k;
    return Math.sqrt(Math.max(0, sumSq / k - mean * mean));
  };

  for (const g of groupOrder(table, seed)) {
    const counts = table.classCounts[g];
    const present = counts.map((n, c) => (n > 0 ? c : -1)).filter((c) => c >= 0);
    // Classes absent from the group score the same for every candidate fold: only the present ones decide.
    let baseline = 0;
    for (let c = 0; c < nClasses; c++) if (counts[c] === 0) baseline += stdAcrossFolds(c, -1, 0);
    let bestFold = -1;
    let bestScore = Infinity;
    let bestSize = Infinity;
    for (let f = 0; f < k; f++) {
      let score = baseline;
      for (const c of present) score += stdAcrossFolds(c, f, counts[c]);
      score /= nClasses;
      if (score < bestScore || (isClose(score, bestScore) && foldSizes[f] < bestSize)) {
        bestFold = f;
        bestScore = score;
        bestSize = foldSizes[f];
      }
    }
    foldOfGroup[g] = bestFold;
    for (const c of present) foldCounts[bestFold][c] += counts[c];
    foldSizes[bestFold] += table.rows[g].length;
  }

  return Array.from({ length: k }, (_, fold) => {
    const isTest = new Uint8Array(labels.length);
    table.rows.forEach((rows, g) => {
      if (foldOfGroup[g] === fold) for (const i of rows) isTest[i] = 1;
    });
    return splitFromMask(isTest);
  });
}

function splitFromMask(isTest: Uint8Array): Split {
  const train: number[] = [];
  const test: number[] = [];
  isTest.forEach((t, i) => (t ? test : train).push(i));
  return { train, test };
}

/**
 * One stratified, group-aware hold-out split holding out about `testFraction` of the rows. Groups are visited in a
 * seeded random order (most uneven first); each goes to the side that keeps every class's running test share
 * closest to `testFraction` (error diffusion), so with single-row groups every 1/testFraction-th row of a class is
 * held out. With a fraction below one half, a class with a single group stays in training (a class seen only in
 * testing could not be predicted).
 *
 * Throws a SplitError when the fraction is outside (0, 1) or the data has too few groups for both sides to be
 * non-empty.
 */
export function stratifiedGroupHoldout(labels: string[], groups: string[], testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new SplitError(`the test fraction must lie strictly between 0 and 1, got ${testFraction}`);
  }
  const table = tabulateGroups(labels, groups);
  const nClasses = table.classNames.length;
  // Per class: rows held out minus testFraction times rows placed so far.
  const deviation = new Array<number>(nClasses).fill(0);
  let sizeDeviation = 0;
  const isTest = new Uint8Array(labels.length);
  for (const g of groupOrder(table, seed)) {
    const counts = table.classCounts[g];
    let costTest = 0;
    let costTrain = 0;
    for (let c = 0; c < nClasses; c++) {
      if (counts[c] === 0) continue;
      // Weighted by 1/class total: each class's deviation counts as a share of that class.
      costTest += (deviation[c] + (1 - testFraction) * counts[c]) ** 2 / table.classTotals[c];
      costTrain += (deviation[c] - testFraction * counts[c]) ** 2 / table.classTotals[c];
    }
    const size = table.rows[g].length;
    // On a tie, the side that keeps the overall test share closest to the fraction.
    const toTest = isClose(costTest, costTrain)
      ? Math.abs(sizeDeviation + (1 - testFraction) * size) < Math.abs(sizeDeviation - testFraction * size)
      : costTest < costTrain;
    for (let c = 0; c < nClasses; c++) deviation[c] += ((toTest ? 1 : 0) - testFraction) * counts[c];
    sizeDeviation += ((toTest ? 1 : 0) - testFraction) * size;
    if (toTest) for (const i of table.rows[g]) isTest[i] = 1;
  }
  const split = splitFromMask(isTest);
  if (split.test.length === 0 || split.train.length === 0) {
    throw new SplitError(
      `a ${formatPercent(testFraction)} hold-out of ${table.rows.length} groups leaves one side empty; ` +
        'add songs or change the test fraction',
    );
  }
  return split;
}

/**
 * A stratified group hold-out inside a subset of rows (e.g. a validation split for early stopping carved out of a
 * training fold), returned as indices into the full arrays.
 */
export function stratifiedGroupHoldoutWithin(
  indices: number[],
  labels: string[],
  groups: string[],
  testFraction: number,
  seed: number,
): Split {
  const inner = stratifiedGroupHoldout(
    indices.map((i) => labels[i]),
    indices.map((i) => groups[i]),
    testFraction,
    seed,
  );
  return { train: inner.train.map((j) => indices[j]), test: inner.test.map((j) => indices[j]) };
}

/**
 * The finest grouping coarser than each given one: rows that share a key in any of the groupings end up in one
 * group (connected components). Splitting on `mergeGroups(artistOrSongGroups, songs)` keeps every song whole even
 * when the first grouping is finer than songs somewhere. Each merged group is named after its first row's key in
 * the first grouping.
 */
export function mergeGroups(...groupings: string[][]): string[] {
  if (groupings.length === 0) return [];
  const n = groupings[0].length;
  if (groupings.some((g) => g.length !== n)) throw new SplitError('all groupings must have the same length');
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (const grouping of groupings) {
    const firstRow = new Map<string, number>();
    grouping.forEach((key, i) => {
      const first = firstRow.get(key);
      if (first === undefined) firstRow.set(key, i);
      else {
        const [a, b] = [find(first), find(i)];
        // The root is always the lowest row index, so names follow the first row.
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    });
  }
  return groupings[0].map((_, i) => groupings[0][find(i)]);
}

/**
 * Splits that keep augmented copies on the training side: `splitOriginals` splits the original rows only (it gets
 * their indices and returns splits as indices into the full arrays); each copy then joins the training side when
 * its group's originals are there, and is left out otherwise (a copy of a test song would leak it into training).
 * No copy is ever tested.
 */
export function splitKeepingCopiesInTraining(
  augmented: ArrayLike<boolean | undefined>,
  groups: string[],
  splitOriginals: (originals: number[]) => Split[],
): Split[] {
  const originals: number[] = [];
  const copies: number[] = [];
  for (let i = 0; i < groups.length; i++) (augmented[i] ? copies : originals).push(i);
  return splitOriginals(originals).map((split) => {
    if (copies.length === 0) return split;
    const test = split.test.filter((i) => !augmented[i]);
    const trainGroups = new Set(split.train.map((i) => groups[i]));
    const train = [...split.train, ...copies.filter((i) => trainGroups.has(groups[i]))].sort((a, b) => a - b);
    return { train, test };
  });
}

/** Groups found on both sides of a split (a leak): empty for a correct split. */
export function groupLeaks(groups: string[], split: Split): string[] {
  const trainGroups = new Set(split.train.map((i) => groups[i]));
  return [...new Set(split.test.map((i) => groups[i]).filter((g) => trainGroups.has(g)))].sort();
}

/**
 * Artist groups from file names: capture group 1 of `pattern` is the artist (e.g. `^([^/]+) - ` for
 * "Artist - Title.mp3", or `/([^/]+)/[^/]+$` for an artist folder). A file the pattern does not match, or whose
 * capture is empty, forms its own group by song (`songGroupOf`), so an unmatched file never joins an artist.
 */
export function groupsByPattern(files: string[], pattern: RegExp | string): string[] {
  const regex = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
  return files.map((file) => {
    const artist = regex.exec(file)?.[1]?.trim();
    return artist ? `artist:${artist.toLowerCase()}` : `song:${songGroupOf(file)}`;
  });
}

/**
 * Artist groups from tags (e.g. ID3/Vorbis ARTIST), compared case- and space-insensitively; a file without an
 * artist tag forms its own group by song.
 */
export function groupsByArtistTag(files: string[], artists: Array<string | undefined>): string[] {
  if (files.length !== artists.length) {
    throw new SplitError(`files (${files.length}) and artists (${artists.length}) must have the same length`);
  }
  return files.map((file, i) => {
    const artist = artists[i]?.trim().replace(/\s+/g, ' ').toLowerCase();
    return artist ? `artist:${artist}` : `song:${songGroupOf(file)}`;
  });
}
