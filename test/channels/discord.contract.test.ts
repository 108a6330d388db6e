import { botPlatformContract } from './bot-platform.js';
import { channelContract } from './contract.js';
import { discordHarness } from './discord.js';

channelContract('Discord', discordHarness);
// Longer than discord.js waits out a 429 inside one send, so the outbox does the retry.
botPlatformContract('Discord', discordHarness, { rateLimitSeconds: 3, refusedError: /Cannot send messages to this user/ });
