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
  /**
   * Twiddles of the half-size complex FFT's passes. Each pass fuses two radix-2 stages (half-lengths h and 2h):
   * for j < h it holds W_2h^j and W_4h^j interleaved as [re, im, re, im]. A size with an odd number of stages
   * starts with one plain radix-2 stage (trivial twiddles).
   */
  private readonly passTwiddles: Float64Array[];
  private readonly oddStage: boolean;
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
    this.oddStage = bits % 2 === 1;
    this.passTwiddles = [];
    for (let h = this.oddStage ? 2 : 1; 4 * h <= half; h *= 4) {
      const tw = new Float64Array(4 * h);
      for (let j = 0; j < h; j++) {
        tw[4 * j] = Math.cos((-2 * Math.PI * j) / (2 * h));
        tw[4 * j + 1] = Math.sin((-2 * Math.PI * j) / (2 * h));
        tw[4 * j + 2] = Math.cos((-2 * Math.PI * j) / (4 * h));
        tw[4 * j + 3] = Math.sin((-2 * Math.PI * j) / (4 * h));
      }
      this.passTwiddles.push(tw);
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

  /** In-place forward complex FFT of the work buffers, whose input is already in bit-reversed order. */
  private complexFft(): void {
    const n = this.half;
    const re = this.workRe;
    const im = this.workIm;
    let h = 1;
    if (this.oddStage) {
      for (let a = 0; a < n; a += 2) {
        const br = re[a + 1];
        const bi = im[a + 1];
        re[a + 1] = re[a] - br;
        im[a + 1] = im[a] - bi;
        re[a] += br;
        im[a] += bi;
      }
      h = 2;
    }
    for (const tw of this.passTwiddles) {
      const h2 = 2 * h;
      const h3 = 3 * h;
      for (let start = 0; start < n; start += 4 * h) {
        for (let j = 0; j < h; j++) {
          const wr = tw[4 * j];
          const wi = tw[4 * j + 1];
          const vr = tw[4 * j + 2];
          const vi = tw[4 * j + 3];
          const i0 = start + j;
          const i1 = i0 + h;
          const i2 = i0 + h2;
          const i3 = i0 + h3;
          // First stage (half-length h): (x0, x1) and (x2, x3) with twiddle w.
          const t1r = re[i1] * wr - im[i1] * wi;
          const t1i = re[i1] * wi + im[i1] * wr;
          const t3r = re[i3] * wr - im[i3] * wi;
          const t3i = re[i3] * wi + im[i3] * wr;
          const a0r = re[i0] + t1r;
          const a0i = im[i0] + t1i;
          const a1r = re[i0] - t1r;
          const a1i = im[i0] - t1i;
          const a2r = re[i2] + t3r;
          const a2i = im[i2] + t3i;
          const a3r = re[i2] - t3r;
          const a3i = im[i2] - t3i;
          // Second stage (half-length 2h): (a0, a2) with twiddle v, (a1, a3) with v·W_4 = -i·v.
          const u2r = a2r * vr - a2i * vi;
          const u2i = a2r * vi + a2i * vr;
          const u3r = a3r * vi + a3i * vr;
          const u3i = -(a3r * vr - a3i * vi);
          re[i0] = a0r + u2r;
          im[i0] = a0i + u2i;
          re[i2] = a0r - u2r;
          im[i2] = a0i - u2i;
          re[i1] = a1r + u3r;
          im[i1] = a1i + u3i;
          re[i3] = a1r - u3r;
          im[i3] = a1i - u3i;
        }
      }
      h *= 4;
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
    this.complexFft();
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
      // The inverse FFT is the conjugate of the forward FFT of the conjugate.
      const r = rev[k];
      re[r] = er - oi;
      im[r] = -(ei + or);
    }
    this.complexFft();
    const scale = 2 / this.size;
    for (let k = 0; k < half; k++) {
      output[2 * k] = re[k] * scale;
      output[2 * k + 1] = -im[k] * scale;
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
