/**
 * Files the user hands to the page — dropped (files or whole folders), picked with <input type=file> (with or
 * without webkitdirectory) or through showDirectoryPicker — as one list of files with their relative paths.
 * Inside folders only audio files are kept (a folder also holds cover art, playlists, .DS_Store); files picked or
 * dropped one by one are all kept, so a wrong file gets its own message rather than vanishing.
 */
export interface PickedFile {
  file: File;
  /** Path relative to the dropped/picked folder ('Rock/Grunge/song.mp3'), or just the name. */
  path: string;
}

const AUDIO_EXTENSIONS = /\.(wav|wave|au|snd|flac|mp3|ogg|oga|opus|m4a|aac|mp4|aif|aiff|webm)$/i;

export function isAudioName(name: string): boolean {
  return AUDIO_EXTENSIONS.test(name) && !name.startsWith('.');
}

/** From an <input type=file>: folder pickers give webkitRelativePath ('Top/Rock/a.mp3'). */
export function filesFromInput(list: FileList | null): PickedFile[] {
  const files = [...(list ?? [])];
  return files
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }))
    .filter((f) => f.path === f.file.name || isAudioName(f.file.name));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((ok, fail) => reader.readEntries(ok, fail));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((ok, fail) => entry.file(ok, fail));
}

async function walkEntry(entry: FileSystemEntry, prefix: string, out: PickedFile[], inFolder: boolean): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    if (inFolder && !isAudioName(entry.name)) return;
    out.push({ file: await entryFile(entry as FileSystemFileEntry), path });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until it returns an empty batch.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walkEntry(child, path, out, true);
  }
}

/** From a drop: folders are walked recursively. The entries must be taken before the first await. */
export async function filesFromDataTransfer(data: DataTransfer): Promise<PickedFile[]> {
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((e) => e === null)) {
    return [...data.files].map((file) => ({ file, path: file.name }));
  }
  const out: PickedFile[] = [];
  for (const entry of entries) await walkEntry(entry!, '', out, false);
  return out;
}

interface DirectoryHandleLike {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<{ kind: 'file' | 'directory'; name: string; getFile?: () => Promise<File> }>;
}

/** From showDirectoryPicker (File System Access API, where the browser has it). */
export async function filesFromDirectoryHandle(handle: DirectoryHandleLike, prefix = handle.name): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  for await (const child of handle.values()) {
    const path = `${prefix}/${child.name}`;
    if (child.kind === 'directory') out.push(...(await filesFromDirectoryHandle(child as unknown as DirectoryHandleLike, path)));
    else if (isAudioName(child.name) && child.getFile) out.push({ file: await child.getFile(), path });
  }
  return out;
}

export function hasDirectoryPicker(): boolean {
  return typeof (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function';
}

export async function pickDirectory(): Promise<PickedFile[]> {
  const picker = (window as unknown as { showDirectoryPicker: (o?: object) => Promise<DirectoryHandleLike> }).showDirectoryPicker;
  return filesFromDirectoryHandle(await picker({ mode: 'read' }));
}
