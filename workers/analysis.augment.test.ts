import { describe, expect, it } from 'vitest';
import { defaultAudioAugmentation } from '../src/core/audio/augment.ts';
import { encodeWav } from '../src/core/audio/wav.ts';
import { analyseAudio } from './analysis.ts';

const RATE = 22050;
const tone = (seconds: number, hz: number) => Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE));

describe('analyseAudio: augmented copies and tags', () => {
  it('analyses augmented copies of the audio like the original, and reads the tags of encoded input', async () => {
    const name = new TextEncoder().encode('Tone Maker\0');
    const info = new Uint8Array(4 + 8 + name.length);
    info.set(new TextEncoder().encode('INFOIART'), 0);
    new DataView(info.buffer).setUint32(8, name.length, true);
    info.set(name, 12);
    const bytes = encodeWav([tone(4, 440)], RATE, 'int16', { extraChunks: [{ id: 'LIST', data: info }] });
    const options = { featureSet: 'fast', clip: false, segmentSeconds: 1, logMelPatchSeconds: null, augment: defaultAudioAugmentation(2, 2) } as const;
    const result = await analyseAudio({ kind: 'encoded', bytes }, options);
    expect(result.tags).toEqual({ artist: 'Tone Maker' });
    expect(result.augmented).toHaveLength(2);
    const width = result.featureNames.length;
    for (const copy of result.augmented!) {
      // A copy stretched by r lasts 4 / r seconds: 3 or 4 whole one-second segments.
      expect(copy.segmentCount).toBe(Math.max(1, Math.floor(4 / copy.augmentation.stretchRate)));
      expect(copy.segments.length).toBe(copy.segmentCount * width);
      // Copies train per segment here: no whole-clip features were asked for, of the copies or the original.
      expect(copy.clip).toBeNull();
    }
    // The same file gives the same copies (seeded by the run's seed and the audio); PCM from the page has no tags.
    const again = await analyseAudio({ kind: 'encoded', bytes: bytes.slice() }, options);
    expect(again.augmented!.map((c) => c.augmentation)).toEqual(result.augmented!.map((c) => c.augmentation));
    expect([...again.augmented![1].segments]).toEqual([...result.augmented![1].segments]);
    const decoded = await analyseAudio({ kind: 'decoded', audio: { channels: [tone(4, 440)], sampleRate: RATE, format: 'webaudio' } }, options);
    expect(decoded.tags).toBeUndefined();
    const plain = await analyseAudio({ kind: 'encoded', bytes }, { ...options, augment: null });
    expect(plain.augmented).toBeUndefined();
    expect(result.augmented![0].logMel).toBeNull();
    expect(result.clip).toBeNull();
    const withPatches = await analyseAudio({ kind: 'encoded', bytes }, { ...options, clip: true, segmentSeconds: null, logMelPatchSeconds: 1 });
    const copy = withPatches.augmented![0];
    expect(copy.clip!.length).toBe(width);
    expect([...copy.clip!].some((v, j) => v !== withPatches.clip![j])).toBe(true);
    expect(copy.logMel).toMatchObject({ patchCount: Math.max(1, Math.floor(4 / copy.augmentation.stretchRate)), nMels: 128 });
  });
});
