import { channelContract } from './contract.js';
import { emailHarness } from './email.js';

channelContract('email', emailHarness);
