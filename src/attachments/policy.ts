/** How many and how large the files of one message may be (ATTACHMENT_MAX_MB, ATTACHMENTS_PER_MESSAGE, ATTACHMENT_DAILY_MB_PER_CUSTOMER). */
export interface AttachmentPolicy {
  maxBytes: number;
  perMessage: number;
  /** What one customer (or one web chat session's uploads) may store in 24 hours. */
  dailyBytes: number;
  /** A file whose download has not finished by then is given up (a stalled platform CDN). */
  downloadTimeoutMs: number;
}

export const DAY_MS = 86_400_000;

export const DEFAULT_ATTACHMENT_POLICY: AttachmentPolicy = {
  maxBytes: 25 * 1024 * 1024,
  perMessage: 10,
  dailyBytes: 100 * 1024 * 1024,
  downloadTimeoutMs: 120_000,
};
