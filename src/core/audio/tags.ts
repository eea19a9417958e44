/**
 * Artist, title and album from an audio file's tags, in pure TypeScript (for grouping songs by artist): ID3v2
 * (v2.2, v2.3, v2.4; unsynchronisation, extended headers, UTF-16/UTF-8/Latin-1 text) at the start of the file or
 * in a WAV/AIFF `id3 ` chunk, ID3v1 at the end, FLAC and Ogg (Vorbis, Opus) Vorbis comments, WAV LIST/INFO and
 * AIFF NAME/AUTH chunks, MP4/M4A `ilst` items (iTunes metadata). Reading never throws: a damaged or missing tag
 * gives no values.
 */

export interface AudioTags {
  artist?: string;
  title?: string;
  album?: string;
}

type Field = keyof AudioTags;

/** The tags of a whole file's bytes; fields of the richer tag win over ID3v1's. */
export function readTags(bytes: Uint8Array): AudioTags {
  let found: AudioTags = {};
  try {
    found = readContainerTags(bytes);
  } catch {
    // a damaged tag: whatever ID3v1 says still counts
  }
  return { ...readId3v1(bytes), ...found };
}

function readContainerTags(bytes: Uint8Array): AudioTags {
  const id = ascii(bytes, 0, 4);
  if (id.startsWith('ID3')) {
    const { tags, end } = readId3v2(bytes, 0);
    // FLAC (and sometimes MP3) files may carry an ID3v2 tag before their own header.
    return ascii(bytes, end, 4) === 'fLaC' ? { ...readFlac(bytes, end), ...tags } : tags;
  }
  if (id === 'fLaC') return readFlac(bytes, 0);
  if (id === 'OggS') return readOgg(bytes);
  if (id === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return readRiff(bytes);
  if (id === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(bytes, 8, 4))) return readAiff(bytes);
  if (ascii(bytes, 4, 4) === 'ftyp') return readMp4(bytes);
  return {};
}

// ---------------------------------------------------------------- text

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < Math.min(bytes.length, start + length); i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/** UTF-8 when the bytes are valid UTF-8, else Latin-1 (RIFF INFO text has no declared encoding). */
function utf8OrLatin1(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return latin1(bytes);
  }
}

/** UTF-16 code units; a byte-order mark, when present, overrides `bigEndian`. */
function utf16(bytes: Uint8Array, bigEndian: boolean): string {
  let start = 0;
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) [bigEndian, start] = [true, 2];
  else if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) [bigEndian, start] = [false, 2];
  let s = '';
  for (let i = start; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bigEndian ? (bytes[i] << 8) | bytes[i + 1] : bytes[i] | (bytes[i + 1] << 8));
  return s;
}

/** The text with surrounding blanks trimmed, or undefined when nothing is left. */
function clean(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const trimmed = text.replace(/^[\s\u0000]+|[\s\u0000]+$/g, '');
  return trimmed === '' ? undefined : trimmed;
}

function withValue(tags: AudioTags, field: Field, value: string | undefined): void {
  if (value !== undefined && tags[field] === undefined) tags[field] = value;
}

// ---------------------------------------------------------------- ID3

const ID3_FRAMES: Record<string, Field> = { TPE1: 'artist', TP1: 'artist', TIT2: 'title', TT2: 'title', TALB: 'album', TAL: 'album' };
/** Album artist: the artist when no lead performer is given. */
const ID3_ALBUM_ARTIST = new Set(['TPE2', 'TP2']);

function syncsafe(bytes: Uint8Array, at: number): number {
  return ((bytes[at] & 0x7f) << 21) | ((bytes[at + 1] & 0x7f) << 14) | ((bytes[at + 2] & 0x7f) << 7) | (bytes[at + 3] & 0x7f);
}

