import { messageOf } from '../core/log/error-message.ts';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * A connection for Pelita's own commands and for adding BullMQ jobs. Commands fail after a
 * couple of reconnection attempts instead of waiting forever, so a gateway can answer 503
 * while Redis is down. Workers take `workerConnection` instead.
 */
export function openRedis(url: string, options: RedisOptions = {}): Redis {
  // Auto-pipelining sends the commands of one event-loop tick in one socket write: under
  // load the write system calls cost more than Redis (docs/decisions/README.md).
  return new Redis(url, { maxRetriesPerRequest: 2, enableReadyCheck: true, enableAutoPipelining: true, ...options });
}

/**
 * A connection for libraries that define their scripts as commands on the connection they
 * are given: BullMQ's queues (forty-odd scripts) and @fastify/rate-limit (two). ioredis
 * copies every defined command onto each pipeline it builds, including the one
 * auto-pipelining builds every event-loop tick, so on Pelita's own connection every
 * command would pay for the copying (docs/decisions/README.md).
 */
export function jobsConnection(url: string): Redis {
  return openRedis(url, { enableAutoPipelining: false });
}

/** BullMQ workers block on Redis and must wait through an outage rather than fail. */
export function workerConnection(redis: Redis): Redis {
  return redis.duplicate({ maxRetriesPerRequest: null, enableAutoPipelining: false });
}

/** Answers whether a Redis server is reachable at `url`, within `timeoutMs`, without retrying. */
export async function pingRedis(url: string, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on('error', () => {
    // Reported through the rejected connect below; without a listener ioredis prints it.
  });
  try {
    await withTimeout(probe.connect(), timeoutMs);
    await withTimeout(probe.ping(), timeoutMs);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: messageOf(error) };
  } finally {
    probe.disconnect();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
