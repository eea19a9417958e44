/**
 * librosa's spectral shape features over a frame-major magnitude spectrogram (|STFT|, power 1):
 * spectral_centroid, spectral_bandwidth (p = 2, norm = True) and spectral_rolloff (roll_percent 0.85).
 * One value per frame.
 */

/** float32's smallest normal number: librosa's util.tiny threshold for skipping normalization of silent frames. */
export const FLOAT32_TINY = 1.1754943508222875e-38;

/** Σ f·S / Σ S per frame (librosa.feature.spectral_centroid); a silent frame gives 0. */
export function spectralCentroid(mag: Float32Array, nFrames: number, nBins: number, freqs: Float64Array): Float64Array {
  const out = new Float64Array(nFrames);
  for (let t = 0; t < nFrames; t++) {
    const base = t * nBins;
    let total = 0;
    let weighted = 0;
    for (let b = 0; b < nBins; b++) {
      const s = mag[base + b];
      total += s;
      weighted += freqs[b] * s;
    }
    // librosa leaves frames whose norm is below float32's tiny un-normalized.
    out[t] = total < FLOAT32_TINY ? weighted : weighted / total;
  }
  return out;
}

/** sqrt(Σ S·(f − centroid)² / Σ S) per frame (librosa.feature.spectral_bandwidth, p = 2). */
export function spectralBandwidth(
  mag: Float32Array,
  nFrames: number,
  nBins: number,
  freqs: Float64Array,
  centroid: Float64Array,
): Float64Array {
  const out = new Float64Array(nFrames);
  for (let t = 0; t < nFrames; t++) {
    const base = t * nBins;
    const c = centroid[t];
    let total = 0;
    let weighted = 0;
    for (let b = 0; b < nBins; b++) {
      const s = mag[base + b];
      const d = freqs[b] - c;
      total += s;
      weighted += s * d * d;
    }
    out[t] = Math.sqrt(total < FLOAT32_TINY ? weighted : weighted / total);
  }
  return out;
}

/**
 * The lowest bin frequency at which the cumulative magnitude reaches rollPercent of the frame's total
 * (librosa.feature.spectral_rolloff). The cumulative sum runs in float32 as numpy's cumsum of float32 does,
 * so ties at the threshold resolve the same way.
 */
export function spectralRolloff(
  mag: Float32Array,
  nFrames: number,
  nBins: number,
  freqs: Float64Array,
  rollPercent = 0.85,
): Float64Array {
  const out = new Float64Array(nFrames);
  const cumulative = new Float32Array(nBins);
  for (let t = 0; t < nFrames; t++) {
    const base = t * nBins;
    let acc = 0;
    for (let b = 0; b < nBins; b++) {
      acc = Math.fround(acc + mag[base + b]);
      cumulative[b] = acc;
    }
    const threshold = Math.fround(rollPercent * acc);
    let b = 0;
    while (b < nBins - 1 && cumulative[b] < threshold) b++;
    out[t] = freqs[b];
  }
  return out;
}
