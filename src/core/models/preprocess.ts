/**
 * Feature preprocessing fit on a training split only and stored with the model, so that prediction applies the
 * very same transform: an optional log of strictly positive, right-skewed columns (variances, energies), then
 * standardization to zero mean and unit variance.
 */

export interface StandardizerParams {
  kind: 'standardize';
  featureNames: string[];
  /** Per column: true = x -> ln(x + offset) before standardizing. */
  logColumns: boolean[];
  /** Per column: the offset that keeps the log's argument positive (a small share of the training minimum). */
  logOffsets: number[];
  mean: number[];
  std: number[];
  /**
   * Optional rank-to-normal transform (like scikit-learn's QuantileTransformer(output_distribution='normal')): per
   * column, the training values at evenly spaced quantiles; a value maps to the normal score of its interpolated
   * quantile (applied after the log, before standardizing).
   */
  quantiles?: number[][];
}

export interface FitStandardizerOptions {
  /** Log-transform positive columns whose skewness the log reduces (default true). */
  logSkewed?: boolean;
  /** Map each column through its training quantiles to normal scores (default false). */
  quantileNormal?: boolean;
}

const QUANTILE_POINTS = 101;
const QUANTILE_CLIP = 1e-3;

/** Inverse of the standard normal CDF (Acklam's rational approximation, absolute error below 1e-6). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155211304];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** The normal score of `v` given a column's quantile table (ties and flat stretches take their middle rank). */
function quantileScore(table: number[], v: number): number {
  const last = table.length - 1;
  let p: number;
  if (v <= table[0]) p = 0;
  else if (v >= table[last]) p = 1;
  else {
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (table[mid] <= v) lo = mid;
      else hi = mid;
    }
    // Interpolate between the first and last table entries equal to the bracketing values.
    let first = lo;
    while (first > 0 && table[first - 1] === table[lo]) first--;
    const base = table[lo] === v ? (first + lo) / 2 : lo + (v - table[lo]) / (table[hi] - table[lo]);
    p = base / last;
  }
  return normalQuantile(Math.min(1 - QUANTILE_CLIP, Math.max(QUANTILE_CLIP, p)));
}

function quantileTable(values: number[]): number[] {
  const sorted = [...values].sort((x, y) => x - y);
  return Array.from({ length: QUANTILE_POINTS }, (_, i) => {
    const pos = (i / (QUANTILE_POINTS - 1)) * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  });
}

function skewness(values: number[]): number {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  for (const v of values) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
}

/** Fits the transform on training rows (each a feature vector in `featureNames` order). */
export function fitStandardizer(
  rows: ArrayLike<number>[],
  featureNames: string[],
  options: FitStandardizerOptions = {},
): StandardizerParams {
  if (rows.length === 0) throw new Error('fitStandardizer: no training rows');
  const d = featureNames.length;
  const logSkewed = options.logSkewed ?? true;
  const logColumns: boolean[] = [];
  const logOffsets: number[] = [];
  const mean: number[] = [];
  const std: number[] = [];
  const quantiles: number[][] = [];
  for (let j = 0; j < d; j++) {
    const column = rows.map((r) => r[j]);
    let min = Infinity;
    for (const v of column) min = Math.min(min, v);
    let useLog = false;
    let offset = 0;
    if (logSkewed && min > 0) {
      offset = min * 1e-3;
      const logged = column.map((v) => Math.log(v + offset));
      useLog = Math.abs(skewness(logged)) < Math.abs(skewness(column));
    }
    let values = useLog ? column.map((v) => Math.log(v + offset)) : column;
    if (options.quantileNormal) {
      const table = quantileTable(values);
      quantiles.push(table);
      values = values.map((v) => quantileScore(table, v));
    }
    let m = 0;
    for (const v of values) m += v;
    m /= values.length;
    let s = 0;
    for (const v of values) s += (v - m) * (v - m);
    s = Math.sqrt(s / values.length);
    logColumns.push(useLog);
    logOffsets.push(useLog ? offset : 0);
    mean.push(m);
    // A constant column carries no information; a unit scale keeps it at zero instead of dividing by zero.
    std.push(s > 1e-12 ? s : 1);
  }
  return {
    kind: 'standardize',
    featureNames: [...featureNames],
    logColumns,
    logOffsets,
    mean,
    std,
    ...(options.quantileNormal ? { quantiles } : {}),
  };
}

/** Applies the transform; returns a row-major n x d Float32Array. */
export function applyStandardizer(params: StandardizerParams, rows: ArrayLike<number>[]): Float32Array {
  const d = params.mean.length;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new Error(`expected ${d} features per row, got ${r.length}`);
    for (let j = 0; j < d; j++) {
      // Values below the training range are clamped into the log's domain rather than producing NaN.
      let v = params.logColumns[j] ? Math.log(Math.max(r[j], 0) + params.logOffsets[j]) : r[j];
      if (params.quantiles) v = quantileScore(params.quantiles[j], v);
      out[i * d + j] = (v - params.mean[j]) / params.std[j];
    }
  });
  return out;
}

/** Validates untrusted parameters (from an imported bundle) before use. */
export function isStandardizerParams(value: unknown): value is StandardizerParams {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  const d = Array.isArray(p.mean) ? p.mean.length : -1;
  const numbers = (a: unknown) => Array.isArray(a) && a.length === d && a.every((v) => typeof v === 'number' && Number.isFinite(v));
  return (
    p.kind === 'standardize' &&
    d > 0 &&
    Array.isArray(p.featureNames) &&
    p.featureNames.length === d &&
    Array.isArray(p.logColumns) &&
    p.logColumns.length === d &&
    numbers(p.logOffsets) &&
    numbers(p.std) &&
    (p.quantiles === undefined ||
      (Array.isArray(p.quantiles) &&
        p.quantiles.length === d &&
        p.quantiles.every((t) => Array.isArray(t) && t.length >= 2 && t.every((v) => typeof v === 'number' && Number.isFinite(v)))))
  );
}
