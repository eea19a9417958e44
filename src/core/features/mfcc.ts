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
 * (librosa's (n_mfcc, t) layout), float32 as librosa's. The DCT-II basis is symmetric (k even) or antisymmetric
 * (k odd) about the middle band, so each coefficient needs only half the products: of the sums or the
 * differences of mirrored bands.
 */
export function mfcc(melDb: Float32Array, nFrames: number, nMels: number, nMfcc = 20): Float32Array {
  const basis = dctBasis(nMfcc, nMels);
  const half = nMels >> 1;
  const odd = nMels % 2 === 1;
  const sums = new Float64Array(half);
  const diffs = new Float64Array(half);
  const out = new Float32Array(nMfcc * nFrames);
  for (let t = 0; t < nFrames; t++) {
    const base = t * nMels;
    for (let m = 0; m < half; m++) {
      const a = melDb[base + m];
      const b = melDb[base + nMels - 1 - m];
      sums[m] = a + b;
      diffs[m] = a - b;
    }
    const middle = odd ? melDb[base + half] : 0;
    for (let k = 0; k < nMfcc; k++) {
      const bBase = k * nMels;
      const folded = k % 2 === 0 ? sums : diffs;
      let acc = odd && k % 2 === 0 ? basis[bBase + half] * middle : 0;
      for (let m = 0; m < half; m++) acc += basis[bBase + m] * folded[m];
      out[k * nFrames + t] = acc;
    }
  }
  return out;
}
