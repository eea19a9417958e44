/**
 * 2-D projections of feature vectors for plots: PCA (directions of greatest variance) and Fisher LDA (directions
 * that best separate the classes). Each fit returns a plain, JSON-serialisable transform, so that a new point
 * (e.g. the user's song) can be placed on an existing plot with `projectPoints`.
 */
import { cholesky, solveLower, solveLowerTransposed, symmetricEigen } from './linalg.ts';

/** Feature vectors, one per row, all of the same length. */
export type FeatureRows = ReadonlyArray<ArrayLike<number>>;

export interface ProjectionOptions {
  /**
   * Divide each centred feature by its standard deviation before projecting (default true): feature tables mix
   * units (Hz, ratios, dB), and without it the largest-valued features alone decide the axes.
   */
  standardize?: boolean;
}

export interface LdaOptions extends ProjectionOptions {
  /**
   * Ridge added to the within-class covariance, as a fraction of its mean diagonal (default 1e-6), so that constant
   * or collinear features (a singular within-class covariance) do not break the fit.
   */
  ridge?: number;
}

/** A fitted 2-D projection: point = components · ((x - mean) / scale). */
export interface Projection2d {
  kind: 'pca' | 'lda';
  mean: number[];
  /** Per feature divisor: its standard deviation when standardized (1 for a constant feature), else 1. */
  scale: number[];
  /** Two axes in the (standardized) feature space; an axis that does not exist (one feature) is all zeros. */
  components: [number[], number[]];
  /**
   * PCA: share of the total variance along each axis. LDA: share of the between-class (discriminant) variance;
   * with two classes that is [1, 0], the second axis being a fallback (see `fitLda2d`).
   */
  explainedVariance: [number, number];
}

export interface ProjectedPoints {
  points: [number, number][];
  explainedVariance: [number, number];
  components: [number[], number[]];
  projection: Projection2d;
}

/** Centred (and optionally standardized) rows as one row-major n x d array, with the transform's mean and scale. */
function prepare(x: FeatureRows, standardize: boolean): { z: Float64Array; n: number; d: number; mean: number[]; scale: number[] } {
  const n = x.length;
  if (n === 0) throw new RangeError('no rows to project');
  const d = x[0].length;
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    if (x[i].length !== d) throw new RangeError(`row ${i} has ${x[i].length} features, expected ${d}`);
    for (let j = 0; j < d; j++) mean[j] += x[i][j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] = x[i][j] - mean[j];
  const scale = new Array<number>(d).fill(1);
  if (standardize) {
    const sumSq = new Float64Array(d);
    for (let i = 0; i < n * d; i++) sumSq[i % d] += z[i] * z[i];
    for (let j = 0; j < d; j++) {
      const std = Math.sqrt(sumSq[j] / n);
      scale[j] = std > 0 ? std : 1;
    }
    for (let i = 0; i < n * d; i++) z[i] /= scale[i % d];
  }
  return { z, n, d, mean, scale };
}

/** Population covariance (divided by n) of already-centred rows. */
function covarianceOf(z: Float64Array, n: number, d: number): Float64Array {
  const c = new Float64Array(d * d);
  // Four rows per pass over the upper triangle: a quarter of the loads and stores of one row at a time.
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const b0 = i * d;
    const b1 = b0 + d;
    const b2 = b1 + d;
    const b3 = b2 + d;
    for (let p = 0; p < d; p++) {
      const a0 = z[b0 + p];
      const a1 = z[b1 + p];
      const a2 = z[b2 + p];
      const a3 = z[b3 + p];
      const row = p * d;
      for (let q = p; q < d; q++) c[row + q] += a0 * z[b0 + q] + a1 * z[b1 + q] + a2 * z[b2 + q] + a3 * z[b3 + q];
    }
  }
  for (; i < n; i++) {
    const base = i * d;
    for (let p = 0; p < d; p++) {
      const a = z[base + p];
      const row = p * d;
      for (let q = p; q < d; q++) c[row + q] += a * z[base + q];
    }
  }
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      c[p * d + q] /= n;
      c[q * d + p] = c[p * d + q];
    }
  }
  return c;
}

