#!/usr/bin/env node
/* global URL */
// Runs the compiled CLI in dist/. In a checkout (scripts/build.mjs present) it first rebuilds when
// any source is newer than the build, so `npm install && npm start` works on a fresh clone and
// after a pull; in an image that ships only dist/ it runs what is there.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../scripts/build.mjs', import.meta.url))) {
  const { ensureBuilt } = await import('../scripts/build.mjs');
  await ensureBuilt();
}
await import('../dist/src/cli.js');
