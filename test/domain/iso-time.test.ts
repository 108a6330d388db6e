import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/domain/iso-time.js';

describe('isoTime', () => {
  it('writes what toISOString writes', () => {
    const edges = [0, 1, 999, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 4_107_456_000_000, 253_402_300_799_999];
    for (const ms of edges) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
    // About every two weeks from 1970 to 2381 (leap days, 2100's and 2300's skipped ones, 2000's and 2400's kept), odd milliseconds.
    for (let ms = 0; ms < 13_000_000_000_000; ms += 1_234_567_891) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes the right date and time when consecutive times are the same, fall on the same day, or on others', () => {
    const day = 1_764_547_200_000; // 2025-12-01T00:00:00.000Z
    const times = [
      day,
      day,
      day + 1,
      day + 86_399_999,
      day + 86_400_000,
      day + 5,
      day - 1,
      day - 1,
      0,
      0,
      day + 3_600_000,
      day + 3_600_000,
    ];
    for (const ms of times) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('leaves dates outside years 0-9999 and fractions to toISOString', () => {
    for (const ms of [-1, -62_198_755_200_001, 253_402_300_800_000, 1.5]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});
