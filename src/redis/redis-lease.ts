import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RELEASE } from './lock-release.ts';
import { LuaScript } from './lua-script.ts';

/** Extends the lease for its holder only (lua/renew.lua). */
const RENEW = LuaScript.fromFile(new URL('./lua/renew.lua', import.meta.url));

/**
 * A lease in Redis that says which one process does something only one may do: poll
 * Telegram, run the WhatsApp Web browser of a number. The holder renews it well within its
 * lifetime; a process that dies lets it expire, and another takes over.
 */
export class RedisLease {
  private readonly token = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly ttlMs = 60_000,
  ) {}

  async take(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** Renews the lease, or takes it if it is free; false when another process holds it. */
  async renew(): Promise<boolean> {
    if ((await RENEW.run(this.redis, [this.key], [this.token, this.ttlMs])) === 1) return true;
    // Gone (Redis restarted without it, or this process was paused past its expiry): the
    // holder carries on if nobody else took it meanwhile.
    return this.take();
  }

  async release(): Promise<void> {
    await RELEASE.run(this.redis, [this.key], [this.token]);
  }
}
