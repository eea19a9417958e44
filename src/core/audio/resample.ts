/**
 * Band-limited resampling with a Kaiser-windowed sinc kernel.
 *
 * The kernel's cutoff sits just below the lower of the two Nyquist frequencies and its stop band starts exactly
 * at it, so nothing aliases (downsampling) and no image survives (upsampling): the pass band reaches
 * PASSBAND_EDGE of the lower Nyquist, the stop band is attenuated by at least STOPBAND_DB.
 *
 * Rational ratios with a small reduced numerator (44100->22050 is 1/2, 48000->22050 is 147/320, 16000->22050
 * is 441/320) use an exact polyphase table; any other ratio uses a finely tabulated kernel with linear
 * interpolation between its phases (error far below the stop-band level).
 */

/** Fraction of the lower Nyquist frequency that passes untouched (the transition band fills the rest). */
export const PASSBAND_EDGE = 0.9;
/** Stop-band attenuation the kernel is designed for. */
export const STOPBAND_DB = 90;

/** Largest reduced numerator L (output phases) for which an exact polyphase table is built. */
const MAX_EXACT_PHASES = 1024;
/** Phases of the tabulated kernel used for ratios without a small rational form. */
const INTERPOLATED_PHASES = 512;

/**
 * Resamples `input` from `fromRate` to `toRate` Hz. Returns `input` itself when the rates are equal.
 * The output has ceil(input.length * toRate / fromRate) samples; samples outside the input count as zero.
 */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!(fromRate > 0 && toRate > 0 && Number.isFinite(fromRate) && Number.isFinite(toRate))) {
    throw new RangeError(`invalid sample rates ${fromRate} -> ${toRate}`);
  }
  if (fromRate === toRate) return input;
  const kernel = designKernel(fromRate, toRate);
  const ratio = rationalRatio(fromRate, toRate);
  if (ratio && ratio.up <= MAX_EXACT_PHASES) return resamplePolyphase(input, kernel, ratio.up, ratio.down);
  return resampleInterpolated(input, kernel, fromRate, toRate);
}

/** Number of output samples `resample` produces for `inputLength` input samples. */
export function resampledLength(inputLength: number, fromRate: number, toRate: number): number {
  if (fromRate === toRate) return inputLength;
  const ratio = rationalRatio(fromRate, toRate);
  if (ratio) return Math.floor((inputLength * ratio.up + ratio.down - 1) / ratio.down);
  return Math.ceil((inputLength * toRate) / fromRate);
}

/** The continuous kernel g(t), t in input samples: g(t) = rho * sinc(rho * t) * kaiser(t / halfWidth). */
interface Kernel {
  /** Cutoff as a fraction of the input sample rate times two (1 = the input's Nyquist). */
  rho: number;
  /** Half the kernel's support, in input samples. */
  halfWidth: number;
  beta: number;
}

function designKernel(fromRate: number, toRate: number): Kernel {
  const lowerNyquist = Math.min(fromRate, toRate) / 2;
  // Transition band [PASSBAND_EDGE, 1] x lowerNyquist, in cycles per input sample.
  const transition = ((1 - PASSBAND_EDGE) * lowerNyquist) / fromRate;
  const cutoff = ((1 + PASSBAND_EDGE) / 2) * lowerNyquist; // centre of the transition band, Hz
  // Kaiser's design formulas (Oppenheim & Schafer): length and beta for the wanted attenuation.
  const length = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition);
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  return { rho: (2 * cutoff) / fromRate, halfWidth: length / 2, beta };
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

/**
 * Table of `phases` x `taps` coefficients: row p holds g(p/phases + (taps/2 - 1) - i) for i = 0..taps-1, so that an
 * output at input position q + p/phases is sum_i input[q - taps/2 + 1 + i] * row_p[i].
 */
function buildTable(k: Kernel, phases: number, rows: number): { table: Float32Array; taps: number } {
  const half = Math.ceil(k.halfWidth);
  const taps = 2 * half;
  const table = new Float32Array(rows * taps);
  const i0Beta = besselI0(k.beta);
  for (let p = 0; p < rows; p++) {
    const frac = p / phases;
    for (let i = 0; i < taps; i++) table[p * taps + i] = kernelAt(k, frac + (half - 1) - i, i0Beta);
  }
  return { table, taps };
}

function resamplePolyphase(input: Float32Array, k: Kernel, up: number, down: number): Float32Array {
  const { table, taps } = buildTable(k, up, up);
  const half = taps / 2;
  const outLength = Math.floor((input.length * up + down - 1) / down);
  const out = new Float32Array(outLength);
  const stepWhole = Math.floor(down / up);
  const stepFrac = down % up;
  let q = 0; // integer input position of the current output
  let p = 0; // its phase, in 1/up steps
  for (let n = 0; n < outLength; n++) {
    out[n] = dot(input, q - half + 1, table, p * taps, taps);
    q += stepWhole;
    p += stepFrac;
    if (p >= up) {
      p -= up;
      q++;
    }
  }
  return out;
}

function resampleInterpolated(input: Float32Array, k: Kernel, fromRate: number, toRate: number): Float32Array {
  const { table, taps } = buildTable(k, INTERPOLATED_PHASES, INTERPOLATED_PHASES + 1);
  const half = taps / 2;
  const outLength = Math.ceil((input.length * toRate) / fromRate);
  const out = new Float32Array(outLength);
  const step = fromRate / toRate;
  for (let n = 0; n < outLength; n++) {
    const position = n * step;
    const q = Math.floor(position);
    const phase = (position - q) * INTERPOLATED_PHASES;
    const p = Math.min(Math.floor(phase), INTERPOLATED_PHASES - 1);
    const a = phase - p;
    const start = q - half + 1;
    const lower = dot(input, start, table, p * taps, taps);
    const upper = dot(input, start, table, (p + 1) * taps, taps);
    out[n] = lower + a * (upper - lower);
  }
  return out;
}

/** sum_i input[start + i] * table[offset + i], input taken as zero outside its bounds. */
function dot(input: Float32Array, start: number, table: Float32Array, offset: number, taps: number): number {
  let from = 0;
  let to = taps;
  if (start < 0) from = -start;
  if (start + taps > input.length) to = input.length - start;
  let acc0 = 0;
  let acc1 = 0;
  let i = from;
  for (; i + 1 < to; i += 2) {
    acc0 += input[start + i] * table[offset + i];
    acc1 += input[start + i + 1] * table[offset + i + 1];
  }
  if (i < to) acc0 += input[start + i] * table[offset + i];
  return acc0 + acc1;
}
