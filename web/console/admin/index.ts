import type { ConsolePage } from '../page.js';

/** Every admin section, in navigation order. */
export const adminPages: ConsolePage[] = [];
