/**
 * The steps of a shutdown, each bounded: a step still running when its time is up is logged and
 * left behind, and the next one starts. A stuck step (a pool waiting for a connection whose query
 * is blocked, a lock connection's end on a half-open socket, a channel that will not stop) then
 * holds up neither the others nor the exit. A step that throws is logged and passed too.
 */
export class ShutdownSteps {
  private readonly running = new Set<{ name: string }>();

  constructor(
    private readonly warn: (msg: string, fields: Record<string, unknown>) => void,
    private readonly defaultMs: number,
  ) {}

  /** The steps started and not finished, timed-out ones included (a forced exit names them). */
  unfinished(): string[] {
    return [...this.running].map((s) => s.name);
  }

  /** Runs `fn` for at most `ms`; true when it finished (or failed) in time. */
  async run(name: string, fn: () => unknown, ms = this.defaultMs): Promise<boolean> {
    const entry = { name };
    this.running.add(entry);
    const work = Promise.resolve()
      .then(fn)
      .then(
        () => true,
        (err: unknown) => {
          this.warn('shutdown step failed', { step: name, err: String(err) });
          return true;
        },
      )
      .finally(() => this.running.delete(entry));
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
    const finished = await Promise.race([work, timeUp]);
    clearTimeout(timer);
    if (!finished) this.warn('shutdown step did not finish in time; going on without it', { step: name, afterMs: ms });
    return finished;
  }
}
