import { discordHarness } from './discord.js';
import { emailHarness } from './email.js';
import { channelLoad } from './load.js';
import { telegramHarness } from './telegram.js';

channelLoad('Telegram', telegramHarness, { customers: 100, perCustomer: 10 });
// Discord's global limit of 50 requests per second bounds its throughput (discord.js keeps to it).
channelLoad('Discord', discordHarness, { customers: 30, perCustomer: 10 });
channelLoad('email', emailHarness, { customers: 10, perCustomer: 3 });
