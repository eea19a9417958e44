import { realFftPlan, type RealFftPlan } from '../features/fft.ts';

/**
 * Band-limited resampling in two stages, both Kaiser-windowed sinc filters designed for STOPBAND_DB:
 *
 * 1. Band limiting, at the input rate, or at twice it after zero-stuffing when the input rate is under 1.43 times
 *    the output's (upsampling, or a rate just above 22050): a long linear-phase low-pass whose pass band ends at
 *    PASSBAND_EDGE of the lower Nyquist frequency B = min(from, to) / 2 and whose stop band starts exactly at B,
 *    applied by FFT overlap-save (cheap however long the filter is). Nothing above B survives, so nothing aliases
 *    and no image remains.
 * 2. Rate change: the band-limited signal is now oversampled (B is at most 35% of its rate), so a short
 *    interpolation kernel with a wide transition band [B, rate - B] evaluates it at the output instants. An integer
 *    decimation (44100 -> 22050) needs no interpolation at all; rational ratios with a small numerator
 *    (48000 -> 22050 is 147/320 of the rate) use an exact polyphase table, any other ratio a finely tabulated
 *    kernel interpolated between its phases.
 *
 * Samples outside the input count as zero; the output is aligned with the input (linear phase, delay removed).
 */

/** Fraction of the lower Nyquist frequency that passes unattenuated (the transition band fills the rest). */
export const PASSBAND_EDGE = 0.9;
/** Stop-band attenuation of both stages' kernels. */
export const STOPBAND_DB = 90;

/** Largest reduced numerator (output phases) for which stage 2 builds an exact polyphase table. */
const MAX_EXACT_PHASES = 1024;
/** Phases of the tabulated kernel used for ratios without a small rational form. */
const INTERPOLATED_PHASES = 512;

/**
 * Resamples `input` from `fromRate` to `toRate` Hz. Returns `input` itself when the rates are equal; otherwise
 * a new array of resampledLength(input.length, fromRate, toRate) samples.
 */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!(fromRate > 0 && toRate > 0 && Number.isFinite(fromRate) && Number.isFinite(toRate))) {
    throw new RangeError(`invalid sample rates ${fromRate} -> ${toRate}`);
  }
  if (fromRate === toRate) return input;
  const plan = resamplePlan(fromRate, toRate);
  const out = new Float32Array(resampledLength(input.length, fromRate, toRate));
  if (plan.decimation !== null) {
    bandLimit(input, plan, out, plan.decimation);
    return out;
  }
  const bandLimited = new Float32Array(input.length * plan.upsampling);
  bandLimit(input, plan, bandLimited, 1);
  plan.interpolate(bandLimited, out);
  return out;
}

/** Number of output samples `resample` produces for `inputLength` input samples: ceil(length * to / from). */
export function resampledLength(inputLength: number, fromRate: number, toRate: number): number {
  if (fromRate === toRate) return inputLength;
  const ratio = rationalRatio(fromRate, toRate);
  if (ratio) return Math.floor((inputLength * ratio.up + ratio.down - 1) / ratio.down);
  return Math.ceil((inputLength * toRate) / fromRate);
}

interface ResamplePlan {
  /** 1, or 2 when the input is zero-stuffed to twice its rate before band limiting (upsampling). */
  upsampling: number;
  /** Stage 1 filter taps (odd count, centred) and their spectrum at the overlap-save FFT size. */
  taps: number;
  fft: RealFftPlan;
  filterRe: Float64Array;
  filterIm: Float64Array;
  /** Integer factor from the band-limiting rate to the output rate, when there is one. */
  decimation: number | null;
  /** Stage 2 for non-integer factors: fills `out` from the band-limited signal. */
  interpolate: (bandLimited: Float32Array, out: Float32Array) => void;
}

/** Recently used plans (a few common rate pairs; pitch shifting makes arbitrary ones, hence the bound). */
const plans = new Map<string, ResamplePlan>();
const MAX_CACHED_PLANS = 8;

function resamplePlan(fromRate: number, toRate: number): ResamplePlan {
  const key = `${fromRate}>${toRate}`;
  const plan = plans.get(key) ?? designPlan(fromRate, toRate);
  plans.delete(key);
  plans.set(key, plan);
  if (plans.size > MAX_CACHED_PLANS) plans.delete(plans.keys().next().value!);
  return plan;
}

