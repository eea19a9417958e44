import { describe, expect, it } from 'vitest';
import type { PickedFile } from '../files/collect.ts';
import { labelFiles, labelTree } from './labels.ts';

const picked = (...paths: string[]): PickedFile[] => paths.map((path) => ({ path, file: new File([], path.split('/').pop()!) }));

describe('labelFiles', () => {
  it('drops the chosen folder and reads genre/subgenre from the folders below', () => {
    const { files, unlabelled } = labelFiles(
      picked('Music/Rock/Grunge/a.mp3', 'Music/Rock/Punk/b.mp3', 'Music/Jazz/c.flac', 'Music/Jazz/Bebop/Deep/d.wav'),
    );
    expect(files.map((f) => f.label)).toEqual(['Rock/Grunge', 'Rock/Punk', 'Jazz', 'Jazz/Bebop']);
    expect(files[0].group).toBe('Music/Rock/Grunge/a');
    expect(unlabelled).toEqual([]);
  });

  it('uses the top folders as labels when several folders were dropped, and lists loose files', () => {
    const { files, unlabelled } = labelFiles(picked('music/a.wav', 'speech/b.wav', 'loose.wav'));
    expect(files.map((f) => f.label)).toEqual(['music', 'speech']);
    expect(unlabelled).toEqual(['loose.wav']);
  });
});

describe('labelTree', () => {
  it('counts songs per genre and subgenre and warns about imbalance', () => {
    const paths = [
      ...Array.from({ length: 12 }, (_, i) => `M/Rock/Grunge/r${i}.mp3`),
      ...Array.from({ length: 3 }, (_, i) => `M/Jazz/j${i}.mp3`),
    ];
    const tree = labelTree(labelFiles(picked(...paths)).files);
    expect(tree.genres).toEqual([
      { genre: 'Jazz', songs: 3, subgenres: [] },
      { genre: 'Rock', songs: 12, subgenres: [{ name: 'Grunge', songs: 12 }] },
    ]);
    expect(tree.warnings.map((w) => w.kind).sort()).toEqual(['few-songs', 'ratio']);
  });
});
