import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
/** What adapters may import from src/: ports and types, shared generic helpers, the logger. */
const ADAPTER_MAY_IMPORT = ['src/domain/', 'src/kit/', 'src/log.js'];
const SDKS = ['grammy', 'discord.js', '@discordjs/', 'imapflow', 'nodemailer', 'mailparser', 'smtp-server'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('dependency direction (DESIGN.md § Layout)', () => {
  it('nothing in src/ imports a channel SDK', () => {
    const offenders = files(join(root, 'src')).flatMap((f) =>
      imports(f)
        .filter((i) => SDKS.some((s) => i === s || i.startsWith(s)))
        .map((i) => `${relative(root, f)} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no adapter imports another adapter, and adapters reach into src/ only for the domain, the kit and the logger type', () => {
    const offenders: string[] = [];
    for (const channel of readdirSync(join(root, 'adapters'))) {
      for (const f of files(join(root, 'adapters', channel))) {
        for (const i of imports(f)) {
          if (!i.startsWith('.')) continue;
          const target = relative(root, join(f, '..', i));
          const otherAdapter = target.startsWith('adapters/') && !target.startsWith(`adapters/${channel}/`);
          const srcOutsideDomain = target.startsWith('src/') && !ADAPTER_MAY_IMPORT.some((allowed) => target.startsWith(allowed));
          if (otherAdapter || srcOutsideDomain) offenders.push(`${relative(root, f)} → ${i}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the kit, which adapters import, reaches only into the domain and the logger', () => {
    const offenders = files(join(root, 'src', 'kit')).flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('.'))
        .map((i) => relative(root, join(f, '..', i)))
        .filter((target) => !ADAPTER_MAY_IMPORT.some((allowed) => target.startsWith(allowed)))
        .map((target) => `${relative(root, f)} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('each browser page in web/ imports only its own modules, nothing from src/, adapters/ or another page', () => {
    const offenders = files(join(root, 'web')).flatMap((f) => {
      const page = relative(join(root, 'web'), f).split(/[\\/]/)[0]!;
      return imports(f)
        .filter((i) => !i.startsWith('.') || !relative(join(root, 'web', page), join(f, '..', i)).match(/^[^.]/))
        .map((i) => `${relative(root, f)} → ${i}`);
    });
    expect(offenders).toEqual([]);
  });

  it('the store imports nothing of src/ but the domain; its dialect folders stay apart (pg/ takes only the query tables of sqlite/)', () => {
    const offenders = files(join(root, 'src', 'store')).flatMap((f) => {
      const from = relative(root, f);
      return imports(f)
        .filter((i) => i.startsWith('.'))
        .map((i) => relative(root, join(f, '..', i)))
        .filter(
          (t) =>
            (!t.startsWith('src/store/') && !t.startsWith('src/domain/')) ||
            (from.startsWith('src/store/sqlite/') && t.startsWith('src/store/pg/')) ||
            (from.startsWith('src/store/pg/') && t.startsWith('src/store/sqlite/') && t !== 'src/store/sqlite/schema.js'),
        )
        .map((t) => `${from} → ${t}`);
    });
    expect(offenders).toEqual([]);
  });

  it('the rest of the code reaches the store through its ports, the Store, leadership, liveness, the web chat store, the event hub, the rate limiter and backup only', () => {
    const entries = [
      'src/store/ports.js',
      'src/store/store.js',
      'src/store/leadership.js',
      'src/store/liveness.js',
      'src/store/webchat-store.js',
      'src/store/event-hub.js',
      'src/store/backup.js',
      'src/store/rate-limiter.js',
    ];
    const offenders = ['src', 'adapters']
      .flatMap((d) => files(join(root, d)))
      .filter((f) => !relative(root, f).startsWith('src/store/'))
      .flatMap((f) =>
        imports(f)
          .filter((i) => i.startsWith('.'))
          .map((i) => relative(root, join(f, '..', i)))
          .filter((t) => t.startsWith('src/store/') && !entries.includes(t))
          .map((t) => `${relative(root, f)} → ${t}`),
      );
    expect(offenders).toEqual([]);
  });
});

describe('layering inside src/ (issue 9)', () => {
  /** Every relative import of a src/ file, as "file → target folder/file" pairs relative to src/. */
  function srcEdges(): { from: string; to: string; spec: string }[] {
    const srcRoot = join(root, 'src');
    return files(srcRoot).flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('.'))
        .map((i) => ({ from: relative(srcRoot, f), to: relative(srcRoot, join(f, '..', i)), spec: i })),
    );
  }
  const layerOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : path);
  const offending = (ok: (from: string, to: string) => boolean, only: string) =>
    srcEdges()
      .filter((e) => layerOf(e.from) === only && !ok(layerOf(e.from), layerOf(e.to)))
      .map((e) => `src/${e.from} → ${e.spec}`);

  it('domain imports nothing from src/ outside the domain', () => {
    expect(offending((_, to) => to === 'domain', 'domain')).toEqual([]);
  });

  it('store imports the domain only (and the logger type, as adapters may)', () => {
    expect(offending((_, to) => ['store', 'domain', 'log.js'].includes(to), 'store')).toEqual([]);
  });

  it('the lifecycle writer imports the domain and the store only', () => {
    expect(offending((_, to) => ['lifecycle', 'domain', 'store'].includes(to), 'lifecycle')).toEqual([]);
  });

  it('api may import queue, never the reverse; pipeline, queue, outbox and lifecycle never import api', () => {
    const upward = srcEdges()
      .filter((e) => ['queue', 'pipeline', 'outbox', 'lifecycle', 'store', 'domain'].includes(layerOf(e.from)) && layerOf(e.to) === 'api')
      .map((e) => `src/${e.from} → ${e.spec}`);
    expect(upward).toEqual([]);
  });
});
