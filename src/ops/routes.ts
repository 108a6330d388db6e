import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { UnauthorizedError } from '../domain/errors.js';
import { errorBody } from '../kit/http-errors.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface OpsDeps {
  metrics: Metrics;
  readiness: Readiness;
  /** Bearer token `/metrics` requires on the main port; unset: not served there (see METRICS_PORT). */
  metricsToken?: string;
}

/** `/readyz` and `/metrics` on the main app. */
export function opsRoutes(d: OpsDeps): Hono {
  const app = new Hono();
  app.get('/readyz', async (c) => {
    const report = await d.readiness.check();
    return c.json(report, report.ready ? 200 : 503, { 'cache-control': 'no-store' });
  });
  app.get('/metrics', async (c) => {
    if (!d.metricsToken) {
      return c.json(errorBody('not_found', 'metrics are served when METRICS_TOKEN or METRICS_PORT is set'), 404);
    }
    const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!presented || !sameSecret(presented, d.metricsToken))
      throw new UnauthorizedError('metrics need Authorization: Bearer <METRICS_TOKEN>');
    return metricsResponse(d.metrics);
  });
  return app;
}

/** The app METRICS_PORT serves: `/metrics` only, without a token (the port is the protection). */
export function metricsOnlyApp(metrics: Metrics): Hono {
  const app = new Hono();
  app.get('/metrics', () => metricsResponse(metrics));
  return app;
}

async function metricsResponse(metrics: Metrics): Promise<Response> {
  const { contentType, body } = await metrics.scrape();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}

/** Compared as digests, so neither the length nor the content leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
