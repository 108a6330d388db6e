/**
 * Rate limits off, for benchmarks of throughput and fan-out: their many clients share one
 * loopback address, which the per-address and per-session limits would otherwise cap
 * (`npm run bench:flood` is the benchmark of the limits themselves).
 */
export const NO_RATE_LIMITS = {
  RATE_LIMIT_IP_PER_MINUTE: '0',
  RATE_LIMIT_AGENT_PER_MINUTE: '0',
  RATE_LIMIT_SESSION_CREATE_PER_MINUTE: '0',
  RATE_LIMIT_SESSION_MESSAGES_PER_MINUTE: '0',
};
