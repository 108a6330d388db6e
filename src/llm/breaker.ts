/**
 * A circuit breaker for the drafting API: after `threshold` failures in a row it opens for
 * `cooldownMs` (drafting pauses, hand-offs go on without drafts), then lets one draft through;
 * its success closes the breaker, its failure opens it again.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trial = false;
  /** How many times it opened since start (the report shows it). */
  opened = 0;
  lastError: string | null = null;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number,
  ) {}

  state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a draft may call the API now; in half-open, only one at a time. */
  allow(): boolean {
    const s = this.state();
    if (s === 'closed') return true;
    if (s === 'open' || this.trial) return false;
    this.trial = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trial = false;
  }

  failure(error: string): void {
    this.lastError = error;
    this.failures++;
    const wasTrial = this.trial;
    this.trial = false;
    if (wasTrial || this.failures >= this.threshold) {
      if (this.openedAt === null || wasTrial) this.opened++;
      this.openedAt = this.now();
    }
  }

  /** When an open breaker lets a draft try again. */
  retryAt(): number | null {
    return this.openedAt === null ? null : this.openedAt + this.cooldownMs;
  }
}
