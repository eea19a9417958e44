/**
 * Labels from a folder's layout: `Rock/Grunge/song.mp3` is genre Rock, subgenre Grunge; `music/a.wav` vs
 * `speech/b.wav` gives two classes. The chosen folder's own name (shared by every path) is not a label.
 */
import { classCounts, imbalanceWarnings, type ImbalanceWarning } from '../../core/metrics/featureStats.ts';
import type { PickedFile } from '../files/collect.ts';

export interface LabelledFile {
  picked: PickedFile;
  /** 'Genre' or 'Genre/Sub'. */
  label: string;
  /** The song: each file is one song, so its segments stay on one side of every split. */
  group: string;
}

export interface LabelTree {
  genres: { genre: string; songs: number; subgenres: { name: string; songs: number }[] }[];
  warnings: ImbalanceWarning[];
}

export function labelFiles(picked: PickedFile[]): { files: LabelledFile[]; unlabelled: string[] } {
  const parts = picked.map((p) => p.path.split('/').filter(Boolean));
  const first = parts[0]?.[0];
  const sharedRoot = parts.length > 0 && parts.every((p) => p.length >= 3 && p[0] === first);
  const files: LabelledFile[] = [];
  const unlabelled: string[] = [];
  picked.forEach((p, i) => {
    const dirs = parts[i].slice(sharedRoot ? 1 : 0, -1);
    if (dirs.length === 0) unlabelled.push(p.path);
    else files.push({ picked: p, label: dirs.slice(0, 2).join('/'), group: p.path.replace(/\.[^./]+$/, '') });
  });
  return { files, unlabelled };
}

export function labelTree(files: LabelledFile[]): LabelTree {
  const genreOf = (label: string) => label.split('/')[0];
  const counts = classCounts(files.map((f) => genreOf(f.label)), files.map((f) => f.group));
  const genres = counts.map((c) => {
    const subs = classCounts(
      files.filter((f) => genreOf(f.label) === c.label && f.label.includes('/')).map((f) => f.label.split('/')[1]),
    );
    return { genre: c.label, songs: c.songs, subgenres: subs.map((s) => ({ name: s.label, songs: s.songs })) };
  });
  return { genres, warnings: imbalanceWarnings(counts) };
}
