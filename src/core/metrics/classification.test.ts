import { describe, expect, it } from 'vitest';
import {
  classificationMetrics,
  meanAndStd,
  predictedClasses,
  rocAuc,
  songLevelMetrics,
  songLevelProbabilities,
  summarizeFolds,
  topKAccuracy,
  trainTestGap,
  wilsonInterval,
} from './classification.ts';

describe('classificationMetrics on a hand-computed 3-class case', () => {
  // true:      a a a a b b b c c c
  // predicted: a a b c b b a c c b
  const labels = ['a', 'b', 'c'];
  const yTrue = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const proba = [
    [0.6, 0.3, 0.1], // a -> a
    [0.7, 0.1, 0.2], // a -> a
    [0.3, 0.6, 0.1], // a -> b, a second
    [0.1, 0.3, 0.6], // a -> c, a third
    [0.2, 0.5, 0.3], // b -> b
    [0.1, 0.8, 0.1], // b -> b
    [0.5, 0.1, 0.4], // b -> a, b third
    [0.2, 0.2, 0.6], // c -> c
    [0.1, 0.4, 0.5], // c -> c
    [0.1, 0.5, 0.4], // c -> b, c second
  ];
  const m = classificationMetrics(yTrue, proba, labels);

  it('counts the confusion matrix with rows = true, columns = predicted', () => {
    expect(m.confusion).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [0, 1, 2],
    ]);
    expect(m.n).toBe(10);
  });

  it('gives accuracy 6/10 and top-2 accuracy 8/10', () => {
    expect(m.accuracy).toBeCloseTo(6 / 10, 12);
    expect(m.top2Accuracy).toBeCloseTo(8 / 10, 12);
  });

  it('gives exact per-class precision, recall and F1', () => {
    // precision = diagonal / column sum; recall = diagonal / row sum; F1 = 2PR / (P + R).
    const expected = [
      { label: 'a', precision: 2 / 3, recall: 2 / 4, f1: 4 / 7, support: 4 },
      { label: 'b', precision: 2 / 4, recall: 2 / 3, f1: 4 / 7, support: 3 },
      { label: 'c', precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
    ];
    m.perClass.forEach((got, c) => {
      expect(got.label).toBe(expected[c].label);
      expect(got.support).toBe(expected[c].support);
      expect(got.precision).toBeCloseTo(expected[c].precision, 12);
      expect(got.recall).toBeCloseTo(expected[c].recall, 12);
      expect(got.f1).toBeCloseTo(expected[c].f1, 12);
    });
    // (4/7 + 4/7 + 2/3) / 3 = 38/63
    expect(m.macroF1).toBeCloseTo(38 / 63, 12);
  });
});