function designPlan(fromRate: number, toRate: number): ResamplePlan {
  const lowerNyquist = Math.min(fromRate, toRate) / 2;
  // Stage 2's transition band [B, rate - B] must be wide (>= 30% of the rate); zero-stuffing doubles the rate
  // when it would not be.
  const upsampling = (fromRate - 2 * lowerNyquist) / fromRate >= 0.3 ? 1 : 2;
  const rate = fromRate * upsampling;

  // Stage 1: pass [0, PASSBAND_EDGE * B], stop [B, rate / 2]; gain `upsampling` restores the zero-stuffed level.
  const cutoff = ((1 + PASSBAND_EDGE) / 2) * lowerNyquist;
  const stage1 = kaiserDesign(((1 - PASSBAND_EDGE) * lowerNyquist) / rate);
  const taps = 16 * Math.ceil(stage1.length / 16) + 1; // odd, and taps - 1 divisible by any spectrum fold (<= 16)
  const centre = (taps - 1) / 2;
  const kernel: Kernel = { rho: (2 * cutoff) / rate, halfWidth: centre + 1, beta: stage1.beta };
  const i0Beta = besselI0(kernel.beta);
  const fft = realFftPlan(Math.max(1024, nextPowerOfTwo(8 * taps)));
  const padded = new Float64Array(fft.size);
  for (let j = 0; j < taps; j++) padded[j] = upsampling * kernelAt(kernel, j - centre, i0Beta);
  const filterRe = new Float64Array(fft.nBins);
  const filterIm = new Float64Array(fft.nBins);
  fft.forward(padded, filterRe, filterIm);

  // Stage 2: a sinc interpolator (cutoff rate / 2) with the transition band [B, rate - B].
  const factor = rate / toRate;
  const decimation = Number.isInteger(factor) ? factor : null;
  const stage2 = kaiserDesign((rate - 2 * lowerNyquist) / rate);
  const interpolator: Kernel = { rho: 1, halfWidth: stage2.length / 2, beta: stage2.beta };
  const ratio = rationalRatio(rate, toRate);
  const interpolate =
    ratio && ratio.up <= MAX_EXACT_PHASES
      ? (x: Float32Array, out: Float32Array) => interpolatePolyphase(x, out, interpolator, ratio.up, ratio.down)
      : (x: Float32Array, out: Float32Array) => interpolateTabulated(x, out, interpolator, rate / toRate);
  return { upsampling, taps, fft, filterRe, filterIm, decimation, interpolate };
}

/**
 * Stage 1 by FFT overlap-save: out[m / stride] = z[m] for every m < input.length * upsampling that is a multiple
 * of `stride`, where z is the (zero-stuffed) input convolved with the centred filter. A power-of-two stride folds
 * the spectrum (aliasing is nil: it is band-limited) so the inverse transforms are `stride` times shorter.
 */
function bandLimit(input: Float32Array, plan: ResamplePlan, out: Float32Array, stride: number): void {
  const { fft, taps, upsampling, filterRe, filterIm } = plan;
  const size = fft.size;
  const centre = (taps - 1) / 2;
  const length = input.length * upsampling;
  const fold = stride > 1 && stride <= 16 && (stride & (stride - 1)) === 0 && size / stride >= 64 ? stride : 1;
  const inverse = realFftPlan(size / fold);
  // Valid outputs per block: a multiple of the stride so every block starts on an output sample.
  const step = Math.floor((size - taps + 1) / stride) * stride;
  const block = new Float64Array(size);
  const spectrumRe = new Float64Array(fft.nBins);
  const spectrumIm = new Float64Array(fft.nBins);
  const foldedRe = new Float64Array(inverse.nBins);
  const foldedIm = new Float64Array(inverse.nBins);
  const filtered = new Float64Array(inverse.size);
  for (let start = 0; start < length; start += step) {
    // block[i] = s[first + i] where s is the zero-stuffed input; output z[start + k] sits at block index k + taps - 1.
    const first = start + centre - (taps - 1);
    fillBlock(block, input, first, upsampling);
    fft.forward(block, spectrumRe, spectrumIm);
    for (let k = 0; k < fft.nBins; k++) {
      const re = spectrumRe[k] * filterRe[k] - spectrumIm[k] * filterIm[k];
      spectrumIm[k] = spectrumRe[k] * filterIm[k] + spectrumIm[k] * filterRe[k];
      spectrumRe[k] = re;
    }
    let offset = taps - 1;
    if (fold === 1) {
      fft.inverse(spectrumRe, spectrumIm, filtered);
    } else {
      foldSpectrum(spectrumRe, spectrumIm, foldedRe, foldedIm, fold);
      inverse.inverse(foldedRe, foldedIm, filtered);
      offset /= fold;
    }
    const end = Math.min(step, length - start);
    const base = start / stride;
    if (fold === stride) {
      for (let k = 0; k < end / stride; k++) out[base + k] = filtered[k + offset];
    } else {
      for (let k = 0; k < end; k += stride) out[base + k / stride] = filtered[k + offset];
    }
  }
}

/** block[i] = s[first + i], s[n] = input[n / upsampling] when n is a multiple of upsampling, else 0. */
function fillBlock(block: Float64Array, input: Float32Array, first: number, upsampling: number): void {
  const length = input.length * upsampling;
  if (upsampling === 1 && first >= 0 && first + block.length <= length) {
    block.set(input.subarray(first, first + block.length));
    return;
  }
  for (let i = 0; i < block.length; i++) {
    const n = first + i;
    block[i] = n < 0 || n >= length || n % upsampling !== 0 ? 0 : input[n / upsampling];
  }
}

