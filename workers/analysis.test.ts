import { describe, expect, it } from 'vitest';
import { encodeWav } from '../src/core/audio/wav.ts';
import { GTZAN_FEATURE_NAMES, FAST_FEATURE_NAMES, extractSegmentFeatures, logMelPatches } from '../src/core/features/gtzan.ts';
import { analyseAudio } from './analysis.ts';

function tone(seconds: number, rate: number, hz: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
}

describe('analyseAudio', () => {
  it('decodes a 44.1 kHz stereo WAV and describes it: duration, rate, 57 features per clip and per segment', async () => {
    const left = tone(4, 44100, 440);
    const bytes = encodeWav([left, left], 44100, 'int16');
    const stages: string[] = [];
    const result = await analyseAudio({ kind: 'encoded', bytes }, { featureSet: 'gtzan', clip: true, segmentSeconds: 2, logMelPatchSeconds: null }, (s) => stages.push(s));
    expect(stages).toEqual(['decoding', 'analysing']);
    expect(result.format).toBe('wav');
    expect(result.decodedSampleRate).toBe(44100);
    expect(result.channelCount).toBe(2);
    expect(result.durationSeconds).toBeCloseTo(4, 6);
    expect(result.analysedSeconds).toBeCloseTo(4, 3);
    expect(result.featureNames).toEqual(GTZAN_FEATURE_NAMES);
    expect(result.clip!.length).toBe(57);
    expect(result.segmentCount).toBe(2);
    expect(result.segments.length).toBe(2 * 57);
    expect([...result.clip!, ...result.segments].every(Number.isFinite)).toBe(true);
    expect(result.notes.join(' ')).toMatch(/resampled from 44100 Hz/);
  });

  it('takes PCM decoded by the page, computes the fast set and log-mel patches', async () => {
    const samples = tone(3, 22050, 1000);
    const result = await analyseAudio(
      { kind: 'decoded', audio: { channels: [samples], sampleRate: 22050, format: 'webaudio' } },
      { featureSet: 'fast', clip: true, segmentSeconds: null, logMelPatchSeconds: 3 },
    );
    expect(result.featureNames).toEqual(FAST_FEATURE_NAMES);
    expect(result.clip!.length).toBe(FAST_FEATURE_NAMES.length);
    expect(result.segmentCount).toBe(0);
    expect(result.logMel).toMatchObject({ patchCount: 1, nMels: 128 });
    expect(result.logMel!.data.length).toBe(result.logMel!.nFrames * 128);
  });

  it('gives segments and patches of one length the numbers the separate extractors give', async () => {
    const samples = tone(7, 22050, 330);
    const result = await analyseAudio(
      { kind: 'decoded', audio: { channels: [samples], sampleRate: 22050, format: 'webaudio' } },
      { featureSet: 'fast', clip: false, segmentSeconds: 3, logMelPatchSeconds: 3 },
    );
    const segments = extractSegmentFeatures(samples, 22050, 3, FAST_FEATURE_NAMES);
    const patches = logMelPatches(samples, 22050, { patchSeconds: 3 });
    expect(result.segmentCount).toBe(2);
    expect(result.clip).toBeNull();
    expect([...result.segments]).toEqual(segments.flatMap((v) => [...v]));
    expect(result.logMel).toMatchObject({ patchCount: 2, nFrames: patches.nFrames, nMels: 128 });
    expect([...result.logMel!.data]).toEqual(patches.patches.flatMap((p) => [...p]));
  });

  it('rejects junk, silence and empty input with a reason', async () => {
    const opts = { featureSet: 'fast', clip: true, segmentSeconds: null, logMelPatchSeconds: null } as const;
    await expect(analyseAudio({ kind: 'encoded', bytes: new TextEncoder().encode('hello, not audio') }, opts)).rejects.toThrow(/unknown or unsupported audio format/);
    await expect(analyseAudio({ kind: 'encoded', bytes: new Uint8Array(0) }, opts)).rejects.toThrow(/empty/);
    const silence = encodeWav([new Float32Array(22050 * 2)], 22050, 'int16');
    await expect(analyseAudio({ kind: 'encoded', bytes: silence }, opts)).rejects.toThrow(/silence/);
  });
});
