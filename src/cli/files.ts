// Node-only file helpers shared by the CLI commands: find audio files, read and prepare one for analysis.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { decodeForAnalysis, type AnalysedSource } from '../core/audio/decode.ts';
import { AudioError, type MonoPcm } from '../core/audio/types.ts';

/** Extensions (lower case, no dot) that a directory walk keeps. */
export const AUDIO_EXTENSIONS = new Set(['wav', 'wave', 'au', 'snd', 'flac', 'mp3', 'ogg', 'oga', 'opus', 'm4a', 'aac', 'aiff', 'aif']);

export function hasAudioExtension(path: string): boolean {
  return AUDIO_EXTENSIONS.has(extname(path).slice(1).toLowerCase());
}

/**
 * Expands the paths given on a command line: a directory becomes its audio files (recursively, sorted by path,
 * hidden entries skipped); a file, or a path that does not exist, is kept as given so it gets its own per-file
 * result (a junk file its error). The result has no duplicates and keeps the arguments' order.
 */
export async function listAudioFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory()) files.push(...(await walk(path)).sort(byCodeUnits));
    else files.push(path);
  }
  return [...new Set(files)];
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path).catch(() => null))?.isDirectory());
    if (isDirectory) found.push(...(await walk(path)));
    else if (hasAudioExtension(path)) found.push(path);
  }
  return found;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads a file's bytes, turning file-system failures into an AudioError with a plain reason. */
export async function readAudioBytes(path: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AudioError('no such file');
    if (code === 'EISDIR') throw new AudioError('is a directory');
    if (code === 'EACCES') throw new AudioError('permission denied');
    throw new AudioError(`cannot read the file: ${(error as Error).message}`);
  }
}

/**
 * Reads, decodes and prepares one file for analysis (mono, ANALYSIS_SAMPLE_RATE, long-file policy applied), keeping
 * only the audio the policy analyses while decoding. `source` describes the file as decoded.
 */
export async function readAnalysisAudio(path: string): Promise<{ source: AnalysedSource; pcm: MonoPcm; notes: string[] }> {
  return decodeForAnalysis(await readAudioBytes(path));
}
