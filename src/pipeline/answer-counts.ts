import type { Redis } from 'ioredis';
import { ANSWER_EVENTS, type AnswerEvent, type Effect } from '../engine/effects.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { storedNumberOr } from '../redis/stored-number.ts';

export type CardCounts = Record<AnswerEvent, number>;

/**
 * How often each answer card was shown and rated helpful or not: for the content team, with
 * nothing about who asked (one hash of "card:event" counters). A statistic, not a record: a
 * turn retried after a crash may count twice.
 */
export class AnswerCounts {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async record(effects: readonly Effect[]): Promise<void> {
    const counted = effects.filter((effect) => effect.type === 'answer_count');
    if (counted.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const effect of counted) pipeline.hincrby(this.keys.answerCounts(), `${effect.card}:${effect.event}`, 1);
    await pipeline.exec();
  }

  /** Every card counted so far, by card id. */
  async read(): Promise<Record<string, CardCounts>> {
    const fields = await this.redis.hgetall(this.keys.answerCounts());
    const byCard: Record<string, CardCounts> = {};
    for (const [field, value] of Object.entries(fields)) {
      const split = field.lastIndexOf(':');
      const card = field.slice(0, split);
      const event = field.slice(split + 1) as AnswerEvent;
      if (!(ANSWER_EVENTS as readonly string[]).includes(event)) continue;
      byCard[card] ??= { shown: 0, helpful: 0, not_helpful: 0 };
      byCard[card][event] = storedNumberOr(value, 0);
    }
    return byCard;
  }
}
