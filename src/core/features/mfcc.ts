/** librosa.feature.mfcc: DCT-II (orthonormal, scipy's norm='ortho') of each frame of a log-mel (dB) spectrogram. */

/** Rows of the orthonormal DCT-II matrix: basis[k * n + i] = s_k cos(π k (2i + 1) / 2n). */
export function dctBasis(nCoefficients: number, n: number): Float64Array {
  const basis = new Float64Array(nCoefficients * n);
  for (let k = 0; k < nCoefficients; k++) {
    const scale = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) basis[k * n + i] = scale * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
  }
  return basis;
}

/**
 * MFCCs from a frame-major log-mel spectrogram [t * nMels + m]; returns coefficient-major [k * nFrames + t]
 * (librosa's (n_mfcc, t) layout), float32 as librosa's.
 */
export function mfcc(melDb: Float32Array, nFrames: number, nMels: number, nMfcc = 20): Float32Array {
  const basis = dctBasis(nMfcc, nMels);
  const out = new Float32Array(nMfcc * nFrames);
  for (let t = 0; t < nFrames; t++) {
    const base = t * nMels;
    for (let k = 0; k < nMfcc; k++) {
      const bBase = k * nMels;
      let acc = 0;
      for (let m = 0; m < nMels; m++) acc += basis[bBase + m] * melDb[base + m];
      out[k * nFrames + t] = acc;
    }
  }
  return out;
}
