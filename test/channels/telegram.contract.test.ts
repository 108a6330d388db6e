import { botPlatformContract } from './bot-platform.js';
import { channelContract } from './contract.js';
import { telegramHarness } from './telegram.js';

channelContract('Telegram', telegramHarness);
botPlatformContract('Telegram', telegramHarness, { rateLimitSeconds: 1, refusedError: /bot was blocked by the user/ });
