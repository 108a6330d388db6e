import { createHmac } from 'node:crypto';

/**
 * `X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The time is
 * inside what is signed, so a receiver that rejects old `t` values cannot be fed a replay of an
 * old request; the README shows a receiver's check (test/support/webhook-receiver.ts runs it).
 */
export const SIGNATURE_HEADER = 'X-Switchboard-Signature';

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

function hmacHex(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}
