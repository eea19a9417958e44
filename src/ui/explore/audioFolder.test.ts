import { describe, expect, it } from 'vitest';
import { fileStem, indexByStem } from './audioFolder.ts';

describe('fileStem', () => {
  it('drops folders and the extension, and lower-cases', () => {
    expect(fileStem('blues.00000.wav')).toBe('blues.00000');
    expect(fileStem('gtzan/blues/Blues.00000.FLAC')).toBe('blues.00000');
    expect(fileStem('Rock\\Grunge\\song.mp3')).toBe('song');
  });
});

describe('indexByStem', () => {
  it('maps table names to folder files and keeps the first on a clash', () => {
    const index = indexByStem([{ name: 'blues.00000.flac' }, { name: 'jazz.00001.flac' }, { name: 'blues.00000.mp3' }]);
    expect(index.get(fileStem('blues.00000.wav'))?.name).toBe('blues.00000.flac');
    expect(index.get(fileStem('pop.00000.wav'))).toBeUndefined();
  });
});
