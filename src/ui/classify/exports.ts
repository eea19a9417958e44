/** Exports of a batch's predictions: one CSV, and one M3U playlist per predicted genre. */
export interface PredictedFile {
  path: string;
  durationSeconds?: number;
  label: string;
  confidence: number;
  top3: { label: string; probability: number }[];
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `file,label,confidence,top3` with top3 as "label:probability" joined by '|'. */
export function predictionsCsv(files: PredictedFile[]): string {
  const lines = ['file,label,confidence,top3'];
  for (const f of files) {
    const top3 = f.top3.map((t) => `${t.label}:${t.probability.toFixed(4)}`).join('|');
    lines.push([csvField(f.path), csvField(f.label), f.confidence.toFixed(4), csvField(top3)].join(','));
  }
  return lines.join('\n') + '\n';
}

/** Extended M3U per genre; entries keep the paths relative to the dropped/picked folder. */
export function playlistsByGenre(files: PredictedFile[]): Map<string, string> {
  const byGenre = new Map<string, PredictedFile[]>();
  for (const f of files) byGenre.set(f.label, [...(byGenre.get(f.label) ?? []), f]);
  const out = new Map<string, string>();
  for (const [genre, list] of [...byGenre].sort(([a], [b]) => a.localeCompare(b))) {
    const lines = ['#EXTM3U', `#PLAYLIST:${genre}`];
    for (const f of list) {
      const name = f.path.split('/').pop()!.replace(/\.[^.]+$/, '');
      lines.push(`#EXTINF:${Math.round(f.durationSeconds ?? -1)},${name}`, f.path);
    }
    out.set(genre, lines.join('\n') + '\n');
  }
  return out;
}

/** A file name safe on every system for a genre's playlist. */
export function playlistFileName(genre: string): string {
  return `${genre.replace(/[^\p{L}\p{N}_ -]+/gu, '_').trim() || 'genre'}.m3u`;
}
