/**
 * Rewrites the SQLite core's `?` placeholders as PostgreSQL's `$1, $2, …`. Only `?` outside
 * quoted strings and identifiers is a placeholder; drizzle passes every value as a parameter.
 * (So repository SQL cannot use PostgreSQL's jsonb `?` operators; it has no need to.)
 */
export function numberedParams(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}
