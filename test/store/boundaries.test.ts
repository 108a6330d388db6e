import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file, as paths from the repository root. */
function localImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map((m) => relative(root, join(file, '..', m[1]!)));
}

const store = join(root, 'src', 'store');

describe('store boundaries', () => {
  it('the store imports nothing of src/ but the domain', () => {
    const offenders = files(store).flatMap((f) => localImports(f).filter((i) => !i.startsWith('src/store/') && !i.startsWith('src/domain/')).map((i) => `${relative(root, f)} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('the dialect folders stay apart: sqlite/ never imports pg/, pg/ takes from sqlite/ only the query tables', () => {
    const offenders = files(store).flatMap((f) => {
      const from = relative(root, f);
      return localImports(f)
        .filter((i) => (from.startsWith('src/store/sqlite/') && i.startsWith('src/store/pg/')) || (from.startsWith('src/store/pg/') && i.startsWith('src/store/sqlite/') && i !== 'src/store/sqlite/schema.js'))
        .map((i) => `${from} → ${i}`);
    });
    expect(offenders).toEqual([]);
  });

  it('the rest of the code reaches the store through its ports, the Store, leadership and the web chat store', () => {
    const allowed = ['src/store/ports.js', 'src/store/store.js', 'src/store/leadership.js', 'src/store/webchat-store.js'];
    const offenders = ['src', 'adapters']
      .flatMap((d) => files(join(root, d)))
      .filter((f) => !f.startsWith(store))
      .flatMap((f) => localImports(f).filter((i) => i.startsWith('src/store/') && !allowed.includes(i)).map((i) => `${relative(root, f)} → ${i}`));
    expect(offenders).toEqual([]);
  });
});
