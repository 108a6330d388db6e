/**
 * At most one go per key per `everyMs` (a typing indicator per chat): `take` says whether this one
 * may go. Bounded: past `maxKeys` the oldest keys are forgotten, which at worst lets one more through.
 */
export class PerKeyThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly everyMs: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): boolean {
    const at = this.now();
    const before = this.last.get(key);
    if (before !== undefined && at - before < this.everyMs) return false;
    this.last.delete(key);
    this.last.set(key, at);
    if (this.last.size > this.maxKeys) this.last.delete(this.last.keys().next().value!);
    return true;
  }
}
