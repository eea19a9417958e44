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
}

export interface FitStandardizerOptions {
  /** Log-transform positive columns whose skewness the log reduces (default true). */
  logSkewed?: boolean;
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
    const values = useLog ? column.map((v) => Math.log(v + offset)) : column;
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
  return { kind: 'standardize', featureNames: [...featureNames], logColumns, logOffsets, mean, std };
}

/** Applies the transform; returns a row-major n x d Float32Array. */
export function applyStandardizer(params: StandardizerParams, rows: ArrayLike<number>[]): Float32Array {
  const d = params.mean.length;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new Error(`expected ${d} features per row, got ${r.length}`);
    for (let j = 0; j < d; j++) {
      // Values below the training range are clamped into the log's domain rather than producing NaN.
      const v = params.logColumns[j] ? Math.log(Math.max(r[j], 0) + params.logOffsets[j]) : r[j];
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
    numbers(p.std)
  );
}
