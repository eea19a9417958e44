import { describe, expect, it } from 'vitest';
import { analysisRegions, DEFAULT_ANALYSIS_POLICY, prepareForAnalysis, type AnalysisPolicy } from './prepare.ts';
import { AudioError, type DecodedAudio } from './types.ts';

const RATE = 22050;
const ramp = (n: number, scale = 1e-5): Float32Array => Float32Array.from({ length: n }, (_, i) => ((i % 1000) - 500) * scale);
const audio = (channels: Float32Array[], sampleRate = RATE): DecodedAudio => ({ channels, sampleRate, format: 'test' });

function rejection(decoded: DecodedAudio, policy?: AnalysisPolicy): string {
  try {
    prepareForAnalysis(decoded, policy);
  } catch (error) {
    expect(error).toBeInstanceOf(AudioError);
    return (error as AudioError).message;
  }
  throw new Error('expected an AudioError');
}

describe('prepareForAnalysis', () => {
  it('passes mono audio at the analysis rate through unchanged, with no notes', () => {
    const samples = ramp(RATE * 2);
    const { pcm, notes } = prepareForAnalysis(audio([samples]));
    expect(pcm.sampleRate).toBe(RATE);
    expect([...pcm.samples]).toEqual([...samples]);
    expect(notes).toEqual([]);
  });

  it('mixes channels to their mean', () => {
    const left = ramp(RATE * 2, 2 ** -12);
    const right = Float32Array.from(left, (x, i) => (i % 2 === 0 ? x : 2 ** -10));
    const { pcm, notes } = prepareForAnalysis(audio([left, right]));
    expect([...pcm.samples]).toEqual(Array.from(left, (x, i) => (x + right[i]) / 2));
    expect(notes).toEqual(['mixed 2 channels to mono']);
  });

  it('resamples to 22050 Hz and says so', () => {
    const { pcm, notes } = prepareForAnalysis(audio([ramp(44100 * 2)], 44100));
    expect(pcm).toMatchObject({ sampleRate: RATE });
    expect(pcm.samples.length).toBe(RATE * 2);
    expect(notes).toEqual(['resampled from 44100 Hz to 22050 Hz']);
  });

  describe('long-file policy', () => {
    const policy: AnalysisPolicy = { wholeFileSeconds: 10, excerptCount: 3, excerptSeconds: 2, maxSeconds: 60, minSeconds: 1 };

    it('analyses a file up to the limit whole', () => {
      expect(analysisRegions(RATE * 10, RATE, policy)).toEqual([[0, RATE * 10]]);
    });

    it('beyond it, takes evenly spaced excerpts from the start to the end', () => {
      expect(analysisRegions(RATE * 20, RATE, policy)).toEqual([[0, RATE * 2], [RATE * 9, RATE * 11], [RATE * 18, RATE * 20]]);
      const samples = ramp(RATE * 20);
      const { pcm, notes } = prepareForAnalysis(audio([samples]), policy);
      const expected = [...samples.subarray(0, RATE * 2), ...samples.subarray(RATE * 9, RATE * 11), ...samples.subarray(RATE * 18)];
      expect([...pcm.samples]).toEqual(expected);
      expect(notes).toEqual(['long file (20.0 s): analysed 3 evenly spaced 2 s excerpts']);
    });

    it('the default analyses 10 minutes whole, then 10 excerpts of 30 s', () => {
      expect(DEFAULT_ANALYSIS_POLICY).toMatchObject({ wholeFileSeconds: 600, excerptCount: 10, excerptSeconds: 30, maxSeconds: 10800 });
      const regions = analysisRegions(RATE * 3600, RATE, DEFAULT_ANALYSIS_POLICY);
      expect(regions).toHaveLength(10);
      expect(regions[0]).toEqual([0, RATE * 30]);
      expect(regions[9]).toEqual([RATE * 3570, RATE * 3600]);
      expect(regions[1][0]).toBe(Math.round((RATE * 3570) / 9)); // 396.7 s apart
    });

    it('rejects audio longer than the maximum (3 hours by default)', () => {
      expect(rejection(audio([ramp(3 * 3600 + 1)], 1))).toBe('too long to analyse: 3 h 0 min (the limit is 3 h 0 min)');
      expect(rejection(audio([ramp(RATE * 61)]), policy)).toBe('too long to analyse: 1 min 1 s (the limit is 1 min 0 s)');
    });
  });

  describe('bad input gets a clear reason', () => {
    it('no channels', () => expect(rejection(audio([]))).toBe('the file has no audio channels'));
    it('no samples', () => expect(rejection(audio([new Float32Array(0)]))).toBe('the file contains no audio samples'));
    it('an invalid sample rate', () => expect(rejection(audio([ramp(100)], 0))).toBe('invalid sample rate: 0'));
    it('channels of different lengths', () => expect(rejection(audio([ramp(RATE * 2), ramp(RATE)]))).toBe('the channels have different lengths'));
    it('too short', () => expect(rejection(audio([ramp(RATE / 2)]))).toBe('too short to analyse: 0.500 s (at least 1 s is needed)'));
    it('digital silence', () => expect(rejection(audio([new Float32Array(RATE * 2)]))).toBe('the audio is digital silence (every sample is zero)'));
    it('channels that cancel out', () => {
      const left = ramp(RATE * 2);
      expect(rejection(audio([left, left.map((x) => -x)]))).toBe('the audio is silent after mixing its channels to mono');
    });
    it('NaN and infinite samples, counted', () => {
      const samples = ramp(RATE * 2);
      samples[10] = Number.NaN;
      samples[20] = Number.NaN;
      samples[30] = Number.POSITIVE_INFINITY;
      expect(rejection(audio([samples, ramp(RATE * 2)]))).toBe('3 samples are NaN or infinite');
      const one = ramp(RATE * 2);
      one[5] = Number.NEGATIVE_INFINITY;
      expect(rejection(audio([one]))).toBe('1 sample is NaN or infinite');
    });
    it('values that overflow when mixed', () => {
      const huge = new Float32Array(RATE * 2).fill(3e38);
      expect(rejection(audio([huge, huge]))).toMatch(/out of range/);
    });
  });
});
