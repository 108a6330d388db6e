import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const LIFECYCLE = /\b(status|assigneeId|lastAssigneeId|waitingSince|resolvedAt|csat|slaStartedAt|firstRespondedAt)\b/;
/** A patch outside the writer must be an object literal (so it can be read here) naming no lifecycle field. */
const forbiddenPatch = (args: string) => !/^\s*[\w.]+,\s*\{[^{}]*\}\s*$/.test(args) || LIFECYCLE.test(args);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The argument text of every call to `callee(` in `src`, found by matching parentheses. */
function callArgs(src: string, callee: string): string[] {
  const out: string[] = [];
  for (let at = src.indexOf(callee); at >= 0; at = src.indexOf(callee, at + 1)) {
    let depth = 0;
    const start = at + callee.length;
    for (let i = start - 1; i < src.length; i++) {
      if (src[i] === '(') depth++;
      else if (src[i] === ')' && --depth === 0) {
        out.push(src.slice(start, i));
        break;
      }
    }
  }
  return out;
}

/** src/lifecycle/apply.ts promises it is the only writer of the lifecycle; this keeps the promise checked. */
describe('one lifecycle writer', () => {
  const sources = files(join(root, 'src'))
    .filter((f) => !relative(root, f).startsWith('src/lifecycle/'))
    .map((f) => ({ path: relative(root, f), text: readFileSync(f, 'utf8') }));

  it('no code outside src/lifecycle/ writes status, assignee or lifecycle timestamps to a conversation', () => {
    const offenders = sources.flatMap(({ path, text }) => [
      ...callArgs(text, 'conversations.update(')
        .filter(forbiddenPatch)
        .map((a) => `${path}: conversations.update(${a})`),
      ...callArgs(text, 'conversations.insert(').map((a) => `${path}: conversations.insert(${a})`),
    ]);
    expect(offenders).toEqual([]);
  });

  it('no code outside src/lifecycle/ appends a status event', () => {
    const offenders = sources.flatMap(({ path, text }) =>
      callArgs(text, 'events.append(')
        .filter((a) => /type:\s*'status'|^[^,]+,\s*'status'/.test(a))
        .map((a) => `${path}: events.append(${a})`),
    );
    expect(offenders).toEqual([]);
  });

  it('the store writes conversations only through the generic patch the writer hands it', () => {
    const offenders = sources.flatMap(({ path, text }) =>
      [...text.matchAll(/update\(conversations\)\s*\.set\((?!patch\))/g)].map((m) => `${path}: ${m[0]}`),
    );
    expect(offenders).toEqual([]);
  });

  it('finds the writes it forbids (the check itself works)', () => {
    const planted = `await r.conversations.update(c.id, { lastMessageAt: now });\nawait r.conversations.update(id, {\n  status: 'queued', updatedAt: fn(now) });\nawait r.conversations.update(c.id, patch);`;
    expect(callArgs(planted, 'conversations.update(').filter(forbiddenPatch)).toEqual([
      `id, {\n  status: 'queued', updatedAt: fn(now) }`,
      'c.id, patch',
    ]);
  });
});
