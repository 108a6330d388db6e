import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { DiskBackend } from './disk-backend.js';
import { FileStore } from './file-store.js';
import { DEFAULT_ATTACHMENT_POLICY, type AttachmentPolicy } from './policy.js';
import { S3Backend } from './s3-backend.js';

const MB = 1024 * 1024;

/** The file store the settings ask for: DATA_DIR/attachments, or the S3 bucket when ATTACHMENT_S3_BUCKET is set. */
export function createFileStore(
  c: Pick<
    Config,
    | 'DATA_DIR'
    | 'ATTACHMENT_S3_BUCKET'
    | 'ATTACHMENT_S3_ENDPOINT'
    | 'ATTACHMENT_S3_REGION'
    | 'ATTACHMENT_S3_ACCESS_KEY_ID'
    | 'ATTACHMENT_S3_SECRET_ACCESS_KEY'
    | 'ATTACHMENT_S3_PREFIX'
  >,
): FileStore {
  const root = join(resolve(c.DATA_DIR), 'attachments');
  const backend = c.ATTACHMENT_S3_BUCKET
    ? new S3Backend({
        bucket: c.ATTACHMENT_S3_BUCKET,
        endpoint: c.ATTACHMENT_S3_ENDPOINT,
        region: c.ATTACHMENT_S3_REGION,
        accessKeyId: c.ATTACHMENT_S3_ACCESS_KEY_ID,
        secretAccessKey: c.ATTACHMENT_S3_SECRET_ACCESS_KEY,
        prefix: c.ATTACHMENT_S3_PREFIX,
      })
    : new DiskBackend(root);
  return new FileStore(backend, join(root, 'tmp'));
}

export function attachmentPolicyOf(
  c: Pick<Config, 'ATTACHMENT_MAX_MB' | 'ATTACHMENTS_PER_MESSAGE' | 'ATTACHMENT_DAILY_MB_PER_CUSTOMER'>,
): AttachmentPolicy {
  return {
    ...DEFAULT_ATTACHMENT_POLICY,
    maxBytes: Math.round(c.ATTACHMENT_MAX_MB * MB),
    perMessage: c.ATTACHMENTS_PER_MESSAGE,
    dailyBytes: Math.round(c.ATTACHMENT_DAILY_MB_PER_CUSTOMER * MB),
  };
}
