import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWebAssets } from '../../src/api/web-assets.js';
import { tempDir } from '../support/app.js';

const ROOT = join(import.meta.dirname, '..', '..');
// Inside the checkout, so the compiled files find node_modules as dist/ does.
const OUT = join(ROOT, 'test', 'artifacts', `build-${process.pid}`);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the production build (scripts/build.mjs)', () => {
  let data: Awaited<ReturnType<typeof tempDir>>;
  let server: ChildProcess | undefined;
  beforeAll(async () => {
    data = await tempDir();
    const build = run('node', ['scripts/build.mjs', OUT]);
    const code = await new Promise((resolve) => build.on('close', resolve));
    expect(code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    server?.kill('SIGTERM');
    await data?.rm();
    rmSync(OUT, { recursive: true, force: true });
  });

  it('emits one JavaScript file per TypeScript file, beside the files read at run time', () => {
    const missing = ['src', 'adapters']
      .flatMap((d) => tsFiles(join(ROOT, d)))
      .map((f) => relative(ROOT, f).replace(/\.ts$/, '.js'))
      .filter((f) => !existsSync(join(OUT, f)));
    expect(missing).toEqual([]);
    for (const f of [
      'src/faq/background/en.txt',
      'drizzle/sqlite/meta/_journal.json',
      'drizzle/pg/meta/_journal.json',
      'web/chat/main.js',
    ]) {
      expect(existsSync(join(OUT, f)), f).toBe(true);
    }
  });

  it('starts from the compiled output and serves the prebuilt pages', async () => {
    server = run('node', [join(OUT, 'src', 'cli.js'), 'start'], { PORT: '0', DATA_DIR: data.path, LOG_LEVEL: 'silent' });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /running at (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server!.on('close', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    const served = await (await fetch(`${url}/chat/main.js`)).text();
    const fromSource = (await loadWebAssets()).find((a) => a.path === '/chat/main.js')!.body;
    expect(served).toBe(fromSource);
    const page = await fetch(`${url}/console`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });
});
