/** One size of the speed benchmark in a process of its own: `tsx bench/speed-child.ts ENTRIES PER_ENTRY full|lean`. */
import { measure } from './speed.js';

const [entries, perEntry, mode] = process.argv.slice(2);
const full = mode === 'full';
const figures = await measure(Number(entries), Number(perEntry), { noCalibration: full, reload: full });
console.log(JSON.stringify(figures));