/** The deterministic sign of an axis: its largest-magnitude entry (the first, on a tie) is positive. */
function withSignConvention(v: ArrayLike<number>): number[] {
  let largest = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[largest])) largest = j;
  const sign = v.length > 0 && v[largest] < 0 ? -1 : 1;
  return Array.from(v, (x) => (x === 0 ? 0 : sign * x));
}

function quadraticForm(m: Float64Array, d: number, v: ArrayLike<number>): number {
  let sum = 0;
  for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) sum += v[p] * m[p * d + q] * v[q];
  return sum;
}

/** The two leading principal axes of the rows' covariance. */
export function fitPca2d(x: FeatureRows, options: ProjectionOptions = {}): Projection2d {
  const { z, n, d, mean, scale } = prepare(x, options.standardize ?? true);
  const { values, vectors } = symmetricEigen(covarianceOf(z, n, d), d);
  const total = values.reduce((a, v) => a + Math.max(v, 0), 0);
  const axis = (i: number) => (i < d ? withSignConvention(vectors[i]) : new Array<number>(d).fill(0));
  const share = (i: number) => (i < d && total > 0 ? Math.max(values[i], 0) / total : 0);
  return { kind: 'pca', mean, scale, components: [axis(0), axis(1)], explainedVariance: [share(0), share(1)] };
}

/**
 * Fisher LDA: axes w maximising between-class over within-class variance, from the generalized eigenproblem
 * Sb w = λ Sw w, solved by Cholesky whitening (Sw = L Lᵀ; eigenvectors v of L⁻¹ Sb L⁻ᵀ; w = L⁻ᵀ v). Each axis is
 * scaled to unit within-class variance, so both plot axes read in within-class standard deviations.
 *
 * With two classes only one discriminant exists; the second axis is then the top principal direction of the data
 * with the discriminant removed (what varies most besides the class difference), likewise scaled, and
 * `explainedVariance` is [1, 0]. Throws with fewer than two classes.
 */
export function fitLda2d(x: FeatureRows, labels: ArrayLike<string>, options: LdaOptions = {}): Projection2d {
  if (labels.length !== x.length) {
    throw new RangeError(`labels (${labels.length}) and rows (${x.length}) must have the same length`);
  }
  const { z, n, d, mean, scale } = prepare(x, options.standardize ?? true);
  const classes = [...new Set(Array.from(labels))].sort();
  if (classes.length < 2) throw new RangeError(`LDA needs at least two classes, got ${classes.length}`);
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const classOf = Array.from(labels, (l) => classIndex.get(l) as number);

  const counts = new Array<number>(classes.length).fill(0);
  const classMeans = classes.map(() => new Float64Array(d));
  for (let i = 0; i < n; i++) {
    counts[classOf[i]]++;
    for (let j = 0; j < d; j++) classMeans[classOf[i]][j] += z[i * d + j];
  }
  classMeans.forEach((m, c) => m.forEach((_, j) => (m[j] /= counts[c])));

  // Within-class covariance from class-centred rows; between-class from class means (the global mean is 0 here).
  const residual = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) residual[i * d + j] = z[i * d + j] - classMeans[classOf[i]][j];
  const within = covarianceOf(residual, n, d);
  const between = new Float64Array(d * d);
  classMeans.forEach((m, c) => {
    const weight = counts[c] / n;
    for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) between[p * d + q] += weight * m[p] * m[q];
  });
  let trace = 0;
  for (let j = 0; j < d; j++) trace += within[j * d + j];
  const ridge = (options.ridge ?? 1e-6) * (trace > 0 ? trace / d : 1);
  for (let j = 0; j < d; j++) within[j * d + j] += ridge;

  const l = cholesky(within, d);
  // M = L⁻¹ Sb L⁻ᵀ: Y = L⁻¹ Sb column by column, then M = L⁻¹ Yᵀ (Sb is symmetric).
  const y = new Float64Array(d * d);
  for (let col = 0; col < d; col++) {
    const solved = solveLower(
      l,
      d,
      Float64Array.from({ length: d }, (_, r) => between[r * d + col]),
    );
    for (let r = 0; r < d; r++) y[r * d + col] = solved[r];
  }
  const whitened = new Float64Array(d * d);
  for (let col = 0; col < d; col++) {
    const solved = solveLower(
      l,
      d,
      Float64Array.from({ length: d }, (_, r) => y[col * d + r]),
    );
    for (let r = 0; r < d; r++) whitened[r * d + col] = solved[r];
  }
  for (let p = 0; p < d; p++) {
    for (let q = p + 1; q < d; q++) {
      const avg = (whitened[p * d + q] + whitened[q * d + p]) / 2;
      whitened[p * d + q] = avg;
      whitened[q * d + p] = avg;
    }
  }
  const { values, vectors } = symmetricEigen(whitened, d);
  const discriminants = Math.min(classes.length - 1, d);
  const total = values.slice(0, discriminants).reduce((a, v) => a + Math.max(v, 0), 0);
  const share = (i: number) => (i < discriminants && total > 0 ? Math.max(values[i], 0) / total : 0);

  const first = withSignConvention(solveLowerTransposed(l, d, vectors[0]));
  let second: number[];
  if (d < 2) {
    second = new Array<number>(d).fill(0);
  } else if (discriminants >= 2) {
    second = withSignConvention(solveLowerTransposed(l, d, vectors[1]));
  } else {
    second = residualPrincipalAxis(z, n, d, first, within);
  }
  return { kind: 'lda', mean, scale, components: [first, second], explainedVariance: [share(0), share(1)] };
}

