/** Summary statistics of frame-wise features as the GTZAN table used them: np.mean and np.var (ddof 0). */

/** Mean of values[offset .. offset + count); 0 for no values (never NaN). */
export function mean(values: ArrayLike<number>, offset = 0, count = values.length - offset): number {
  if (count <= 0) return 0;
  let acc = 0;
  for (let i = offset; i < offset + count; i++) acc += values[i];
  return acc / count;
}

/** Population variance (ddof 0) of values[offset .. offset + count), two-pass; 0 for no values. */
export function variance(values: ArrayLike<number>, offset = 0, count = values.length - offset): number {
  if (count <= 0) return 0;
  const m = mean(values, offset, count);
  let acc = 0;
  for (let i = offset; i < offset + count; i++) {
    const d = values[i] - m;
    acc += d * d;
  }
  return acc / count;
}
