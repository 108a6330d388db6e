import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/app.js';
import { startProcess, type ServiceProcess } from '../support/process.js';
import { streamUpload } from '../support/upload.js';

const MB = 1024 * 1024;

/**
 * The measurement: one unauthenticated 300 MB POST used to take the process to 1 GB.
 * Here four run at once against the service in its own process, streamed (the test holds one
 * 64 KB chunk), and the service's resident memory is sampled throughout.
 */
describe('memory under oversized uploads', () => {
  let service: ServiceProcess;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir();
    service = await startProcess({ DATA_DIR: dir.path });
  }, 90_000);
  afterAll(async () => {
    await service?.stop();
    await dir?.rm();
  });

  it('stays flat (RSS growth < 20 MB) under 4 × 300 MB concurrent uploads, each refused with 413', async () => {
    const session = (await (await fetch(`${service.url}/webchat/sessions`, { method: 'POST' })).json()) as {
      sessionId: string;
      secret: string;
    };
    const messages = `${service.url}/webchat/sessions/${session.sessionId}/messages`;
    const auth = { authorization: `Bearer ${session.secret}` };
    // Warm up the paths the uploads take, so what is measured is the uploads, not first use.
    for (let i = 0; i < 3; i++) {
      await streamUpload(messages, 2 * MB, { headers: auth });
      await streamUpload(`${service.url}/api/agents`, 2 * MB);
    }
    await new Promise((r) => setTimeout(r, 500));
    const before = service.rss();

    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, service.rss())), 10);
    let results;
    try {
      results = await Promise.all([
        streamUpload(messages, 300 * MB, { headers: auth }),
        streamUpload(messages, 300 * MB, { headers: auth, declare: true }),
        streamUpload(`${service.url}/webchat/sessions`, 300 * MB),
        streamUpload(`${service.url}/api/agents`, 300 * MB, { headers: { authorization: 'Bearer sb_unknown' } }),
      ]);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, service.rss());

    // The size is refused before anything else is looked at, an unknown token included.
    expect(results.map((r) => r.status)).toEqual([413, 413, 413, 413]);
    for (const r of results) expect(r.sentWhenAnswered).toBeLessThan(64 * MB);
    const growth = peak - before;
    console.log(`RSS before ${(before / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, growth ${(growth / MB).toFixed(1)} MB`);
    expect(growth).toBeLessThan(20 * MB);
    // Still serving.
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
