import { describe, expect, it } from 'vitest';
import { discordConfigFromEnv } from '../../adapters/discord/config.js';
import { ValidationError } from '../../src/domain/errors.js';

const token = `MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfAkE1.${'t'.repeat(38)}`;

describe('discordConfigFromEnv', () => {
  it('reads the token, and the REST and gateway overrides without trailing slashes', () => {
    expect(discordConfigFromEnv({ DISCORD_BOT_TOKEN: token })).toEqual({ token });
    expect(
      discordConfigFromEnv({
        DISCORD_BOT_TOKEN: token,
        DISCORD_API_URL: 'http://127.0.0.1:9000/api/',
        DISCORD_GATEWAY_URL: 'ws://127.0.0.1:9001/gateway/',
        DISCORD_EXTRA: '',
      }),
    ).toEqual({
      token,
      apiUrl: 'http://127.0.0.1:9000/api',
      gatewayUrl: 'ws://127.0.0.1:9001/gateway',
    });
  });

  it('reads file limits in MB, the CDN override and the support channels', () => {
    expect(
      discordConfigFromEnv({
        DISCORD_BOT_TOKEN: token,
        DISCORD_CDN_URL: 'http://127.0.0.1:9000/',
        DISCORD_MAX_DOWNLOAD_MB: '8',
        DISCORD_MAX_UPLOAD_MB: '50',
        DISCORD_SUPPORT_CHANNELS: ' 1200000000000000001, 1200000000000000002 ,',
      }),
    ).toEqual({
      token,
      cdnUrl: 'http://127.0.0.1:9000',
      maxDownloadBytes: 8 * 1024 * 1024,
      maxUploadBytes: 50 * 1024 * 1024,
      supportChannels: ['1200000000000000001', '1200000000000000002'],
    });
    expect(() => discordConfigFromEnv({ DISCORD_BOT_TOKEN: token, DISCORD_SUPPORT_CHANNELS: 'help,general' })).toThrow(
      /DISCORD_SUPPORT_CHANNELS/,
    );
    expect(() => discordConfigFromEnv({ DISCORD_BOT_TOKEN: token, DISCORD_MAX_UPLOAD_MB: '1.5' })).toThrow(/DISCORD_MAX_UPLOAD_MB/);
  });

  it('names the variable that is wrong, without repeating the token', () => {
    const bad = (env: Record<string, string>) => () => discordConfigFromEnv({ DISCORD_BOT_TOKEN: token, ...env });
    expect(bad({ DISCORD_BOT_TOKEN: 'not a token' })).toThrow(/DISCORD_BOT_TOKEN must look like/);
    expect(bad({ DISCORD_BOT_TOKEN: `Bot ${token}` })).toThrow(/without the "Bot " prefix/);
    expect(bad({ DISCORD_API_URL: 'discord.com/api' })).toThrow(/DISCORD_API_URL/);
    expect(bad({ DISCORD_GATEWAY_URL: 'https://gateway.discord.gg' })).toThrow(/DISCORD_GATEWAY_URL/);
    expect(bad({ DISCORD_API_URL: 'ftp://x' })).toThrow(ValidationError);
    const thrown = (() => {
      try {
        bad({ DISCORD_BOT_TOKEN: `Bot ${token}` })();
      } catch (err) {
        return err as Error;
      }
    })();
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(thrown!.message).not.toContain(token);
  });
});