function uint32be(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function uint32le(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** Undoes ID3 unsynchronisation: every 0xFF 0x00 becomes 0xFF. */
function resynchronise(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    out[n++] = bytes[i];
    if (bytes[i] === 0xff && bytes[i + 1] === 0x00) i++;
  }
  return out.subarray(0, n);
}

/** An ID3v2 text frame's first value (v2.4 separates several values with a null). */
function id3Text(data: Uint8Array): string | undefined {
  if (data.length === 0) return undefined;
  const body = data.subarray(1);
  let text: string;
  if (data[0] === 1 || data[0] === 2) {
    let end = 0;
    while (end + 1 < body.length && !(body[end] === 0 && body[end + 1] === 0)) end += 2;
    text = utf16(body.subarray(0, end), data[0] === 2);
  } else {
    const nul = body.indexOf(0);
    const value = nul < 0 ? body : body.subarray(0, nul);
    text = data[0] === 3 ? utf8(value) : latin1(value);
  }
  return clean(text);
}

/** The ID3v2 tag starting at `offset` and the offset just past it (its header, body and footer). */
function readId3v2(bytes: Uint8Array, offset: number): { tags: AudioTags; end: number } {
  const tags: AudioTags = {};
  if (ascii(bytes, offset, 3) !== 'ID3' || bytes.length < offset + 10) return { tags, end: offset };
  const version = bytes[offset + 3];
  const flags = bytes[offset + 5];
  const size = syncsafe(bytes, offset + 6);
  const end = offset + 10 + size + (version === 4 && flags & 0x10 ? 10 : 0);
  if (version < 2 || version > 4) return { tags, end };
  let body = bytes.subarray(offset + 10, Math.min(bytes.length, offset + 10 + size));
  // v2.2/v2.3: the whole tag is unsynchronised; v2.4 marks it per frame.
  if (flags & 0x80 && version < 4) body = resynchronise(body);
  let at = 0;
  if (flags & 0x40 && version === 3) at = 4 + uint32be(body, 0);
  if (flags & 0x40 && version === 4) at = syncsafe(body, 0);
  const idLength = version === 2 ? 3 : 4;
  const headerLength = version === 2 ? 6 : 10;
  let albumArtist: string | undefined;
  while (at + headerLength <= body.length) {
    const id = ascii(body, at, idLength);
    if (!/^[A-Z0-9]+$/.test(id)) break; // padding
    const frameSize =
      version === 2 ? (body[at + 3] << 16) | (body[at + 4] << 8) | body[at + 5] : version === 3 ? uint32be(body, at + 4) : syncsafe(body, at + 4);
    const start = at + headerLength;
    at = start + frameSize;
    if (at > body.length) break;
    const field = ID3_FRAMES[id];
    if (!field && !ID3_ALBUM_ARTIST.has(id)) continue;
    let data = body.subarray(start, at);
    if (version === 3) {
      const format = body[start - 1];
      if (format & 0xc0) continue; // compressed or encrypted
      if (format & 0x20) data = data.subarray(1); // group id
    } else if (version === 4) {
      const format = body[start - 1];
      if (format & 0x0c) continue; // compressed or encrypted
      if (format & 0x40) data = data.subarray(1); // group id
      if (format & 0x01) data = data.subarray(4); // data length indicator
      if (format & 0x02 || flags & 0x80) data = resynchronise(data);
    }
    if (field) withValue(tags, field, id3Text(data));
    else albumArtist ??= id3Text(data);
  }
  withValue(tags, 'artist', albumArtist);
  return { tags, end };
}

/** ID3v1: 128 bytes at the very end, fixed Latin-1 fields. */
function readId3v1(bytes: Uint8Array): AudioTags {
  const at = bytes.length - 128;
  if (at < 0 || ascii(bytes, at, 3) !== 'TAG') return {};
  const field = (start: number) => {
    const raw = bytes.subarray(at + start, at + start + 30);
    const nul = raw.indexOf(0);
    return clean(latin1(nul < 0 ? raw : raw.subarray(0, nul)));
  };
  const tags: AudioTags = {};
  withValue(tags, 'title', field(3));
  withValue(tags, 'artist', field(33));
  withValue(tags, 'album', field(63));
  return tags;
}

// ---------------------------------------------------------------- Vorbis comments (FLAC, Ogg)

const VORBIS_FIELDS: Record<string, Field> = { ARTIST: 'artist', TITLE: 'title', ALBUM: 'album' };

/** A Vorbis comment block (little-endian lengths): vendor string, then `KEY=value` UTF-8 comments. */
function readVorbisComments(block: Uint8Array): AudioTags {
  const tags: AudioTags = {};
  let albumArtist: string | undefined;
  let at = 4 + uint32le(block, 0);
  const count = uint32le(block, at);
  at += 4;
  for (let i = 0; i < count && at + 4 <= block.length; i++) {
    const length = uint32le(block, at);
    const comment = utf8(block.subarray(at + 4, Math.min(block.length, at + 4 + length)));
    at += 4 + length;
    const eq = comment.indexOf('=');
    if (eq < 0) continue;
    const key = comment.slice(0, eq).toUpperCase();
    const value = clean(comment.slice(eq + 1));
    if (VORBIS_FIELDS[key]) withValue(tags, VORBIS_FIELDS[key], value);
    else if (key === 'ALBUMARTIST' || key === 'ALBUM ARTIST') albumArtist ??= value;
  }
  withValue(tags, 'artist', albumArtist);
  return tags;
}

/** FLAC metadata blocks after `fLaC`: the VORBIS_COMMENT block (type 4). */
function readFlac(bytes: Uint8Array, offset: number): AudioTags {
  let at = offset + 4;
  while (at + 4 <= bytes.length) {
    const header = bytes[at];
    const length = (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    if ((header & 0x7f) === 4) return readVorbisComments(bytes.subarray(at + 4, at + 4 + length));
    if (header & 0x80) break; // last block
    at += 4 + length;
  }
  return {};
}

/**
 * Ogg: the first logical stream's second packet is its comment header (`\x03vorbis` or `OpusTags`). Packets are
 * reassembled from page segments (a lacing value below 255 ends a packet).
 */
function readOgg(bytes: Uint8Array): AudioTags {
  let serial: number | null = null;
  const parts: Uint8Array[] = [];
  let packet = 0;
  let at = 0;
  while (at + 27 <= bytes.length && ascii(bytes, at, 4) === 'OggS') {
    const pageSerial = uint32le(bytes, at + 14);
    const segments = bytes[at + 26];
    let data = at + 27 + segments;
    if (serial === null) serial = pageSerial;
    for (let s = 0; s < segments; s++) {
      const lace = bytes[at + 27 + s];
      if (pageSerial === serial && packet === 1) parts.push(bytes.subarray(data, data + lace));
      data += lace;
      if (pageSerial === serial && lace < 255) {
        if (packet === 1) return commentPacket(concat(parts));
        packet++;
      }
    }
    at = data;
  }
  return {};
}

function commentPacket(packet: Uint8Array): AudioTags {
  if (packet[0] === 3 && ascii(packet, 1, 6) === 'vorbis') return readVorbisComments(packet.subarray(7));
  if (ascii(packet, 0, 8) === 'OpusTags') return readVorbisComments(packet.subarray(8));
  return {};
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------- RIFF (WAV) and AIFF chunks

const INFO_FIELDS: Record<string, Field> = { IART: 'artist', INAM: 'title', IPRD: 'album' };

/** Chunks of a RIFF/IFF body from `start`: id, data; sizes in the given byte order, padded to even lengths. */
function* chunks(bytes: Uint8Array, start: number, end: number, bigEndian: boolean): Generator<{ id: string; data: Uint8Array }> {
  let at = start;
  while (at + 8 <= end) {
    const id = ascii(bytes, at, 4);
    const size = bigEndian ? uint32be(bytes, at + 4) : uint32le(bytes, at + 4);
    yield { id, data: bytes.subarray(at + 8, Math.min(end, at + 8 + size)) };
    at += 8 + size + (size % 2);
  }
}

function readRiff(bytes: Uint8Array): AudioTags {
  const info: AudioTags = {};
  let id3: AudioTags = {};
  for (const chunk of chunks(bytes, 12, bytes.length, false)) {
    if (chunk.id === 'LIST' && ascii(chunk.data, 0, 4) === 'INFO') {
      for (const sub of chunks(chunk.data, 4, chunk.data.length, false)) {
        const field = INFO_FIELDS[sub.id];
        if (field) withValue(info, field, clean(utf8OrLatin1(cutAtNul(sub.data))));
      }
    } else if (chunk.id.toLowerCase() === 'id3 ') id3 = readId3v2(chunk.data, 0).tags;
  }
  return { ...info, ...id3 };
}

function readAiff(bytes: Uint8Array): AudioTags {
  const text: AudioTags = {};
  let id3: AudioTags = {};
  for (const chunk of chunks(bytes, 12, bytes.length, true)) {
    if (chunk.id === 'NAME') withValue(text, 'title', clean(latin1(cutAtNul(chunk.data))));
    else if (chunk.id === 'AUTH') withValue(text, 'artist', clean(latin1(cutAtNul(chunk.data))));
    else if (chunk.id.toUpperCase() === 'ID3 ') id3 = readId3v2(chunk.data, 0).tags;
  }
  return { ...text, ...id3 };
}

function cutAtNul(data: Uint8Array): Uint8Array {
  const nul = data.indexOf(0);
  return nul < 0 ? data : data.subarray(0, nul);
}

// ---------------------------------------------------------------- MP4

const MP4_ITEMS: Record<string, Field> = { '\u00a9ART': 'artist', '\u00a9nam': 'title', '\u00a9alb': 'album' };
/** Album artist: the artist when no track artist is given. */
const MP4_ALBUM_ARTIST = 'aART';

/** The boxes between `start` and `end`: 32-bit sizes, 64-bit when the size is 1, to the end when it is 0. */
function* boxes(bytes: Uint8Array, start: number, end: number): Generator<{ type: string; data: Uint8Array }> {
  let at = start;
  while (at + 8 <= end) {
    let size = uint32be(bytes, at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = uint32be(bytes, at + 8) * 2 ** 32 + uint32be(bytes, at + 12);
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) return;
    yield { type: latin1(bytes.subarray(at + 4, at + 8)), data: bytes.subarray(at + header, at + size) };
    at += size;
  }
}

function child(data: Uint8Array, type: string): Uint8Array | undefined {
  for (const box of boxes(data, 0, data.length)) if (box.type === type) return box.data;
  return undefined;
}

/** moov/udta/meta/ilst (or moov/meta/ilst); `meta` is a full box in MP4 files and a plain one in QuickTime files. */
function readMp4(bytes: Uint8Array): AudioTags {
  const moov = child(bytes, 'moov');
  if (!moov) return {};
  let meta = child(child(moov, 'udta') ?? new Uint8Array(0), 'meta') ?? child(moov, 'meta');
  if (!meta) return {};
  if (ascii(meta, 4, 4) !== 'hdlr') meta = meta.subarray(4);
  const ilst = child(meta, 'ilst');
  if (!ilst) return {};
  const tags: AudioTags = {};
  let albumArtist: string | undefined;
  for (const item of boxes(ilst, 0, ilst.length)) {
    const field = MP4_ITEMS[item.type];
    if (!field && item.type !== MP4_ALBUM_ARTIST) continue;
    const data = child(item.data, 'data');
    // data: 1 byte version, 3 bytes type (1 = UTF-8, 2 = UTF-16BE), 4 bytes locale, then the value.
    if (!data || data.length < 8) continue;
    const type = uint32be(data, 0) & 0xffffff;
    const text = type === 1 ? clean(utf8OrLatin1(data.subarray(8))) : type === 2 ? clean(utf16(data.subarray(8), true)) : undefined;
    if (field) withValue(tags, field, text);
    else albumArtist ??= text;
  }
  withValue(tags, 'artist', albumArtist);
  return tags;
}
