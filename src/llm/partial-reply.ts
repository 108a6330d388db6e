/**
 * The text of one string field of a JSON object that is still streaming in, as far as it has
 * arrived. The SDK's partial parser leaves a string out until it is closed, which would hold the
 * whole reply back until its last character; this decodes the open string as it grows. An escape
 * cut off at the end waits for the next piece.
 */
export function partialStringField(json: string, key: string): string | undefined {
  const m = new RegExp(`[{,]\\s*"${key}"\\s*:\\s*"`).exec(json);
  if (!m) return undefined;
  let out = '';
  for (let i = m.index + m[0].length; i < json.length; i++) {
    const ch = json[i]!;
    if (ch === '"') return out;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = json[i + 1];
    if (next === undefined) return out;
    if (next === 'u') {
      const hex = json.slice(i + 2, i + 6);
      if (hex.length < 4) return out;
      const code = parseInt(hex, 16);
      // A high surrogate waits for its pair, so no half character is relayed.
      if (code >= 0xd800 && code <= 0xdbff) {
        if (json.length < i + 12) return out;
        out += String.fromCharCode(code, parseInt(json.slice(i + 8, i + 12), 16));
        i += 11;
        continue;
      }
      out += String.fromCharCode(code);
      i += 5;
      continue;
    }
    out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[next] ?? next;
    i++;
  }
  return out;
}
