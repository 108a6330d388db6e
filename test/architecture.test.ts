import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
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
      imports(f).filter((i) => SDKS.some((s) => i === s || i.startsWith(s))).map((i) => `${relative(root, f)} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no adapter imports another adapter, and adapters reach into src/ only for the domain, the channel kit and the logger type', () => {
    const offenders: string[] = [];
    for (const channel of readdirSync(join(root, 'adapters'))) {
      for (const f of files(join(root, 'adapters', channel))) {
        for (const i of imports(f)) {
          if (!i.startsWith('.')) continue;
          const target = relative(root, join(f, '..', i));
          const otherAdapter = target.startsWith('adapters/') && !target.startsWith(`adapters/${channel}/`);
          const allowedInSrc = target.startsWith('src/domain/') || target.startsWith('src/kit/') || target === 'src/log.js';
          if (otherAdapter || (target.startsWith('src/') && !allowedInSrc)) offenders.push(`${relative(root, f)} → ${i}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the channel kit imports nothing of the project but the domain, and no adapter', () => {
    const offenders = files(join(root, 'src', 'kit')).flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('.'))
        .map((i) => relative(root, join(f, '..', i)))
        .filter((target) => !target.startsWith('src/kit/') && !target.startsWith('src/domain/'))
        .map((target) => `${relative(root, f)} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });
});
