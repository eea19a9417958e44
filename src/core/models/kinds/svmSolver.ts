/**
 * The numerical parts of an RBF-kernel support vector classifier, after libsvm (Chang & Lin): the C-SVC dual
 * solved by SMO with second-order working-set selection (Fan, Chen & Lin 2005), Platt's sigmoid fitted by
 * Newton's method with backtracking (Lin, Lin & Weng 2007), and pairwise coupling of one-vs-one probabilities
 * (Wu, Lin & Weng 2004, method 2). Pure functions on plain arrays: no TF.js.
 */
import { shuffleInPlace } from '../../data/random.ts';

/** Row-major squared Euclidean distances between the rows of `a` (n x d) and of `b` (m x d). */
export function squaredDistances(a: Float64Array, n: number, b: Float64Array, m: number, d: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = a[i * d + k] - b[j * d + k];
        s += diff * diff;
      }
      out[i * m + j] = s;
    }
  }
  return out;
}

/** exp(-gamma * distance) elementwise. */
export function rbfKernel(distances: Float64Array, gamma: number): Float64Array {
  return distances.map((v) => Math.exp(-gamma * v));
}

export interface BinarySvm {
  /** Dual coefficients alpha_i (0 <= alpha_i <= C), one per training row. */
  alpha: Float64Array;
  /** decision(x) = sum_i alpha_i y_i K(x_i, x) - rho. */
  rho: number;
  iterations: number;
}

const TAU = 1e-12;

/**
 * Solves min 1/2 a'Qa - e'a subject to y'a = 0, 0 <= a <= C, with Q_ij = y_i y_j K_ij, for the rows `rows` of the
 * kernel matrix `kernel` (stride `stride`) and labels y = +1/-1. Stops when the maximal KKT violation is below `eps`.
 */
export function solveBinarySvm(kernel: Float64Array, stride: number, rows: number[], y: Int8Array, C: number, eps = 1e-3): BinarySvm {
  const l = rows.length;
  const K = (i: number, j: number) => kernel[rows[i] * stride + rows[j]];
  const alpha = new Float64Array(l);
  const G = new Float64Array(l).fill(-1);
  const QD = new Float64Array(l);
  for (let i = 0; i < l; i++) QD[i] = K(i, i);
  const maxIterations = Math.max(10_000_000, 100 * l);
  const atUpper = (t: number) => alpha[t] >= C;
  const atLower = (t: number) => alpha[t] <= 0;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // i: the most violating index of I_up; j: of I_low, the one that most decreases the objective.
    let gMax = -Infinity;
    let i = -1;
    for (let t = 0; t < l; t++) {
      const v = -y[t] * G[t];
      if ((y[t] === 1 ? !atUpper(t) : !atLower(t)) && v >= gMax) {
        gMax = v;
        i = t;
      }
    }
    if (i < 0) break;
    let gMax2 = -Infinity;
    let j = -1;
    let bestObjective = Infinity;
    for (let t = 0; t < l; t++) {
      if (!(y[t] === 1 ? !atLower(t) : !atUpper(t))) continue;
      const v = y[t] * G[t];
      if (v >= gMax2) gMax2 = v;
      const gradDiff = gMax + v;
      if (gradDiff > 0) {
        const quad = QD[i] + QD[t] - 2 * y[i] * y[t] * K(i, t);
        const objective = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
        if (objective <= bestObjective) {
          bestObjective = objective;
          j = t;
        }
      }
    }
    if (gMax + gMax2 < eps || j < 0) break;

    const oldI = alpha[i];
    const oldJ = alpha[j];
    const Qij = y[i] * y[j] * K(i, j);
    if (y[i] !== y[j]) {
      const quad = Math.max(QD[i] + QD[j] + 2 * Qij, TAU);
      const delta = (-G[i] - G[j]) / quad;
      const diff = alpha[i] - alpha[j];
      alpha[i] += delta;
      alpha[j] += delta;
      if (diff > 0) {
        if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = diff;
        }
      } else if (alpha[i] < 0) {
        alpha[i] = 0;
        alpha[j] = -diff;
      }
      if (diff > 0) {
        if (alpha[i] > C) {
          alpha[i] = C;
          alpha[j] = C - diff;
        }
      } else if (alpha[j] > C) {
        alpha[j] = C;
        alpha[i] = C + diff;
      }
    } else {
      const quad = Math.max(QD[i] + QD[j] - 2 * Qij, TAU);
      const delta = (G[i] - G[j]) / quad;
      const sum = alpha[i] + alpha[j];
      alpha[i] -= delta;
      alpha[j] += delta;
      if (sum > C) {
        if (alpha[i] > C) {
          alpha[i] = C;
          alpha[j] = sum - C;
        }
        if (alpha[j] > C) {
          alpha[j] = C;
          alpha[i] = sum - C;
        }
      } else {
        if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = sum;
        }
        if (alpha[i] < 0) {
          alpha[i] = 0;
          alpha[j] = sum;
        }
      }
    }
    const dI = alpha[i] - oldI;
    const dJ = alpha[j] - oldJ;
    for (let t = 0; t < l; t++) G[t] += y[t] * (y[i] * K(t, i) * dI + y[j] * K(t, j) * dJ);
  }

  // rho: the mean of y_i G_i over free vectors, else the middle of the feasible interval.
  let free = 0;
  let sumFree = 0;
  let upper = Infinity;
  let lower = -Infinity;
  for (let t = 0; t < l; t++) {
    const yG = y[t] * G[t];
    if (atUpper(t)) {
      if (y[t] === -1) upper = Math.min(upper, yG);
      else lower = Math.max(lower, yG);
    } else if (atLower(t)) {
      if (y[t] === 1) upper = Math.min(upper, yG);
      else lower = Math.max(lower, yG);
    } else {
      free++;
      sumFree += yG;
    }
  }
  const rho = free > 0 ? sumFree / free : (upper + lower) / 2;
  return { alpha, rho, iterations };
}

