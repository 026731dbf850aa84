import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CaseStore } from '../cases/case-store.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';

/**
 * "Delete my data": removes every key about one conversation (its session with all
 * answers, its reply history and any message of it set aside as a dead letter), and anonymises its cases, which are kept so a case
 * worker can still act on them. Message ids remembered for de-duplication (no content)
 * expire on their own, and messages still waiting in the inbox are answered first.
 */
export class PersonDataEraser {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cases: CaseStore,
  ) {}

  async erase(conversationId: string): Promise<{ keysDeleted: number; casesAnonymised: number }> {
    // A message set aside as a dead letter holds what the person wrote: it goes too.
    const keys = [this.keys.session(conversationId), this.keys.queueDead('inbound', conversationId), ...(await this.scan(this.keys.replyLogPattern(conversationId)))];
    let keysDeleted = 0;
    // One key at a time: on Redis Cluster they need not share a slot.
    for (const key of keys) keysDeleted += await this.redis.del(key);
    await this.redis.srem(this.keys.queueDeadIndex('inbound'), conversationId);
    const pseudonym = `deleted:${createHash('sha256').update(conversationId).digest('hex').slice(0, 16)}`;
    const casesAnonymised = await this.cases.anonymise(conversationId, pseudonym);
    return { keysDeleted, casesAnonymised };
  }

  private async scan(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }
}
