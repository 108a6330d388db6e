import { describe, expect, it } from 'vitest';
import { telegramConfigFromEnv } from '../../adapters/telegram/config.js';
import { ValidationError } from '../../src/domain/errors.js';

const secret = () => 'generated-secret';

describe('telegramConfigFromEnv', () => {
  it('reads token and API root; polling when no webhook URL is set', () => {
    expect(telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: '123:abc-DEF_9', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' }, secret)).toEqual({
      token: '123:abc-DEF_9',
      apiRoot: 'http://127.0.0.1:8081',
    });
  });

  it('uses the configured webhook secret, or makes one', () => {
    const url = 'https://support.example.com/telegram/webhook';
    expect(
      telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: 's3cret' }, secret).webhook,
    ).toEqual({ url, secret: 's3cret' });
    expect(telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_URL: url }, secret).webhook).toEqual({
      url,
      secret: 'generated-secret',
    });
  });

  it('reads the file limits in MB', () => {
    expect(
      telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_MAX_DOWNLOAD_MB: '100', TELEGRAM_MAX_UPLOAD_MB: '20' }, secret),
    ).toEqual({
      token: '1:a',
      maxDownloadBytes: 100 * 1024 * 1024,
      maxUploadBytes: 20 * 1024 * 1024,
    });
    expect(() => telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_MAX_UPLOAD_MB: 'lots' }, secret)).toThrow(
      /TELEGRAM_MAX_UPLOAD_MB/,
    );
  });

  it('names the variable that is wrong', () => {
    const bad = (env: Record<string, string>) => () => telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: '1:a', ...env }, secret);
    expect(() => telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: 'not a token' }, secret)).toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(bad({ TELEGRAM_API_ROOT: 'ftp://x' })).toThrow(/TELEGRAM_API_ROOT/);
    expect(bad({ TELEGRAM_WEBHOOK_URL: 'https://x/hook', TELEGRAM_WEBHOOK_SECRET: 'has spaces' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(bad({ TELEGRAM_WEBHOOK_SECRET: 'alone' })).toThrow(ValidationError);
  });
});
