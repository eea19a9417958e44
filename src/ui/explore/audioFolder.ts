/**
 * Matching a dataset's file names to audio files the user has at hand (a chosen folder), so that a plotted point
 * can be played. Tables name files differently from the folder (GTZAN's table says `blues.00000.wav`, the folder
 * holds `blues/blues.00000.flac`), so both sides are reduced to the file's stem.
 */
export function fileStem(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(/\.[A-Za-z0-9]{1,5}$/, '').toLowerCase();
}

/** Stem -> file; on a clash the first file wins (the folder order is the browser's). */
export function indexByStem<T extends { name: string }>(files: Iterable<T>): Map<string, T> {
  const byStem = new Map<string, T>();
  for (const file of files) {
    const stem = fileStem(file.name);
    if (!byStem.has(stem)) byStem.set(stem, file);
  }
  return byStem;
}
