import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, shutdownGraceMs } from '../../src/config.js';

/**
 * The deployment recipe (compose.yaml, Dockerfile, deploy/Caddyfile) read as data: no Docker is
 * needed, but a renamed setting, a wrong health path or a missing file fails here.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

interface Service {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
}
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const instances = Object.entries(compose.services).filter(([, s]) => s.build === '.');

/** Every variable the README's settings tables name. */
const documented = new Set(
  [...read('README.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)`(?:, `([A-Z][A-Z0-9_]+)`)? \|/gm)].flatMap((m) => m.slice(1).filter(Boolean)),
);

/** Whether the code reads `name` anywhere (the schemas in src/ and adapters/). */
function readByCode(name: string): boolean {
  try {
    execFileSync('grep', ['-rqw', name, 'src', 'adapters'], { cwd: ROOT });
    return true;
  } catch {
    return false;
  }
}

describe('compose.yaml', () => {
  it('runs three instances of the image built here, PostgreSQL and a proxy', () => {
    expect(instances.map(([name]) => name)).toHaveLength(3);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'proxy']));
  });

  it('gives each instance settings the service knows, pointing at the compose PostgreSQL', () => {
    const pg = compose.services.postgres!.environment!;
    for (const [name, s] of instances) {
      const env = s.environment!;
      for (const key of Object.keys(env)) {
        expect(documented.has(key), `${name}: ${key} is not in the README's settings`).toBe(true);
        expect(readByCode(key), `${name}: ${key} is read nowhere in src/ or adapters/`).toBe(true);
      }
      expect(env.HOST).toBe('0.0.0.0');
      const url = new URL(env.DATABASE_URL!.replace(/\$\{[^}]+\}/, 'secret'));
      expect(url.hostname).toBe('postgres');
      expect(url.username).toBe(pg.POSTGRES_USER);
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(s.depends_on?.postgres?.condition).toBe('service_healthy');
    }
  });

  it('lets each instance finish its own shutdown before Docker kills it', () => {
    for (const [name, s] of instances) {
      // As compose expands them: `${X:-default}` is its default here, a required `${X:?…}` any value.
      const env = Object.fromEntries(
        Object.entries(s.environment!).map(([k, v]) => [k, v.replace(/\$\{\w+:-([^}]*)\}/g, '$1').replace(/\$\{\w+:\?[^}]*\}/g, 'x')]),
      );
      const grace = shutdownGraceMs(loadConfig({ DATA_DIR: '/tmp', ...env }));
      const seconds = Number(/^(\d+)s$/.exec(s.stop_grace_period ?? '')?.[1] ?? 10);
      expect(seconds * 1000, `${name}: stop_grace_period`).toBeGreaterThan(grace);
    }
  });

  it('health-checks each instance on /readyz at its PORT, and the proxy waits for them', () => {
    for (const [name, s] of instances) {
      const probe = s.healthcheck!.test.join(' ');
      expect(probe, name).toContain(`http://127.0.0.1:${s.environment!.PORT}/readyz`);
    }
    const proxy = compose.services.proxy!;
    for (const [name] of instances) expect(proxy.depends_on?.[name]?.condition).toBe('service_healthy');
  });

  it('mounts files that exist, and the proxy config balances every instance on /readyz', () => {
    for (const s of Object.values(compose.services)) {
      for (const v of s.volumes ?? []) {
        const host = v.split(':')[0]!;
        if (host.startsWith('.')) expect(existsSync(join(ROOT, host)), v).toBe(true);
      }
    }
    const mount = compose.services.proxy!.volumes!.find((v) => v.includes('/etc/caddy/Caddyfile'))!;
    const caddy = read(mount.split(':')[0]!);
    for (const [name, s] of instances) expect(caddy).toContain(`${name}:${s.environment!.PORT}`);
    expect(caddy).toMatch(/health_uri \/readyz/);
  });
});

describe('Dockerfile', () => {
  const docker = read('Dockerfile');
  const stages = docker.split(/^FROM /m).slice(1);

  it('builds in one stage and runs the compiled output as a non-root user in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = stages.at(-1)!;
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('COPY --from=builder /app/dist ./dist');
    expect(stages[0]).toMatch(/npm ci/);
    expect(stages[0]).toMatch(/npm run build/);
    expect(runtime).toMatch(/\/readyz/);
    expect(runtime).toMatch(/CMD \["node", "bin\/switchboard.mjs", "start"\]/);
  });

  it('copies only paths that exist in the repository', () => {
    for (const m of docker.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)) {
      for (const path of m[1]!.split(' ')) expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
  });
});
