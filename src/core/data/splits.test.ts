import { describe, expect, it } from 'vitest';
import { createRng, randomInt } from './random.ts';
import {
  describeProtocol,
  groupLeaks,
  groupsByArtistTag,
  groupsByPattern,
  maxStratifiedFolds,
  mergeGroups,
  splitKeepingCopiesInTraining,
  SplitError,
  stratifiedGroupHoldout,
  stratifiedGroupHoldoutWithin,
  stratifiedGroupKFold,
  type Split,
} from './splits.ts';

/** Rows of `nClasses` classes, `groupsPerClass` groups each, `rowsPerGroup` rows per group (like 3-s segments). */
function balancedData(nClasses: number, groupsPerClass: number, rowsPerGroup: number) {
  const labels: string[] = [];
  const groups: string[] = [];
  for (let c = 0; c < nClasses; c++) {
    for (let g = 0; g < groupsPerClass; g++) {
      for (let r = 0; r < rowsPerGroup; r++) {
        labels.push(`class${c}`);
        groups.push(`class${c}.song${g}`);
      }
    }
  }
  return { labels, groups };
}

/** Random data: groups of 1-8 rows, mostly one class per group, some mixed (as with artist grouping). */
function randomData(seed: number) {
  const rng = createRng(seed);
  const nClasses = 2 + randomInt(rng, 4);
  const nGroups = 12 + randomInt(rng, 40);
  const labels: string[] = [];
  const groups: string[] = [];
  for (let g = 0; g < nGroups; g++) {
    const main = g % nClasses; // every class gets groups
    const size = 1 + randomInt(rng, 8);
    const mixed = rng() < 0.2;
    for (let r = 0; r < size; r++) {
      labels.push(`c${mixed && rng() < 0.5 ? randomInt(rng, nClasses) : main}`);
      groups.push(`g${g}`);
    }
  }
  // Interleave rows so that a group's rows are not contiguous.
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13));
  return { labels: order.map((i) => labels[i]), groups: order.map((i) => groups[i]) };
}

function countByClass(labels: string[], rows: number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of rows) out.set(labels[i], (out.get(labels[i]) ?? 0) + 1);
  return out;
}

