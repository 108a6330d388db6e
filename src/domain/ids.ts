import { randomBytes, randomUUID } from 'node:crypto';

/** Time-ordered ids (UUIDv7 layout) so rows sort by creation in every database. */
export function newId(now: number = Date.now()): string {
  const hex = now.toString(16).padStart(12, '0') + randomUUID().replace(/-/g, '').slice(12);
  const v = hex.slice(0, 12) + '7' + hex.slice(13, 16) + ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 32);
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}

/** A secret for bearer tokens: 32 random bytes, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