/**
 * Spectrum of every `fold`-th sample of a real signal from its rfft bins: (1/fold) sum_j X[k + j N/fold], with the
 * bins above N/2 taken as conjugates of those below; the inverse transform of N/fold points then yields the
 * decimated signal scaled by 1/fold, which the 1/N of the shorter inverse restores.
 */
function foldSpectrum(re: Float64Array, im: Float64Array, outRe: Float64Array, outIm: Float64Array, fold: number): void {
  const size = (re.length - 1) * 2;
  const part = size / fold;
  for (let k = 0; k < outRe.length; k++) {
    let sumRe = 0;
    let sumIm = 0;
    for (let j = 0; j < fold; j++) {
      const bin = k + j * part;
      if (bin <= size / 2) {
        sumRe += re[bin];
        sumIm += im[bin];
      } else {
        sumRe += re[size - bin];
        sumIm -= im[size - bin];
      }
    }
    outRe[k] = sumRe / fold;
    outIm[k] = sumIm / fold;
  }
}

/** The continuous kernel g(t), t in samples of its rate: rho * sinc(rho * t) * kaiser(t / halfWidth). */
interface Kernel {
  /** Cutoff over half the rate (1 = Nyquist). */
  rho: number;
  halfWidth: number;
  beta: number;
}

/** Kaiser's formulas (Oppenheim & Schafer): length and beta for STOPBAND_DB over a transition (cycles/sample). */
function kaiserDesign(transition: number): { length: number; beta: number } {
  return {
    length: (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition),
    beta: 0.1102 * (STOPBAND_DB - 8.7),
  };
}

function kernelAt(k: Kernel, t: number, i0Beta: number): number {
  const u = t / k.halfWidth;
  if (u <= -1 || u >= 1) return 0;
  const x = Math.PI * k.rho * t;
  const sinc = x === 0 ? 1 : Math.sin(x) / x;
  return k.rho * sinc * (besselI0(k.beta * Math.sqrt(1 - u * u)) / i0Beta);
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta < 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** out/in = up/down in lowest terms, when both rates are integers. */
function rationalRatio(fromRate: number, toRate: number): { up: number; down: number } | null {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate)) return null;
  const g = gcd(fromRate, toRate);
  return { up: toRate / g, down: fromRate / g };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}

/**
 * Table of `rows` x `taps` coefficients: row p holds g(p/phases + (taps/2 - 1) - i), so that the value at input
 * position q + p/phases is sum_i x[q - taps/2 + 1 + i] * row_p[i].
 */
function buildTable(k: Kernel, phases: number, rows: number): { table: Float32Array; taps: number } {
  const half = Math.ceil(k.halfWidth);
  const taps = 2 * half;
  const table = new Float32Array(rows * taps);
  const i0Beta = besselI0(k.beta);
  for (let p = 0; p < rows; p++) {
    for (let i = 0; i < taps; i++) table[p * taps + i] = kernelAt(k, p / phases + (half - 1) - i, i0Beta);
  }
  return { table, taps };
}

function interpolatePolyphase(x: Float32Array, out: Float32Array, k: Kernel, up: number, down: number): void {
  const { table, taps } = buildTable(k, up, up);
  const half = taps / 2;
  const stepWhole = Math.floor(down / up);
  const stepFraction = down % up;
  let q = 0; // integer input position of the current output
  let p = 0; // its fractional part, in 1/up steps
  for (let n = 0; n < out.length; n++) {
    out[n] = dot(x, q - half + 1, table, p * taps, taps);
    q += stepWhole;
    p += stepFraction;
    if (p >= up) {
      p -= up;
      q++;
    }
  }
}

function interpolateTabulated(x: Float32Array, out: Float32Array, k: Kernel, step: number): void {
  const { table, taps } = buildTable(k, INTERPOLATED_PHASES, INTERPOLATED_PHASES + 1);
  const half = taps / 2;
  for (let n = 0; n < out.length; n++) {
    const position = n * step;
    const q = Math.floor(position);
    const phase = (position - q) * INTERPOLATED_PHASES;
    const p = Math.min(Math.floor(phase), INTERPOLATED_PHASES - 1);
    const a = phase - p;
    const lower = dot(x, q - half + 1, table, p * taps, taps);
    const upper = dot(x, q - half + 1, table, (p + 1) * taps, taps);
    out[n] = lower + a * (upper - lower);
  }
}

/** sum_i x[start + i] * table[offset + i], x taken as zero outside its bounds. */
function dot(x: Float32Array, start: number, table: Float32Array, offset: number, taps: number): number {
  const from = start < 0 ? -start : 0;
  const to = start + taps > x.length ? x.length - start : taps;
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[start + i] * table[offset + i];
  return sum;
}
