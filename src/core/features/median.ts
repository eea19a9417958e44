/**
 * Sliding-window median filter along one axis of a 2-D Float32Array, matching
 * scipy.ndimage.median_filter with a (1, size) or (size, 1) footprint and mode='reflect'
 * (half-sample symmetric edges: d c b a | a b c d | d c b a), as librosa's HPSS uses it.
 *
 * The array holds `lines` lines of `length` samples; sample j of line l is at
 * `l * lineStride + j * sampleStride`, so the same function filters along time or along frequency
 * of a frame-major spectrogram. The result is bit-exact (the median of an odd window is one of its samples).
 *
 * Each window is kept partitioned, not sorted: the median m, the `half` samples below it (L) and the
 * `half` above it (R), each side unordered. A step swaps the outgoing sample for the incoming one,
 * which share a slot of the circular window. Half the time the incoming sample lands on the outgoing
 * one's side and simply overwrites it; otherwise the median moves to the nearest sample of the other
 * side (a scan for R's minimum or L's maximum, cached between steps). Nothing is allocated per sample.
 *
 * Samples are compared as int32 keys made from their float32 bits (ordered like the floats), which lets the
 * scans run without data-dependent branches. Inputs are assumed free of NaN; -0 sorts just below +0.
 */
export interface MedianAxis {
  lines: number;
  length: number;
  lineStride: number;
  sampleStride: number;
}

const BELOW = 0;
const ABOVE = 1;
const MEDIAN = 2;

export function medianFilter1d(src: Float32Array, out: Float32Array, axis: MedianAxis, size: number): void {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new RangeError(`median filter size must be a positive odd integer, got ${size}`);
  }
  const { lines, length, lineStride, sampleStride } = axis;
  if (length === 0 || lines === 0) return;
  if (size === 1) {
    for (let l = 0; l < lines; l++) {
      for (let j = 0; j < length; j++) out[l * lineStride + j * sampleStride] = src[l * lineStride + j * sampleStride];
    }
    return;
  }
  const half = (size - 1) >> 1;
  const paddedLength = length + 2 * half;
  // Where each position of a reflect-padded line reads from, relative to the line's start.
  const source = new Int32Array(paddedLength);
  for (let j = 0; j < paddedLength; j++) source[j] = reflectIndex(j - half, length) * sampleStride;
  const window = new SlidingMedian(size);
  // The same memory read and written as float32 bit patterns.
  const srcBits = new Int32Array(src.buffer, src.byteOffset, src.length);
  const outBits = new Int32Array(out.buffer, out.byteOffset, out.length);
  if (sampleStride === 1) {
    const padded = new Int32Array(paddedLength);
    for (let l = 0; l < lines; l++) {
      const base = l * lineStride;
      // Float32 bits -> an int32 key that orders like the float (negative floats have their magnitude bits
      // flipped), and back (an involution). Written out in the loops, not as a helper: Chromium's V8 left such a
      // helper un-inlined, a call per sample.
      for (let j = 0; j < paddedLength; j++) {
        const bits = srcBits[base + source[j]];
        padded[j] = bits ^ ((bits >> 31) & 0x7fffffff);
      }
      window.filter(padded, 0, length, outBits, base);
      for (let j = 0; j < length; j++) {
        const key = outBits[base + j];
        outBits[base + j] = key ^ ((key >> 31) & 0x7fffffff);
      }
    }
    return;
  }
  // Strided lines (along time in a frame-major spectrogram) are gathered and scattered a group at a
  // time: neighbouring lines share cache lines, so memory is read and written in order.
  const group = Math.min(LINE_GROUP, lines);
  const padded = new Int32Array(group * paddedLength);
  const filtered = new Int32Array(group * length);
  for (let first = 0; first < lines; first += group) {
    const n = Math.min(group, lines - first);
    const base = first * lineStride;
    for (let j = 0; j < paddedLength; j++) {
      const at = base + source[j];
      for (let g = 0; g < n; g++) {
        const bits = srcBits[at + g * lineStride];
        padded[g * paddedLength + j] = bits ^ ((bits >> 31) & 0x7fffffff);
      }
    }
    for (let g = 0; g < n; g++) window.filter(padded, g * paddedLength, length, filtered, g * length);
    for (let j = 0; j < length; j++) {
      const at = base + j * sampleStride;
      for (let g = 0; g < n; g++) {
        const key = filtered[g * length + j];
        outBits[at + g * lineStride] = key ^ ((key >> 31) & 0x7fffffff);
      }
    }
  }
}

/** Lines filtered together (16 float32 = one 64-byte cache line). */
const LINE_GROUP = 16;

/** scipy.ndimage 'reflect' index: repeats the edge sample, period 2n (also for windows wider than the line). */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - 1 - k;
}

/** The partitioned window of one line; its buffers are reused from line to line. */
class SlidingMedian {
  private readonly size: number;
  private readonly half: number;
  /** Values and window slots of the samples below (L) and above (R) the median. */
  private readonly below: Int32Array;
  private readonly belowSlot: Int32Array;
  private readonly above: Int32Array;
  private readonly aboveSlot: Int32Array;
  /** Per window slot: which part holds it, and its index there. */
  private readonly part: Uint8Array;
  private readonly index: Int32Array;
  private readonly sortValues: Int32Array;
  private readonly sortSlots: Int32Array;

