import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, ValidationError } from '../../src/domain/errors.js';
import { MAX_JSON_DEPTH, parseJson, readBody, readJson } from '../../src/kit/read-body.js';

/** A request whose body arrives in chunks, counting how many chunks were pulled. */
function streamed(chunks: number, size: number, headers: Record<string, string> = {}) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === chunks) return controller.close();
        pulled++;
        controller.enqueue(new Uint8Array(size).fill(0x61));
      },
    },
    { highWaterMark: 0 },
  );
  const req = new Request('http://x/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
  return { req, pulled: () => pulled };
}

describe('readBody', () => {
  it('refuses by Content-Length before reading a byte', async () => {
    const s = streamed(100, 1024, { 'content-length': String(100 * 1024) });
    await expect(readBody(s.req, 10 * 1024)).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(s.pulled()).toBe(0);
  });

  it('stops reading as soon as a body without Content-Length passes the cap', async () => {
    const s = streamed(1000, 1024);
    await expect(readBody(s.req, 10 * 1024)).rejects.toThrow(/exceeds 10240 bytes/);
    expect(s.pulled()).toBeLessThan(15);
  });

  it('returns a body within the cap whole', async () => {
    const s = streamed(3, 1000);
    expect((await readBody(s.req, 3000)).byteLength).toBe(3000);
  });
});

describe('readJson / parseJson', () => {
  const post = (body: BodyInit) => new Request('http://x/', { method: 'POST', body });

  it('refuses invalid UTF-8 with a 400, never replacing it', async () => {
    await expect(readJson(post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])), 100)).rejects.toThrow(/not valid UTF-8/);
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels, counting brackets outside strings only`, () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    expect(() => parseJson(deep)).toThrow(ValidationError);
    expect(() => parseJson(deep)).toThrow(/nested deeper/);
    expect(parseJson(JSON.stringify({ text: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ " {{{{' }))).toEqual({
      text: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ " {{{{',
    });
    expect(parseJson('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeInstanceOf(Array);
  });

  it('answers malformed JSON with a 400 and an empty body with the given default', async () => {
    await expect(readJson(post('{"a":'), 100)).rejects.toThrow(/not valid JSON/);
    expect(await readJson(post(''), 100, {})).toEqual({});
  });
});
