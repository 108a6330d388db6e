import { spawn } from 'node:child_process';
import pg from 'pg';

/**
 * PostgreSQL backups are PostgreSQL's own tools: `pg_dump --format=custom` takes a consistent
 * snapshot of a live database, `pg_restore` loads it. The password travels in PGPASSWORD, not
 * on the command line where `ps` would show it.
 */
export class PgToolMissing extends Error {
  constructor(readonly tool: string) {
    super(`${tool} is not on PATH`);
  }
}

export function pgDump(url: string, file: string): Promise<void> {
  return run('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`], url);
}

/** `clean`: drop what exists before loading (restoring over a database that has data). */
export function pgRestore(url: string, file: string, opts: { clean: boolean }): Promise<void> {
  const clean = opts.clean ? ['--clean', '--if-exists'] : [];
  return run('pg_restore', ['--no-owner', '--exit-on-error', ...clean, file], url);
}

/** Conversations in the database at `url`; 0 when it has no switchboard tables yet. */
export async function pgConversationCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query<{ t: string | null }>("select to_regclass('public.conversations') as t");
    if (!exists.rows[0]?.t) return 0;
    const { rows } = await client.query<{ n: string }>('select count(*) as n from conversations');
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

function run(tool: string, args: string[], url: string): Promise<void> {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${parsed.toString()}`], {
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new PgToolMissing(tool) : err));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code}: ${stderr.trim()}`))));
  });
}