  constructor(size: number) {
    this.size = size;
    this.half = (size - 1) >> 1;
    this.below = new Int32Array(this.half);
    this.belowSlot = new Int32Array(this.half);
    this.above = new Int32Array(this.half);
    this.aboveSlot = new Int32Array(this.half);
    this.part = new Uint8Array(size);
    this.index = new Int32Array(size);
    this.sortValues = new Int32Array(size);
    this.sortSlots = new Int32Array(size);
  }

  /** Median keys of the `count` windows of `size` consecutive keys of `padded` from `start`, to out[base + i]. */
  filter(padded: Int32Array, start: number, count: number, out: Int32Array, base: number): void {
    const { size, half, below, belowSlot, above, aboveSlot, part, index } = this;
    let median = this.partitionFirstWindow(padded, start);
    let medianSlot = this.sortSlots[half];
    out[base] = median;
    // Cached index of max(L) / min(R), or -1 when unknown.
    let maxBelow = -1;
    let minAbove = -1;
    let slot = 0;
    for (let i = 1; i < count; i++) {
      const x = padded[start + i - 1 + size];
      const where = part[slot];
      if (where === BELOW && x <= median) {
        const p = index[slot];
        below[p] = x;
        if (p === maxBelow) maxBelow = -1;
        else if (maxBelow >= 0 && x > below[maxBelow]) maxBelow = p;
      } else if (where === ABOVE && x >= median) {
        const p = index[slot];
        above[p] = x;
        if (p === minAbove) minAbove = -1;
        else if (minAbove >= 0 && x < above[minAbove]) minAbove = p;
      } else if (where === BELOW || (where === MEDIAN && x > median)) {
        // The new window has one sample fewer at or below the median: the old median joins L (as its
        // new maximum, in the outgoing slot's place when that was in L) and the median becomes min(R ∪ {x}).
        if (where === BELOW) {
          const p = index[slot];
          below[p] = median;
          belowSlot[p] = medianSlot;
          part[medianSlot] = BELOW;
          index[medianSlot] = p;
          maxBelow = p;
        }
        if (minAbove < 0) {
          // Index of min(R), selected through all-ones/zero masks (no data-dependent branch). Written out, not a
          // helper: Chromium's V8 did not inline such a call.
          let best = 0;
          let lowest = above[0];
          for (let k = 1; k < half; k++) {
            const v = above[k];
            const mask = -Number(v < lowest);
            lowest ^= (lowest ^ v) & mask;
            best ^= (best ^ k) & mask;
          }
          minAbove = best;
        }
        const lowest = above[minAbove];
        if (x <= lowest) {
          median = x;
          medianSlot = slot;
          part[slot] = MEDIAN;
        } else {
          median = lowest;
          medianSlot = aboveSlot[minAbove];
          part[medianSlot] = MEDIAN;
          above[minAbove] = x;
          aboveSlot[minAbove] = slot;
          part[slot] = ABOVE;
          index[slot] = minAbove;
          minAbove = -1;
        }
      } else if (where === ABOVE || x < median) {
        // Mirror image: the old median joins R and the median becomes max(L ∪ {x}).
        if (where === ABOVE) {
          const p = index[slot];
          above[p] = median;
          aboveSlot[p] = medianSlot;
          part[medianSlot] = ABOVE;
          index[medianSlot] = p;
          minAbove = p;
        }
        if (maxBelow < 0) {
          // Index of max(L), the same way.
          let best = 0;
          let highest = below[0];
          for (let k = 1; k < half; k++) {
            const v = below[k];
            const mask = -Number(v > highest);
            highest ^= (highest ^ v) & mask;
            best ^= (best ^ k) & mask;
          }
          maxBelow = best;
        }
        const highest = below[maxBelow];
        if (x >= highest) {
          median = x;
          medianSlot = slot;
          part[slot] = MEDIAN;
        } else {
          median = highest;
          medianSlot = belowSlot[maxBelow];
          part[medianSlot] = MEDIAN;
          below[maxBelow] = x;
          belowSlot[maxBelow] = slot;
          part[slot] = BELOW;
          index[slot] = maxBelow;
          maxBelow = -1;
        }
      } else {
        // The median's own slot, replaced by an equal value.
        median = x;
      }
      slot = slot === size - 1 ? 0 : slot + 1;
      out[base + i] = median;
    }
  }

  /** Sorts the first window (insertion sort with slots) and splits it into L, the median and R. */
  private partitionFirstWindow(padded: Int32Array, start: number): number {
    const { size, half, sortValues, sortSlots } = this;
    for (let i = 0; i < size; i++) {
      const v = padded[start + i];
      let p = i;
      while (p > 0 && sortValues[p - 1] > v) {
        sortValues[p] = sortValues[p - 1];
        sortSlots[p] = sortSlots[p - 1];
        p--;
      }
      sortValues[p] = v;
      sortSlots[p] = i;
    }
    for (let p = 0; p < half; p++) {
      this.below[p] = sortValues[p];
      this.belowSlot[p] = sortSlots[p];
      this.part[sortSlots[p]] = BELOW;
      this.index[sortSlots[p]] = p;
      this.above[p] = sortValues[half + 1 + p];
      this.aboveSlot[p] = sortSlots[half + 1 + p];
      this.part[sortSlots[half + 1 + p]] = ABOVE;
      this.index[sortSlots[half + 1 + p]] = p;
    }
    this.part[sortSlots[half]] = MEDIAN;
    return sortValues[half];
  }
}
