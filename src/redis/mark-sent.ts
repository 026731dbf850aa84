import type { Redis } from 'ioredis';

/** How long a mark is tried before the error is given up on (Redis away that long is an outage). */
const PATIENCE_MS = 60_000;

/**
 * Remembers that a platform took a message, so a retry of its batch skips it. The platform
 * cannot take it back: a Redis that is away for a moment (a restart, a failover) must not
 * turn the mark into an error, since the caller would then count the message as not sent
 * and send it again. The mark is tried until it is stored, waiting longer each time.
 */
export async function markSent(redis: Redis, key: string, seconds: number): Promise<void> {
  let waited = 0;
  for (let wait = 100; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      await redis.set(key, '1', 'EX', seconds);
      return;
    } catch (error) {
      if (waited >= PATIENCE_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
      waited += wait;
    }
  }
}
