/**
 * Sliding-window median filter along one axis of a 2-D Float32Array, matching
 * scipy.ndimage.median_filter with a (1, size) or (size, 1) footprint and mode='reflect'
 * (half-sample symmetric edges: d c b a | a b c d | d c b a), as librosa's HPSS uses it.
 *
 * The array holds `lines` lines of `length` samples; sample j of line l is at
 * `l * lineStride + j * sampleStride`, so the same function filters along time or along frequency
 * of a frame-major spectrogram. Each line is gathered once into a reflect-padded buffer, and the
 * window is kept sorted: each step swaps the outgoing sample for the incoming one by a binary search
 * and a short shift, so a step costs about log2(size) comparisons plus the displacement, and nothing is
 * allocated per sample. The result is bit-exact (a median of an odd window is one of its samples).
 */
export interface MedianAxis {
  lines: number;
  length: number;
  lineStride: number;
  sampleStride: number;
}

export function medianFilter1d(src: Float32Array, out: Float32Array, axis: MedianAxis, size: number): void {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new RangeError(`median filter size must be a positive odd integer, got ${size}`);
  }
  const { lines, length, lineStride, sampleStride } = axis;
  if (length === 0 || lines === 0) return;
  const half = (size - 1) >> 1;
  const padded = new Float32Array(length + 2 * half);
  const window = new Float32Array(size);
  for (let l = 0; l < lines; l++) {
    const base = l * lineStride;
    for (let j = 0; j < padded.length; j++) {
      padded[j] = src[base + reflectIndex(j - half, length) * sampleStride];
    }
    slidingMedian(padded, length, size, window, out, base, sampleStride);
  }
}

/** scipy.ndimage 'reflect' index: repeats the edge sample, period 2n (also for windows wider than the line). */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - 1 - k;
}

/** Medians of `count` windows of `size` consecutive samples of `padded`, written to out[base + i*stride]. */
function slidingMedian(
  padded: Float32Array,
  count: number,
  size: number,
  window: Float32Array,
  out: Float32Array,
  base: number,
  stride: number,
): void {
  const mid = (size - 1) >> 1;
  for (let i = 0; i < size; i++) window[i] = padded[i];
  window.sort();
  out[base] = window[mid];
  for (let i = 1; i < count; i++) {
    const outgoing = padded[i - 1];
    const incoming = padded[i - 1 + size];
    if (incoming !== outgoing) {
      // Position of one copy of the outgoing sample (lower bound; the window holds it).
      let lo = 0;
      let hi = size - 1;
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if (window[m] < outgoing) lo = m + 1;
        else hi = m;
      }
      let p = lo;
      if (incoming > outgoing) {
        while (p + 1 < size && window[p + 1] < incoming) {
          window[p] = window[p + 1];
          p++;
        }
      } else {
        while (p > 0 && window[p - 1] > incoming) {
          window[p] = window[p - 1];
          p--;
        }
      }
      window[p] = incoming;
    }
    out[base + i * stride] = window[mid];
  }
}