function expectPartition(split: Split, n: number) {
  expect([...split.train, ...split.test].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  expect(split.train).toEqual([...split.train].sort((a, b) => a - b));
  expect(split.test).toEqual([...split.test].sort((a, b) => a - b));
}

describe('stratifiedGroupKFold', () => {
  it('never lets a group straddle train and test, and puts every row in exactly one test fold (random data)', () => {
    for (let seed = 0; seed < 40; seed++) {
      const { labels, groups } = randomData(seed);
      const k = Math.min(2 + (seed % 4), maxStratifiedFolds(labels, groups));
      const folds = stratifiedGroupKFold(labels, groups, k, seed);
      expect(folds).toHaveLength(k);
      const timesTested = new Array<number>(labels.length).fill(0);
      for (const fold of folds) {
        expectPartition(fold, labels.length);
        expect(groupLeaks(groups, fold)).toEqual([]);
        expect(fold.test.length).toBeGreaterThan(0);
        for (const i of fold.test) timesTested[i]++;
      }
      expect(timesTested.every((t) => t === 1)).toBe(true);
    }
  });

  it('spreads each class within one group per fold on balanced data (GTZAN-like: 10 classes x 100 songs x 10 segments)', () => {
    const { labels, groups } = balancedData(10, 100, 10);
    const folds = stratifiedGroupKFold(labels, groups, 10, 42);
    for (const fold of folds) {
      const perClass = countByClass(labels, fold.test);
      // 100 songs per class over 10 folds: exactly 10 songs = 100 segments of every class in every fold.
      for (let c = 0; c < 10; c++) expect(perClass.get(`class${c}`)).toBe(100);
    }
  });

  it('keeps per-class group counts within one of each other when folds do not divide evenly', () => {
    const { labels, groups } = balancedData(4, 23, 3);
    const folds = stratifiedGroupKFold(labels, groups, 5, 7);
    for (let c = 0; c < 4; c++) {
      const songsPerFold = folds.map((f) => (countByClass(labels, f.test).get(`class${c}`) ?? 0) / 3);
      // 23 songs over 5 folds: 4 or 5 each.
      expect(Math.max(...songsPerFold) - Math.min(...songsPerFold)).toBeLessThanOrEqual(1);
      expect(songsPerFold.reduce((a, b) => a + b, 0)).toBe(23);
    }
  });

  it('reduces to a shuffled stratified k-fold when every group is one row', () => {
    const labels = [...Array(17).fill('a'), ...Array(9).fill('b'), ...Array(31).fill('c')] as string[];
    const groups = labels.map((_, i) => `row${i}`);
    const folds = stratifiedGroupKFold(labels, groups, 4, 3);
    for (const label of ['a', 'b', 'c']) {
      const perFold = folds.map((f) => countByClass(labels, f.test).get(label) ?? 0);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    // Shuffled: the first fold is not simply the first rows of each class.
    expect(folds[0].test.slice(0, 5)).not.toEqual([0, 1, 2, 3, 4]);
  });

  it('is deterministic by seed and changes with the seed', () => {
    const { labels, groups } = randomData(5);
    const k = Math.min(3, maxStratifiedFolds(labels, groups));
    expect(stratifiedGroupKFold(labels, groups, k, 1)).toEqual(stratifiedGroupKFold(labels, groups, k, 1));
    expect(stratifiedGroupKFold(labels, groups, k, 1)).not.toEqual(stratifiedGroupKFold(labels, groups, k, 2));
  });

  it('places the biggest groups first, so unequal songs still fill folds evenly', () => {
    // Two classes, each with groups of 6,5,4,3,2,1 rows, into 3 folds: 6|5|4, then 3,2,1 on top gives 7 rows of
    // each class per fold; a random visiting order would leave uneven folds.
    const sizes = [6, 5, 4, 3, 2, 1];
    const labels: string[] = [];
    const groups: string[] = [];
    for (const label of ['x', 'y']) {
      sizes.forEach((s, g) => {
        for (let r = 0; r < s; r++) {
          labels.push(label);
          groups.push(`${label}${g}`);
        }
      });
    }
    for (let seed = 0; seed < 5; seed++) {
      for (const fold of stratifiedGroupKFold(labels, groups, 3, seed)) {
        expect(Object.fromEntries(countByClass(labels, fold.test))).toEqual({ x: 7, y: 7 });
      }
    }
  });

  it('explains why it cannot split: too few groups in a class, too few groups, bad k, mismatched lengths', () => {
    const labels = ['a', 'a', 'a', 'b', 'b', 'b'];
    expect(() => stratifiedGroupKFold(labels, ['1', '2', '3', '4', '4', '5'], 3, 0)).toThrow(
      /at least 3 groups per class.*b \(2\).*at most 2 folds/,
    );
    expect(() => stratifiedGroupKFold(labels, ['1', '1', '2', '2', '3', '3'], 4, 0)).toThrow(/at least 4 groups/);
    expect(() => stratifiedGroupKFold(labels, labels, 1, 0)).toThrow(SplitError);
    expect(() => stratifiedGroupKFold(labels, ['1'], 2, 0)).toThrow(/same length/);
  });
});

describe('maxStratifiedFolds', () => {
  it('is the smallest number of groups of any class', () => {
    expect(maxStratifiedFolds(['a', 'a', 'b', 'b', 'b'], ['1', '2', '3', '4', '4'])).toBe(2);
    expect(maxStratifiedFolds(['a', 'a', 'b'], ['1', '1', '2'])).toBe(1);
    expect(maxStratifiedFolds([], [])).toBe(0);
  });
});

describe('stratifiedGroupHoldout', () => {
  it('holds out every fifth row of each class for a 20% split of single-row groups', () => {
    const labels = [...Array(50).fill('a'), ...Array(20).fill('b')] as string[];
    const groups = labels.map((_, i) => `r${i}`);
    const split = stratifiedGroupHoldout(labels, groups, 0.2, 9);
    expectPartition(split, labels.length);
    const perClass = countByClass(labels, split.test);
    expect(perClass.get('a')).toBe(10);
    expect(perClass.get('b')).toBe(4);
  });

  it('keeps groups whole and class shares near the fraction (random data)', () => {
    for (let seed = 0; seed < 30; seed++) {
      const { labels, groups } = randomData(100 + seed);
      const split = stratifiedGroupHoldout(labels, groups, 0.25, seed);
      expectPartition(split, labels.length);
      expect(groupLeaks(groups, split)).toEqual([]);
      const share = split.test.length / labels.length;
      expect(share).toBeGreaterThan(0.1);
      expect(share).toBeLessThan(0.4);
    }
  });

  it('splits balanced songs exactly: 10 classes x 20 songs x 10 segments, 25% -> 5 songs of each class', () => {
    const { labels, groups } = balancedData(10, 20, 10);
    const split = stratifiedGroupHoldout(labels, groups, 0.25, 1);
    expect(groupLeaks(groups, split)).toEqual([]);
    for (const n of countByClass(labels, split.test).values()) expect(n).toBe(50);
  });

  it('is deterministic by seed and changes with the seed', () => {
    const { labels, groups } = balancedData(3, 30, 2);
    expect(stratifiedGroupHoldout(labels, groups, 0.3, 4)).toEqual(stratifiedGroupHoldout(labels, groups, 0.3, 4));
    expect(stratifiedGroupHoldout(labels, groups, 0.3, 4)).not.toEqual(stratifiedGroupHoldout(labels, groups, 0.3, 5));
  });

  it('keeps a class with a single song in training', () => {
    const labels = ['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'solo', 'solo'];
    const groups = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 's', 's'];
    const split = stratifiedGroupHoldout(labels, groups, 0.2, 0);
    expect(split.train).toContain(10);
    expect(split.train).toContain(11);
  });

  it('rejects fractions outside (0, 1) and data too small for two sides', () => {
    expect(() => stratifiedGroupHoldout(['a', 'b'], ['1', '2'], 0, 0)).toThrow(/strictly between/);
    expect(() => stratifiedGroupHoldout(['a', 'b'], ['1', '2'], 1, 0)).toThrow(SplitError);
    expect(() => stratifiedGroupHoldout(['a', 'a'], ['1', '1'], 0.5, 0)).toThrow(/one side empty/);
  });
});

describe('stratifiedGroupHoldoutWithin', () => {
  it('splits a subset and answers with indices of the full arrays', () => {
    const { labels, groups } = balancedData(2, 10, 2);
    const [fold] = stratifiedGroupKFold(labels, groups, 5, 0);
    const inner = stratifiedGroupHoldoutWithin(fold.train, labels, groups, 0.25, 0);
    expect([...inner.train, ...inner.test].sort((a, b) => a - b)).toEqual(fold.train);
    expect(groupLeaks(groups, inner)).toEqual([]);
    for (const i of inner.test) expect(fold.test).not.toContain(i);
  });
});

describe('groupLeaks', () => {
  it('names the groups found on both sides (a segment-level split of songs leaks)', () => {
    const groups = ['s1', 's1', 's2', 's2', 's3'];
    expect(groupLeaks(groups, { train: [0, 2, 3], test: [1, 4] })).toEqual(['s1']);
    expect(groupLeaks(groups, { train: [0, 1, 4], test: [2, 3] })).toEqual([]);
  });
});

describe('mergeGroups', () => {
  it('joins rows that share a key in any grouping, transitively', () => {
    // Rows 0-1 share song s1; rows 1-2 share group g2; row 3 alone; rows 4-5 share group g5.
    const groups = ['g0', 'g2', 'g2', 'g3', 'g5', 'g5'];
    const songs = ['s1', 's1', 's2', 's3', 's4', 's5'];
    expect(mergeGroups(groups, songs)).toEqual(['g0', 'g0', 'g0', 'g3', 'g5', 'g5']);
    expect(mergeGroups(groups)).toEqual(groups);
    expect(mergeGroups()).toEqual([]);
    expect(() => mergeGroups(['a'], [])).toThrow(/same length/);
  });

  it('keeps songs whole in the split even when the first grouping is one row per segment', () => {
    const labels = Array.from({ length: 40 }, (_, i) => `c${Math.floor(i / 4) % 2}`);
    const songs = labels.map((_, i) => `song${Math.floor(i / 4)}`);
    const perRow = labels.map((_, i) => `row${i}`);
    const folds = stratifiedGroupKFold(labels, mergeGroups(perRow, songs), 5, 0);
    for (const f of folds) expect(groupLeaks(songs, f)).toEqual([]);
    expect(stratifiedGroupKFold(labels, perRow, 5, 0).some((f) => groupLeaks(songs, f).length > 0)).toBe(true);
  });
});

describe('groupsByPattern and groupsByArtistTag', () => {
  it('groups by the captured artist, falling back to the song', () => {
    const files = ['Nina Simone - Feeling Good.mp3', 'nina simone - Sinnerman.flac', 'blues.00001.3.wav', 'Solo.mp3'];
    expect(groupsByPattern(files, '^(.+?) - ')).toEqual([
      'artist:nina simone',
      'artist:nina simone',
      'song:blues.00001',
      'song:Solo',
    ]);
    expect(groupsByPattern(['rock/Queen/a.mp3', 'rock/Queen/b.mp3'], /([^/]+)\/[^/]+$/)).toEqual([
      'artist:queen',
      'artist:queen',
    ]);
  });

  it('groups by artist tag, case- and space-insensitively, falling back to the song', () => {
    expect(groupsByArtistTag(['a.mp3', 'b.mp3', 'c.mp3'], ['The  Beatles', 'the beatles ', undefined])).toEqual([
      'artist:the beatles',
      'artist:the beatles',
      'song:c',
    ]);
    expect(() => groupsByArtistTag(['a'], [])).toThrow(/same length/);
  });
});

describe('splitKeepingCopiesInTraining', () => {
  const groups = ['a', 'a', 'b', 'b', 'a', 'b', 'c', 'a'];
  const augmented = [false, false, false, false, true, true, true, true];

  it('splits the originals only, then adds the copies of training groups to training', () => {
    const seen: number[][] = [];
    const splits = splitKeepingCopiesInTraining(augmented, groups, (originals) => {
      seen.push(originals);
      return [
        { train: [0, 1], test: [2, 3] },
        { train: [2, 3], test: [0, 1] },
      ];
    });
    expect(seen).toEqual([[0, 1, 2, 3]]);
    // Copy 6's group has no original: it is in no split.
    expect(splits).toEqual([
      { train: [0, 1, 4, 7], test: [2, 3] },
      { train: [2, 3, 5], test: [0, 1] },
    ]);
  });

  it('never tests a copy, even when the splitter puts one on the test side', () => {
    const [split] = splitKeepingCopiesInTraining(augmented, groups, () => [{ train: [0, 1], test: [2, 3, 5] }]);
    expect(split).toEqual({ train: [0, 1, 4, 7], test: [2, 3] });
  });

  it('is the plain split when nothing is augmented', () => {
    const plain = { train: [1, 3], test: [0, 2] };
    expect(splitKeepingCopiesInTraining([], ['a', 'b', 'c', 'd'], () => [plain])).toEqual([plain]);
  });
});

describe('describeProtocol', () => {
  it('names the training-side augmentation', () => {
    expect(
      describeProtocol({
        kind: 'kfold',
        k: 5,
        grouping: 'song',
        stratified: true,
        seed: 0,
        level: 'song',
        augmentation: {
          audio: {
            copies: 1,
            seed: 0,
            ranges: { stretchRate: [0.9, 1.1], semitones: [-2, 2], gainDb: [-6, 6], snrDb: [20, 40] },
            order: ['time stretch', 'pitch shift', 'gain', 'noise'],
          },
          mixupAlpha: 0.2,
        },
      }),
    ).toBe(
      'stratified 5-fold, grouped by song, song-level, training audio augmented (1 copy per file: time stretch 0.9–1.1×, ' +
        'pitch -2–2 semitones, gain -6–6 dB, noise at 20–40 dB SNR), mixup α 0.2',
    );
  });

  it('reads as one line', () => {
    expect(
      describeProtocol({ kind: 'kfold', k: 10, grouping: 'song', stratified: true, seed: 1, level: 'song' }),
    ).toBe('stratified 10-fold, grouped by song, song-level');
    expect(
      describeProtocol({
        kind: 'holdout',
        testFraction: 0.2,
        grouping: 'artist',
        stratified: true,
        seed: 1,
        level: 'segment',
      }),
    ).toBe('stratified 20% hold-out, grouped by artist, segment-level');
    expect(
      describeProtocol({ kind: 'kfold', k: 5, grouping: 'none', stratified: false, seed: 1, level: 'segment' }),
    ).toBe('5-fold, ungrouped, segment-level');
  });
});

/**
 * Songs whose segments share a song-specific "fingerprint" but whose labels are unrelated to it: a memorising model
 * (1-nearest-neighbour) scores ~100% when a song's segments straddle train and test, and chance when they do not.
 */
describe('a protocol that keeps songs whole catches a segment leak', () => {
  const rng = createRng(2024);
  const nSongs = 40;
  const segmentsPerSong = 8;
  const features: number[][] = [];
  const labels: string[] = [];
  const songs: string[] = [];
  for (let s = 0; s < nSongs; s++) {
    const fingerprint = Array.from({ length: 6 }, () => rng() * 10);
    for (let k = 0; k < segmentsPerSong; k++) {
      features.push(fingerprint.map((v) => v + 0.01 * (rng() - 0.5)));
      labels.push(`class${s % 4}`);
      songs.push(`song${s}`);
    }
  }

  function nearestNeighbourAccuracy(split: Split): number {
    let correct = 0;
    for (const i of split.test) {
      let best = -1;
      let bestDistance = Infinity;
      for (const j of split.train) {
        const distance = features[i].reduce((a, v, f) => a + (v - features[j][f]) ** 2, 0);
        if (distance < bestDistance) [best, bestDistance] = [j, distance];
      }
      if (labels[best] === labels[i]) correct++;
    }
    return correct / split.test.length;
  }

  const meanAccuracy = (folds: Split[]) => folds.reduce((a, f) => a + nearestNeighbourAccuracy(f), 0) / folds.length;

  it('segments of one song in train and test: memorisation looks like ~100% accuracy', () => {
    const rowGroups = labels.map((_, i) => `row${i}`);
    const folds = stratifiedGroupKFold(labels, rowGroups, 5, 0);
    expect(folds.some((f) => groupLeaks(songs, f).length > 0)).toBe(true);
    expect(meanAccuracy(folds)).toBeGreaterThan(0.95);
  });

  it('songs kept whole: the same model is at chance (4 classes)', () => {
    const folds = stratifiedGroupKFold(labels, songs, 5, 0);
    for (const f of folds) expect(groupLeaks(songs, f)).toEqual([]);
    expect(meanAccuracy(folds)).toBeLessThan(0.5);
    const holdout = stratifiedGroupHoldout(labels, songs, 0.25, 0);
    expect(groupLeaks(songs, holdout)).toEqual([]);
    expect(nearestNeighbourAccuracy(holdout)).toBeLessThan(0.6);
  });
});
