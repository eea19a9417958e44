/**
 * Classification metrics from class probabilities. Conventions follow scikit-learn with zero_division=0:
 * a class never predicted has precision 0, a class absent from the truth has recall 0, and F1 is 0 when
 * precision and recall are both 0.
 */

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of rows whose true class is this one. */
  support: number;
}

export interface ClassificationMetrics {
  /** Rows scored. */
  n: number;
  accuracy: number;
  perClass: ClassMetrics[];
  /**
   * Unweighted mean of F1 over the classes that occur in the truth or the predictions (scikit-learn's
   * f1_score(average='macro')); a class absent from both says nothing about the model and is left out.
   */
  macroF1: number;
  /** confusion[t][p] = rows of true class t predicted as p. */
  confusion: number[][];
  /**
   * Mean over classes of the one-vs-rest ROC-AUC (ties count one half); classes absent from the truth, or making up
   * all of it, have no AUC and are skipped. null when no class has one.
   */
  rocAucMacro: number | null;
  /** Share of rows whose true class is among the two most probable. */
  top2Accuracy: number;
}

function checkInputs(yTrue: number[], proba: number[][], nClasses: number): void {
  if (yTrue.length !== proba.length) {
    throw new RangeError(`yTrue (${yTrue.length}) and proba (${proba.length}) must have the same length`);
  }
  if (yTrue.length === 0) throw new RangeError('no rows to score');
  for (let i = 0; i < yTrue.length; i++) {
    if (!Number.isInteger(yTrue[i]) || yTrue[i] < 0 || yTrue[i] >= nClasses) {
      throw new RangeError(`yTrue[${i}] = ${yTrue[i]} is not a class index in [0, ${nClasses})`);
    }
    if (proba[i].length !== nClasses) {
      throw new RangeError(`proba[${i}] has ${proba[i].length} entries, expected ${nClasses}`);
    }
  }
}

/** The most probable class of each row; on a tie, the lowest class index. */
export function predictedClasses(proba: number[][]): number[] {
  return proba.map((row) => {
    let best = 0;
    for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
    return best;
  });
}

/**
 * Share of rows whose true class ranks among the k most probable. Classes are ranked by descending probability,
 * ties by ascending index, the same order as `predictedClasses` (so k = 1 is the accuracy).
 */
export function topKAccuracy(yTrue: number[], proba: number[][], k: number): number {
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const row = proba[i];
    const t = yTrue[i];
    let ahead = 0;
    for (let c = 0; c < row.length; c++) if (row[c] > row[t] || (row[c] === row[t] && c < t)) ahead++;
    if (ahead < k) hits++;
  }
  return hits / yTrue.length;
}

/**
 * ROC-AUC of `scores` for separating positives from negatives: the probability that a random positive scores above
 * a random negative, ties counting one half (the Mann–Whitney U statistic over average ranks). null when either
 * side is empty.
 */
export function rocAuc(scores: number[], isPositive: boolean[]): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    // Ranks start..end-1 (1-based start+1..end) share their average.
    const averageRank = (start + 1 + end) / 2;
    for (let j = start; j < end; j++) {
      if (isPositive[order[j]]) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function f1Of(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** All metrics for true class indices `yTrue` and per-row class probabilities `proba` (columns follow `labels`). */
export function classificationMetrics(yTrue: number[], proba: number[][], labels: string[]): ClassificationMetrics {
  const nClasses = labels.length;
  checkInputs(yTrue, proba, nClasses);
  const predicted = predictedClasses(proba);
  const confusion = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) confusion[yTrue[i]][predicted[i]]++;

  let correct = 0;
  const perClass: ClassMetrics[] = labels.map((label, c) => {
    const truePositives = confusion[c][c];
    correct += truePositives;
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predictedCount === 0 ? 0 : truePositives / predictedCount;
    const recall = support === 0 ? 0 : truePositives / support;
    return { label, precision, recall, f1: f1Of(precision, recall), support };
  });

  const occurring = perClass.filter((m, c) => m.support > 0 || confusion.some((row) => row[c] > 0));
  const macroF1 = occurring.reduce((a, m) => a + m.f1, 0) / occurring.length;

  const aucs: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    const auc = rocAuc(
      proba.map((row) => row[c]),
      yTrue.map((t) => t === c),
    );
    if (auc !== null) aucs.push(auc);
  }

  return {
    n: yTrue.length,
    accuracy: correct / yTrue.length,
    perClass,
    macroF1,
    confusion,
    rocAucMacro: aucs.length === 0 ? null : aucs.reduce((a, b) => a + b, 0) / aucs.length,
    top2Accuracy: topKAccuracy(yTrue, proba, 2),
  };
}

