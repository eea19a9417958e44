/**
 * A real FFT for power-of-two sizes: an iterative radix-4 complex FFT of half the size plus the usual
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
   * Twiddles of the half-size complex FFT's radix-4 passes after the first: for the pass that merges four
   * sub-transforms of size h, W^j, W^2j, W^3j (W = e^{-2πi/4h}) interleaved as [re1, im1, re2, im2, re3, im3].
   */
  private readonly passTwiddles: Float64Array[];
  /** log2(half) is odd: one radix-2 pass follows the radix-4 passes. */
  private readonly finalRadix2: Float64Array | null;
  /** Twiddles of the real split, e^{-2πik/size}, k <= half. */
  private readonly cosFull: Float64Array;
  private readonly sinFull: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;
  /** The half-size complex input in natural order (even samples real, odd samples imaginary). */
  private readonly loadRe: Float64Array;
  private readonly loadIm: Float64Array;

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
    this.passTwiddles = [];
    let h = 4;
    for (; 4 * h <= half; h *= 4) {
      const tw = new Float64Array(6 * h);
      for (let j = 0; j < h; j++) {
        for (let m = 1; m <= 3; m++) {
          const a = (-2 * Math.PI * m * j) / (4 * h);
          tw[6 * j + 2 * (m - 1)] = Math.cos(a);
          tw[6 * j + 2 * (m - 1) + 1] = Math.sin(a);
        }
      }
      this.passTwiddles.push(tw);
    }
    // Sizes 2^odd end with a radix-2 pass merging two halves of size h (twiddles W_2h^j interleaved).
    if (half >= 4 && 2 * h === half) {
      const tw = new Float64Array(2 * h);
      for (let j = 0; j < h; j++) {
        tw[2 * j] = Math.cos((-2 * Math.PI * j) / (2 * h));
        tw[2 * j + 1] = Math.sin((-2 * Math.PI * j) / (2 * h));
      }
      this.finalRadix2 = tw;
    } else this.finalRadix2 = null;
    this.cosFull = new Float64Array(half + 1);
    this.sinFull = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      const a = (-2 * Math.PI * k) / size;
      this.cosFull[k] = Math.cos(a);
      this.sinFull[k] = Math.sin(a);
    }
    this.workRe = new Float64Array(half);
    this.workIm = new Float64Array(half);
    this.loadRe = new Float64Array(half);
    this.loadIm = new Float64Array(half);
  }

  /**
   * Forward complex FFT of the half-size sequence z[k] = (zr[k], zi[k]) read through `load`, into the work
   * buffers. Radix-4 decimation in time over radix-2 bit-reversed input: in bit-reversed order the four
   * quarter-transforms of a block sit at residues 0, 2, 1, 3; the first pass (twiddles all 1) also does the
   * bit-reversed load.
   */
  private complexFft(zr: Float64Array, zi: Float64Array): void {
    const n = this.half;
    const re = this.workRe;
    const im = this.workIm;
    const rev = this.bitReverse;
    if (n < 4) {
      for (let i = 0; i < n; i++) {
        re[i] = zr[rev[i]];
        im[i] = zi[rev[i]];
      }
      if (n === 2) {
        const br = re[1];
        const bi = im[1];
        re[1] = re[0] - br;
        im[1] = im[0] - bi;
        re[0] += br;
        im[0] += bi;
      }
      return;
    }
    for (let i = 0; i < n; i += 4) {
      const r0 = rev[i];
      const r1 = rev[i + 1];
      const r2 = rev[i + 2];
      const r3 = rev[i + 3];
      // Positions i, i+1, i+2, i+3 hold quarter residues 0, 2, 1, 3 of this size-4 DFT.
      const a0r = zr[r0], a0i = zi[r0];
      const a2r = zr[r1], a2i = zi[r1];
      const a1r = zr[r2], a1i = zi[r2];
      const a3r = zr[r3], a3i = zi[r3];
      const sr = a0r + a2r, si = a0i + a2i;
      const dr = a0r - a2r, di = a0i - a2i;
      const pr = a1r + a3r, pi = a1i + a3i;
      const qr = a1r - a3r, qi = a1i - a3i;
      re[i] = sr + pr;
      im[i] = si + pi;
      re[i + 2] = sr - pr;
      im[i + 2] = si - pi;
      // (d) - i(q) and (d) + i(q)
      re[i + 1] = dr + qi;
      im[i + 1] = di - qr;
      re[i + 3] = dr - qi;
      im[i + 3] = di + qr;
    }
    const passes = this.passTwiddles;
    let h = 4;
    for (let p = 0; p < passes.length; p++, h *= 4) {
      const tw = passes[p];
      const block = 4 * h;
      for (let start = 0; start < n; start += block) {
        for (let j = 0; j < h; j++) {
          const i0 = start + j;
          const i2 = i0 + h; // residue 2
          const i1 = i0 + 2 * h; // residue 1
          const i3 = i0 + 3 * h; // residue 3
          const t = 6 * j;
          const w1r = tw[t], w1i = tw[t + 1], w2r = tw[t + 2], w2i = tw[t + 3], w3r = tw[t + 4], w3i = tw[t + 5];
          const x1r = re[i1], x1i = im[i1];
          const x2r = re[i2], x2i = im[i2];
          const x3r = re[i3], x3i = im[i3];
          const t1r = x1r * w1r - x1i * w1i;
          const t1i = x1r * w1i + x1i * w1r;
          const t2r = x2r * w2r - x2i * w2i;
          const t2i = x2r * w2i + x2i * w2r;
          const t3r = x3r * w3r - x3i * w3i;
          const t3i = x3r * w3i + x3i * w3r;
          const a0r = re[i0], a0i = im[i0];
          const sr = a0r + t2r, si = a0i + t2i;
          const dr = a0r - t2r, di = a0i - t2i;
          const pr = t1r + t3r, pi = t1i + t3i;
          const qr = t1r - t3r, qi = t1i - t3i;
          re[i0] = sr + pr;
          im[i0] = si + pi;
          re[i1] = sr - pr;
          im[i1] = si - pi;
          re[i2] = dr + qi;
          im[i2] = di - qr;
          re[i3] = dr - qi;
          im[i3] = di + qr;
        }
      }
    }
    const last = this.finalRadix2;
    if (last) {
      const hh = n >> 1;
      for (let j = 0; j < hh; j++) {
        const wr = last[2 * j];
        const wi = last[2 * j + 1];
        const b = j + hh;
        const br = re[b] * wr - im[b] * wi;
        const bi = re[b] * wi + im[b] * wr;
        re[b] = re[j] - br;
        im[b] = im[j] - bi;
        re[j] += br;
        im[j] += bi;
      }
    }
  }

  /**
   * Forward transform of `size` real samples (read from `input` at `offset`, multiplied by `window` when given)
   * into `nBins` complex bins written at `outOffset` (numpy.fft.rfft convention: unnormalized, e^{-2πikn/N}).
   */
  forward(
    input: Float32Array | Float64Array,
    outRe: Float32Array | Float64Array,
    outIm: Float32Array | Float64Array,
    offset = 0,
    window: Float64Array | null = null,
    outOffset = 0,
  ): void {
    const half = this.half;
    const zr = this.loadRe;
    const zi = this.loadIm;
    if (window) {
      for (let k = 0, i = offset; k < half; k++, i += 2) {
        zr[k] = window[2 * k] * input[i];
        zi[k] = window[2 * k + 1] * input[i + 1];
      }
    } else {
      for (let k = 0, i = offset; k < half; k++, i += 2) {
        zr[k] = input[i];
        zi[k] = input[i + 1];
      }
    }
    this.complexFft(zr, zi);
    const re = this.workRe;
    const im = this.workIm;
    outRe[outOffset] = re[0] + im[0];
    outIm[outOffset] = 0;
    outRe[outOffset + half] = re[0] - im[0];
    outIm[outOffset + half] = 0;
    const cosF = this.cosFull;
    const sinF = this.sinFull;
    for (let k = 1; k < half; k++) {
      const zkr = re[k];
      const zki = im[k];
      const cr = re[half - k];
      const ci = -im[half - k];
      // E = (Z[k] + conj Z[N/2-k]) / 2, O = (Z[k] - conj Z[N/2-k]) / 2i, X = E + W^k O.
      const er = 0.5 * (zkr + cr);
      const ei = 0.5 * (zki + ci);
      const or = 0.5 * (zki - ci);
      const oi = -0.5 * (zkr - cr);
      const wr = cosF[k];
      const wi = sinF[k];
      outRe[outOffset + k] = er + wr * or - wi * oi;
      outIm[outOffset + k] = ei + wr * oi + wi * or;
    }
  }

  /**
   * Inverse transform of `nBins` complex bins into `size` real samples (numpy.fft.irfft convention:
   * scaled by 1/N; the imaginary parts of the DC and Nyquist bins are ignored).
   */
  inverse(inRe: Float32Array | Float64Array, inIm: Float32Array | Float64Array, output: Float64Array, inOffset = 0): void {
    const half = this.half;
    const zr = this.loadRe;
    const zi = this.loadIm;
    const cosF = this.cosFull;
    const sinF = this.sinFull;
    // k = 0 pairs the DC and Nyquist bins, whose imaginary parts irfft ignores.
    const dc = inRe[inOffset];
    const nyquist = inRe[inOffset + half];
    zr[0] = 0.5 * (dc + nyquist);
    zi[0] = -0.5 * (dc - nyquist);
    for (let k = 1; k < half; k++) {
      const xr = inRe[inOffset + k];
      const xi = inIm[inOffset + k];
      const yr = inRe[inOffset + half - k];
      const yi = -inIm[inOffset + half - k];
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
      zr[k] = er - oi;
      zi[k] = -(ei + or);
    }
    this.complexFft(zr, zi);
    const re = this.workRe;
    const im = this.workIm;
    const scale = 2 / this.size;
    for (let k = 0; k < half; k++) {
      output[2 * k] = re[k] * scale;
      output[2 * k + 1] = -im[k] * scale;
    }
  }

  /**
   * forward() as the STFT calls it: float32 samples times a window in, float32 (complex64) bins out; the same
   * arithmetic. A method of its own so that V8 compiles its loops for these array types alone: forward() also
   * serves Float64Array callers (tempo, resampling), and its loops then dispatch on the array type at every access.
   */
  forwardFloat32(input: Float32Array, offset: number, window: Float64Array, outRe: Float32Array, outIm: Float32Array, outOffset: number): void {
    const half = this.half;
    const zr = this.loadRe;
    const zi = this.loadIm;
    for (let k = 0, i = offset; k < half; k++, i += 2) {
      zr[k] = window[2 * k] * input[i];
      zi[k] = window[2 * k + 1] * input[i + 1];
    }
    this.complexFft(zr, zi);
    const re = this.workRe;
    const im = this.workIm;
    outRe[outOffset] = re[0] + im[0];
    outIm[outOffset] = 0;
    outRe[outOffset + half] = re[0] - im[0];
    outIm[outOffset + half] = 0;
    const cosF = this.cosFull;
    const sinF = this.sinFull;
    for (let k = 1; k < half; k++) {
      const zkr = re[k];
      const zki = im[k];
      const cr = re[half - k];
      const ci = -im[half - k];
      const er = 0.5 * (zkr + cr);
      const ei = 0.5 * (zki + ci);
      const or = 0.5 * (zki - ci);
      const oi = -0.5 * (zkr - cr);
      const wr = cosF[k];
      const wi = sinF[k];
      outRe[outOffset + k] = er + wr * or - wi * oi;
      outIm[outOffset + k] = ei + wr * oi + wi * or;
    }
  }

  /**
   * The inverse STFT's step for one frame: inverse() of float32 bins at `inOffset`, each sample times `window` and
   * added into the float32 `out` from `outStart` (so every sum is rounded to float32, as numpy's float32 overlap-add
   * buffer does). The same arithmetic as inverse() followed by the windowed add, without the frame buffer between;
   * float32-only for the reason given at forwardFloat32.
   */
  inverseOverlapAdd(inRe: Float32Array, inIm: Float32Array, inOffset: number, window: Float64Array, out: Float32Array, outStart: number): void {
    const half = this.half;
    const zr = this.loadRe;
    const zi = this.loadIm;
    const cosF = this.cosFull;
    const sinF = this.sinFull;
    const dc = inRe[inOffset];
    const nyquist = inRe[inOffset + half];
    zr[0] = 0.5 * (dc + nyquist);
    zi[0] = -0.5 * (dc - nyquist);
    for (let k = 1; k < half; k++) {
      const xr = inRe[inOffset + k];
      const xi = inIm[inOffset + k];
      const yr = inRe[inOffset + half - k];
      const yi = -inIm[inOffset + half - k];
      const er = 0.5 * (xr + yr);
      const ei = 0.5 * (xi + yi);
      const dr = 0.5 * (xr - yr);
      const di = 0.5 * (xi - yi);
      const wr = cosF[k];
      const wi = -sinF[k];
      const or = dr * wr - di * wi;
      const oi = dr * wi + di * wr;
      zr[k] = er - oi;
      zi[k] = -(ei + or);
    }
    this.complexFft(zr, zi);
    const re = this.workRe;
    const im = this.workIm;
    const scale = 2 / this.size;
    for (let k = 0, i = outStart; k < half; k++, i += 2) {
      out[i] += window[2 * k] * (re[k] * scale);
      out[i + 1] += window[2 * k + 1] * (-im[k] * scale);
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
