/**
 * A real SMTP server (the `smtp-server` package) on loopback that keeps every message it accepts,
 * parsed with mailparser, so tests can assert on what nodemailer actually put on the wire.
 */
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { eventually } from '../support/eventually.js';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  /** The SMTP user the client authenticated as, if any. */
  user?: string;
}

export interface SmtpReceiver {
  host: string;
  port: number;
  user: string;
  password: string;
  messages: ReceivedMail[];
  /** Resolves once at least `count` messages have been received. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Answers the next DATA command(s) with this SMTP reply instead of accepting, e.g. 451 or 550. */
  failNext(code: number, message: string, times?: number): void;
  stop(): Promise<void>;
}

export async function startSmtpReceiver(opts: { requireAuth?: boolean } = {}): Promise<SmtpReceiver> {
  const user = 'relay';
  const password = 'relay-password';
  const messages: ReceivedMail[] = [];
  const failures: { code: number; message: string }[] = [];
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: !opts.requireAuth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, cb) {
      if (auth.username === user && auth.password === password) cb(null, { user });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const failure = failures.shift();
        if (failure) {
          cb(Object.assign(new Error(failure.message), { responseCode: failure.code }));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
              user: typeof session.user === 'string' ? session.user : undefined,
            });
            for (const wake of [...waiters]) wake();
            cb();
          },
          (err: Error) => cb(err),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    messages,
    waitFor: (count, timeoutMs = 10_000) => eventually(() => messages.length >= count && messages, timeoutMs, `${count} mails`, waiters),
    failNext: (code, message, times = 1) => {
      for (let i = 0; i < times; i++) failures.push({ code, message });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
