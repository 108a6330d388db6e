import { createHash, randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/** Random bytes drawn 8 at a time from one larger draw: a call into the CSPRNG per id was a visible part of ingest. */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;
function random8(): Buffer {
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  // A copy: the caller changes a byte, and the pool's bytes are each used once.
  const out = Buffer.from(pool.subarray(poolAt, poolAt + 8));
  poolAt += 8;
  return out;
}

/**
 * Time-ordered ids in the UUIDv7 layout. Within one process they are strictly increasing (a
 * 12-bit counter fills rand_a when two ids share a millisecond), so they double as cursors.
 */
export function newId(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
  }
  const rand = random8();
  rand[0] = (rand[0]! & 0x3f) | 0x80;
  const hex = lastMs.toString(16).padStart(12, '0') + '7' + counter.toString(16).padStart(3, '0') + rand.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A secret for bearer tokens: 32 random bytes, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a bearer token: its SHA-256, so a leaked database holds no usable tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
