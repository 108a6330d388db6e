import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { SAMPLE_FAQ } from '../support/app.js';

/** A temporary copy of the sample FAQ's English entries: a real-sized, single-locale knowledge base the tests may write to. */
export function englishFaqCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faq-learn-'));
  cpSync(join(SAMPLE_FAQ, 'en'), join(dir, 'en'), { recursive: true });
  return dir;
}

/** A temporary copy of the whole sample FAQ (English and Chinese) the tests may write to. */
export function sampleFaqCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faq-learn-'));
  cpSync(SAMPLE_FAQ, dir, { recursive: true });
  return dir;
}

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

/**
 * `switchboard faq check` on a directory, run as the command it is: its exit code and output.
 * (A child process also keeps the index build off this process's event loop, where the app under test runs.)
 */
export function faqCheck(dir: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, 'faq', 'check', '--faq-dir', dir],
      { env: { ...process.env, FAQ_MIN_CONFIDENCE: '' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}
