import { Inflate, zipSync, type Zippable } from 'fflate';
import type { ModelBundle } from './bundle.ts';
import { BundleError, bundleFromFiles, bundleToFiles, limitsWith, pathsProblems, type ValidateOptions } from './bundleValidate.ts';

/**
 * A model bundle as one .zip: metadata.json, model.json, the weights and any sub-model files at the same relative
 * paths as in the CLI's model folder, so unzipping gives a folder `tf.loadLayersModel` reads as is.
 *
 * Import reads the archive with its own small central-directory parser rather than a one-call unzip: the declared
 * sizes of every entry are checked against the limits before a single byte is inflated, and inflation stops as
 * soon as an entry produces more than it declared (a zip bomb lies about its sizes).
 */

/** Zip file times cannot precede 1980. */
const EARLIEST_ZIP_TIME = Date.UTC(1980, 0, 2);

/**
 * Float weights barely deflate (~10% for ~25× the time), so binary files are stored as is; JSON deflates well,
 * and large JSON (a k-NN reference set) at the fastest level, which is within ~6% of the best size.
 */
function compressionLevel(path: string, bytes: Uint8Array): 0 | 1 | 6 {
  if (!path.endsWith('.json')) return 0;
  return bytes.byteLength > 1024 * 1024 ? 1 : 6;
}

export function bundleToZip(bundle: ModelBundle): Uint8Array {
  const parsed = Date.parse(bundle.metadata.updatedAt);
  const mtime = new Date(Number.isFinite(parsed) && parsed > EARLIEST_ZIP_TIME ? parsed : EARLIEST_ZIP_TIME);
  const entries: Zippable = {};
  for (const [path, bytes] of Object.entries(bundleToFiles(bundle))) entries[path] = [bytes, { level: compressionLevel(path, bytes), mtime }];
  return zipSync(entries);
}

/** Reads, checks and validates a model .zip. Throws BundleError with a message for the user. */
export function bundleFromZip(zip: Uint8Array, options: ValidateOptions = {}): ModelBundle {
  return bundleFromFiles(readZipEntries(zip, options), options);
}

const SIG_END_OF_CENTRAL_DIR = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_CENTRAL_HEADER = 0x02014b50;
const SIG_LOCAL_HEADER = 0x04034b50;
// Deflate expands at most ~1032×: 16 KiB in gives at most ~16 MiB out per step before the size check runs.
const INFLATE_CHUNK = 16 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

function corrupt(detail: string): BundleError {
  return new BundleError([`the file is not a valid zip archive (${detail})`]);
}

/** Entries that archivers add beside the real files (macOS Finder's resource forks and folder settings). */
function isArchiverJunk(name: string): boolean {
  return name.startsWith('__MACOSX/') || name === '.DS_Store' || name.endsWith('/.DS_Store');
}

function listCentralDirectory(zip: Uint8Array): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  if (zip.byteLength < 22) throw corrupt('too short');
  let end = -1;
  for (let at = zip.byteLength - 22; at >= Math.max(0, zip.byteLength - 22 - 0xffff); at--) {
    if (u32(at) === SIG_END_OF_CENTRAL_DIR) {
      end = at;
      break;
    }
  }
  if (end < 0) throw corrupt('no end-of-archive record');
  if (end >= 20 && u32(end - 20) === SIG_ZIP64_LOCATOR) throw new BundleError(['ZIP64 archives are not supported: a muzo model is far smaller than 4 GB']);
  const count = u16(end + 10);
  const directorySize = u32(end + 12);
  const directoryOffset = u32(end + 16);
  if (directoryOffset + directorySize > end) throw corrupt('the file list lies outside the archive');
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || u32(at) !== SIG_CENTRAL_HEADER) throw corrupt(`file list entry ${i} is damaged`);
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (next > end) throw corrupt(`file list entry ${i} is damaged`);
    let name: string;
    try {
      name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    } catch {
      throw new BundleError([`entry ${i} of the zip has a name that is not valid text`]);
    }
    if (flags & 1) throw new BundleError([`"${name}" in the zip is encrypted; export the model again without a password`]);
    entries.push({
      name,
      method: u16(at + 10),
      crc32: u32(at + 16),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      localHeaderOffset: u32(at + 42),
    });
    at = next;
  }
  return entries;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Inflates one entry into a buffer of its declared size, refusing to produce a byte more. */
