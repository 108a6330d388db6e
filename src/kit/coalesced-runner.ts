/**
 * Runs a task on request, never two at once: a request made while a run is in progress
 * (new mail arrived, a row was enqueued) is not lost but coalesced into one more run after it.
 */
export class CoalescedRunner {
  private current: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly opts: {
      /** A failed run is reported here; later requests still run. */
      onError: (err: unknown) => void;
      /** Checked before a coalesced rerun, e.g. "not stopping". */
      mayRunAgain?: () => boolean;
    },
  ) {}

  request(): void {
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = (async () => {
      do {
        this.again = false;
        await this.task().catch(this.opts.onError);
      } while (this.again && (this.opts.mayRunAgain?.() ?? true));
    })().finally(() => (this.current = undefined));
  }

  /** The run in progress, with the reruns requested during it; undefined when idle. */
  get running(): Promise<void> | undefined {
    return this.current;
  }
}
