/**
 * A private, real Dovecot IMAP server on 127.0.0.1 for tests: temp config, passwd-file user, maildir
 * under a temp folder, plaintext auth, no SSL. Needs Debian's `dovecot-imapd` (`.ci/run` installs it).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, readFile, rm, chmod, chown } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';

const run = promisify(execFile);

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Appends a raw RFC 822 message to a mailbox (INBOX by default) over IMAP; returns its UID. */
  append(raw: string | Buffer, opts?: { mailbox?: string; flags?: string[]; arrived?: Date }): Promise<number>;
  /** UIDs and flags of every message in the mailbox, read over IMAP. */
  listMessages(mailbox?: string): Promise<{ uid: number; flags: string[] }[]>;
  /** Removes \Seen from a message, as a person marking it unread in a mail client does. */
  markUnseen(uid: number, mailbox?: string): Promise<void>;
  /**
   * Drops every client connection of the user. `hard` SIGKILLs the imap processes, so the client sees
   * the socket close without a BYE, as after a network failure; otherwise `doveadm kick` (BYE first).
   */
  kick(opts?: { hard?: boolean }): Promise<void>;
  /** Creates a fresh mailbox (a unique name unless given), so each test can start from an empty one. */
  createMailbox(name?: string): Promise<string>;
  /** Deletes and recreates a mailbox, which gives it a new UIDVALIDITY. Dovecot cannot do this to INBOX. */
  recreateMailbox(mailbox: string): Promise<void>;
  stop(): Promise<void>;
}

/** `idle: false` leaves IDLE out of the advertised capabilities, as on servers without it. */
export async function startDovecot(opts: { idle?: boolean } = {}): Promise<DovecotServer> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-dovecot-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const user = 'support';
  const password = 'support-password';
  // Dovecot refuses UID 0 for mail processes, so under root (CI) the mailbox belongs to `nobody`.
  const me = userInfo();
  const mailUid = me.uid === 0 ? 65534 : me.uid;
  const mailGid = me.uid === 0 ? 65534 : me.gid;
  const mailDir = join(dir, 'mail');
  await mkdir(mailDir);
  if (me.uid === 0) await chown(mailDir, mailUid, mailGid);
  await mkdir(join(dir, 'run'));
  await mkdir(join(dir, 'state'));
  await writeFile(join(dir, 'passwd'), `${user}:{PLAIN}${password}:${mailUid}:${mailGid}::${join(mailDir, user)}\n`);
  const conf = join(dir, 'dovecot.conf');
  const runAs = me.uid === 0 ? undefined : { user: me.username, group: (await run('id', ['-gn'])).stdout.trim() };
  await writeFile(conf, config(dir, port, runAs, opts.idle ?? true));

  const master = spawn('dovecot', ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  master.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => master.once('exit', () => resolve()));
  try {
    await waitUntilLoginWorks(port, user, password, master, () => stderr, dir);
  } catch (err) {
    master.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  const connect = async () => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user, pass: password },
      logger: false,
      disableAutoIdle: true,
    });
    await client.connect();
    return client;
  };
  const withClient = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const client = await connect();
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };
  let mailboxes = 0;
  const imapPids = async (): Promise<number[]> => {
    const { stdout } = await run('doveadm', ['-c', conf, 'who', '-1', user]);
    return [...stdout.matchAll(/\bimap\s+(\d+)/g)].map((m) => Number(m[1]));
  };

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    append: (raw, opts = {}) =>
      withClient(async (c) => {
        const res = await c.append(opts.mailbox ?? 'INBOX', raw, opts.flags ?? [], opts.arrived);
        if (!res || res.uid === undefined) throw new Error('APPEND returned no UID');
        return res.uid;
      }),
    listMessages: (mailbox = 'INBOX') =>
      withClient(async (c) => {
        const box = await c.mailboxOpen(mailbox, { readOnly: true });
        if (box.exists === 0) return [];
        const msgs = await c.fetchAll('1:*', { uid: true, flags: true });
        // \Recent belongs to this session, not to the message.
        return msgs.map((m) => ({ uid: m.uid, flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent') }));
      }),
    markUnseen: (uid, mailbox = 'INBOX') =>
      withClient(async (c) => {
        await c.mailboxOpen(mailbox);
        await c.messageFlagsRemove(String(uid), ['\\Seen'], { uid: true });
      }),
    kick: async ({ hard = false } = {}) => {
      if (!hard) {
        // doveadm exits non-zero when nobody was connected; that is not a failure here.
        await run('doveadm', ['-c', conf, 'kick', user]).catch((err: { stdout?: string }) => {
          if (!err.stdout?.includes('no users kicked')) throw err;
        });
        return;
      }
      for (const pid of await imapPids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    createMailbox: (name) =>
      withClient(async (c) => {
        const path = name ?? `test-${++mailboxes}`;
        await c.mailboxCreate(path);
        return path;
      }),
    recreateMailbox: (mailbox) =>
      withClient(async (c) => {
        await c.mailboxDelete(mailbox);
        await c.mailboxCreate(mailbox);
      }),
    stop: async () => {
      if (master.exitCode === null) {
        master.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function config(dir: string, port: number, runAs: { user: string; group: string } | undefined, idle: boolean): string {
  const users = runAs
    ? `default_login_user = ${runAs.user}\ndefault_internal_user = ${runAs.user}\ndefault_internal_group = ${runAs.group}\n`
    : '';
  const capability = idle ? '' : 'imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS NAMESPACE CHILDREN\n';
  return `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = switchboard-test-${port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
log_path = ${dir}/dovecot.log
mail_location = maildir:~/Maildir
${users}${capability}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
  # No brute-force penalty: tests log in with a wrong password on purpose, and later logins must not wait.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntilLoginWorks(
  port: number,
  user: string,
  pass: string,
  master: ChildProcess,
  stderr: () => string,
  dir: string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (master.exitCode !== null) break;
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass }, logger: false, disableAutoIdle: true });
    try {
      await client.connect();
      await client.logout();
      return;
    } catch (err) {
      lastError = err;
      client.close();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const log = await readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => '');
  throw new Error(`Dovecot did not start on port ${port}: ${String(lastError)}\n${stderr()}\n${log}`);
}