describe('zero-division conventions', () => {
  it('gives a never-predicted class precision 0 and F1 0, and counts it in macro-F1 since it is in the truth', () => {
    // true a a b c; predicted a a a c: b is never predicted.
    const proba = [
      [0.9, 0.05, 0.05],
      [0.8, 0.1, 0.1],
      [0.6, 0.3, 0.1],
      [0.1, 0.1, 0.8],
    ];
    const m = classificationMetrics([0, 0, 1, 2], proba, ['a', 'b', 'c']);
    expect(m.perClass[1]).toEqual({ label: 'b', precision: 0, recall: 0, f1: 0, support: 1 });
    // a: P = 2/3, R = 1, F1 = 4/5; c: 1, 1, 1; b: 0 -> (4/5 + 0 + 1) / 3 = 3/5
    expect(m.perClass[0].f1).toBeCloseTo(4 / 5, 12);
    expect(m.macroF1).toBeCloseTo(3 / 5, 12);
  });

  it('gives a class absent from the truth recall 0; leaves a class absent from truth and predictions out of macro-F1', () => {
    // Labels a b c d; truth only a and b; predictions a, a, c; d never appears anywhere.
    const proba = [
      [0.7, 0.1, 0.1, 0.1],
      [0.4, 0.3, 0.2, 0.1],
      [0.1, 0.2, 0.6, 0.1],
    ];
    const m = classificationMetrics([0, 1, 1], proba, ['a', 'b', 'c', 'd']);
    expect(m.perClass[2]).toEqual({ label: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.perClass[3]).toEqual({ label: 'd', precision: 0, recall: 0, f1: 0, support: 0 });
    // a: P = 1/2, R = 1, F1 = 2/3; b: 0; c: 0 (predicted, so counted); d left out -> (2/3) / 3 = 2/9
    expect(m.macroF1).toBeCloseTo(2 / 9, 12);
    expect(m.accuracy).toBeCloseTo(1 / 3, 12);
  });

  it('rejects mismatched or out-of-range inputs', () => {
    expect(() => classificationMetrics([0], [[0.5, 0.5]], ['a'])).toThrow(/expected 1/);
    expect(() => classificationMetrics([2], [[0.5, 0.5]], ['a', 'b'])).toThrow(/not a class index/);
    expect(() => classificationMetrics([0, 1], [[0.5, 0.5]], ['a', 'b'])).toThrow(/same length/);
    expect(() => classificationMetrics([], [], ['a'])).toThrow(/no rows/);
  });
});

describe('rocAuc and rocAucMacro', () => {
  it('is 0.75 for a ranking with one of four positive-negative pairs misordered', () => {
    // positives 0.9, 0.4; negatives 0.6, 0.2: pairs (0.9,0.6) (0.9,0.2) (0.4,0.2) right, (0.4,0.6) wrong.
    expect(rocAuc([0.9, 0.6, 0.4, 0.2], [true, false, true, false])).toBeCloseTo(0.75, 12);
  });

  it('counts a tied pair as one half', () => {
    // positives 0.8, 0.5; negatives 0.5, 0.1: 1 + 1 + 0.5 + 1 = 3.5 of 4.
    expect(rocAuc([0.8, 0.5, 0.5, 0.1], [true, true, false, false])).toBeCloseTo(0.875, 12);
    expect(rocAuc([0.3, 0.3, 0.3], [true, false, false])).toBeCloseTo(0.5, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, null with one side empty', () => {
    expect(rocAuc([0.1, 0.2, 0.9], [false, false, true])).toBe(1);
    expect(rocAuc([0.9, 0.2, 0.1], [false, false, true])).toBe(0);
    expect(rocAuc([0.1, 0.2], [true, true])).toBeNull();
  });

  it('gives the binary AUC as the macro AUC of two complementary columns', () => {
    const scores = [0.9, 0.6, 0.4, 0.2];
    const m = classificationMetrics(
      [1, 0, 1, 0],
      scores.map((s) => [1 - s, s]),
      ['neg', 'pos'],
    );
    expect(m.rocAucMacro).toBeCloseTo(0.75, 12);
    expect(m.top2Accuracy).toBe(1);
  });

  it('averages one-vs-rest AUCs over the classes present in the truth, skipping absent ones', () => {
    const proba = [
      [0.7, 0.2, 0.1], // a
      [0.5, 0.4, 0.1], // a
      [0.3, 0.4, 0.3], // b
      [0.2, 0.3, 0.5], // b
    ];
    // a vs rest: positives 0.7, 0.5 over negatives 0.3, 0.2 -> 1.
    // b vs rest: positives 0.4, 0.3 against negatives 0.2, 0.4 -> (1 + 0.5 + 1 + 0) / 4 = 0.625. c: absent, skipped.
    const m = classificationMetrics([0, 0, 1, 1], proba, ['a', 'b', 'c']);
    expect(m.rocAucMacro).toBeCloseTo((1 + 0.625) / 2, 12);
  });

  it('is null when only one class occurs in the truth', () => {
    expect(classificationMetrics([0, 0], [[0.6, 0.4], [0.3, 0.7]], ['a', 'b']).rocAucMacro).toBeNull();
  });
});

describe('predictedClasses and topKAccuracy', () => {
  it('breaks ties towards the lowest class index, consistently for top-1 and top-k', () => {
    const proba = [
      [0.4, 0.4, 0.2],
      [0.2, 0.4, 0.4],
    ];
    expect(predictedClasses(proba)).toEqual([0, 1]);
    // Row 0, true class 1: tied with class 0 which ranks first -> second place.
    expect(topKAccuracy([1, 2], proba, 1)).toBe(0);
    expect(topKAccuracy([1, 2], proba, 2)).toBe(1);
    expect(topKAccuracy([0, 1], proba, 1)).toBe(1);
  });
});

describe('songLevelProbabilities', () => {
  it('averages each song’s segment probabilities, in order of first appearance', () => {
    const groups = ['s2', 's1', 's2', 's1', 's3'];
    const proba = [
      [0.2, 0.8],
      [0.9, 0.1],
      [0.6, 0.4],
      [0.5, 0.5],
      [0.3, 0.7],
    ];
    const song = songLevelProbabilities(groups, proba);
    expect(song.groups).toEqual(['s2', 's1', 's3']);
    expect(song.index).toEqual([0, 1, 4]);
    const expected = [
      [0.4, 0.6],
      [0.7, 0.3],
      [0.3, 0.7],
    ];
    song.proba.forEach((row, s) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[s][c], 12)));
  });

  it('lets a song outvote its worst segment: song-level accuracy from segment probabilities', () => {
    // Song x (class 0): segments 0.45, 0.9, 0.8 for class 0 -> one segment wrong, the song right.
    const groups = ['x', 'x', 'x'];
    const proba = [
      [0.45, 0.55],
      [0.9, 0.1],
      [0.8, 0.2],
    ];
    const yTrue = [0, 0, 0];
    const segment = classificationMetrics(yTrue, proba, ['a', 'b']);
    const song = songLevelProbabilities(groups, proba);
    const songMetrics = classificationMetrics(
      song.index.map((i) => yTrue[i]),
      song.proba,
      ['a', 'b'],
    );
    expect(segment.accuracy).toBeCloseTo(2 / 3, 12);
    expect(songMetrics.accuracy).toBe(1);
  });

  it('rejects mismatched lengths', () => {
    expect(() => songLevelProbabilities(['a'], [])).toThrow(/same length/);
  });
});

