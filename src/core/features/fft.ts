/**
 * A real FFT for power-of-two sizes: an iterative radix-2 complex FFT of half the size plus the usual
 * even/odd split, in Float64 (librosa computes its STFT in double precision before storing complex64).
 * A plan holds the twiddles and the bit-reversal table; it is reused across frames and allocates nothing per call.
 */
export class RealFftPlan {
  readonly size: number;
  /** Number of complex outputs of the forward transform: size / 2 + 1. */
  readonly nBins: number;
  private readonly half: number;
  private readonly bitReverse: Uint32Array;
  /** Twiddles of the half-size complex FFT, e^{-2πik/half}, k < half/2. */
  private readonly cosHalf: Float64Array;
  private readonly sinHalf: Float64Array;
  /** Twiddles of the real split, e^{-2πik/size}, k <= half. */
  private readonly cosFull: Float64Array;
  private readonly sinFull: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`FFT size must be a power of two >= 4, got ${size}`);
    }
    this.size = size;
    this.half = size >> 1;
    this.nBins = this.half + 1;
    const half = this.half;
    const bits = Math.log2(half);
    this.bitReverse = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReverse[i] = r;
    }
    this.cosHalf = new Float64Array(Math.max(1, half >> 1));
    this.sinHalf = new Float64Array(Math.max(1, half >> 1));
    for (let k = 0; k < half >> 1; k++) {
      const a = (-2 * Math.PI * k) / half;
      this.cosHalf[k] = Math.cos(a);
      this.sinHalf[k] = Math.sin(a);
    }
    this.cosFull = new Float64Array(half + 1);
    this.sinFull = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      const a = (-2 * Math.PI * k) / size;
      this.cosFull[k] = Math.cos(a);
      this.sinFull[k] = Math.sin(a);
    }
    this.workRe = new Float64Array(half);
    this.workIm = new Float64Array(half);
  }

  /** In-place complex FFT of the work buffers (already in bit-reversed order); sign -1 forward, +1 inverse. */
  private complexFft(sign: 1 | -1): void {
    const n = this.half;
    const re = this.workRe;
    const im = this.workIm;
    const cosT = this.cosHalf;
    const sinT = this.sinHalf;
    for (let len = 2; len <= n; len <<= 1) {
      const halfLen = len >> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let j = 0, t = 0; j < halfLen; j++, t += step) {
          const wr = cosT[t];
          const wi = sign === -1 ? sinT[t] : -sinT[t];
          const a = start + j;
          const b = a + halfLen;
          const br = re[b] * wr - im[b] * wi;
          const bi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - br;
          im[b] = im[a] - bi;
          re[a] += br;
          im[a] += bi;
        }
      }
    }
  }

  /**
   * Forward transform of `size` real samples (read from `input` at `offset`) into `nBins` complex bins
   * (numpy.fft.rfft convention: unnormalized, e^{-2πikn/N}).
   */
  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array, offset = 0): void {
    const half = this.half;
    const re = this.workRe;
    const im = this.workIm;
    const rev = this.bitReverse;
    for (let k = 0; k < half; k++) {
      const r = rev[k];
      re[r] = input[offset + 2 * k];
      im[r] = input[offset + 2 * k + 1];
    }
    this.complexFft(-1);
    outRe[0] = re[0] + im[0];
    outIm[0] = 0;
    outRe[half] = re[0] - im[0];
    outIm[half] = 0;
    const cosF = this.cosFull;
    const sinF = this.sinFull;
    for (let k = 1; k < half; k++) {
      const zr = re[k];
      const zi = im[k];
      const cr = re[half - k];
      const ci = -im[half - k];
      // E = (Z[k] + conj Z[N/2-k]) / 2, O = (Z[k] - conj Z[N/2-k]) / 2i, X = E + W^k O.
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const wr = cosF[k];
      const wi = sinF[k];
      outRe[k] = er + wr * or - wi * oi;
      outIm[k] = ei + wr * oi + wi * or;
    }
  }

  /**
   * Inverse transform of `nBins` complex bins into `size` real samples (numpy.fft.irfft convention:
   * scaled by 1/N; the imaginary parts of the DC and Nyquist bins are ignored).
   */
  inverse(inRe: ArrayLike<number>, inIm: ArrayLike<number>, output: Float64Array, inOffset = 0): void {
    const half = this.half;
    const re = this.workRe;
    const im = this.workIm;
    const rev = this.bitReverse;
    const cosF = this.cosFull;
    const sinF = this.sinFull;
    for (let k = 0; k < half; k++) {
      const xr = inRe[inOffset + k];
      const xi = k === 0 ? 0 : inIm[inOffset + k];
      const yr = inRe[inOffset + half - k];
      const yi = k === 0 ? 0 : -inIm[inOffset + half - k];
      // E = (X[k] + conj X[N/2-k]) / 2, O = (X[k] - conj X[N/2-k]) / 2 * conj(W^k), Z = E + iO.
      const er = 0.5 * (xr + yr);
      const ei = 0.5 * (xi + yi);
      const dr = 0.5 * (xr - yr);
      const di = 0.5 * (xi - yi);
      const wr = cosF[k];
      const wi = -sinF[k];
      const or = dr * wr - di * wi;
      const oi = dr * wi + di * wr;
      const r = rev[k];
      re[r] = er - oi;
      im[r] = ei + or;
    }
    this.complexFft(1);
    const scale = 1 / this.size;
    for (let k = 0; k < half; k++) {
      output[2 * k] = re[k] * 2 * scale;
      output[2 * k + 1] = im[k] * 2 * scale;
    }
  }
}

const plans = new Map<number, RealFftPlan>();

/** A shared plan for this size (plans are immutable apart from their scratch buffers; JS is single-threaded). */
export function realFftPlan(size: number): RealFftPlan {
  let plan = plans.get(size);
  if (!plan) {
    plan = new RealFftPlan(size);
    plans.set(size, plan);
  }
  return plan;
}