export interface SongLevelProbabilities {
  /** Distinct groups (songs), in order of first appearance. */
  groups: string[];
  /** Per song: the mean of its rows' probabilities. */
  proba: number[][];
  /** Per song: the row index of its first row, e.g. for its true label (`yTrue[index[s]]`) or file name. */
  index: number[];
}

/** Song-level probabilities: each song's prediction is the mean of its segments' probability rows. */
export function songLevelProbabilities(groups: string[], proba: number[][]): SongLevelProbabilities {
  if (groups.length !== proba.length) {
    throw new RangeError(`groups (${groups.length}) and proba (${proba.length}) must have the same length`);
  }
  const position = new Map<string, number>();
  const songGroups: string[] = [];
  const sums: number[][] = [];
  const counts: number[] = [];
  const index: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    let s = position.get(groups[i]);
    if (s === undefined) {
      s = songGroups.length;
      position.set(groups[i], s);
      songGroups.push(groups[i]);
      sums.push(new Array<number>(proba[i].length).fill(0));
      counts.push(0);
      index.push(i);
    }
    const row = proba[i];
    for (let c = 0; c < row.length; c++) sums[s][c] += row[c];
    counts[s]++;
  }
  return { groups: songGroups, proba: sums.map((sum, s) => sum.map((v) => v / counts[s])), index };
}

/** Train accuracy minus test accuracy: large positive values mean the model memorises its training data. */
export function trainTestGap(trainAccuracy: number, testAccuracy: number): number {
  return trainAccuracy - testAccuracy;
}

/**
 * Mean and population standard deviation (divide by n, as numpy's std and scikit-learn's cross-validation reports
 * do), e.g. of per-fold accuracies.
 */
export function meanAndStd(values: number[]): { mean: number; std: number } {
  if (values.length === 0) throw new RangeError('meanAndStd of no values');
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * Metrics of song-level predictions: each song's probabilities are the mean of its segments'. Throws when the
 * segments of one song carry different true classes (a labelling error that would make song-level scores
 * meaningless).
 */
export function songLevelMetrics(
  yTrue: number[],
  proba: number[][],
  groups: string[],
  labels: string[],
): ClassificationMetrics {
  if (yTrue.length !== groups.length) {
    throw new RangeError(`yTrue (${yTrue.length}) and groups (${groups.length}) must have the same length`);
  }
  const songs = songLevelProbabilities(groups, proba);
  const songOf = new Map(songs.groups.map((g, s) => [g, s]));
  groups.forEach((g, i) => {
    const first = songs.index[songOf.get(g) as number];
    if (yTrue[i] !== yTrue[first]) {
      throw new RangeError(`song ${g} has segments of two classes: ${labels[yTrue[first]]} and ${labels[yTrue[i]]}`);
    }
  });
  return classificationMetrics(
    songs.index.map((i) => yTrue[i]),
    songs.proba,
    labels,
  );
}

export interface FoldSummary {
  folds: number;
  accuracy: { mean: number; std: number; perFold: number[] };
  macroF1: { mean: number; std: number; perFold: number[] };
  /** Sum of the folds' confusion matrices: every row is tested once over the k folds. */
  confusion: number[][];
}

/** Mean, standard deviation and per-fold values of accuracy and macro-F1 over cross-validation folds. */
export function summarizeFolds(folds: ClassificationMetrics[]): FoldSummary {
  if (folds.length === 0) throw new RangeError('no folds to summarize');
  const size = folds[0].confusion.length;
  const confusion = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const fold of folds) {
    if (fold.confusion.length !== size) throw new RangeError('folds have different numbers of classes');
    fold.confusion.forEach((row, t) => row.forEach((v, p) => (confusion[t][p] += v)));
  }
  const accuracies = folds.map((f) => f.accuracy);
  const macroF1s = folds.map((f) => f.macroF1);
  return {
    folds: folds.length,
    accuracy: { ...meanAndStd(accuracies), perFold: accuracies },
    macroF1: { ...meanAndStd(macroF1s), perFold: macroF1s },
    confusion,
  };
}

/**
 * Wilson score interval for a proportion (e.g. accuracy = correct / n) at the normal quantile z (1.96: 95%):
 * honest about how little a small test set tells, and never outside [0, 1].
 */
export function wilsonInterval(correct: number, n: number, z = 1.96): { low: number; high: number } {
  if (!(n > 0) || correct < 0 || correct > n) throw new RangeError(`need 0 <= correct <= n and n > 0, got ${correct}/${n}`);
  const p = correct / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