describe('trainTestGap and meanAndStd', () => {
  it('subtracts test from train accuracy', () => {
    expect(trainTestGap(0.98, 0.8)).toBeCloseTo(0.18, 12);
  });

  it('gives the mean and population standard deviation', () => {
    // mean 5; squared deviations 9 1 1 1 0 0 4 16 = 32; /8 = 4; std 2.
    expect(meanAndStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: 2 });
    expect(meanAndStd([0.7])).toEqual({ mean: 0.7, std: 0 });
    expect(() => meanAndStd([])).toThrow(RangeError);
  });
});

describe('songLevelMetrics', () => {
  it('scores songs by their mean segment probabilities (hand-computed)', () => {
    // Song p (class 0): segments [0.4, 0.6], [0.8, 0.2] -> mean [0.6, 0.4], right, though one segment is wrong.
    // Song q (class 1): [0.7, 0.3], [0.5, 0.5] -> mean [0.6, 0.4], wrong.
    // Song r (class 1): [0.1, 0.9] -> right.
    const groups = ['p', 'q', 'p', 'r', 'q'];
    const yTrue = [0, 1, 0, 1, 1];
    const proba = [
      [0.4, 0.6],
      [0.7, 0.3],
      [0.8, 0.2],
      [0.1, 0.9],
      [0.5, 0.5],
    ];
    const m = songLevelMetrics(yTrue, proba, groups, ['a', 'b']);
    expect(m.n).toBe(3);
    expect(m.confusion).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('refuses a song whose segments carry two classes', () => {
    expect(() => songLevelMetrics([0, 1], [[1, 0], [0, 1]], ['s', 's'], ['a', 'b'])).toThrow(/two classes: a and b/);
  });
});

describe('summarizeFolds', () => {
  it('gives mean, std and per-fold accuracy and macro-F1, and sums the confusion matrices', () => {
    const fold1 = classificationMetrics([0, 1], [[0.9, 0.1], [0.2, 0.8]], ['a', 'b']); // both right
    const fold2 = classificationMetrics([0, 1], [[0.9, 0.1], [0.6, 0.4]], ['a', 'b']); // second wrong
    const summary = summarizeFolds([fold1, fold2]);
    expect(summary.folds).toBe(2);
    expect(summary.accuracy).toEqual({ mean: 0.75, std: 0.25, perFold: [1, 0.5] });
    // fold 2: a P = 1/2, R = 1, F1 = 2/3; b: 0 -> macro 1/3. Mean (1 + 1/3) / 2 = 2/3, std 1/3.
    expect(summary.macroF1.mean).toBeCloseTo(2 / 3, 12);
    expect(summary.macroF1.std).toBeCloseTo(1 / 3, 12);
    expect(summary.confusion).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(() => summarizeFolds([])).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  it('matches hand-computed bounds: 8 of 10 at z = 1.96 -> [0.4902, 0.9433]', () => {
    // centre = (0.8 + 0.19208) / 1.38416 = 0.716738; half = (1.96 / 1.38416) * sqrt(0.016 + 0.0096040) = 0.226590.
    const { low, high } = wilsonInterval(8, 10);
    expect(low).toBeCloseTo(0.4902, 4);
    expect(high).toBeCloseTo(0.9433, 4);
  });

  it('stays within [0, 1] at the extremes and narrows with more data', () => {
    expect(wilsonInterval(0, 5).low).toBe(0);
    expect(wilsonInterval(5, 5).high).toBe(1);
    const small = wilsonInterval(78, 100);
    const large = wilsonInterval(780, 1000);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});
