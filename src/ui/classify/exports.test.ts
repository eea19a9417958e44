import { describe, expect, it } from 'vitest';
import { playlistFileName, playlistsByGenre, predictionsCsv } from './exports.ts';

const files = [
  { path: 'Music/a, b.mp3', durationSeconds: 30.4, label: 'rock', confidence: 0.8123, top3: [{ label: 'rock', probability: 0.8123 }, { label: 'metal', probability: 0.1 }, { label: 'pop', probability: 0.05 }] },
  { path: 'Music/c.wav', durationSeconds: 61.6, label: 'jazz', confidence: 0.5, top3: [{ label: 'jazz', probability: 0.5 }] },
  { path: 'd.flac', label: 'rock', confidence: 0.9, top3: [{ label: 'rock', probability: 0.9 }] },
];

describe('predictionsCsv', () => {
  it('writes one quoted-when-needed row per file', () => {
    expect(predictionsCsv(files)).toBe(
      'file,label,confidence,top3\n' +
        '"Music/a, b.mp3",rock,0.8123,rock:0.8123|metal:0.1000|pop:0.0500\n' +
        'Music/c.wav,jazz,0.5000,jazz:0.5000\n' +
        'd.flac,rock,0.9000,rock:0.9000\n',
    );
  });
});

describe('playlistsByGenre', () => {
  it('makes one extended M3U per predicted genre', () => {
    const lists = playlistsByGenre(files);
    expect([...lists.keys()]).toEqual(['jazz', 'rock']);
    expect(lists.get('rock')).toBe('#EXTM3U\n#PLAYLIST:rock\n#EXTINF:30,a, b\nMusic/a, b.mp3\n#EXTINF:-1,d\nd.flac\n');
    expect(lists.get('jazz')).toBe('#EXTM3U\n#PLAYLIST:jazz\n#EXTINF:62,c\nMusic/c.wav\n');
  });
  it('names playlist files safely', () => {
    expect(playlistFileName('Rock/Grunge')).toBe('Rock_Grunge.m3u');
    expect(playlistFileName('hip-hop')).toBe('hip-hop.m3u');
  });
});