function extract(zip: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const local = entry.localHeaderOffset;
  if (local + 30 > zip.byteLength || view.getUint32(local, true) !== SIG_LOCAL_HEADER) throw corrupt(`"${entry.name}" has no local header`);
  const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > zip.byteLength) throw corrupt(`"${entry.name}" is cut short`);
  const compressed = zip.subarray(dataStart, dataEnd);
  let out: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw corrupt(`"${entry.name}" has inconsistent sizes`);
    out = compressed.slice();
  } else if (entry.method === 8) {
    out = new Uint8Array(entry.size);
    let written = 0;
    const inflater = new Inflate((chunk) => {
      if (written + chunk.length > entry.size) {
        throw new BundleError([`"${entry.name}" inflates to more than the ${entry.size} bytes it declares: the zip is corrupt or hostile`]);
      }
      out.set(chunk, written);
      written += chunk.length;
    });
    try {
      for (let at = 0; at < compressed.length; at += INFLATE_CHUNK) {
        inflater.push(compressed.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= compressed.length);
      }
      if (compressed.length === 0) inflater.push(compressed, true);
    } catch (error) {
      if (error instanceof BundleError) throw error;
      throw corrupt(`"${entry.name}" cannot be decompressed`);
    }
    if (written !== entry.size) throw corrupt(`"${entry.name}" holds ${written} bytes, not the ${entry.size} it declares`);
  } else {
    throw new BundleError([`"${entry.name}" uses zip compression method ${entry.method}; only stored and deflate are supported`]);
  }
  if (crc32(out) !== entry.crc32) throw corrupt(`"${entry.name}" fails its checksum`);
  return out;
}

/**
 * The files of a zip, keyed by safe relative path. Checks names, count and declared sizes first, then inflates
 * within those sizes and verifies each checksum. A zip holding one folder with the model inside is accepted too.
 */
export function readZipEntries(zip: Uint8Array, options: ValidateOptions = {}): Record<string, Uint8Array> {
  const limits = limitsWith(options.limits);
  const all = listCentralDirectory(zip);
  let entries = all.filter((e) => !e.name.endsWith('/') && !isArchiverJunk(e.name));
  if (entries.length === 0) throw new BundleError(['the zip is empty']);
  if (entries.length > limits.maxFiles) throw new BundleError([`the zip holds ${entries.length} files, more than the ${limits.maxFiles} allowed`]);

  const pathIssues = pathsProblems(entries.map((e) => e.name), limits);
  if (pathIssues.length > 0) throw new BundleError(pathIssues);
  const topFolder = /^[^/]+\//.exec(entries[0].name)?.[0];
  if (topFolder && entries.every((e) => e.name.startsWith(topFolder)) && !entries.some((e) => e.name === 'metadata.json')) {
    entries = entries.map((e) => ({ ...e, name: e.name.slice(topFolder.length) }));
  }

  let declaredTotal = 0;
  for (const e of entries) {
    declaredTotal += e.size;
    if (e.name.endsWith('.json') && e.size > limits.maxJsonBytes) {
      throw new BundleError([`"${e.name}" declares ${e.size} bytes, more than the ${limits.maxJsonBytes} allowed for a JSON file`]);
    }
  }
  if (declaredTotal > limits.maxTotalBytes) {
    throw new BundleError([`the zip declares ${declaredTotal} bytes once unpacked, more than the ${limits.maxTotalBytes} a model may take`]);
  }

  const files: Record<string, Uint8Array> = Object.create(null);
  for (const e of entries) files[e.name] = extract(zip, e);
  return { ...files };
}
