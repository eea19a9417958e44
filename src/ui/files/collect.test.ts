import { describe, expect, it } from 'vitest';
import { filesFromDirectoryHandle, isAudioName } from './collect.ts';

type Entry = { kind: 'file' | 'directory'; name: string; getFile?: () => Promise<File>; values?: () => AsyncIterable<Entry> };

/** A stand-in for the File System Access API's directory handle, over a plain tree. */
function dir(name: string, children: Entry[]): Entry & { kind: 'directory'; values(): AsyncIterable<Entry> } {
  return {
    kind: 'directory',
    name,
    async *values() {
      yield* children;
    },
  };
}
const file = (name: string): Entry => ({ kind: 'file', name, getFile: async () => new File(['x'], name) });

describe('isAudioName', () => {
  it('knows audio extensions and skips hidden files', () => {
    expect(['a.mp3', 'b.WAV', 'c.flac', 'd.au', 'e.ogg', 'f.m4a'].every(isAudioName)).toBe(true);
    expect(['cover.jpg', 'list.m3u', '.DS_Store', '._song.mp3', 'notes.txt'].some(isAudioName)).toBe(false);
  });
});

describe('filesFromDirectoryHandle', () => {
  it('walks sub-folders, keeps audio files with their relative paths', async () => {
    const root = dir('Music', [
      dir('Rock', [dir('Grunge', [file('a.mp3'), file('cover.jpg')]), file('b.flac')]),
      dir('Jazz', [file('c.wav'), file('.DS_Store')]),
      file('readme.txt'),
    ]);
    const picked = await filesFromDirectoryHandle(root);
    expect(picked.map((p) => p.path).sort()).toEqual(['Music/Jazz/c.wav', 'Music/Rock/Grunge/a.mp3', 'Music/Rock/b.flac']);
    expect(picked.every((p) => p.file instanceof File)).toBe(true);
  });
});
