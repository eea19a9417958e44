/** Each row divided by its sum (the row's recall per predicted class); an all-zero row stays zero. */
export function rowNormalize(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

/** Cell intensities in [0, 1] for the heatmap: value over the largest value (0 when all are zero). */
export function heatIntensities(matrix: readonly (readonly number[])[]): number[][] {
  const max = Math.max(0, ...matrix.flat());
  return matrix.map((row) => row.map((v) => (max > 0 ? v / max : 0)));
}
