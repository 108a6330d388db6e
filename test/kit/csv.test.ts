import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/kit/csv.js';

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes inside', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('支持团队')).toBe('支持团队');
  });

  it('writes numbers as they are, null and non-finite numbers empty', () => {
    expect(csvField(0.3333)).toBe('0.3333');
    expect(csvField(-2)).toBe('-2');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('keeps text a spreadsheet would run as a formula from running', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@team')).toBe("'@team");
  });

  it('ends every record with CRLF', () => {
    expect(toCsv(['a', 'b'], [['x,y', 1]])).toBe('a,b\r\n"x,y",1\r\n');
  });
});