/** Decision values of a binary SVM (trained on kernel rows `rows`) for the kernel rows `targets`. */
export function binaryDecisions(svm: BinarySvm, kernel: Float64Array, stride: number, rows: number[], y: Int8Array, targets: number[]): Float64Array {
  return Float64Array.from(targets, (t) => {
    let s = -svm.rho;
    for (let i = 0; i < rows.length; i++) if (svm.alpha[i] > 0) s += svm.alpha[i] * y[i] * kernel[t * stride + rows[i]];
    return s;
  });
}

/** Platt's sigmoid P(y = +1 | f) = 1 / (1 + exp(A f + B)), fitted to decision values with regularized targets. */
export function fitPlattSigmoid(decisions: ArrayLike<number>, positive: ArrayLike<boolean>): { A: number; B: number } {
  const n = decisions.length;
  let prior1 = 0;
  for (let i = 0; i < n; i++) if (positive[i]) prior1++;
  const prior0 = n - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const target = (i: number) => (positive[i] ? hi : lo);
  const objective = (A: number, B: number) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const z = decisions[i] * A + B;
      f += z >= 0 ? target(i) * z + Math.log1p(Math.exp(-z)) : (target(i) - 1) * z + Math.log1p(Math.exp(z));
    }
    return f;
  };
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  let value = objective(A, B);
  for (let iteration = 0; iteration < 100; iteration++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const z = decisions[i] * A + B;
      const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      const q = 1 - p;
      const d2 = p * q;
      h11 += decisions[i] * decisions[i] * d2;
      h22 += d2;
      h21 += decisions[i] * d2;
      const d1 = target(i) - p;
      g1 += decisions[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const slope = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const nextA = A + step * dA;
      const nextB = B + step * dB;
      const next = objective(nextA, nextB);
      if (next < value + 1e-4 * step * slope) {
        A = nextA;
        B = nextB;
        value = next;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { A, B };
}

export function plattProbability(decision: number, A: number, B: number): number {
  const z = decision * A + B;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}

/**
 * Class probabilities from pairwise ones: r[i][j] = P(class i | class i or j), r[j][i] = 1 - r[i][j]. Minimizes
 * sum_i sum_{j != i} (r[j][i] p_i - r[i][j] p_j)^2 subject to sum p = 1 (Wu, Lin & Weng's second method).
 */
export function couplePairwise(r: number[][]): number[] {
  const k = r.length;
  const Q: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let t = 0; t < k; t++) {
    for (let j = 0; j < k; j++) {
      if (j === t) continue;
      Q[t][t] += r[j][t] * r[j][t];
      Q[t][j] = -r[j][t] * r[t][j];
    }
  }
  const p = new Array<number>(k).fill(1 / k);
  const Qp = new Array<number>(k).fill(0);
  const maxIterations = Math.max(100, k);
  const eps = 0.005 / k;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      Qp[t] = 0;
      for (let j = 0; j < k; j++) Qp[t] += Q[t][j] * p[j];
      pQp += p[t] * Qp[t];
    }
    let maxError = 0;
    for (let t = 0; t < k; t++) maxError = Math.max(maxError, Math.abs(Qp[t] - pQp));
    if (maxError < eps) break;
    for (let t = 0; t < k; t++) {
      const diff = (-Qp[t] + pQp) / Q[t][t];
      p[t] += diff;
      pQp = (pQp + diff * (diff * Q[t][t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = (Qp[j] + diff * Q[t][j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
  return p;
}

/** One binary SVM of a one-vs-one model: class `a` (+1) against class `b` (-1). */
export interface PairSvm {
  a: number;
  b: number;
  /** Training-row indices of its support vectors, and their coefficients alpha_i y_i. */
  support: number[];
  coef: number[];
  rho: number;
  /** Platt sigmoid of P(a | a or b); absent when probabilities were not fitted. */
  A?: number;
  B?: number;
}

export interface OneVsOneOptions {
  C: number;
  gamma: number;
  /**
   * When given, each pair's Platt sigmoid is fitted on decision values of an internal cross-validation whose folds
   * never split a group (song).
   */
  platt?: { groups: string[]; random: () => number; folds?: number };
}

/** Some rows of a row-major matrix with `d` columns, packed. */
export function gatherRows(x: Float64Array, d: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, i) => out.set(x.subarray(r * d, (r + 1) * d), i * d));
  return out;
}

/** Squared distances among some rows (row-major, rows.length^2), from the standardized rows themselves. */
export function distancesAmong(x: Float64Array, d: number): (rows: number[]) => Float64Array {
  return (rows) => {
    const sub = gatherRows(x, d, rows);
    return squaredDistances(sub, rows.length, sub, rows.length, d);
  };
}

/** The same from a precomputed n x n distance matrix (cheaper when many models share the rows). */
export function distancesFromMatrix(matrix: Float64Array, n: number): (rows: number[]) => Float64Array {
  return (rows) => {
    const out = new Float64Array(rows.length * rows.length);
    rows.forEach((r, i) => rows.forEach((c, j) => (out[i * rows.length + j] = matrix[r * n + c])));
    return out;
  };
}

/** Fold index per row: the row's group's position in a random permutation of the groups, modulo `folds`. */
function groupFolds(groups: string[], folds: number, random: () => number): number[] {
  const unique = shuffleInPlace([...new Set(groups)], random);
  const foldOf = new Map(unique.map((g, i) => [g, i % folds]));
  return groups.map((g) => foldOf.get(g)!);
}

/**
 * Trains one binary SVM per pair of classes on rows with classes `y`, given their squared distances. With `platt`,
 * each pair's Platt sigmoid is fitted to out-of-fold decision values (libsvm's procedure), never to the decision
 * values of the rows it was trained on.
 */
export function trainOneVsOne(
  distances: (rows: number[]) => Float64Array,
  y: number[],
  numClasses: number,
  options: OneVsOneOptions,
): PairSvm[] {
  const pairs: PairSvm[] = [];
  for (let a = 0; a < numClasses; a++) {
    for (let b = a + 1; b < numClasses; b++) {
      const rows = y.flatMap((c, i) => (c === a || c === b ? [i] : []));
      if (rows.length === 0) continue;
      const labels = Int8Array.from(rows, (r) => (y[r] === a ? 1 : -1));
      const kernel = rbfKernel(distances(rows), options.gamma);
      const local = rows.map((_, i) => i);
      const svm = solveBinarySvm(kernel, rows.length, local, labels, options.C);
      const pair: PairSvm = { a, b, support: [], coef: [], rho: svm.rho };
      svm.alpha.forEach((alpha, i) => {
        if (alpha > 0) {
          pair.support.push(rows[i]);
          pair.coef.push(alpha * labels[i]);
        }
      });
      if (options.platt) Object.assign(pair, pairSigmoid(kernel, labels, options.C, { ...options.platt, groups: rows.map((r) => options.platt!.groups[r]) }));
      pairs.push(pair);
    }
  }
  return pairs;
}

function pairSigmoid(
  kernel: Float64Array,
  labels: Int8Array,
  C: number,
  platt: NonNullable<OneVsOneOptions['platt']>,
): { A: number; B: number } {
  const l = labels.length;
  const folds = Math.min(platt.folds ?? 5, new Set(platt.groups).size);
  const fold = groupFolds(platt.groups, folds, platt.random);
  const decisions = new Float64Array(l);
  for (let f = 0; f < folds; f++) {
    const train = fold.flatMap((g, i) => (g !== f ? [i] : []));
    const test = fold.flatMap((g, i) => (g === f ? [i] : []));
    const trainLabels = Int8Array.from(train, (i) => labels[i]);
    const positives = trainLabels.filter((v) => v === 1).length;
    // libsvm's convention when a fold's training side holds one class only.
    if (positives === 0 || positives === train.length) {
      const value = positives === 0 ? -1 : 1;
      test.forEach((i) => (decisions[i] = value));
      continue;
    }
    const svm = solveBinarySvm(kernel, l, train, trainLabels, C);
    binaryDecisions(svm, kernel, l, train, trainLabels, test).forEach((v, t) => (decisions[test[t]] = v));
  }
  return fitPlattSigmoid(decisions, Array.from(labels, (v) => v === 1));
}

/** Per target row (kernel values against every training row: targets x n), each pair's decision value. */
export function pairDecisions(pairs: PairSvm[], kernelToTraining: (target: number, row: number) => number, targets: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let t = 0; t < targets; t++) {
    out.push(
      Float64Array.from(pairs, (p) => {
        let s = -p.rho;
        for (let i = 0; i < p.support.length; i++) s += p.coef[i] * kernelToTraining(t, p.support[i]);
        return s;
      }),
    );
  }
  return out;
}

/** Class probabilities from each pair's decision value (its Platt sigmoid, then pairwise coupling). */
export function pairProbabilities(pairs: PairSvm[], decisions: Float64Array, numClasses: number): number[] {
  const r = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0.5));
  pairs.forEach((p, i) => {
    const pa = Math.min(Math.max(plattProbability(decisions[i], p.A ?? -1, p.B ?? 0), 1e-7), 1 - 1e-7);
    r[p.a][p.b] = pa;
    r[p.b][p.a] = 1 - pa;
  });
  return couplePairwise(r);
}

/** Votes of the pairs (positive decision: a vote for `a`). */
export function pairVotes(pairs: PairSvm[], decisions: Float64Array, numClasses: number): number[] {
  const votes = new Array<number>(numClasses).fill(0);
  pairs.forEach((p, i) => votes[decisions[i] > 0 ? p.a : p.b]++);
  return votes;
}