/**
 * The top principal direction of the rows after removing their component along `axis`, scaled to unit
 * within-class variance: the two-class LDA's second plot axis.
 */
function residualPrincipalAxis(z: Float64Array, n: number, d: number, axis: number[], within: Float64Array): number[] {
  const norm = Math.hypot(...axis);
  const u = axis.map((v) => v / norm);
  // cov(P z) = P C P with P = I - u uᵀ.
  const c = covarianceOf(z, n, d);
  const cu = new Float64Array(d);
  for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) cu[p] += c[p * d + q] * u[q];
  let ucu = 0;
  for (let p = 0; p < d; p++) ucu += u[p] * cu[p];
  const projected = new Float64Array(d * d);
  for (let p = 0; p < d; p++) {
    for (let q = 0; q < d; q++) {
      projected[p * d + q] = c[p * d + q] - u[p] * cu[q] - cu[p] * u[q] + u[p] * u[q] * ucu;
    }
  }
  const direction = symmetricEigen(projected, d).vectors[0];
  const spread = quadraticForm(within, d, direction);
  return withSignConvention(direction.map((v) => v / Math.sqrt(spread)));
}

/** Places rows on a fitted projection's plane. */
export function projectPoints(projection: Projection2d, x: FeatureRows): [number, number][] {
  const { mean, scale, components } = projection;
  const d = mean.length;
  return x.map((row, i) => {
    if (row.length !== d) throw new RangeError(`row ${i} has ${row.length} features, expected ${d}`);
    let a = 0;
    let b = 0;
    for (let j = 0; j < d; j++) {
      const zj = (row[j] - mean[j]) / scale[j];
      a += components[0][j] * zj;
      b += components[1][j] * zj;
    }
    return [a, b];
  });
}

function projected(projection: Projection2d, x: FeatureRows): ProjectedPoints {
  return {
    points: projectPoints(projection, x),
    explainedVariance: projection.explainedVariance,
    components: projection.components,
    projection,
  };
}

/** PCA to 2-D: fit on `x` and project it. */
export function pca2d(x: FeatureRows, options: ProjectionOptions = {}): ProjectedPoints {
  return projected(fitPca2d(x, options), x);
}

/** Fisher LDA to 2-D: fit on `x` with its labels and project it. */
export function lda2d(x: FeatureRows, labels: ArrayLike<string>, options: LdaOptions = {}): ProjectedPoints {
  return projected(fitLda2d(x, labels, options), x);
}

/** Fits either projection by name; LDA needs the rows' labels. */
export function fitProjection(
  kind: Projection2d['kind'],
  x: FeatureRows,
  labels?: ArrayLike<string>,
  options: LdaOptions = {},
): Projection2d {
  if (kind === 'pca') return fitPca2d(x, options);
  if (!labels) throw new RangeError('an LDA projection needs the labels of the rows');
  return fitLda2d(x, labels, options);
}
