// The production build: every TypeScript file under src/ and adapters/ transpiled one to one into
// dist/ (same tree, so a module may resolve a sibling such as a worker file next to itself), the
// files the code reads at run time beside them (FAQ background text, migrations), and the web
// pages prebuilt into dist/web so the compiled service never loads esbuild. Type checking is
// `npm run typecheck`'s job; this only emits.
//
//   node scripts/build.mjs [OUTDIR]      (default dist/)
/* global process, performance */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT = join(ROOT, 'dist');
/** What the output is made from: when any of it is newer than the stamp, the build is stale. */
const INPUTS = ['src', 'adapters', 'web', 'drizzle', 'package.json', 'scripts/build.mjs'];
const STAMP = '.built';

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

function newestInput() {
  let newest = 0;
  for (const input of INPUTS) {
    const path = join(ROOT, input);
    if (!existsSync(path)) continue;
    const list = statSync(path).isDirectory() ? files(path) : [path];
    for (const f of list) newest = Math.max(newest, statSync(f).mtimeMs);
  }
  return newest;
}

/** True when OUTDIR holds a complete build at least as new as every source file. */
export function isCurrent(outDir = DEFAULT_OUT) {
  const stamp = join(outDir, STAMP);
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newestInput();
}

export async function build(outDir = DEFAULT_OUT) {
  const started = performance.now();
  rmSync(outDir, { recursive: true, force: true });
  const sources = ['src', 'adapters'].flatMap((d) => [...files(join(ROOT, d))]);
  await esbuild({
    entryPoints: sources.filter((f) => f.endsWith('.ts')),
    outbase: ROOT,
    outdir: outDir,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  for (const f of sources.filter((f) => !f.endsWith('.ts') && !f.endsWith('.md'))) {
    const to = join(outDir, relative(ROOT, f));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(f, to);
  }
  cpSync(join(ROOT, 'drizzle'), join(outDir, 'drizzle'), { recursive: true });
  const { prebuildPages } = await import(pathToFileURL(join(outDir, 'src', 'api', 'web-assets.js')).href);
  await prebuildPages(join(ROOT, 'web'), join(outDir, 'web'));
  writeFileSync(join(outDir, STAMP), `${new Date().toISOString()}\n`);
  return { ms: Math.round(performance.now() - started), files: sources.length };
}

/** Builds unless the output is current; used by bin/switchboard.mjs so `npm start` works on a fresh clone. */
export async function ensureBuilt(outDir = DEFAULT_OUT) {
  if (isCurrent(outDir)) return;
  process.stderr.write(`building ${relative(process.cwd(), outDir) || outDir} …\n`);
  await build(outDir);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? DEFAULT_OUT);
  const { ms, files: n } = await build(outDir);
  process.stdout.write(`built ${n} files into ${relative(process.cwd(), outDir) || outDir} in ${ms} ms\n`);
}
