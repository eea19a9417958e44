// Helpers shared by the bench sections in src/cli/bench/ (kept outside that folder: every file there is a section).
import { fileURLToPath } from 'node:url';

/** The shared GTZAN data beside the repository (../shared/data/gtzan/). */
export const SHARED_GTZAN_DIR = fileURLToPath(new URL('../../../shared/data/gtzan/', import.meta.url));

/** CPU milliseconds this process has used (user + system): steadier than wall time on a loaded machine. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;
