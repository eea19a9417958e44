/** Frame-wise time-domain features, librosa 0.7/0.8: zero_crossing_rate and rms (frame 2048, hop 512, centred). */
import { reflectIndex } from './stft.ts';
import { reusableArray, type Workspace } from './workspace.ts';

/** Frames of `frameLength` at `hop` over a signal centre-padded by frameLength / 2: 1 + floor(n / hop). */
function centredFrameCount(length: number, frameLength: number, hop: number): number {
  return 1 + Math.floor((length + 2 * (frameLength >> 1) - frameLength) / hop);
}

/**
 * librosa.feature.zero_crossing_rate: centre padding repeats the edge samples ('edge'), |y| <= 1e-10 counts as
 * zero, zero counts as positive (signbit), and each frame's count of sign changes between neighbours is
 * divided by the frame length.
 */
export function zeroCrossingRate(y: Float32Array, frameLength = 2048, hop = 512, workspace?: Workspace): Float64Array {
  const n = y.length;
  const nFrames = n === 0 ? 0 : centredFrameCount(n, frameLength, hop);
  const pad = frameLength >> 1;
  // prefix[i + 1] counts the sign changes at positions 1..i of the edge-padded signal (position i changes
  // when sample i and sample i - 1 differ in sign); each frame's count is then one difference.
  const prefix = reusableArray(workspace, Int32Array, 'zcrPrefix', n + 2 * pad + 1);
  const first = y[0] < -1e-10 ? 1 : 0;
  // The leading padding repeats y[0]: no changes there.
  prefix.fill(0, 0, pad + 1);
  let previous = first;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const negative = y[j] < -1e-10 ? 1 : 0;
    count += negative ^ previous;
    previous = negative;
    prefix[pad + j + 1] = count;
  }
  // The trailing padding repeats y[n - 1]: no changes there either.
  prefix.fill(count, pad + n + 1);
  const out = new Float64Array(nFrames);
  for (let t = 0; t < nFrames; t++) {
    const start = t * hop;
    // Sign changes inside the frame: between samples start..start+frameLength-1.
    out[t] = (prefix[start + frameLength] - prefix[start + 1]) / frameLength;
  }
  return out;
}

/** librosa.feature.rms from the waveform: sqrt(mean(y²)) per frame of the reflect-padded signal (no window). */
export function rms(y: Float32Array, frameLength = 2048, hop = 512, workspace?: Workspace): Float64Array {
  const n = y.length;
  const nFrames = n === 0 ? 0 : centredFrameCount(n, frameLength, hop);
  const pad = frameLength >> 1;
  // Prefix sums of the squared padded signal: each frame's energy is one difference.
  const prefix = reusableArray(workspace, Float64Array, 'rmsPrefix', n + 2 * pad + 1);
  prefix[0] = 0;
  const square = (j: number) => {
    const v = y[reflectIndex(j, n)];
    return v * v;
  };
  for (let i = 0; i < pad; i++) prefix[i + 1] = prefix[i] + square(i - pad);
  for (let j = 0; j < n; j++) prefix[pad + j + 1] = prefix[pad + j] + y[j] * y[j];
  for (let i = pad + n; i < n + 2 * pad; i++) prefix[i + 1] = prefix[i] + square(i - pad);
  const out = new Float64Array(nFrames);
  for (let t = 0; t < nFrames; t++) {
    const start = t * hop;
    out[t] = Math.sqrt(Math.max(0, prefix[start + frameLength] - prefix[start]) / frameLength);
  }
  return out;
}
