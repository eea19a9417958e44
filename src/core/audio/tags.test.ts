import { describe, expect, it } from 'vitest';
import { readTags } from './tags.ts';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf8 = (s: string) => new TextEncoder().encode(s);
const utf16le = (s: string) => Uint8Array.from([...s].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]));
const utf16be = (s: string) => Uint8Array.from([...s].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]));
const cat = (...parts: ArrayLike<number>[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const be32 = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const syncsafe = (n: number) => [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];
/** Some audio-like bytes, with 0xFF 0xE0 (a false MPEG sync) that unsynchronisation must escape. */
const AUDIO = Uint8Array.from([0xff, 0xfb, 0x90, 0x00, 0x12, 0x34, 0xff, 0xe0, 0x00]);

/** ID3 unsynchronisation: a zero after every 0xFF that precedes 0xE0-0xFF, 0x00 or the end. */
function unsynchronise(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  bytes.forEach((b, i) => {
    out.push(b);
    if (b === 0xff && (i + 1 === bytes.length || bytes[i + 1] === 0 || bytes[i + 1] >= 0xe0)) out.push(0);
  });
  return Uint8Array.from(out);
}

/** An ID3v2 tag; with `unsync`, v2.2/v2.3 unsynchronise the whole body, v2.4 each frame (flagged, sized as stored). */
function id3v2(version: 2 | 3 | 4, frames: Array<[string, Uint8Array]>, options: { unsync?: boolean; padding?: number; extended?: boolean } = {}): Uint8Array {
  const frameBytes = frames.map(([id, raw]) => {
    if (version === 2) return cat(latin1(id), [raw.length >> 16, (raw.length >> 8) & 0xff, raw.length & 0xff], raw);
    if (version === 3) return cat(latin1(id), be32(raw.length), [0, 0], raw);
    const data = options.unsync ? unsynchronise(raw) : raw;
    return cat(latin1(id), syncsafe(data.length), [0, options.unsync ? 0x02 : 0], data);
  });
  const extended = options.extended ? (version === 3 ? cat(be32(6), [0, 0], be32(0)) : cat(syncsafe(6), [1, 0])) : [];
  let body: Uint8Array = cat(extended, ...frameBytes, new Uint8Array(options.padding ?? 0));
  if (options.unsync && version < 4) body = unsynchronise(body);
  const flags = (options.unsync ? 0x80 : 0) | (options.extended ? 0x40 : 0);
  return cat(latin1('ID3'), [version, 0, flags], syncsafe(body.length), body);
}

/** A text frame: encoding byte, then the text. */
const text = (encoding: number, bytes: Uint8Array) => cat([encoding], bytes);

function id3v1(title: string, artist: string, album: string): Uint8Array {
  const field = (s: string) => cat(latin1(s), new Uint8Array(30 - s.length));
  return cat(latin1('TAG'), field(title), field(artist), field(album), latin1('2001'), new Uint8Array(30), [17]);
}

function vorbisComments(comments: string[]): Uint8Array {
  const vendor = utf8('muzo test');
  return cat(le32(vendor.length), vendor, le32(comments.length), ...comments.map((c) => cat(le32(utf8(c).length), utf8(c))));
}

function flac(comments: string[], { id3Before = false } = {}): Uint8Array {
  const streamInfo = new Uint8Array(34);
  const block = vorbisComments(comments);
  const body = cat(latin1('fLaC'), [0x00, 0, 0, 34], streamInfo, [0x84, block.length >> 16, (block.length >> 8) & 0xff, block.length & 0xff], block, AUDIO);
  return id3Before ? cat(id3v2(3, [['TIT2', text(0, latin1('From ID3'))]]), body) : body;
}

/** One Ogg page of the given packets' segments (lacing values from each packet's length). */
function oggPage(serial: number, sequence: number, packets: Uint8Array[], { continuesOpen = false } = {}): Uint8Array {
  const lacing: number[] = [];
  packets.forEach((p, i) => {
    let left = p.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    // The last packet of a page may continue on the next page: no closing value below 255.
    if (!(continuesOpen && i === packets.length - 1)) lacing.push(left);
  });
  return cat(latin1('OggS'), [0, 0], new Uint8Array(8), le32(serial), le32(sequence), le32(0), [lacing.length], lacing, ...packets);
}

function riffChunk(id: string, data: Uint8Array, littleEndian = true): Uint8Array {
  return cat(latin1(id), littleEndian ? le32(data.length) : be32(data.length), data, data.length % 2 ? [0] : []);
}

function wav(chunks: Uint8Array[]): Uint8Array {
  const fmt = riffChunk('fmt ', cat([1, 0, 1, 0], le32(8000), le32(16000), [2, 0, 16, 0]));
  const body = cat(latin1('WAVE'), fmt, riffChunk('data', AUDIO), ...chunks);
  return cat(latin1('RIFF'), le32(body.length), body);
}

function aiff(chunks: Uint8Array[]): Uint8Array {
  const body = cat(latin1('AIFF'), riffChunk('COMM', new Uint8Array(18), false), ...chunks, riffChunk('SSND', cat(new Uint8Array(8), AUDIO), false));
  return cat(latin1('FORM'), be32(body.length), body);
}

describe('readTags: ID3v2', () => {
  it('reads v2.3 Latin-1 and UTF-16 (with a byte-order mark) text frames, before MPEG audio', () => {
    const tag = id3v2(
      3,
      [
        ['TIT2', text(0, latin1('Caf\xe9 Song'))],
        ['TPE1', text(1, cat([0xff, 0xfe], utf16le('Björk'), [0, 0]))],
        ['TALB', text(1, cat([0xfe, 0xff], utf16be('Début')))],
      ],
      { padding: 20 },
    );
    expect(readTags(cat(tag, AUDIO))).toEqual({ title: 'Café Song', artist: 'Björk', album: 'Début' });
  });

  it('reads v2.4 UTF-8 and UTF-16BE frames (the first of several null-separated values), after an extended header', () => {
    const tag = id3v2(
      4,
      [
        ['TPE1', text(3, cat(utf8('Sigur Rós'), [0], utf8('Jónsi')))],
        ['TIT2', text(2, utf16be('Hoppípolla'))],
      ],
      { extended: true },
    );
    expect(readTags(cat(tag, AUDIO))).toEqual({ artist: 'Sigur Rós', title: 'Hoppípolla' });
  });

  it('reads v2.2 three-letter frames (TP1, TT2, TAL)', () => {
    const tag = id3v2(2, [
      ['TT2', text(0, latin1('Old Tune'))],
      ['TP1', text(0, latin1('Old Band'))],
      ['TAL', text(0, latin1('Old Album'))],
    ]);
    expect(readTags(cat(tag, AUDIO))).toEqual({ title: 'Old Tune', artist: 'Old Band', album: 'Old Album' });
  });

  it('undoes unsynchronisation of a v2.3 tag whose text holds 0xFF bytes', () => {
    // Latin-1 ÿ is 0xFF: followed by 0xE0-0xFF or 0x00, it is escaped in the unsynchronised tag.
    const tag = id3v2(3, [['TPE1', text(0, cat(latin1('\xff\xe0\xffX'), [0xff]))], ['TIT2', text(0, latin1('T'))]], { unsync: true });
    expect(Array.from(tag).filter((b, i) => b === 0xff && tag[i + 1] === 0).length).toBeGreaterThan(0);
    expect(readTags(cat(tag, AUDIO))).toEqual({ artist: 'ÿàÿXÿ', title: 'T' });
  });

  it('undoes unsynchronisation of a v2.4 tag (frame by frame)', () => {
    const tag = id3v2(4, [['TPE1', text(0, latin1('\xff\xff!\xff'))], ['TIT2', text(3, utf8('Ünsync'))]], { unsync: true });
    expect(tag.length).toBeGreaterThan(id3v2(4, [['TPE1', text(0, latin1('\xff\xff!\xff'))], ['TIT2', text(3, utf8('Ünsync'))]]).length);
    expect(readTags(tag)).toEqual({ artist: 'ÿÿ!ÿ', title: 'Ünsync' });
  });

  it('falls back to the album artist (TPE2) when there is no lead performer', () => {
    expect(readTags(id3v2(3, [['TPE2', text(0, latin1('Various'))]])).artist).toBe('Various');
    expect(readTags(id3v2(3, [['TPE2', text(0, latin1('Various'))], ['TPE1', text(0, latin1('Lead'))]])).artist).toBe('Lead');
  });
});

describe('readTags: ID3v1', () => {
  it('reads the 128-byte tag at the end, and gives way to ID3v2 field by field', () => {
    expect(readTags(cat(AUDIO, id3v1('Song', 'Band  ', 'Record')))).toEqual({ title: 'Song', artist: 'Band', album: 'Record' });
    const both = cat(id3v2(3, [['TPE1', text(0, latin1('Full Band Name'))]]), AUDIO, id3v1('Song', 'Full Band Na', ''));
    expect(readTags(both)).toEqual({ artist: 'Full Band Name', title: 'Song' });
  });
});

describe('readTags: Vorbis comments', () => {
  it('reads a FLAC VORBIS_COMMENT block, keys in any case', () => {
    expect(readTags(flac(['title=Étude', 'ARTIST=Chopin', 'Album=Nocturnes', 'GENRE=classical']))).toEqual({
      title: 'Étude',
      artist: 'Chopin',
      album: 'Nocturnes',
    });
  });

  it('reads a FLAC file that starts with an ID3v2 tag, ID3 winning where both have a field', () => {
    expect(readTags(flac(['ARTIST=Flac Artist', 'TITLE=Flac Title'], { id3Before: true }))).toEqual({ title: 'From ID3', artist: 'Flac Artist' });
  });

  it('reads the comment header of an Ogg Vorbis stream split across pages', () => {
    const identification = cat([1], latin1('vorbis'), new Uint8Array(23));
    const comment = cat([3], latin1('vorbis'), vorbisComments(['ARTIST=' + 'Long Name '.repeat(40).trim(), 'TITLE=Ogg Song']), [1]);
    // A packet continued on the next page ends its page with a lacing value of 255.
    const firstPart = comment.subarray(0, 255);
    const rest = comment.subarray(255);
    const bytes = cat(
      oggPage(7, 0, [identification]),
      oggPage(7, 1, [firstPart], { continuesOpen: true }),
      oggPage(7, 2, [rest, cat([5], latin1('vorbis'))]),
    );
    expect(readTags(bytes)).toEqual({ artist: 'Long Name '.repeat(40).trim(), title: 'Ogg Song' });
  });

  it('reads OpusTags', () => {
    const bytes = cat(oggPage(1, 0, [cat(latin1('OpusHead'), new Uint8Array(11))]), oggPage(1, 1, [cat(latin1('OpusTags'), vorbisComments(['ARTIST=Opus Band']))]));
    expect(readTags(bytes)).toEqual({ artist: 'Opus Band' });
  });
});

describe('readTags: WAV and AIFF chunks', () => {
  it('reads LIST/INFO after the audio (UTF-8 or Latin-1 text, odd sizes padded)', () => {
    const info = cat(latin1('INFO'), riffChunk('INAM', cat(utf8('Señal'), [0])), riffChunk('IART', cat(latin1('Mot\xf6rhead'), [0])), riffChunk('IPRD', latin1('LP')));
    expect(readTags(wav([riffChunk('LIST', info)]))).toEqual({ title: 'Señal', artist: 'Motörhead', album: 'LP' });
  });

  it('reads an id3 chunk in a WAV, ID3 winning over INFO', () => {
    const info = cat(latin1('INFO'), riffChunk('IART', latin1('Info Artist')), riffChunk('INAM', latin1('Info Title')));
    const bytes = wav([riffChunk('LIST', info), riffChunk('id3 ', id3v2(4, [['TPE1', text(3, utf8('ID3 Artist'))]]))]);
    expect(readTags(bytes)).toEqual({ artist: 'ID3 Artist', title: 'Info Title' });
  });

  it('reads AIFF NAME and AUTH chunks, and an ID3 chunk', () => {
    expect(readTags(aiff([riffChunk('NAME', latin1('Aiff Title'), false), riffChunk('AUTH', latin1('Aiff Author'), false)]))).toEqual({
      title: 'Aiff Title',
      artist: 'Aiff Author',
    });
    const withId3 = aiff([riffChunk('AUTH', latin1('Author'), false), riffChunk('ID3 ', id3v2(3, [['TALB', text(0, latin1('Album'))]]), false)]);
    expect(readTags(withId3)).toEqual({ artist: 'Author', album: 'Album' });
  });
});

function box(type: string, ...content: ArrayLike<number>[]): Uint8Array {
  const body = cat(...content);
  return cat(be32(body.length + 8), latin1(type), body);
}

/** An iTunes-style item: its `data` box holds a 1-byte version, a 3-byte type, a 4-byte locale, then the value. */
const mp4Item = (type: string, dataType: number, value: Uint8Array) => box(type, box('data', be32(dataType), be32(0), value));

/** An M4A file: ftyp, the audio (mdat) first, then moov/udta/meta (a full box, hdlr first)/ilst. */
function m4a(items: Uint8Array[], { quickTimeMeta = false, largeMdat = false } = {}): Uint8Array {
  const ilst = box('ilst', ...items);
  const hdlr = box('hdlr', new Uint8Array(8), latin1('mdirappl'), new Uint8Array(9));
  const meta = quickTimeMeta ? box('meta', hdlr, ilst) : box('meta', be32(0), hdlr, ilst);
  const moov = box('moov', box('mvhd', new Uint8Array(100)), quickTimeMeta ? meta : box('udta', meta));
  // A 64-bit sized mdat: size field 1, then the size in 8 bytes.
  const mdat = largeMdat ? cat(be32(1), latin1('mdat'), be32(0), be32(AUDIO.length + 16), AUDIO) : box('mdat', AUDIO);
  return cat(box('ftyp', latin1('M4A '), be32(0), latin1('isomM4A ')), mdat, moov);
}

describe('readTags: MP4', () => {
  it('reads the ilst artist, title and album (UTF-8 and UTF-16BE) after the audio, skipping other items', () => {
    const bytes = m4a([
      mp4Item('\xa9nam', 1, utf8('Señal')),
      mp4Item('trkn', 0, Uint8Array.from([0, 0, 0, 3, 0, 12, 0, 0])),
      mp4Item('\xa9ART', 2, utf16be('Motörhead')),
      mp4Item('\xa9alb', 1, utf8('LP')),
    ]);
    expect(readTags(bytes)).toEqual({ title: 'Señal', artist: 'Motörhead', album: 'LP' });
  });

  it('falls back to the album artist (aART); reads a QuickTime plain meta box and a 64-bit box size', () => {
    expect(readTags(m4a([mp4Item('aART', 1, utf8('Band')), mp4Item('\xa9nam', 1, utf8('Song'))]))).toEqual({ artist: 'Band', title: 'Song' });
    expect(readTags(m4a([mp4Item('aART', 1, utf8('Band')), mp4Item('\xa9ART', 1, utf8('Singer'))], { quickTimeMeta: true, largeMdat: true }))).toEqual({
      artist: 'Singer',
    });
  });

  it('gives no fields for an M4A without metadata or cut short', () => {
    expect(readTags(m4a([]))).toEqual({});
    const tagged = m4a([mp4Item('\xa9ART', 1, utf8('Whole'))]);
    expect(readTags(tagged.subarray(0, tagged.length - 3))).toEqual({});
  });
});

describe('readTags: files without tags', () => {
  it('gives no fields for untagged, truncated or unknown bytes', () => {
    expect(readTags(wav([]))).toEqual({});
    expect(readTags(flac([]))).toEqual({});
    expect(readTags(AUDIO)).toEqual({});
    expect(readTags(new Uint8Array(0))).toEqual({});
    // A tag cut short: whatever frames are complete still count, and nothing throws.
    const tag = id3v2(3, [['TPE1', text(0, latin1('Whole'))], ['TIT2', text(0, latin1('Cut short'))]]);
    expect(readTags(tag.subarray(0, tag.length - 4))).toEqual({ artist: 'Whole' });
    expect(readTags(flac(['ARTIST=X']).subarray(0, 50))).toEqual({});
  });
});
