/**
 * Reads a file's container and native sample rate from its first bytes, without decoding it. The page uses it to
 * route a file (WAV and AU to the workers' TypeScript parsers, the rest to the browser's decoder) and to show the
 * file's own sample rate, which decodeAudioData hides (it resamples to its context's rate).
 */
export type SniffedFormat = 'wav' | 'au' | 'flac' | 'mp3' | 'ogg' | 'mp4' | 'unknown';

export interface Sniffed {
  format: SniffedFormat;
  /** Native sample rate when the header states one. */
  sampleRate: number | null;
  /**
   * Length the header promises (FLAC: total samples; MP3: file size over the first frame's bitrate), or null.
   * Only a guard: a file promising hours is not handed to decodeAudioData, which would decode it all at once.
   */
  estimatedSeconds?: number | null;
}

const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

const MPEG_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function u32le(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function u32be(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function wavRate(b: Uint8Array): number | null {
  let at = 12;
  while (at + 8 <= b.length) {
    const size = u32le(b, at + 4);
    if (ascii(b, at, 'fmt ')) return at + 16 <= b.length ? u32le(b, at + 12) : null;
    at += 8 + size + (size & 1);
  }
  return null;
}

function mpegFrame(b: Uint8Array, at: number): { rate: number; kbps: number } | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1] >> 3) & 3;
  const layer = (b[at + 1] >> 1) & 3;
  const rateIndex = (b[at + 2] >> 2) & 3;
  const bitrateIndex = b[at + 2] >> 4;
  if (version === 1 || layer === 0 || rateIndex === 3 || bitrateIndex === 15) return null;
  // Bitrates of Layer III (what .mp3 files hold); 0 = free format, no estimate.
  const kbps = layer === 1 ? (version === 3 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS)[bitrateIndex] : 0;
  return { rate: MPEG_RATES[version][rateIndex], kbps };
}

export function sniffAudio(bytes: Uint8Array): Sniffed {
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return { format: 'wav', sampleRate: wavRate(bytes) };
  if (ascii(bytes, 0, '.snd')) return { format: 'au', sampleRate: bytes.length >= 20 ? u32be(bytes, 16) : null };
  if (ascii(bytes, 0, 'fLaC')) {
    // STREAMINFO is the first metadata block; its sample rate is 20 bits at byte 18 of the file.
    const rate = bytes.length >= 21 ? (bytes[18] << 12) | (bytes[19] << 4) | (bytes[20] >> 4) : null;
    // 36-bit total sample count right after the rate, channel count and bit depth.
    const total = bytes.length >= 26 ? (bytes[21] & 0x0f) * 2 ** 32 + u32be(bytes, 22) : 0;
    return { format: 'flac', sampleRate: rate, estimatedSeconds: rate && total ? total / rate : null };
  }
  if (ascii(bytes, 0, 'OggS')) {
    const vorbis = findAscii(bytes, '\x01vorbis', 0, 512);
    return { format: 'ogg', sampleRate: vorbis >= 0 && vorbis + 16 <= bytes.length ? u32le(bytes, vorbis + 12) : null };
  }
  if (ascii(bytes, 4, 'ftyp')) return { format: 'mp4', sampleRate: null };
  let start = 0;
  if (ascii(bytes, 0, 'ID3') && bytes.length >= 10) {
    start = 10 + (((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f));
    if (ascii(bytes, start, 'fLaC')) return sniffAudio(bytes.subarray(start));
  }
  for (let at = start; at < Math.min(bytes.length, start + 4096); at++) {
    const frame = mpegFrame(bytes, at);
    if (frame !== null) {
      const estimatedSeconds = frame.kbps > 0 ? ((bytes.length - at) * 8) / (frame.kbps * 1000) : null;
      return { format: 'mp3', sampleRate: frame.rate, estimatedSeconds };
    }
  }
  return { format: 'unknown', sampleRate: null };
}

function findAscii(bytes: Uint8Array, text: string, from: number, within: number): number {
  const end = Math.min(bytes.length - text.length, from + within);
  for (let at = from; at <= end; at++) if (ascii(bytes, at, text)) return at;
  return -1;
}
